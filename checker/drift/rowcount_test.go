package drift

import (
	"strings"
	"testing"
)

// The baseline holds 6,000 rows in 3 batches, so a batch is expected to
// have 2,000 rows; the default threshold is a relative change of 0.5.
func TestRowCountDriftsAtItsThreshold(t *testing.T) {
	base := baseline(t, 1, baseRows)
	tests := []struct {
		name      string
		rows      int
		threshold float64
		drift     bool
		message   string
	}{
		{name: "a batch of the expected size is stable", rows: 2000, threshold: 0.5},
		{name: "a batch 40% smaller stays under the default threshold", rows: 1200, threshold: 0.5},
		{name: "a batch 60% smaller drifts", rows: 800, threshold: 0.5, drift: true, message: "rows 2,000 → 800 (-60%) (baseline: 6,000 rows in 3 batches); threshold ±50.0%"},
		{name: "a batch twice the size drifts", rows: 4000, threshold: 0.5, drift: true, message: "rows 2,000 → 4,000 (+100%) (baseline: 6,000 rows in 3 batches); threshold ±50.0%"},
		{name: "a tighter threshold catches a 20% change", rows: 1600, threshold: 0.1, drift: true, message: "rows 2,000 → 1,600 (-20%) (baseline: 6,000 rows in 3 batches); threshold ±10.0%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := defaultConfig()
			cfg.Default.RowCount = tt.threshold
			res, err := Compare(base, profileBatch(t, 2, tt.rows, plant{}), cfg)
			if err != nil {
				t.Fatal(err)
			}
			f, found := findingFor(res, RowCount, "")
			if found != tt.drift {
				t.Fatalf("DRIFT_ROW_COUNT finding %v, want %v (findings %+v)", found, tt.drift, res.Findings)
			}
			if found && (!strings.Contains(f.Message, tt.message) || f.Count != int64(tt.rows) || f.Severity != "warning") {
				t.Errorf("finding %+v, want a warning counting %d rows saying %q", f, tt.rows, tt.message)
			}
			ran := false
			for _, c := range res.Checks {
				ran = ran || c.Rule == RowCount
			}
			if !ran {
				t.Error("DRIFT_ROW_COUNT is not listed among the checks that ran")
			}
		})
	}
}
