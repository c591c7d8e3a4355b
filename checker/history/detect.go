package history

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// Sample is one stored value of a metric at a logical time.
type Sample struct {
	AsOf  time.Time
	Value float64
	// Anomalous marks a value that was judged an anomaly when it was
	// stored. Such values never train the expectation of later ones, so
	// an outage is not learned as normal.
	Anomalous bool
}

// Direction says which deviations count as anomalies.
type Direction int

// The directions. A null rate that falls or data that arrives earlier than
// usual is good news, so those metrics look up only.
const (
	Both Direction = iota
	UpOnly
	DownOnly
)

// Settings tune the detector for one metric. The zero value is not usable:
// start from DefaultSettings.
type Settings struct {
	// Warmup is the number of earlier (non-anomalous) points needed before
	// any verdict; until then nothing is raised.
	Warmup int
	// Sensitivity is how many robust standard deviations (1.4826 × MAD
	// of the residuals) a value may lie from its expectation.
	Sensitivity float64
	// MinRelChange is the smallest relative deviation from the
	// expectation that can be an anomaly, so a nearly constant series
	// does not alarm on a one-row wobble.
	MinRelChange float64
	// MinAbsChange is the smallest absolute deviation that can be an
	// anomaly (for rates near zero, where a relative bound says nothing).
	MinAbsChange float64
	// Window is how far back training points are taken.
	Window time.Duration
	// Direction limits the deviations that count.
	Direction Direction
}

// DefaultSettings are the documented defaults: 14 points of warm-up,
// 4 robust standard deviations, at least a 10% change, 8 weeks of history.
func DefaultSettings() Settings {
	return Settings{
		Warmup:       14,
		Sensitivity:  4,
		MinRelChange: 0.10,
		Window:       56 * 24 * time.Hour,
		Direction:    Both,
	}
}

// Expectation is what the history predicts for a value, and why.
type Expectation struct {
	// Expected is the predicted value; Low and High bound the values that
	// are not anomalies.
	Expected, Low, High float64
	// Seasonal says the prediction compares with the same weekday.
	Seasonal bool
	// Points is the number of training points used; Basis says in words
	// what the expectation rests on, for the finding's message.
	Points int
	Basis  string
}

// Verdict is the judgement of one value.
type Verdict struct {
	// Judged is false during warm-up: there was too little history.
	Judged    bool
	Anomalous bool
	Expectation
}

const day = 24 * time.Hour

// Judge compares value, observed at asOf, with the earlier points of its
// series.
//
// The method is a robust seasonal decomposition over the training window:
// a Theil–Sen trend through the points, weekday effects as medians of the
// detrended values (used only once the window spans three weeks and holds
// at least three points of the same weekday, and only when they explain
// the series better than no season), and a scale from the median absolute
// deviation of what is left. Medians and Theil–Sen ignore up to about a
// third of outliers, so one bad day in the window does not widen the band,
// and the points judged anomalous are left out altogether.
func Judge(history []Sample, asOf time.Time, value float64, s Settings) Verdict {
	var train []Sample
	for _, h := range history {
		if h.Anomalous || !h.AsOf.Before(asOf) || (s.Window > 0 && asOf.Sub(h.AsOf) > s.Window) {
			continue
		}
		if math.IsNaN(h.Value) || math.IsInf(h.Value, 0) {
			continue
		}
		train = append(train, h)
	}
	if len(train) < max(s.Warmup, 3) {
		return Verdict{}
	}
	slices.SortFunc(train, func(a, b Sample) int { return a.AsOf.Compare(b.AsOf) })
	e := expect(train, asOf, s)
	v := Verdict{Judged: true, Expectation: e}
	switch {
	case math.IsNaN(value):
		v.Anomalous = false
	case value > e.High:
		v.Anomalous = s.Direction != DownOnly
	case value < e.Low:
		v.Anomalous = s.Direction != UpOnly
	}
	return v
}

// expect fits the decomposition to train (sorted, non-empty) and predicts
// the value at asOf.
func expect(train []Sample, asOf time.Time, s Settings) Expectation {
	t0 := train[0].AsOf
	x := func(t time.Time) float64 { return t.Sub(t0).Hours() / 24 }
	xs := make([]float64, len(train))
	ys := make([]float64, len(train))
	for i, p := range train {
		xs[i], ys[i] = x(p.AsOf), p.Value
	}
	slope, intercept := theilSen(xs, ys)
	detrended := make([]float64, len(ys))
	for i := range ys {
		detrended[i] = ys[i] - (intercept + slope*xs[i])
	}
	plainScale := robustScale(detrended)

	// Weekday effects: medians of the detrended values per weekday.
	wd := asOf.Weekday()
	span := train[len(train)-1].AsOf.Sub(t0)
	var byDay [7][]float64
	for i, p := range train {
		byDay[p.AsOf.Weekday()] = append(byDay[p.AsOf.Weekday()], detrended[i])
	}
	var resid []float64
	for d := range byDay {
		resid = append(resid, leaveOneOut(byDay[d])...)
	}
	seasonScale := robustScale(resid)
	// A season must explain the series clearly better than none, judged
	// by the mean absolute residual (the median absolute deviation would
	// treat the weekends themselves as outliers and miss the season) and
	// out of sample (each point against the median of the other points of
	// its weekday: in-sample medians of three points fit noise).
	var e Expectation
	trend := intercept + slope*x(asOf)
	switch {
	case span >= 20*day && len(byDay[wd]) >= 3 && len(resid) > 0 && meanAbs(resid) < 0.8*meanAbs(detrended):
		e = band(trend+median(byDay[wd]), seasonScale, s)
		e.Seasonal = true
		e.Basis = fmt.Sprintf("%d %ss and %d points in all", len(byDay[wd]), wd, len(train))
	case span < 20*day && len(byDay[wd]) >= 1:
		// Too short to tell a weekly season from noise: a value is an
		// anomaly only if it is one both against every day and against
		// the same weekdays, so the first weekends are not alarms.
		plain := band(trend, plainScale, s)
		same := band(trend+median(byDay[wd]), plainScale, s)
		e = plain
		e.Low, e.High = min(plain.Low, same.Low), max(plain.High, same.High)
		e.Basis = fmt.Sprintf("the last %d points", len(train))
	default:
		e = band(trend, plainScale, s)
		e.Basis = fmt.Sprintf("the last %d points", len(train))
	}
	e.Points = len(train)
	return e
}

// band is the expectation expected ± the larger of Sensitivity robust
// standard deviations and the minimum changes.
func band(expected, scale float64, s Settings) Expectation {
	half := max(s.Sensitivity*scale, s.MinRelChange*math.Abs(expected), s.MinAbsChange)
	return Expectation{Expected: expected, Low: expected - half, High: expected + half}
}

// meanAbs is the mean absolute value of v.
func meanAbs(v []float64) float64 {
	sum := 0.0
	for _, x := range v {
		sum += math.Abs(x)
	}
	return sum / float64(max(len(v), 1))
}

// leaveOneOut returns each value's distance from the median of the others
// (none for fewer than three values, whose medians say nothing).
func leaveOneOut(v []float64) []float64 {
	if len(v) < 3 {
		return nil
	}
	out := make([]float64, len(v))
	rest := make([]float64, 0, len(v)-1)
	for i := range v {
		rest = append(append(rest[:0], v[:i]...), v[i+1:]...)
		out[i] = v[i] - median(rest)
	}
	return out
}

// theilSen returns the Theil–Sen line through (xs, ys): the median of the
// pairwise slopes, and the median intercept for that slope.
func theilSen(xs, ys []float64) (slope, intercept float64) {
	var slopes []float64
	for i := range xs {
		for j := i + 1; j < len(xs); j++ {
			if dx := xs[j] - xs[i]; dx != 0 {
				slopes = append(slopes, (ys[j]-ys[i])/dx)
			}
		}
	}
	if len(slopes) > 0 {
		slope = median(slopes)
	}
	icepts := make([]float64, len(xs))
	for i := range xs {
		icepts[i] = ys[i] - slope*xs[i]
	}
	return slope, median(icepts)
}

// robustScale is 1.4826 × the median absolute deviation: the standard
// deviation for normal data, unmoved by a few outliers.
func robustScale(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	m := median(v)
	dev := make([]float64, len(v))
	for i, x := range v {
		dev[i] = math.Abs(x - m)
	}
	return 1.4826 * median(dev)
}

// median returns the median of v without reordering it.
func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
