package checker

import (
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/checker/source"
)

// proven takes out of cols the columns of a Parquet file whose footer
// statistics prove that every rule on them passes, and counts their rows
// as seen, so that a full check does not decode them. It is the one place
// a full check relies on statistics, and it relies on them only as far as
// --metadata-only does: the writer must be one whose statistics are
// trusted (trustedWriters) or the run says --trust-statistics.
//
// A proof must stand in for every row, so a column is proven only when
// nothing about it needs its values: no uniqueness, composite key, SLA,
// nested rule, missingValues or invalidValues list; no rule but those
// whose observers are rules.Provers (ranges) and the null-count rules
// (required with a null count of 0, the nullValues metric from the
// count); and every statistic those need stated for every row group. Any
// doubt and the column is decoded and checked value by value as before.
func (r *run) proven(rd source.Reader, cols []*column, in *report.Input) []*column {
	createdBy, stats, ok := source.Statistics(rd)
	if !ok || !r.opts.TrustStatistics && !trustedWriters.MatchString(createdBy) {
		return cols
	}
	needed := r.valueColumns()
	keep := cols[:0:0]
	for _, c := range cols {
		cs := stats[c.name]
		if cs == nil || needed[c.name] || !provable(c, cs) {
			keep = append(keep, c)
			continue
		}
		c.present = true
		c.rows += rd.NumRows()
		c.nullRows += cs.NullCount
		in.ProvenByStatistics = append(in.ProvenByStatistics, c.name)
	}
	return keep
}

// valueColumns are the columns whose values something beside the
// column's own rules needs: composite keys, SLAs and nested rules.
func (r *run) valueColumns() map[string]bool {
	out := map[string]bool{}
	for _, k := range r.plan.keys {
		for _, name := range k.cols {
			out[name] = true
		}
	}
	for _, s := range r.sla {
		out[s.column] = true
	}
	for name, fields := range r.plan.nested {
		if len(fields) > 0 {
			out[name] = true
		}
	}
	return out
}

// provable says the statistics decide every rule of the column.
func provable(c *column, cs *source.ColumnStats) bool {
	p := c.prop
	if !cs.HasNullCount || c.unique != nil || !c.missing.empty() || len(c.invalidRules) > 0 || len(c.missingRules) > 0 ||
		p.Required && cs.NullCount > 0 {
		return false
	}
	for i := range p.Quality {
		if q := &p.Quality[i]; q.Type != "library" || q.Metric != "nullValues" && q.Metric != "rowCount" {
			return false
		}
	}
	f := &rules.Footer{IsTime: cs.IsTime, Min: cs.Min, Max: cs.Max, Float: cs.Float}
	if cs.IsTime {
		f.Min, f.Max = float64(cs.MinTime.UnixNano()), float64(cs.MaxTime.UnixNano())
	}
	for _, ob := range c.obs {
		pr, ok := ob.o.(rules.Prover)
		if !ok || !cs.HasMinMax || !pr.Proves(f) {
			return false
		}
	}
	return true
}
