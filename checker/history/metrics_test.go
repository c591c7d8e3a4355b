package history

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/driftgate/driftgate/checker/profile"
)

func TestNumber(t *testing.T) {
	for _, tc := range []struct {
		in   float64
		want string
	}{{4720, "4,720"}, {-1234567, "-1,234,567"}, {0.0123456, "0.01235"}, {12345.6, "12,346"}, {0, "0"}} {
		if got := Number(tc.in); got != tc.want {
			t.Errorf("Number(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestJudgeThroughTheStore stores four weeks of Mondays to Sundays and then
// a Monday with a tenth of the rows: the finding names the weekday, the
// band and what it rests on; the next day's expectation is not trained by
// the anomaly.
func TestJudgeThroughTheStore(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "h.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	first := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC) // a Monday
	rows := func(d int) float64 {
		if wd := first.AddDate(0, 0, d).Weekday(); wd == time.Saturday || wd == time.Sunday {
			return 2000 + float64(d%3)
		}
		return 4700 + float64(d%5)*10
	}
	for d := range 28 {
		at := first.AddDate(0, 0, d)
		m := []Metric{{Name: MetricRows, Value: rows(d)}}
		if _, err := s.Judge(ctx, "orders", at, m, Config{}); err != nil {
			t.Fatal(err)
		}
		p := point("orders", at, 0)
		p.Metrics = m
		if err := s.Record(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	monday := first.AddDate(0, 0, 28)
	m := []Metric{{Name: MetricRows, Value: 310}}
	anomalies, err := s.Judge(ctx, "orders", monday, m, Config{})
	if err != nil {
		t.Fatal(err)
	}
	if len(anomalies) != 1 || anomalies[0].Rule.ID != "ANOMALY_ROW_COUNT" || !m[0].Anomalous {
		t.Fatalf("anomalies = %+v, want one ANOMALY_ROW_COUNT", anomalies)
	}
	msg := anomalies[0].Message()
	for _, want := range []string{"rows 310 on Monday 2026-11-30; expected 4,", "Mondays"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q does not contain %q", msg, want)
		}
	}
	t.Log(msg)
	// A Saturday at its usual level is not an anomaly.
	sat := []Metric{{Name: MetricRows, Value: 2001}}
	if a, _ := s.Judge(ctx, "orders", first.AddDate(0, 0, 33), sat, Config{}); len(a) != 0 {
		t.Fatalf("a usual Saturday: %v", a[0].Message())
	}
}

func TestMetricsKeepNoValuesOfPrivateColumns(t *testing.T) {
	p := &profile.Profile{Rows: 10, Columns: []profile.Column{
		{Name: "email", Kind: profile.String, Rows: 10, Nulls: 1, Lengths: &profile.Lengths{Min: 5, Max: 30, Mean: 12}},
		{Name: "salary", Kind: profile.Numeric, Rows: 10, Numeric: &profile.NumericStats{Count: 10, Min: 1000, Max: 9000, Mean: 5000}},
		{Name: "amount", Kind: profile.Numeric, Rows: 10, Numeric: &profile.NumericStats{Count: 10, Min: 1, Max: 9, Mean: 5, SumParts: []float64{50}}},
	}}
	got := map[string]bool{}
	for _, m := range Metrics(p, time.Now(), func(c string) bool { return c == "email" || c == "salary" }) {
		got[m.Column+"."+m.Name] = true
	}
	for _, leak := range []string{"salary.min", "salary.max", "salary.mean", "email.length_max"} {
		if got[leak] {
			t.Errorf("metric %s of a private column was kept", leak)
		}
	}
	for _, want := range []string{".rows", "email.null_rate", "salary.null_rate", "amount.max", "amount.sum"} {
		if !got[want] {
			t.Errorf("metric %s missing", want)
		}
	}
}

func TestTuningFrom(t *testing.T) {
	for _, tc := range []struct {
		name  string
		props map[string]any
		ok    bool
		check func(Tuning) bool
	}{
		{"no properties keep the defaults", nil, true, func(t Tuning) bool { return t.Sensitivity == nil && t.Warmup == nil }},
		{"sensitivity and warmup are read", map[string]any{KeySensitivity: 6.5, KeyWarmup: 21}, true,
			func(t Tuning) bool { return *t.Sensitivity == 6.5 && *t.Warmup == 21 }},
		{"a warm-up below 3 is refused", map[string]any{KeyWarmup: 2}, false, nil},
		{"a fractional warm-up is refused", map[string]any{KeyWarmup: 2.5}, false, nil},
		{"a sensitivity of 0 is refused", map[string]any{KeySensitivity: 0}, false, nil},
		{"a relative change above 1 is refused", map[string]any{KeyMinRelChange: 1.5}, false, nil},
		{"text that is not a number is refused", map[string]any{KeySensitivity: "high"}, false, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := TuningFrom(tc.props)
			if (err == nil) != tc.ok || (tc.ok && !tc.check(got)) {
				t.Fatalf("TuningFrom(%v) = %+v, %v", tc.props, got, err)
			}
		})
	}
}

// TestColumnTuningOverridesTheDataset judges one series with a dataset
// sensitivity that flags a 30% drop, and a column tuning that does not.
func TestColumnTuningOverridesTheDataset(t *testing.T) {
	hist := make([]Sample, 30)
	for i := range hist {
		hist[i] = Sample{AsOf: start.AddDate(0, 0, i), Value: 1000 + float64(i%3)}
	}
	loose, strict := 0.5, 0.05
	cfg := Config{Dataset: Tuning{MinRelChange: &strict}, Columns: map[string]Tuning{"amount": {MinRelChange: &loose}}}
	settings := cfg.Dataset.apply(DefaultSettings())
	if v := Judge(hist, start.AddDate(0, 0, 30), 700, settings); !v.Anomalous {
		t.Fatal("a 30% drop is not an anomaly at the dataset's tuning")
	}
	settings = cfg.Columns["amount"].apply(settings)
	if v := Judge(hist, start.AddDate(0, 0, 30), 700, settings); v.Anomalous {
		t.Fatal("the column's looser tuning did not apply")
	}
}
