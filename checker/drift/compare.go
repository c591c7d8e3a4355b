// Package drift compares a batch's profile with a baseline profile and
// decides, column by column, whether the data still means the same:
// structure (DRIFT_SCHEMA), numeric distributions (DRIFT_DISTRIBUTION),
// categories (DRIFT_CATEGORIES), null rates (DRIFT_NULL_RATE), value
// shapes (DRIFT_FORMAT) and the row count (DRIFT_ROW_COUNT).
//
// Effect sizes decide (normalised Wasserstein distance, PSI, Jensen-Shannon
// distance, null-rate change); p-values only guard small samples, and they
// are adjusted across every test of the run with Benjamini-Hochberg so that
// many columns tested at once do not raise false alarms by chance. The
// package does no I/O: profiles in, findings out.
package drift

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	tdigest "github.com/caio/go-tdigest/v4"

	"github.com/driftgate/driftgate/checker/profile"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
)

// Result is the outcome of one comparison.
type Result struct {
	Findings []report.Finding
	Checks   []report.Check
	Columns  []report.ColumnDrift
}

// maxCategorical is the most distinct values a numeric column may have to
// be compared as categories (Evidently uses 5; exact tables allow more).
const maxCategorical = 20

// judgement is one rule's verdict on one column, waiting for the
// Benjamini-Hochberg adjustment of its guarding p-value.
type judgement struct {
	col     int // index into Result.Columns; -1 for the schema object
	rule    *rules.Rule
	tests   []int // indices of the effect tests in the column's Tests
	guard   int   // index of the test holding the p-value, -1 for none
	p       float64
	q       float64
	effect  bool
	cfg     ColumnConfig
	count   int64
	message func() string
	expect  string
	actual  string
}

type comparer struct {
	cfg    Config
	res    *Result
	judges []*judgement
	// rowTests holds the row-count test, which belongs to no column.
	rowTest *report.DriftTest
}

// Compare compares current with baseline. Both profiles must be of the
// same schema object; the caller checks contract ids.
func Compare(baseline, current *profile.Profile, cfg Config) (*Result, error) {
	c := &comparer{cfg: cfg, res: &Result{Findings: []report.Finding{}, Checks: []report.Check{}, Columns: []report.ColumnDrift{}}}
	c.rowCount(baseline, current)
	c.check(rules.DriftSchema, "")
	seen := map[string]bool{}
	for i := range baseline.Columns {
		b := &baseline.Columns[i]
		seen[b.Name] = true
		cur, _ := current.Column(b.Name)
		if err := c.column(b, cur); err != nil {
			return nil, err
		}
	}
	for i := range current.Columns {
		cur := &current.Columns[i]
		if !seen[cur.Name] {
			if err := c.column(nil, cur); err != nil {
				return nil, err
			}
		}
	}
	c.decide()
	describe(c.res)
	return c.res, nil
}

func (c *comparer) check(rule *rules.Rule, column string) {
	c.res.Checks = append(c.res.Checks, rule.Check(c.cfg.Schema, column))
}

func (c *comparer) finding(cc ColumnConfig, rule *rules.Rule, column, msg, expected, actual string, count int64) {
	c.res.Findings = append(c.res.Findings, rule.Finding(report.Finding{
		Severity: cc.Severity, Schema: c.cfg.Schema, Column: column,
		Message: msg, Expected: expected, Actual: actual, Count: count, Examples: []report.Example{}, Location: cc.Location,
	}))
}

// rowCount compares the batch's rows with the baseline's rows per batch.
func (c *comparer) rowCount(b, cur *profile.Profile) {
	cc := c.cfg.Default
	c.check(rules.DriftRowCount, "")
	batches := max(b.Batches, 1)
	expected := float64(b.Rows) / float64(batches)
	if expected == 0 {
		return
	}
	change := (float64(cur.Rows) - expected) / expected
	t := report.DriftTest{Name: "rowCount", Rule: RowCount, Value: round(math.Abs(change)), Threshold: cc.RowCount, Drift: math.Abs(change) >= cc.RowCount}
	c.rowTest = &t
	if !t.Drift {
		return
	}
	per := ""
	if batches > 1 {
		per = fmt.Sprintf(" (baseline: %s rows in %d batches)", groupDigits(strconv.FormatInt(b.Rows, 10)), batches)
	}
	rows := groupDigits(strconv.FormatInt(cur.Rows, 10))
	c.finding(cc, rules.DriftRowCount, "", fmt.Sprintf("rows %s → %s (%s)%s; threshold ±%s", num(expected), rows, signedPct(change), per, pct(cc.RowCount)),
		fmt.Sprintf("about %s rows (±%s)", num(expected), pct(cc.RowCount)), rows+" rows", cur.Rows)
}

// column compares one column; b or cur is nil when the column was added
// or removed.
func (c *comparer) column(b, cur *profile.Column) error {
	name, kind := "", profile.Other
	if b != nil {
		name, kind = b.Name, b.Kind
	} else {
		name, kind = cur.Name, cur.Kind
	}
	cc := c.cfg.For(name)
	cd := report.ColumnDrift{Schema: c.cfg.Schema, Column: name, Kind: string(kind), Status: "stable", Tests: []report.DriftTest{}}
	if b != nil {
		cd.Baseline = stats(b)
	}
	if cur != nil {
		cd.Current = stats(cur)
	}
	cd.Unit = unit(b, cur)
	idx := len(c.res.Columns)
	switch {
	case cc.Exclude:
		cd.Status, cd.Note = "excluded", "excluded from drift checks"
		c.res.Columns = append(c.res.Columns, cd)
		return nil
	case cur == nil:
		cd.Status = "removed"
		c.res.Columns = append(c.res.Columns, cd)
		c.finding(cc, rules.DriftSchema, name, fmt.Sprintf("column %q was removed since the baseline (it was %s)", name, b.Type), b.Type, "absent", 0)
		return nil
	case b == nil:
		cd.Status = "added"
		c.res.Columns = append(c.res.Columns, cd)
		c.finding(cc, rules.DriftSchema, name, fmt.Sprintf("column %q was added since the baseline (%s)", name, cur.Type), "absent", cur.Type, cur.Rows)
		return nil
	case b.Kind != cur.Kind:
		cd.Status, cd.Note = "retyped", "not compared: the type changed"
		c.res.Columns = append(c.res.Columns, cd)
		c.finding(cc, rules.DriftSchema, name, fmt.Sprintf("column %q changed type since the baseline: %s → %s", name, b.Type, cur.Type), b.Type, cur.Type, cur.Rows)
		return nil
	case b.Type != cur.Type:
		// Same kind (int32 → int64): reported, and still compared.
		cd.Status = "retyped"
		c.finding(cc, rules.DriftSchema, name, fmt.Sprintf("column %q changed type since the baseline: %s → %s", name, b.Type, cur.Type), b.Type, cur.Type, cur.Rows)
	}
	c.res.Columns = append(c.res.Columns, cd)
	col := &c.res.Columns[idx]

	c.nullRate(idx, col, b, cur, cc)
	switch {
	case b.Private || cur.Private:
		// The profiles hold no values of a private column: its values'
		// distribution is not compared, and the report says so rather than
		// passing it.
		col.Note = "values not compared: the column is private (classified personal or restricted); null rate and shapes only"
		chk := rules.DriftDistribution.Check(c.cfg.Schema, name)
		chk.Status = report.CheckSkipped
		c.res.Checks = append(c.res.Checks, chk)
	case categorical(b, cur):
		if err := c.categories(idx, col, b, cur, cc); err != nil {
			return err
		}
	case b.Numeric != nil && cur.Numeric != nil && (kind == profile.Numeric || cc.Temporal):
		if err := c.distribution(idx, col, b, cur, cc); err != nil {
			return err
		}
	case kind == profile.Temporal:
		col.Note = "distribution not tested: dates move with time (set driftgate.drift.temporal: true to test)"
		c.chartNumeric(col, b, cur)
	}
	c.format(idx, col, b, cur, cc)
	return nil
}

func unit(b, cur *profile.Column) string {
	t := ""
	if b != nil {
		t = b.Type
	} else if cur != nil {
		t = cur.Type
	}
	switch {
	case strings.HasPrefix(t, "date"):
		return "days"
	case strings.HasPrefix(t, "timestamp"), strings.HasPrefix(t, "time"):
		return "seconds"
	}
	return ""
}

// categorical says the column is compared as categories: strings and
// booleans whose baseline lists every value, and numbers with few exact
// values.
func categorical(b, cur *profile.Column) bool {
	if b.Values == nil || cur.Values == nil || !b.Values.Exact {
		return false
	}
	switch b.Kind {
	case profile.String, profile.Boolean:
		return true
	case profile.Numeric:
		return cur.Values.Exact && len(b.Values.Items) <= maxCategorical
	}
	return false
}

func (c *comparer) judge(j *judgement) { c.judges = append(c.judges, j) }

func (c *comparer) nullRate(idx int, col *report.ColumnDrift, b, cur *profile.Column, cc ColumnConfig) {
	if b.Rows == 0 || cur.Rows == 0 {
		return
	}
	c.check(rules.DriftNullRate, col.Column)
	rb, rc := b.NullRate(), cur.NullRate()
	p := twoProportionP(b.Nulls, b.Rows, cur.Nulls, cur.Rows)
	col.Tests = append(col.Tests, report.DriftTest{Name: "nullRate", Rule: NullRate, Value: round(math.Abs(rc - rb)), Threshold: cc.NullRate, PValue: ptr(p)})
	ti := len(col.Tests) - 1
	c.judge(&judgement{col: idx, rule: rules.DriftNullRate, tests: []int{ti}, guard: ti, p: p, effect: math.Abs(rc-rb) >= cc.NullRate, cfg: cc, count: cur.Nulls,
		expect: fmt.Sprintf("null rate %s (±%s)", pct(rb), points(cc.NullRate)), actual: "null rate " + pct(rc),
		message: func() string {
			return fmt.Sprintf("column %q: nulls %s → %s (%s); threshold %s, %s", col.Column, pct(rb), pct(rc), signedPoints(rc-rb), points(cc.NullRate), pText(p))
		}})
}

// distribution compares numeric (or opted-in temporal) columns.
func (c *comparer) distribution(idx int, col *report.ColumnDrift, b, cur *profile.Column, cc ColumnConfig) error {
	bn, cn := b.Numeric, cur.Numeric
	c.chartNumeric(col, b, cur)
	if bn.Count < cc.MinRows || cn.Count < cc.MinRows {
		col.Note = fmt.Sprintf("distribution not tested: %s baseline and %s current values, fewer than %s", count(bn.Count), count(cn.Count), count(int64(cc.MinRows)))
		return nil
	}
	c.check(rules.DriftDistribution, col.Column)
	bd, err := digest(bn, "baseline", col.Column)
	if err != nil {
		return err
	}
	cd, err := digest(cn, "current", col.Column)
	if err != nil {
		return err
	}
	const grid = 200
	qb, qc := make([]float64, grid), make([]float64, grid)
	for i := range qb {
		u := (float64(i) + 0.5) / grid
		qb[i] = clampTo(bd.Quantile(u), bn.Min, bn.Max)
		qc[i] = clampTo(cd.Quantile(u), cn.Min, cn.Max)
	}
	// Wasserstein-1 is the area between the quantile functions.
	w := 0.0
	for i := range qb {
		w += math.Abs(qb[i]-qc[i]) / grid
	}
	denom := bn.StdDev
	if denom == 0 {
		denom = math.Max(cn.StdDev, 1e-9*math.Max(1, math.Abs(bn.Mean)))
	}
	nw := w / denom
	// Kolmogorov-Smirnov over both sketches' quantiles.
	cdfB := func(x float64) float64 { return cdf(bd, bn, x) }
	cdfC := func(x float64) float64 { return cdf(cd, cn, x) }
	d := 0.0
	for _, x := range append(append(append([]float64{}, qb...), qc...), bn.Min, bn.Max, cn.Min, cn.Max) {
		d = math.Max(d, math.Abs(cdfB(x)-cdfC(x)))
	}
	p := ksPValue(d, bn.Count, cn.Count)
	// PSI on baseline deciles.
	var edges []float64
	for k := 1; k < 10; k++ {
		e := clampTo(bd.Quantile(float64(k)/10), bn.Min, bn.Max)
		if len(edges) == 0 || e > edges[len(edges)-1] {
			edges = append(edges, e)
		}
	}
	psi, prevB, prevC := 0.0, 0.0, 0.0
	for k := 0; k <= len(edges); k++ {
		fb, fc := 1.0, 1.0
		if k < len(edges) {
			fb, fc = cdfB(edges[k]), cdfC(edges[k])
		}
		sb, sc := math.Max(fb-prevB, 1e-4), math.Max(fc-prevC, 1e-4)
		psi += (sc - sb) * math.Log(sc/sb)
		prevB, prevC = fb, fc
	}
	col.Tests = append(col.Tests,
		report.DriftTest{Name: "wasserstein", Rule: Distribution, Value: round(nw), Threshold: cc.Wasserstein},
		report.DriftTest{Name: "psi", Rule: Distribution, Value: round(psi), Threshold: cc.PSI},
		report.DriftTest{Name: "ks", Rule: Distribution, Value: round(d), PValue: ptr(p)},
	)
	n := len(col.Tests)
	u := col.Unit
	c.judge(&judgement{col: idx, rule: rules.DriftDistribution, tests: []int{n - 3, n - 2}, guard: n - 1, p: p,
		effect: nw >= cc.Wasserstein || psi >= cc.PSI, cfg: cc, count: cn.Count,
		expect: fmt.Sprintf("normalised Wasserstein < %s and PSI < %s", num(cc.Wasserstein), num(cc.PSI)),
		actual: fmt.Sprintf("normalised Wasserstein %s, PSI %s", num(nw), num(psi)),
		message: func() string {
			return fmt.Sprintf("column %q: mean %s → %s%s, std %s → %s%s, median %s → %s; normalised Wasserstein %s (threshold %s), PSI %s (threshold %s), KS D %s, %s",
				col.Column, value(bn.Mean, u), value(cn.Mean, u), change(bn.Mean, cn.Mean), spread(bn.StdDev, u), spread(cn.StdDev, u), change(bn.StdDev, cn.StdDev),
				value(median(bn), u), value(median(cn), u), num(nw), num(cc.Wasserstein), num(psi), num(cc.PSI), num(d), pText(p))
		}})
	return nil
}

func median(n *profile.NumericStats) float64 {
	if len(n.Quantiles) == len(profile.QuantileLevels()) {
		return n.Quantiles[3]
	}
	return n.Mean
}

func digest(n *profile.NumericStats, side, column string) (*tdigest.TDigest, error) {
	d, err := tdigest.FromBytes(bytesReader(n.TDigest))
	if err != nil {
		return nil, fmt.Errorf("column %q: %s sketch: %w", column, side, err)
	}
	return d, nil
}

// cdf is the sketch's CDF, exact outside the observed range.
func cdf(d *tdigest.TDigest, n *profile.NumericStats, x float64) float64 {
	switch {
	case n.Count == 0 || x < n.Min:
		return 0
	case x >= n.Max:
		return 1
	}
	return clamp01(d.CDF(x))
}

// categories compares value frequencies.
func (c *comparer) categories(idx int, col *report.ColumnDrift, b, cur *profile.Column, cc ColumnConfig) error {
	bv, cv := b.Values, cur.Values
	labels, a, bc := vectors(bv, cv)
	col.Chart = bars(labels, a, bc)
	if bv.Total < cc.MinRows || cv.Total < cc.MinRows {
		col.Note = fmt.Sprintf("categories not tested: %s baseline and %s current values, fewer than %s", count(bv.Total), count(cv.Total), count(int64(cc.MinRows)))
		return nil
	}
	c.check(rules.DriftCategories, col.Column)
	js := jensenShannon(a, bc)
	chi, _, p := chiSquareHomogeneity(a, bc)
	// New values: listed now, absent from a baseline that lists every
	// value.
	var newVals []profile.ValueCount
	var newCount int64
	for _, it := range cv.Items {
		if !has(bv, it.Value) {
			newVals = append(newVals, it)
			newCount += it.Count
		}
	}
	newShare := float64(newCount) / float64(cv.Total)
	// Vanished values: frequent in the baseline, absent now, where the
	// absence is significant: P(no occurrence) = (1-share)^n <= alpha.
	var gone []profile.ValueCount
	var goneCount int64
	for _, it := range bv.Items {
		share := float64(it.Count) / float64(bv.Total)
		if has(cv, it.Value) || share < cc.NewValues {
			continue
		}
		if cv.MaxError > 0 && float64(cv.MaxError)/float64(cv.Total) >= share/4 {
			continue // it may hide under the current summary's error
		}
		if math.Pow(1-share, float64(cv.Total)) > cc.Alpha {
			continue
		}
		gone = append(gone, it)
		goneCount += it.Count
	}
	goneShare := float64(goneCount) / float64(bv.Total)
	col.Tests = append(col.Tests,
		report.DriftTest{Name: "jensenShannon", Rule: Categories, Value: round(js), Threshold: cc.JensenShannon},
		report.DriftTest{Name: "newValues", Rule: Categories, Value: round(newShare), Threshold: cc.NewValues},
		report.DriftTest{Name: "vanishedValues", Rule: Categories, Value: round(goneShare), Threshold: cc.NewValues},
		report.DriftTest{Name: "chiSquare", Rule: Categories, Value: round(chi), PValue: ptr(p)},
	)
	n := len(col.Tests)
	c.judge(&judgement{col: idx, rule: rules.DriftCategories, tests: []int{n - 4, n - 3, n - 2}, guard: n - 1, p: p,
		effect: js >= cc.JensenShannon || (len(newVals) > 0 && newShare >= cc.NewValues) || (len(gone) > 0 && goneShare >= cc.NewValues),
		cfg:    cc, count: newCount,
		expect: fmt.Sprintf("Jensen-Shannon < %s, new and vanished values < %s", num(cc.JensenShannon), pct(cc.NewValues)),
		actual: fmt.Sprintf("Jensen-Shannon %s, new %s, vanished %s", num(js), pct(newShare), pct(goneShare)),
		message: func() string {
			var parts []string
			if len(newVals) > 0 {
				total := ""
				if len(newVals) > 1 {
					total = fmt.Sprintf(", together %s of values", pct(newShare))
				}
				parts = append(parts, fmt.Sprintf("new values: %s%s", valueList(newVals, cv.Total, false), total))
			}
			if len(gone) > 0 {
				parts = append(parts, fmt.Sprintf("vanished values: %s", valueList(gone, bv.Total, true)))
			}
			if moved := topMoves(labels, a, bc, 3); moved != "" {
				parts = append(parts, moved)
			}
			return fmt.Sprintf("column %q: %s; Jensen-Shannon %s (threshold %s), chi-square %s", col.Column, strings.Join(parts, "; "), num(js), num(cc.JensenShannon), pText(p))
		}})
	return nil
}

// format compares value shapes.
func (c *comparer) format(idx int, col *report.ColumnDrift, b, cur *profile.Column, cc ColumnConfig) {
	bs, cs := b.Shapes, cur.Shapes
	if bs == nil || cs == nil || bs.Total < cc.MinRows || cs.Total < cc.MinRows {
		return
	}
	c.check(rules.DriftFormat, col.Column)
	labels, a, bc := vectors(bs, cs)
	js := jensenShannon(a, bc)
	_, _, p := chiSquareHomogeneity(a, bc)
	col.Tests = append(col.Tests,
		report.DriftTest{Name: "shapes", Rule: Format, Value: round(js), Threshold: cc.Format, PValue: ptr(p)})
	ti := len(col.Tests) - 1
	if col.Chart == nil && b.Kind == profile.String && !categorical(b, cur) {
		col.Chart = bars(labels, a, bc)
	}
	invalid := ""
	if cur.Invalid > 0 {
		invalid = fmt.Sprintf("; %s values no longer parse as %s", count(cur.Invalid), cur.Type)
	}
	c.judge(&judgement{col: idx, rule: rules.DriftFormat, tests: []int{ti}, guard: ti, p: p, effect: js >= cc.Format, cfg: cc, count: cs.Total,
		expect: fmt.Sprintf("shape Jensen-Shannon < %s", num(cc.Format)), actual: fmt.Sprintf("shape Jensen-Shannon %s", num(js)),
		message: func() string {
			return fmt.Sprintf("column %q: value shapes changed: %s%s; Jensen-Shannon %s (threshold %s), %s", col.Column, topMoves(labels, a, bc, 2), invalid, num(js), num(cc.Format), pText(p))
		}})
}

// decide adjusts every guarding p-value with Benjamini-Hochberg, then
// turns the judgements into findings.
func (c *comparer) decide() {
	var ps []float64
	var guarded []*judgement
	for _, j := range c.judges {
		if j.guard >= 0 {
			ps = append(ps, j.p)
			guarded = append(guarded, j)
		}
	}
	qs := benjaminiHochberg(ps)
	for i, j := range guarded {
		j.q = qs[i]
	}
	for _, j := range c.judges {
		col := &c.res.Columns[j.col]
		significant := j.guard < 0 || j.q <= j.cfg.Alpha
		if j.guard >= 0 {
			col.Tests[j.guard].QValue = ptr(j.q)
		}
		drift := j.effect && significant
		for _, ti := range j.tests {
			t := &col.Tests[ti]
			t.Drift = drift && t.Value >= t.Threshold && t.Threshold > 0
		}
		if j.guard >= 0 {
			col.Tests[j.guard].Drift = drift
		}
		if !drift {
			continue
		}
		col.Status = "drift"
		c.finding(j.cfg, j.rule, col.Column, j.message(), j.expect, j.actual, j.count)
	}
	for i := range c.res.Columns {
		if c.res.Columns[i].Status == "retyped" {
			c.res.Columns[i].Status = "drift"
			if c.res.Columns[i].Note == "" {
				c.res.Columns[i].Note = "type changed"
			}
		}
	}
	sort.SliceStable(c.res.Findings, func(a, b int) bool { return c.res.Findings[a].Column < c.res.Findings[b].Column })
}

// vectors aligns two value summaries: labels ordered by baseline then
// current frequency, with an "(other)" bucket for what neither lists.
func vectors(b, c *profile.Values) ([]string, []float64, []float64) {
	var labels []string
	seen := map[string]bool{}
	for _, it := range b.Items {
		labels = append(labels, it.Value)
		seen[it.Value] = true
	}
	for _, it := range c.Items {
		if !seen[it.Value] {
			labels = append(labels, it.Value)
			seen[it.Value] = true
		}
	}
	a, bc := make([]float64, len(labels)), make([]float64, len(labels))
	var sa, sb float64
	for i, l := range labels {
		a[i], bc[i] = float64(b.Count(l)), float64(c.Count(l))
		sa += a[i]
		sb += bc[i]
	}
	if oa, ob := float64(b.Total)-sa, float64(c.Total)-sb; oa > 0.5 || ob > 0.5 {
		labels = append(labels, "(other)")
		a, bc = append(a, math.Max(oa, 0)), append(bc, math.Max(ob, 0))
	}
	return labels, a, bc
}

func has(v *profile.Values, value string) bool {
	for _, it := range v.Items {
		if it.Value == value {
			return true
		}
	}
	return false
}

func ptr(f float64) *float64 {
	f = round(f)
	return &f
}

// round keeps reports readable and deterministic across platforms: 6
// significant digits.
func round(f float64) float64 {
	if f == 0 || math.IsNaN(f) || math.IsInf(f, 0) {
		if math.IsInf(f, 1) {
			return math.MaxFloat64
		}
		return 0
	}
	mag := math.Pow(10, 5-math.Floor(math.Log10(math.Abs(f))))
	if math.IsInf(mag, 0) || mag == 0 {
		return f
	}
	return math.Round(f*mag) / mag
}

func clampTo(x, lo, hi float64) float64 {
	if math.IsNaN(x) {
		return lo
	}
	return math.Max(lo, math.Min(hi, x))
}
