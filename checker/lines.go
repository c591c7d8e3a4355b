package checker

import (
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/source"
)

// placeExamples gives the examples a batch of a text file just added the
// line their row starts on, so that reports point at orders.csv:17 as well
// as at row 16 (a quoted field with line breaks, or a blank line, moves
// the two apart). It runs after the batch's checks, which append examples
// in reading order: the examples of this batch are at the end of each
// tally, and the walk stops at the first one that is not.
func (r *run) placeExamples(path string, b source.Batch, cols []*column) {
	if !b.Lines.Known() {
		return
	}
	place := func(t *tally) { placeLines(path, b, t.Examples) }
	for _, c := range cols {
		place(&c.nulls)
		place(&c.typeErrs)
		place(&c.dups)
		for _, ob := range c.obs {
			for i := range ob.t {
				place(&ob.t[i])
			}
		}
		for _, q := range c.invalidRules {
			place(&q.t)
		}
		for _, q := range c.missingRules {
			place(&q.t)
		}
	}
	for _, c := range cols {
		// Fields inside the column: their rows are already their records'.
		walkNested(r.plan.nested[c.name], func(f *nestedField) {
			for _, t := range f.col.tallies() {
				place(t)
			}
		})
	}
	for _, k := range r.plan.keys {
		place(&k.dups)
	}
	for _, s := range r.sla {
		ex := []report.Example{s.first}
		placeLines(path, b, ex)
		s.first = ex[0]
	}
}

// placeLines sets Line on the trailing examples of path that fall in b.
func placeLines(path string, b source.Batch, ex []report.Example) {
	for i := len(ex) - 1; i >= 0; i-- {
		e := &ex[i]
		if e.File != path || e.Line != 0 {
			return
		}
		line := b.Line(e.Row)
		if line == 0 {
			return
		}
		e.Line = line
	}
}
