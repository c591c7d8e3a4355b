package history

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/driftgate/driftgate/checker/profile"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
)

// The metric names a point stores. Column metrics carry the column's name;
// dataset metrics an empty one.
const (
	MetricRows     = "rows"
	MetricNullRate = "null_rate"
	MetricDistinct = "distinct"
	MetricMin      = "min"
	MetricMax      = "max"
	MetricMean     = "mean"
	MetricSum      = "sum"
	MetricP50      = "p50"
	MetricP95      = "p95"
	MetricLenMin   = "length_min"
	MetricLenMax   = "length_max"
	MetricLenMean  = "length_mean"
	// MetricLag is how far the newest value of a timestamp or date column
	// lies behind the point's as-of time, in seconds: its freshness.
	MetricLag = "lag_seconds"
)

// Metrics derives a point's metrics from the profile of its batch.
// Columns for which private reports true (classified personal or
// restricted) keep counts and rates only: their min, max, mean, sum and
// quantiles are values and never leave the batch.
func Metrics(p *profile.Profile, asOf time.Time, private func(column string) bool) []Metric {
	out := []Metric{{Name: MetricRows, Value: float64(p.Rows)}}
	for _, c := range p.Columns {
		add := func(name string, v float64) {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				out = append(out, Metric{Column: c.Name, Name: name, Value: v})
			}
		}
		add(MetricNullRate, c.NullRate())
		if c.Distinct != nil {
			add(MetricDistinct, float64(c.Distinct.Estimate))
		}
		if c.Private || (private != nil && private(c.Name)) {
			continue
		}
		if n := c.Numeric; n != nil && n.Count > 0 {
			add(MetricMin, n.Min)
			add(MetricMax, n.Max)
			add(MetricMean, n.Mean)
			if c.Kind == profile.Numeric {
				sum := 0.0
				for _, part := range n.SumParts {
					sum += part
				}
				add(MetricSum, sum)
			}
			if len(n.Quantiles) == len(profile.QuantileLevels()) {
				add(MetricP50, n.Quantiles[3])
				add(MetricP95, n.Quantiles[5])
			}
			if c.Kind == profile.Temporal {
				if newest, ok := temporalSeconds(c, n.Max); ok {
					add(MetricLag, float64(asOf.Unix())-newest)
				}
			}
		}
		if l := c.Lengths; l != nil {
			add(MetricLenMin, float64(l.Min))
			add(MetricLenMax, float64(l.Max))
			add(MetricLenMean, l.Mean)
		}
	}
	return out
}

// temporalSeconds converts a temporal column's profile number to seconds
// since the epoch: dates are days, timestamps seconds; times of day have no
// freshness.
func temporalSeconds(c profile.Column, v float64) (float64, bool) {
	switch {
	case strings.HasPrefix(c.Type, "date"):
		return v * 86400, true
	case strings.HasPrefix(c.Type, "timestamp"):
		return v, true
	}
	return 0, false
}

// Tuning overrides the detector's defaults for a dataset or one column;
// nil fields keep the default.
type Tuning struct {
	Sensitivity  *float64 `json:"sensitivity,omitempty" yaml:"sensitivity,omitempty"`
	Warmup       *int     `json:"warmup,omitempty" yaml:"warmup,omitempty"`
	MinRelChange *float64 `json:"minRelativeChange,omitempty" yaml:"minRelativeChange,omitempty"`
}

func (t Tuning) apply(s Settings) Settings {
	if t.Sensitivity != nil {
		s.Sensitivity = *t.Sensitivity
	}
	if t.Warmup != nil {
		s.Warmup = *t.Warmup
	}
	if t.MinRelChange != nil {
		s.MinRelChange = *t.MinRelChange
	}
	return s
}

// Config is the anomaly detection of one dataset: its tuning and its
// columns' tuning (a column's overrides the dataset's).
type Config struct {
	Dataset Tuning
	Columns map[string]Tuning
}

// Anomaly is one metric outside its expectation.
type Anomaly struct {
	Rule    *rules.Rule
	Column  string
	Metric  string
	Value   float64
	AsOf    time.Time
	Verdict Verdict
}

// Message says what came and what was expected, for example
// "rows 310 on Monday 2026-11-30; expected 4,100–5,300 (around 4,720, from 8 Mondays and 56 points in all)".
func (a Anomaly) Message() string {
	subject := a.Metric
	if a.Column != "" {
		subject = fmt.Sprintf("column %q %s", a.Column, strings.ReplaceAll(a.Metric, "_", " "))
	}
	e := a.Verdict.Expectation
	low, high := e.Low, e.High
	if a.Rule == rules.AnomalyNullRate || a.Rule == rules.AnomalyFreshness {
		low = max(low, 0)
	}
	return fmt.Sprintf("%s %s on %s %s; expected %s–%s (around %s, from %s)", subject, Number(a.Value),
		a.AsOf.Weekday(), a.AsOf.Format("2006-01-02"), Number(low), Number(high), Number(e.Expected), e.Basis)
}

// judged lists the metrics the detector looks at, with their rule and the
// direction that counts. The others (quantiles, lengths) are recorded for
// people to browse.
var judged = map[string]struct {
	rule      *rules.Rule
	direction Direction
	minAbs    float64
}{
	MetricRows:     {rules.AnomalyRowCount, Both, 0},
	MetricNullRate: {rules.AnomalyNullRate, UpOnly, 0.01},
	MetricLag:      {rules.AnomalyFreshness, UpOnly, 3600},
	MetricMean:     {rules.AnomalyMetric, Both, 0},
	MetricSum:      {rules.AnomalyMetric, Both, 0},
	MetricDistinct: {rules.AnomalyMetric, Both, 0},
	MetricMin:      {rules.AnomalyMetric, Both, 0},
	MetricMax:      {rules.AnomalyMetric, Both, 0},
}

// Judge compares each judged metric of a new point with the dataset's
// stored history before asOf, marks the anomalous ones (so they never
// train later expectations) and returns them as anomalies.
func (s *Store) Judge(ctx context.Context, dataset string, asOf time.Time, metrics []Metric, cfg Config) ([]Anomaly, error) {
	var out []Anomaly
	for i := range metrics {
		m := &metrics[i]
		j, ok := judged[m.Name]
		if !ok {
			continue
		}
		settings := cfg.Dataset.apply(DefaultSettings())
		if m.Column != "" {
			settings = cfg.Columns[m.Column].apply(settings)
		}
		settings.Direction, settings.MinAbsChange = j.direction, j.minAbs
		series, err := s.Series(ctx, dataset, m.Column, m.Name, asOf)
		if err != nil {
			return nil, err
		}
		v := Judge(series, asOf, m.Value, settings)
		if v.Anomalous {
			m.Anomalous = true
			out = append(out, Anomaly{Rule: j.rule, Column: m.Column, Metric: m.Name, Value: m.Value, AsOf: asOf, Verdict: v})
		}
	}
	return out, nil
}

// Finding is the anomaly as a report finding of its rule.
func (a Anomaly) Finding(schema string) report.Finding {
	e := a.Verdict.Expectation
	return a.Rule.Finding(report.Finding{Schema: schema, Column: a.Column, Message: a.Message(),
		Expected: Number(e.Low) + "–" + Number(e.High), Actual: Number(a.Value)})
}

// Checks are the anomaly checks a judged point ran: one per rule and
// column, so a report lists the passing ones too.
func Checks(schema string, metrics []Metric) []report.Check {
	seen := map[string]bool{}
	var out []report.Check
	for _, m := range metrics {
		j, ok := judged[m.Name]
		if !ok || seen[j.rule.ID+"\x00"+m.Column] {
			continue
		}
		seen[j.rule.ID+"\x00"+m.Column] = true
		out = append(out, j.rule.Check(schema, m.Column))
	}
	return out
}

// Number formats a metric for people: integers exactly, with thousands
// separators (row counts stay whole however large), other values as the
// reports format numbers.
func Number(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return report.GroupDigits(strconv.FormatInt(int64(v), 10))
	}
	return report.Number(v)
}

// The customProperties that tune the detector, on a contract's schema
// object (the dataset) or property (a column).
const (
	KeySensitivity  = "driftgate.anomaly.sensitivity"
	KeyWarmup       = "driftgate.anomaly.warmup"
	KeyMinRelChange = "driftgate.anomaly.minRelativeChange"
)

// Over returns t with the fields that o sets replaced.
func (t Tuning) Over(o Tuning) Tuning {
	if o.Sensitivity != nil {
		t.Sensitivity = o.Sensitivity
	}
	if o.Warmup != nil {
		t.Warmup = o.Warmup
	}
	if o.MinRelChange != nil {
		t.MinRelChange = o.MinRelChange
	}
	return t
}

// Validate checks the ranges: sensitivity above 0, a warm-up of at least 3
// points, a minimum relative change from 0 to 1.
func (t Tuning) Validate() error {
	switch {
	case t.Sensitivity != nil && !(*t.Sensitivity > 0):
		return fmt.Errorf("sensitivity %v: want a number above 0", *t.Sensitivity)
	case t.Warmup != nil && *t.Warmup < 3:
		return fmt.Errorf("warmup %d: want at least 3 points", *t.Warmup)
	case t.MinRelChange != nil && (*t.MinRelChange < 0 || *t.MinRelChange > 1):
		return fmt.Errorf("minRelativeChange %v: want a share from 0 to 1", *t.MinRelChange)
	}
	return nil
}

// TuningFrom reads the driftgate.anomaly.* customProperties.
func TuningFrom(props map[string]any) (Tuning, error) {
	var t Tuning
	num := func(key string) (*float64, error) {
		v, ok := props[key]
		if !ok {
			return nil, nil
		}
		switch x := v.(type) {
		case int:
			f := float64(x)
			return &f, nil
		case int64:
			f := float64(x)
			return &f, nil
		case float64:
			return &x, nil
		case string:
			f, err := strconv.ParseFloat(x, 64)
			if err == nil {
				return &f, nil
			}
		}
		return nil, fmt.Errorf("customProperty %s: %v is not a number", key, v)
	}
	var err error
	if t.Sensitivity, err = num(KeySensitivity); err != nil {
		return t, err
	}
	if t.MinRelChange, err = num(KeyMinRelChange); err != nil {
		return t, err
	}
	w, err := num(KeyWarmup)
	if err != nil {
		return t, err
	}
	if w != nil {
		if *w != math.Trunc(*w) {
			return t, fmt.Errorf("customProperty %s: %v is not a whole number", KeyWarmup, *w)
		}
		n := int(*w)
		t.Warmup = &n
	}
	if err := t.Validate(); err != nil {
		return t, fmt.Errorf("customProperties driftgate.anomaly.*: %w", err)
	}
	return t, nil
}
