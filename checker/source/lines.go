package source

import "sort"

// Lines maps the rows of a batch read from a text file (CSV, JSON) to the
// physical lines of the file they start on, so that a report can point at
// orders.csv:17 as well as at row 16. Lines of a quoted CSV field with
// line breaks, blank lines skipped and a multi-line header all count, as
// an editor counts them. The zero value knows no lines (Parquet, and CSV
// read by the reference reader).
//
// A file without line breaks inside records has one run per batch: row i
// starts on the first row's line plus i. A new run starts only where that
// stops holding, so the map costs one comparison per record.
type Lines struct {
	runs []lineRun
}

// lineRun says that the row at offset off of the batch starts on line,
// and each row after it on the next line, up to the next run.
type lineRun struct {
	off  int
	line int64
}

// At returns the line the row at offset off of the batch starts on, 0 when
// it is not known.
func (l Lines) At(off int64) int64 {
	i := sort.Search(len(l.runs), func(i int) bool { return int64(l.runs[i].off) > off }) - 1
	if i < 0 || off < 0 {
		return 0
	}
	return l.runs[i].line + off - int64(l.runs[i].off)
}

// Known says whether the map knows any line.
func (l Lines) Known() bool { return len(l.runs) > 0 }

// slice returns the map of rows [off, off+n) as a batch of its own.
func (l Lines) slice(off, n int) Lines {
	if !l.Known() || off == 0 && l.runs[len(l.runs)-1].off < n {
		return l
	}
	i := sort.Search(len(l.runs), func(i int) bool { return l.runs[i].off > off }) - 1
	if i < 0 {
		return Lines{}
	}
	out := []lineRun{{off: 0, line: l.runs[i].line + int64(off-l.runs[i].off)}}
	for _, r := range l.runs[i+1:] {
		if r.off >= off+n {
			break
		}
		out = append(out, lineRun{off: r.off - off, line: r.line})
	}
	return Lines{runs: out}
}

// lineTracker builds a Lines map as records are read in order.
type lineTracker struct {
	runs []lineRun
	// next is the line the next record starts on if it follows the last
	// one directly.
	next int64
}

// add records that the record at offset off starts on line.
func (t *lineTracker) add(off int, line int64) {
	if line != t.next { // lines start at 1, next at 0: the first record starts a run
		t.runs = append(t.runs, lineRun{off: off, line: line})
	}
	t.next = line + 1
}

// take returns the map built so far and starts a new one.
func (t *lineTracker) take() Lines {
	l := Lines{runs: t.runs}
	*t = lineTracker{}
	return l
}

// Line returns the line of the file that data row row (1-based, as
// FirstRow) starts on, 0 when it is not known or not in the batch.
func (b Batch) Line(row int64) int64 {
	if b.Record == nil || row < b.FirstRow || row >= b.FirstRow+b.Record.NumRows() {
		return 0
	}
	return b.Lines.At(row - b.FirstRow)
}
