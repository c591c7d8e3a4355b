package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/driftgate/driftgate/checker/report"
)

// TestMetadataOnlyWithHistoryReadsEachInputOnce: `check --metadata-only
// --history` judges footers and headers only, yet the history needs the
// batch's profile, which needs every value. The profile and the hash share
// one read of each input (before, the footer or the header was read, then
// the whole input again for the profile: two opens). The verdict is the
// one --metadata-only gives without a history, the report's size and
// SHA-256 are the whole file's, and the metrics recorded are those a full
// check records.
func TestMetadataOnlyWithHistoryReadsEachInputOnce(t *testing.T) {
	fixtures, err := filepath.Abs(filepath.Join("..", "..", "fixtures", "orders"))
	if err != nil {
		t.Fatal(err)
	}
	contract := filepath.Join(fixtures, "contract.odcs.yaml")
	t.Chdir(t.TempDir())
	r := newReads()
	for _, name := range []string{"orders.parquet", "orders.csv"} {
		t.Run(name, func(t *testing.T) {
			data := filepath.Join("data", name)
			copyFile(t, filepath.Join(fixtures, name), data)
			_, stderr, code := r.cli(t, "profile", "-q", "-c", contract, data, "-o", name+".profile.json")
			if code != exitPass {
				t.Fatalf("profile: exit %d: %s", code, stderr)
			}
			_, alone := r.of(data)

			_, stderr, code = r.cli(t, "check", "-q", "--metadata-only", "-c", contract, "--format", "json="+name+".plain.json", data)
			if code != exitPass {
				t.Fatalf("check --metadata-only: exit %d: %s", code, stderr)
			}
			r.of(data)
			plain := readReport(t, name+".plain.json")

			db := name + ".history.db"
			_, stderr, code = r.cli(t, "check", "-q", "--metadata-only", "--history", db, "--as-of", "2026-01-01", "-c", contract, "--format", "json="+name+".json", data)
			if code != exitPass {
				t.Fatalf("check --metadata-only --history: exit %d: %s", code, stderr)
			}
			opens, n := r.of(data)
			if opens != 1 {
				t.Errorf("opened %s %d times, want once (judging the footer, the profile and the hash share one read)", data, opens)
			}
			if n != alone {
				t.Errorf("read %d bytes of %s, profiling it alone reads %d", n, data, alone)
			}
			rep := readReport(t, name+".json")
			size, sum := fileSHA256(t, data)
			if in := rep.Inputs[0]; in.Size != size || in.SHA256 != sum || in.HashScope != "" {
				t.Errorf("report input: size %d sha256 %s scope %q; want the whole file's %d %s", in.Size, in.SHA256, in.HashScope, size, sum)
			}
			if got, want := ruleCounts(rep, false), ruleCounts(plain, false); !equalCounts(got, want) {
				t.Errorf("findings with a history %v, without %v: want the same --metadata-only judgement", got, want)
			}
			if ruleCounts(rep, true)["CHECK_SKIPPED"] == 0 {
				t.Errorf("no CHECK_SKIPPED finding: the value checks must still be listed as skipped, not run or passed")
			}

			// The metrics recorded are a full check's.
			full := name + ".full.db"
			if _, stderr, code := r.cli(t, "check", "-q", "--history", full, "--as-of", "2026-01-01", "-c", contract, data); code != exitFailed {
				t.Fatalf("full check --history: exit %d, want 1 (the planted checks fail): %s", code, stderr)
			}
			r.of(data)
			for _, m := range [][2]string{{"rows", ""}, {"null_rate", "email"}, {"mean", "amount"}, {"p95", "amount"}, {"distinct", "status"}} {
				got, want := metricValue(t, db, m[0], m[1]), metricValue(t, full, m[0], m[1])
				if got != want {
					t.Errorf("metric %s %s: %v recorded with --metadata-only, %v by a full check", m[0], m[1], got, want)
				}
			}
		})
	}
}

// ruleCounts counts a report's findings by rule; skipped says whether to
// keep CHECK_SKIPPED only (true) or every rule (false).
func ruleCounts(rep *report.Report, skipped bool) map[string]int {
	out := map[string]int{}
	for _, f := range rep.Findings {
		if !skipped || f.Rule == "CHECK_SKIPPED" {
			out[f.Rule]++
		}
	}
	return out
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// metricValue is the value `driftgate history show` prints for one metric
// of the orders dataset's only run.
func metricValue(t *testing.T, db, metric, column string) any {
	t.Helper()
	args := []string{"history", "--history", db, "show", "orders", "--metric", metric, "--format", "json"}
	if column != "" {
		args = append(args, "--column", column)
	}
	stdout, stderr, code := cli(t, nil, args...)
	if code != exitPass {
		t.Fatalf("%v: exit %d: %s", args, code, stderr)
	}
	var out struct {
		Points []struct {
			Value any `json:"value"`
		} `json:"points"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil || len(out.Points) != 1 {
		t.Fatalf("%v: %v, %d points in %s", args, err, len(out.Points), stdout)
	}
	return out.Points[0].Value
}
