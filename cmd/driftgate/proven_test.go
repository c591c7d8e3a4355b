package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/driftgate/driftgate/checker/pqtest"
	"github.com/driftgate/driftgate/checker/report"
)

// TestCheckSaysWhichRowGroupsStatisticsProved runs check on a Parquet file
// of three row groups, one of which holds an amount below the minimum: the
// user sees the finding with its row, a line saying what statistics proved
// instead of decoding, and the same in the JSON report.
func TestCheckSaysWhichRowGroupsStatisticsProved(t *testing.T) {
	dir := t.TempDir()
	contract := filepath.Join(dir, "c.odcs.yaml")
	if err := os.WriteFile(contract, []byte(`apiVersion: v3.1.0
kind: DataContract
id: urn:test:amounts
version: 1.0.0
status: active
schema:
  - name: t
    properties:
      - name: amount
        logicalType: integer
        required: true
        logicalTypeOptions:
          minimum: 0
          maximum: 1000
`), 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "amounts.parquet")
	sc := arrow.NewSchema([]arrow.Field{{Name: "amount", Type: arrow.PrimitiveTypes.Int64}}, nil)
	// One batch, one row group.
	var recs []arrow.RecordBatch
	for _, rows := range []string{`[{"amount": 5}, {"amount": 6}]`, `[{"amount": 7}, {"amount": -3}]`, `[{"amount": 8}, {"amount": 9}]`} {
		rec, _, err := array.RecordFromJSON(memory.NewGoAllocator(), sc, strings.NewReader(rows))
		if err != nil {
			t.Fatal(err)
		}
		defer rec.Release()
		recs = append(recs, rec)
	}
	pqtest.Write(t, data, pqtest.Options{}, recs...)
	out := filepath.Join(dir, "report.json")
	stdout, stderr, code := cli(t, nil, "check", "-c", contract, "--format", "text", "--format", "json="+out, data)
	if code != exitFailed {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitFailed, stderr)
	}
	for _, want := range []string{"amounts.parquet: statistics proved, not decoded: amount in 2 of 3 row groups", "VALUE_RANGE", "row 4"} {
		if !strings.Contains(unwrapped(stdout), want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var rep report.Report
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	want := []report.ProvenRowGroups{{Column: "amount", Proven: 2, RowGroups: 3}}
	if got := rep.Inputs[0].ProvenRowGroups; !slices.Equal(got, want) {
		t.Errorf("provenRowGroups %+v, want %+v", got, want)
	}
}
