package project

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/drift"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/contracts"
)

// ndjsonOf writes a CSV file as NDJSON: cells that read as numbers are
// numbers, empty cells null, the rest strings.
func ndjsonOf(t *testing.T, csvPath, out string) {
	t.Helper()
	data, err := os.ReadFile(csvPath)
	if err == nil {
		var recs [][]string
		if recs, err = csv.NewReader(bytes.NewReader(data)).ReadAll(); err == nil {
			writeNDJSON(t, recs, out)
			return
		}
	}
	t.Fatal(err)
}

func writeNDJSON(t *testing.T, recs [][]string, out string) {
	var b strings.Builder
	for _, rec := range recs[1:] {
		b.WriteString("{")
		for i, cell := range rec {
			if i > 0 {
				b.WriteString(",")
			}
			name, _ := json.Marshal(recs[0][i])
			b.Write(name)
			b.WriteString(":")
			if _, err := strconv.ParseFloat(cell, 64); err == nil {
				b.WriteString(cell)
			} else if cell == "" {
				b.WriteString("null")
			} else {
				v, _ := json.Marshal(cell)
				b.Write(v)
			}
		}
		b.WriteString("}\n")
	}
	if err := os.WriteFile(out, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestTheProfileOfACheckedRunIsTheProfileOfItsOwn: the profile drift and
// the history judge a checked run by, taken from the check's read of the
// data, is byte for byte the profile `driftgate profile` writes of the same
// files (there is no time in a profile to leave out).
func TestTheProfileOfACheckedRunIsTheProfileOfItsOwn(t *testing.T) {
	fx := filepath.Join("..", "..", "fixtures")
	jsonl := filepath.Join(t.TempDir(), "orders.jsonl")
	ndjsonOf(t, filepath.Join(fx, "orders", "orders.csv"), jsonl)
	multi, err := checker.ExpandInputs([]string{filepath.Join(fx, "multi-file", "data")})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		contract string
		files    []string
	}{
		{"planted Parquet", filepath.Join(fx, "orders", "contract.odcs.yaml"), []string{filepath.Join(fx, "orders", "orders.parquet")}},
		{"planted CSV with cells that do not parse", filepath.Join(fx, "orders", "contract.odcs.yaml"), []string{filepath.Join(fx, "orders", "orders.csv")}},
		{"NDJSON", filepath.Join(fx, "orders", "contract.odcs.yaml"), []string{jsonl}},
		{"several files and formats as one batch", filepath.Join(fx, "multi-file", "contract.odcs.yaml"), multi},
		{"text formats", filepath.Join(fx, "formats", "contract.odcs.yaml"), []string{filepath.Join(fx, "formats", "contacts.csv"), filepath.Join(fx, "formats", "contacts.parquet")}},
	}
	for _, tc := range cases {
		for _, batch := range []int{source.DefaultBatchSize, 37} {
			t.Run(tc.name+" in batches of "+strconv.Itoa(batch), func(t *testing.T) {
				c, err := contracts.Load(tc.contract)
				if err != nil {
					t.Fatal(err)
				}
				j := Job{Command: "run", Check: true}
				j.Contract, j.Files, j.FailOn = c, tc.files, "error"
				if j.Source, err = SourceOptions(batch, "", nil, false); err != nil {
					t.Fatal(err)
				}
				alone, err := Profile(context.Background(), j)
				if err != nil {
					t.Fatal(err)
				}
				want, err := alone.Marshal()
				if err != nil {
					t.Fatal(err)
				}
				base := filepath.Join(t.TempDir(), "base.profile.json")
				if err := alone.WriteFile(base); err != nil {
					t.Fatal(err)
				}
				j.Drift = &DriftJob{Baseline: base, Thresholds: drift.ColumnConfig{Thresholds: drift.Defaults()}}
				res, err := Run(context.Background(), j)
				if err != nil {
					t.Fatal(err)
				}
				if res.Profile == nil {
					t.Fatal("the run kept no profile")
				}
				got, err := res.Profile.Marshal()
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("the run's profile differs from profiling alone:\n%s", firstDiff(got, want))
				}
			})
		}
	}
}

// firstDiff shows where a and b first differ, by line.
func firstDiff(a, b []byte) string {
	al, bl := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := range min(len(al), len(bl)) {
		if !bytes.Equal(al[i], bl[i]) {
			return fmt.Sprintf("line %d: run %s, alone %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("run %d lines, alone %d", len(al), len(bl))
}
