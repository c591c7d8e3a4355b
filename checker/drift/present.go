package drift

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	tdigest "github.com/caio/go-tdigest/v4"

	"github.com/driftgate/driftgate/checker/profile"
	"github.com/driftgate/driftgate/checker/report"
)

// num writes a number with four significant digits (report.Number).
func num(x float64) string { return report.Number(x) }

// groupDigits puts thousands separators into a formatted number.
func groupDigits(s string) string { return report.GroupDigits(s) }

// count writes a count with thousands separators: 1,500.
func count[T int | int64](n T) string { return report.GroupDigits(strconv.FormatInt(int64(n), 10)) }

// exactValue writes a value of the data at its column's precision
// (report.ExactValue).
func exactValue(x float64, unit string) string { return report.ExactValue(x, unit) }

// testDocs explains each drift test in one line, for the reports.
func testDocs() map[string]string {
	return map[string]string{
		"rowCount":       "Relative change of the batch's row count from the baseline's rows per batch.",
		"nullRate":       "Change in the share of nulls, in points, with a two-proportion z-test p-value.",
		"wasserstein":    "Earth mover's distance between the two distributions, divided by the baseline's spread: how far values moved.",
		"psi":            "Population stability index over the baseline's deciles: below 0.1 stable, 0.1-0.25 moderate, above 0.25 a large shift.",
		"ks":             "Kolmogorov-Smirnov D: the largest gap between the two cumulative distributions, with its p-value.",
		"jensenShannon":  "Jensen-Shannon distance between the value shares (0 identical, 1 no value in common).",
		"newValues":      "Share of current values the baseline never saw.",
		"vanishedValues": "Share of baseline values that no longer occur.",
		"chiSquare":      "Chi-square test that the value shares are the same; a small p-value means they differ.",
		"shapes":         "Jensen-Shannon distance between value shapes (9999-99-99, Aa): a format change.",
	}
}

// describe fills each test's one-line explanation.
func describe(r *Result) {
	docs := testDocs()
	for i := range r.Columns {
		for j := range r.Columns[i].Tests {
			t := &r.Columns[i].Tests[j]
			if t.Doc == "" {
				t.Doc = docs[t.Name]
			}
		}
	}
}

// value writes a statistic of a column: a date or timestamp for temporal
// columns, else a number.
func value(x float64, unit string) string {
	switch unit {
	case "days":
		return time.Unix(int64(math.Round(x*86400)), 0).UTC().Format(time.DateOnly)
	case "seconds":
		if x >= 0 && x < 86400*2 {
			return num(x) + "s"
		}
		return time.Unix(int64(math.Round(x)), 0).UTC().Format(time.RFC3339)
	}
	return num(x)
}

// spread writes a standard deviation with its unit.
func spread(x float64, unit string) string {
	switch unit {
	case "days":
		return num(x) + " days"
	case "seconds":
		return num(x) + "s"
	}
	return num(x)
}

// pct writes a share as a percentage: 0.0%, 12.5%, 100%.
func pct(x float64) string { return report.Share(x) }

func signedPct(x float64) string {
	s := strconv.FormatFloat(math.Abs(x)*100, 'f', 0, 64) + "%"
	if x < 0 {
		return "-" + s
	}
	return "+" + s
}

// change writes the relative change from b to c, or nothing when b is 0.
func change(b, c float64) string {
	if b == 0 || math.IsNaN(b) {
		return ""
	}
	return " (" + signedPct((c-b)/math.Abs(b)) + ")"
}

func points(x float64) string {
	return strconv.FormatFloat(x*100, 'f', 1, 64) + " points"
}

func signedPoints(x float64) string {
	s := points(math.Abs(x))
	if x < 0 {
		return "-" + s
	}
	return "+" + s
}

// pText writes a p-value.
func pText(p float64) string {
	if p < 1e-16 {
		return "p < 1e-16"
	}
	return "p = " + strconv.FormatFloat(p, 'g', 2, 64)
}

// valueList quotes up to five values with their share.
func valueList(vs []profile.ValueCount, total int64, was bool) string {
	var parts []string
	for i, v := range vs {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("and %d more", len(vs)-5))
			break
		}
		share := pct(float64(v.Count) / float64(total))
		if was {
			share = "was " + share
		}
		parts = append(parts, fmt.Sprintf("`%s` (%s)", v.Value, share))
	}
	return strings.Join(parts, ", ")
}

// topMoves lists the values whose share moved most: `DE` 40.1% → 20.0%.
func topMoves(labels []string, a, b []float64, n int) string {
	var sa, sb float64
	for i := range a {
		sa += a[i]
		sb += b[i]
	}
	if sa == 0 || sb == 0 {
		return ""
	}
	idx := make([]int, len(labels))
	for i := range idx {
		idx[i] = i
	}
	delta := func(i int) float64 { return math.Abs(b[i]/sb - a[i]/sa) }
	sort.SliceStable(idx, func(x, y int) bool { return delta(idx[x]) > delta(idx[y]) })
	var parts []string
	for _, i := range idx[:min(n, len(idx))] {
		if delta(i) < 0.005 {
			break
		}
		parts = append(parts, fmt.Sprintf("`%s` %s → %s", labels[i], pct(a[i]/sa), pct(b[i]/sb)))
	}
	return strings.Join(parts, ", ")
}

// stats are the numbers a report shows for one side of a column.
func stats(c *profile.Column) report.ColumnStats {
	s := report.ColumnStats{Type: c.Type, Rows: c.Rows, Nulls: c.Nulls, NullRate: round(c.NullRate())}
	if c.Distinct != nil {
		s.Distinct = c.Distinct.Estimate
	}
	if n := c.Numeric; n != nil && n.Count > 0 {
		// Minimum and maximum are values of the data: kept exact, where
		// the estimates (mean, spread, median) are rounded.
		lo, hi := n.Min, n.Max
		s.Min, s.Max, s.Mean, s.StdDev = &lo, &hi, ptr(n.Mean), ptr(n.StdDev)
		s.Median = ptr(median(n))
	}
	if c.Values != nil {
		s.Top = shares(c.Values, 5)
	}
	if c.Shapes != nil {
		s.Shapes = shares(c.Shapes, 3)
	}
	return s
}

func shares(v *profile.Values, n int) []report.ValueShare {
	var out []report.ValueShare
	for _, it := range v.Items[:min(n, len(v.Items))] {
		share := 0.0
		if v.Total > 0 {
			share = float64(it.Count) / float64(v.Total)
		}
		out = append(out, report.ValueShare{Value: it.Value, Count: it.Count, Share: round(share)})
	}
	return out
}

// chartBins is the number of histogram bars per side.
const chartBins = 24

// chartNumeric draws both distributions on common equal-width bins over
// the union of their ranges.
func (c *comparer) chartNumeric(col *report.ColumnDrift, b, cur *profile.Column) {
	bn, cn := b.Numeric, cur.Numeric
	if bn == nil || cn == nil || bn.Count == 0 || cn.Count == 0 {
		return
	}
	bd, err1 := tdigest.FromBytes(bytesReader(bn.TDigest))
	cd, err2 := tdigest.FromBytes(bytesReader(cn.TDigest))
	if err1 != nil || err2 != nil {
		return
	}
	lo, hi := math.Min(bn.Min, cn.Min), math.Max(bn.Max, cn.Max)
	// The axis is labelled with the real smallest and largest values, not
	// with bin edges.
	ch := &report.Chart{Kind: "histogram", Axis: []string{exactValue(lo, col.Unit), exactValue(hi, col.Unit)}}
	if hi <= lo {
		ch.Labels = []string{value(lo, col.Unit)}
		ch.Baseline, ch.Current = []float64{1}, []float64{1}
		col.Chart = ch
		return
	}
	w := (hi - lo) / chartBins
	pb, pc := 0.0, 0.0
	for i := 1; i <= chartBins; i++ {
		e := lo + float64(i)*w
		fb, fc := 1.0, 1.0
		if i < chartBins {
			fb, fc = cdf(bd, bn, e), cdf(cd, cn, e)
		}
		ch.Labels = append(ch.Labels, value(lo+float64(i-1)*w, col.Unit))
		ch.Baseline = append(ch.Baseline, round(math.Max(fb-pb, 0)))
		ch.Current = append(ch.Current, round(math.Max(fc-pc, 0)))
		pb, pc = fb, fc
	}
	col.Chart = ch
}

// bars charts the most frequent values (and the rest as "(other)") as
// shares.
func bars(labels []string, a, b []float64) *report.Chart {
	var sa, sb float64
	for i := range a {
		sa += a[i]
		sb += b[i]
	}
	if sa == 0 {
		sa = 1
	}
	if sb == 0 {
		sb = 1
	}
	idx := make([]int, 0, len(labels))
	other := -1
	for i, l := range labels {
		if l == "(other)" {
			other = i
			continue
		}
		idx = append(idx, i)
	}
	top := func(i int) float64 { return math.Max(a[i]/sa, b[i]/sb) }
	sort.SliceStable(idx, func(x, y int) bool { return top(idx[x]) > top(idx[y]) })
	const maxBars = 10
	ch := &report.Chart{Kind: "bars", Labels: []string{}, Baseline: []float64{}, Current: []float64{}}
	var restA, restB float64
	for k, i := range idx {
		if k >= maxBars {
			restA += a[i]
			restB += b[i]
			continue
		}
		ch.Labels = append(ch.Labels, labels[i])
		ch.Baseline = append(ch.Baseline, round(a[i]/sa))
		ch.Current = append(ch.Current, round(b[i]/sb))
	}
	if other >= 0 {
		restA += a[other]
		restB += b[other]
	}
	if restA > 0 || restB > 0 {
		ch.Labels = append(ch.Labels, "(other)")
		ch.Baseline = append(ch.Baseline, round(restA/sa))
		ch.Current = append(ch.Current, round(restB/sb))
	}
	return ch
}

func bytesReader(b []byte) *bytes.Reader { return bytes.NewReader(b) }
