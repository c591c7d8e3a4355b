package checker

import (
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/checker/source"
)

// Proofs from statistics. A full check of a Parquet file relies on footer
// statistics as far as --metadata-only does, and no further: the writer
// must be one whose statistics are trusted (trustedWriters) or the run says
// --trust-statistics. A column chunk (one column in one row group) whose
// statistics prove that every rule on the column passes for its rows is
// not decoded: its rows and nulls are counted from the statistics, so
// every count and finding is the one decoding it would give.
//
// A proof must stand in for every row of the chunk, so a column is
// provable only when nothing about it needs its values: no uniqueness,
// composite key, SLA, nested rule, missingValues or invalidValues list, no
// tap (a profile) reading it, and no rule but those whose observers are
// rules.Provers (ranges) and the null-count rules (required with a null
// count of 0, the nullValues metric from the count). A chunk is proven
// when its row group states every statistic those need and they decide
// each rule. Any doubt and the chunk is decoded and checked value by value.

// chunkProofs are the chunks of a file's columns that statistics prove,
// for the columns proven in some row groups but not all.
type chunkProofs struct {
	groups []source.RowGroupStats
	// cols marks, per column name, the row groups proven.
	cols map[string][]bool
}

// proven takes out of cols the columns of a Parquet file whose every chunk
// statistics prove, counting their rows as seen, so that they are not
// decoded at all; it returns the rest, and the proofs of the columns
// proven in some row groups only, for skipChunks once the columns to
// decode are selected.
func (r *run) proven(rd source.Reader, cols []*column, in *report.Input) ([]*column, *chunkProofs) {
	createdBy, groups, ok := source.RowGroups(rd)
	if !ok || len(groups) == 0 || !r.opts.TrustStatistics && !trustedWriters.MatchString(createdBy) {
		return cols, nil
	}
	needed := r.valueColumns()
	keep := cols[:0:0]
	partial := &chunkProofs{groups: groups, cols: map[string][]bool{}}
	for _, c := range cols {
		if needed[c.name] || !valueFree(c) {
			keep = append(keep, c)
			continue
		}
		proofs, all, some := make([]bool, len(groups)), true, false
		for rg, g := range groups {
			cs := g.Columns[c.name]
			proofs[rg] = cs != nil && chunkProves(c, cs)
			all, some = all && proofs[rg], some || proofs[rg]
		}
		switch {
		case all:
			partial.count(c, proofs)
			in.ProvenByStatistics = append(in.ProvenByStatistics, c.name)
		case some:
			partial.cols[c.name] = proofs
			keep = append(keep, c)
		default:
			keep = append(keep, c)
		}
	}
	return keep, partial
}

// count adds the rows and nulls of the proven chunks to the column, as
// decoding them would have.
func (p *chunkProofs) count(c *column, proofs []bool) {
	c.present = true
	for rg, proven := range proofs {
		if proven {
			c.rows += p.groups[rg].Rows
			c.nullRows += p.groups[rg].Columns[c.name].NullCount
		}
	}
}

// skipChunks tells the reader not to decode the proven chunks of the
// partly proven columns no tap reads (a tap needs every value), counts
// their rows, and lists them in the report. names are the columns
// selected: the check's own first, as cols.
func (r *run) skipChunks(rd source.Reader, cols []*column, taps *tapping, p *chunkProofs, in *report.Input) error {
	if p == nil || len(p.cols) == 0 {
		return nil
	}
	for _, idx := range taps.cols {
		for _, j := range idx {
			if j < len(cols) {
				delete(p.cols, cols[j].name)
			}
		}
	}
	ok, err := source.SkipChunks(rd, p.cols)
	if err != nil || !ok {
		return err
	}
	for _, c := range cols {
		proofs := p.cols[c.name]
		if proofs == nil {
			continue
		}
		p.count(c, proofs)
		n := 0
		for _, proven := range proofs {
			if proven {
				n++
			}
		}
		in.ProvenRowGroups = append(in.ProvenRowGroups, report.ProvenRowGroups{Column: c.name, Proven: n, RowGroups: len(proofs)})
	}
	return nil
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

// valueFree says every rule of the column is one statistics can decide:
// ranges (rules.Prover) and null counts.
func valueFree(c *column) bool {
	p := c.prop
	if c.unique != nil || !c.missing.empty() || len(c.invalidRules) > 0 || len(c.missingRules) > 0 {
		return false
	}
	for i := range p.Quality {
		if q := &p.Quality[i]; q.Type != "library" || q.Metric != "nullValues" && q.Metric != "rowCount" {
			return false
		}
	}
	for _, ob := range c.obs {
		if _, ok := ob.o.(rules.Prover); !ok {
			return false
		}
	}
	return true
}

// chunkProves says a chunk's statistics decide every rule of a valueFree
// column, and that each passes.
func chunkProves(c *column, cs *source.ColumnStats) bool {
	if !cs.HasNullCount || c.prop.Required && cs.NullCount > 0 {
		return false
	}
	f := &rules.Footer{IsTime: cs.IsTime, Min: cs.Min, Max: cs.Max, Float: cs.Float}
	if cs.IsTime {
		f.Min, f.Max = float64(cs.MinTime.UnixNano()), float64(cs.MaxTime.UnixNano())
	}
	for _, ob := range c.obs {
		if !cs.HasMinMax || !ob.o.(rules.Prover).Proves(f) {
			return false
		}
	}
	return true
}
