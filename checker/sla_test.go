package checker

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/checker/source"
)

func TestSLASpanReadsUnitsAsDatacontractCLIDoes(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		property string
		value    any
		unit     string
		want     time.Duration
	}{
		{"latency", int64(4), "d", 4 * day},
		{"latency", int64(4), "", 4 * day},
		{"latency", 1.5, "hours", 90 * time.Minute},
		{"latency", int64(30), "m", 30 * time.Minute},
		{"retention", int64(6), "m", 180 * day},
		{"retention", int64(3), "y", 3 * 365 * day},
		{"retention", int64(2), "weeks", 14 * day},
		{"retention", "P1Y2M3DT4H", "", (365+60+3)*day + 4*time.Hour},
		{"latency", "PT15M", "", 15 * time.Minute},
		{"latency", "12", "h", 12 * time.Hour},
	}
	for _, tc := range tests {
		got, err := slaSpan(tc.property, tc.value, tc.unit)
		if err != nil || got != tc.want {
			t.Errorf("slaSpan(%s, %v, %q) = %v, %v; want %v", tc.property, tc.value, tc.unit, got, err, tc.want)
		}
	}
	for _, bad := range []struct {
		value any
		unit  string
	}{{int64(1), "fortnights"}, {"soon", "d"}, {true, "d"}, {int64(-1), "d"}, {"P", ""}, {"PT", ""}, {1e300, "y"}} {
		if got, err := slaSpan("latency", bad.value, bad.unit); err == nil {
			t.Errorf("slaSpan(%v, %q) = %v, want an error", bad.value, bad.unit, got)
		}
	}
}

// freshByTime is a contract whose freshness SLA names no element: the
// data's age is its newest input's modification time.
func freshByTime(value string) string {
	return strings.Replace(doc("- name: id\n  logicalType: string"), "schema:\n", "slaProperties:\n  - property: latency\n    value: "+value+"\n    unit: d\nschema:\n", 1)
}

func TestFreshnessWithoutAnElementIsTheInputsModificationTime(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	dir := t.TempDir()
	old := writeCSV(t, filepath.Join(dir, "old.csv"), []col{strs("id", "a")})
	newer := writeCSV(t, filepath.Join(dir, "newer.csv"), []col{strs("id", "b")})
	for path, mod := range map[string]time.Time{old: now.Add(-10 * 24 * time.Hour), newer: now.Add(-3 * 24 * time.Hour)} {
		if err := os.Chtimes(path, mod, mod); err != nil {
			t.Fatal(err)
		}
	}
	check := func(t *testing.T, contract string, metadataOnly bool) *report.Report {
		t.Helper()
		opts := Options{Contract: parseContract(t, contract), Files: []string{old, newer}, Now: now}
		run := Check
		if metadataOnly {
			run = CheckMetadata
		}
		rep, err := run(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	for _, metadataOnly := range []bool{false, true} {
		// --metadata-only reads no value of a CSV file: its type is not checked.
		var skipped []want
		if metadataOnly {
			skipped = append(skipped, want{rule: rules.CheckSkipped.ID, column: "id"})
		}
		t.Run(fmt.Sprintf("metadata-only %v: the newest input decides, 3 days old against 1 day", metadataOnly), func(t *testing.T) {
			contract := freshByTime("1")
			rep := check(t, contract, metadataOnly)
			assertFindings(t, contract, rep, append(skipped, want{rule: rules.SLAFreshness.ID, column: "", count: 1, line: "value: 1",
				msg: []string{"the newest input, " + newer + ", was written 2026-11-27T12:00:00Z, 3.0 days ago, want at most 24.0 hours", "judged by the inputs' modification times"}})...)
			if c, ok := checkOf(rep, rules.SLAFreshness.ID, ""); !ok || c.Status != report.CheckFailed {
				t.Errorf("SLA_FRESHNESS check %+v, listed %v; want failed", c, ok)
			}
		})
		t.Run(fmt.Sprintf("metadata-only %v: within 4 days it passes", metadataOnly), func(t *testing.T) {
			contract := freshByTime("4")
			rep := check(t, contract, metadataOnly)
			assertFindings(t, contract, rep, skipped...)
			if c, ok := checkOf(rep, rules.SLAFreshness.ID, ""); !ok || c.Status != report.CheckPassed {
				t.Errorf("SLA_FRESHNESS check %+v, listed %v; want passed", c, ok)
			}
		})
	}
}

func TestFreshnessByInputTimeFailsWhenNoInputStatesOne(t *testing.T) {
	contract := freshByTime("1")
	// Standard input is a pipe here, as in `cat orders.csv | driftgate check`.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	stdin := os.Stdin
	os.Stdin = r
	t.Cleanup(func() { os.Stdin = stdin; r.Close() })
	go func() {
		w.WriteString("id\n1\n")
		w.Close()
	}()
	rep, err := Check(context.Background(), Options{Contract: parseContract(t, contract), Files: []string{"-"}, Now: time.Now(),
		Source: source.Options{Format: source.CSV}})
	if err != nil {
		t.Fatal(err)
	}
	assertFindings(t, contract, rep, want{rule: rules.SLAFreshness.ID, column: "", msg: []string{"no input states when it was written (-)"}})
}
