package checker

import (
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/source"
)

// The place functions give the examples a batch of a text file just
// added the line their row starts on, so that reports point at
// orders.csv:17 as well as at row 16 (a quoted field with line breaks, or a
// blank line, moves the two apart). Each runs in its lane after the lane's
// checks of the batch, which append examples in reading order: the
// examples of this batch are at the end of each tally, and the walk stops
// at the first one that is not.

// placeColumn places the examples of a column and of the fields nested in
// it (their rows are already their records').
func (p *plan) placeColumn(path string, b source.Batch, c *column) {
	if !b.Lines.Known() {
		return
	}
	for _, t := range c.tallies() {
		placeLines(path, b, t.Examples)
	}
	walkNested(p.nested[c.name], func(f *nestedField) {
		for _, t := range f.col.tallies() {
			placeLines(path, b, t.Examples)
		}
	})
}

// place places the example of an SLA check.
func (s *slaCheck) place(path string, b source.Batch) {
	if !b.Lines.Known() {
		return
	}
	ex := []report.Example{s.first}
	placeLines(path, b, ex)
	s.first = ex[0]
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
