package history

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// series is a planted daily series: values and which points are planted
// anomalies.
type series struct {
	values  []float64
	planted []bool
}

var start = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) // a Monday

// background is an ordinary daily row-count series: a level of 5,000, a
// slow trend of +0.2% a day, weekends at 60% and 4% multiplicative noise.
func background(r *rand.Rand, days int, weekly bool) series {
	s := series{values: make([]float64, days), planted: make([]bool, days)}
	for d := range days {
		v := 5000 * (1 + 0.002*float64(d))
		if wd := start.AddDate(0, 0, d).Weekday(); weekly && (wd == time.Saturday || wd == time.Sunday) {
			v *= 0.6
		}
		s.values[d] = math.Round(v * (1 + 0.04*r.NormFloat64()))
	}
	return s
}

type scenario struct {
	name  string
	plant func(r *rand.Rand, s *series)
}

const days = 120

var scenarios = []scenario{
	{"ordinary days with a trend and weekly seasonality", func(r *rand.Rand, s *series) {}},
	{"a single spike", func(r *rand.Rand, s *series) {
		d := 40 + r.IntN(days-40)
		s.values[d] *= 3
		s.planted[d] = true
	}},
	{"a drop to near zero", func(r *rand.Rand, s *series) {
		d := 40 + r.IntN(days-40)
		s.values[d] = math.Round(s.values[d] * 0.02)
		s.planted[d] = true
	}},
	{"a level shift to half for the last week", func(r *rand.Rand, s *series) {
		for d := days - 7; d < days; d++ {
			s.values[d] = math.Round(s.values[d] * 0.5)
			s.planted[d] = true
		}
	}},
	{"two holidays at 30%", func(r *rand.Rand, s *series) {
		d := 40 + r.IntN(days-41)
		for _, h := range []int{d, d + 1} {
			s.values[h] = math.Round(s.values[h] * 0.3)
			s.planted[h] = true
		}
	}},
}

// judgeAll walks the series day by day as nightly runs would, each run
// judged against the points stored before it.
func judgeAll(s series, settings Settings, judge func([]Sample, time.Time, float64, Settings) Verdict) []bool {
	var hist []Sample
	alarms := make([]bool, len(s.values))
	for d, v := range s.values {
		at := start.AddDate(0, 0, d)
		verdict := judge(hist, at, v, settings)
		alarms[d] = verdict.Anomalous
		hist = append(hist, Sample{AsOf: at, Value: v, Anomalous: verdict.Anomalous})
	}
	return alarms
}

// score counts recall over the planted points and the false-alarm rate
// over the ordinary points that were past warm-up.
type score struct{ hits, planted, falseAlarms, ordinary int }

func (sc *score) add(s series, alarms []bool, warmup int) {
	for d := range s.values {
		switch {
		case s.planted[d]:
			sc.planted++
			if alarms[d] {
				sc.hits++
			}
		case d >= warmup:
			sc.ordinary++
			if alarms[d] {
				sc.falseAlarms++
			}
		}
	}
}

func (sc score) recall() float64 { return float64(sc.hits) / float64(max(sc.planted, 1)) }
func (sc score) falseRate() float64 {
	return float64(sc.falseAlarms) / float64(max(sc.ordinary, 1))
}

// zScore is the anchor the issue names: Elementary's default volume test,
// a z-score of 3 against the mean and standard deviation of the last 14
// days, no seasonality, every earlier point in the window included.
func zScore(window int, threshold float64) func([]Sample, time.Time, float64, Settings) Verdict {
	return func(hist []Sample, _ time.Time, v float64, _ Settings) Verdict {
		if window > 0 && len(hist) > window {
			hist = hist[len(hist)-window:]
		}
		if len(hist) < 14 {
			return Verdict{}
		}
		var sum, sq float64
		for _, h := range hist {
			sum += h.Value
		}
		mean := sum / float64(len(hist))
		for _, h := range hist {
			sq += (h.Value - mean) * (h.Value - mean)
		}
		sd := math.Sqrt(sq / float64(len(hist)-1))
		return Verdict{Judged: true, Anomalous: sd > 0 && math.Abs(v-mean)/sd > threshold}
	}
}

// TestPlantedAnomaliesAreFoundWithFewFalseAlarms is the detector's
// acceptance test: across many seeds, at default settings, recall at least
// 0.95 on each planted kind and false alarms on at most 1% of ordinary
// points. It also logs how the two anchors do on the same series.
func TestPlantedAnomaliesAreFoundWithFewFalseAlarms(t *testing.T) {
	settings := DefaultSettings()
	anchors := map[string]func([]Sample, time.Time, float64, Settings) Verdict{
		"elementary z-score (14 days, 3σ)": zScore(14, 3),
		"mean/stddev of all history (3σ)":  zScore(0, 3),
	}
	for _, weekly := range []bool{true, false} {
		for _, sc := range scenarios {
			name := sc.name
			if !weekly {
				name += ", no weekly season"
			}
			t.Run(name, func(t *testing.T) {
				var ours score
				theirs := map[string]*score{}
				for seed := range seeds {
					r := rand.New(rand.NewPCG(uint64(seed), 7))
					s := background(r, days, weekly)
					sc.plant(r, &s)
					ours.add(s, judgeAll(s, settings, Judge), settings.Warmup)
					for n, j := range anchors {
						if theirs[n] == nil {
							theirs[n] = &score{}
						}
						theirs[n].add(s, judgeAll(s, settings, j), settings.Warmup)
					}
				}
				t.Logf("driftgate: recall %.3f, false alarms %.4f (%d of %d ordinary points)",
					ours.recall(), ours.falseRate(), ours.falseAlarms, ours.ordinary)
				for n, th := range theirs {
					t.Logf("%s: recall %.3f, false alarms %.4f", n, th.recall(), th.falseRate())
				}
				if ours.planted > 0 && ours.recall() < 0.95 {
					t.Errorf("recall %.3f, want at least 0.95", ours.recall())
				}
				if ours.falseRate() > 0.01 {
					t.Errorf("false alarms on %.2f%% of ordinary points, want at most 1%%", 100*ours.falseRate())
				}
			})
		}
	}
}

// TestNullRateSpike plants a jump of the null rate from about 1% to 15%;
// a null rate that falls is not an anomaly.
func TestNullRateSpike(t *testing.T) {
	settings := DefaultSettings()
	settings.Direction = UpOnly
	settings.MinAbsChange = 0.01
	var sc score
	for seed := range seeds * 2 {
		r := rand.New(rand.NewPCG(uint64(seed), 11))
		s := series{values: make([]float64, days), planted: make([]bool, days)}
		for d := range days {
			s.values[d] = math.Max(0, 0.01+0.002*r.NormFloat64())
		}
		spike := 40 + r.IntN(days-40)
		s.values[spike], s.planted[spike] = 0.15, true
		drop := (spike + 10) % days
		if drop >= 20 {
			s.values[drop] = 0 // good news: no alarm
		}
		sc.add(s, judgeAll(s, settings, Judge), settings.Warmup)
	}
	t.Logf("recall %.3f, false alarms %.4f", sc.recall(), sc.falseRate())
	if sc.recall() < 0.95 || sc.falseRate() > 0.01 {
		t.Errorf("recall %.3f, false alarms %.4f; want ≥ 0.95 and ≤ 0.01", sc.recall(), sc.falseRate())
	}
}

func TestJudge(t *testing.T) {
	daily := func(values ...float64) []Sample {
		out := make([]Sample, len(values))
		for i, v := range values {
			out[i] = Sample{AsOf: start.AddDate(0, 0, i), Value: v}
		}
		return out
	}
	constant := func(n int, v float64) []Sample {
		vals := make([]float64, n)
		for i := range vals {
			vals[i] = v
		}
		return daily(vals...)
	}
	tests := []struct {
		name      string
		hist      []Sample
		value     float64
		judged    bool
		anomalous bool
	}{
		{"nothing is raised during warm-up", constant(13, 100), 1, false, false},
		{"a constant series does not alarm on a one-row wobble", constant(30, 4720), 4721, true, false},
		{"a constant series alarms on a halving", constant(30, 4720), 2360, true, true},
		{"an anomaly stored earlier does not train the band", append(constant(20, 100),
			Sample{AsOf: start.AddDate(0, 0, 20), Value: 100000, Anomalous: true}), 100000, true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			at := start.AddDate(0, 0, len(tc.hist))
			v := Judge(tc.hist, at, tc.value, DefaultSettings())
			if v.Judged != tc.judged || v.Anomalous != tc.anomalous {
				t.Fatalf("Judge(%v) = judged %v anomalous %v (expected %.1f in [%.1f, %.1f]); want judged %v anomalous %v",
					tc.value, v.Judged, v.Anomalous, v.Expected, v.Low, v.High, tc.judged, tc.anomalous)
			}
		})
	}
}
