package checker

import (
	"fmt"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/driftgate/driftgate/checker/source"
)

// A Tap shares a check's one read of each input with other work on the
// same data: a profile for drift and history (profile.Tap), the shapes
// --all-versions compares (Shapes). The check opens and hashes each input
// once, decodes the union of the columns it and its taps need, and hands
// each record batch to every tap while its own observers run; memory stays
// bounded by the batch.
//
// The engine calls a tap from one goroutine at a time, in input and batch
// order, so a tap needs no locks. CheckMetadata, which decodes no values,
// calls Open only, and a tap that asks it for columns is an error.
type Tap interface {
	// Open is told of each input once its reader is open, before any batch
	// is read: its path, format and schema (every column, typed as the
	// check reads it). It names the columns it needs decoded, in the order
	// Batch is to hand them over; nil needs none. An error stops the check
	// with a *source.ReadError for the input.
	Open(path string, format source.Format, schema *arrow.Schema) ([]string, error)
	// Batch is handed each record batch of the input: rec holds the columns
	// Open named, in that order, and invalid the cells of them that did not
	// parse (CellError.Column indexes rec). It runs on a lane of its own (see
	// lanes.go) next to the check's observers of the batch, which read the
	// same columns, so it only reads rec,
	// and it must not keep rec after it returns unless it retains it. An
	// error stops the check with a *source.ReadError for the input.
	Batch(rec arrow.RecordBatch, invalid []source.CellError) error
}

// tapping is what the taps of one input asked for.
type tapping struct {
	path string
	taps []Tap
	// cols are, per tap, the indices of its columns in the record the
	// reader decodes.
	cols [][]int
}

// selectWithTaps tells the taps of an opened input, and selects the columns
// to decode: names, the check's own, followed by those only taps need. It
// returns them in the order the reader decodes them.
func selectWithTaps(rd source.Reader, taps []Tap, path string, names []string) (*tapping, []string, error) {
	t := &tapping{path: path, taps: taps, cols: make([][]int, len(taps))}
	for i, tap := range taps {
		want, err := tap.Open(path, rd.Format(), rd.Schema())
		if err != nil {
			return nil, nil, &source.ReadError{Path: path, Err: err}
		}
		for _, name := range want {
			j := slices.Index(names, name)
			if j < 0 {
				j = len(names)
				names = append(names, name)
			}
			t.cols[i] = append(t.cols[i], j)
		}
	}
	if err := rd.Select(names); err != nil {
		return nil, nil, asReadError(path, err)
	}
	return t, names, nil
}

// structureOnly tells the taps of an input CheckMetadata read the structure
// of: it decodes no value, so a tap that needs values is an error.
func structureOnly(taps []Tap, path string, format source.Format, sch *arrow.Schema) error {
	for _, tap := range taps {
		want, err := tap.Open(path, format, sch)
		if err == nil && len(want) > 0 {
			err = fmt.Errorf("--metadata-only decodes no values, and %d columns are needed", len(want))
		}
		if err != nil {
			return &source.ReadError{Path: path, Err: err}
		}
	}
	return nil
}

// tasks are the taps' lanes: tap i's task hands it each batch, in order,
// and the first error it returns fails the batch.
func (t *tapping) tasks() []func(*flight) error {
	if t == nil {
		return nil
	}
	out := make([]func(*flight) error, 0, len(t.taps))
	for i, tap := range t.taps {
		idx := t.cols[i]
		out = append(out, func(f *flight) error {
			view := viewOf(f.Record, idx)
			defer view.Release()
			return tap.Batch(view, cellsOf(f.Invalid, idx))
		})
	}
	return out
}

// viewOf is the record of the columns idx of rec, sharing its buffers.
func viewOf(rec arrow.RecordBatch, idx []int) arrow.RecordBatch {
	fields := make([]arrow.Field, len(idx))
	cols := make([]arrow.Array, len(idx))
	for k, j := range idx {
		fields[k], cols[k] = rec.Schema().Field(j), rec.Column(j)
	}
	return array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, rec.NumRows())
}

// cellsOf are the cells of the columns idx, renumbered as in viewOf.
func cellsOf(cells []source.CellError, idx []int) []source.CellError {
	if len(cells) == 0 {
		return nil
	}
	at := map[int]int{}
	for k, j := range idx {
		at[j] = k
	}
	var out []source.CellError
	for _, ce := range cells {
		if k, ok := at[ce.Column]; ok {
			ce.Column = k
			out = append(out, ce)
		}
	}
	return out
}

// Shapes is a Tap that records the structure of each input a check reads
// (the Parquet schema, a CSV header, a JSON file's members), so that
// --all-versions compares every version of the contract with it without
// opening the inputs again. It decodes nothing.
type Shapes struct {
	shapes []fileShape
}

// Open records the input's structure.
func (s *Shapes) Open(path string, format source.Format, sch *arrow.Schema) ([]string, error) {
	s.shapes = append(s.shapes, shapeOf(path, format, sch))
	return nil, nil
}

// Batch has nothing to do: a structure is known from the schema.
func (s *Shapes) Batch(arrow.RecordBatch, []source.CellError) error { return nil }
