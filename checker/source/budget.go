package source

import (
	"context"
	"io"
)

// RowBudget bounds the rows read over all the files of one run: the first
// N rows of the input, in file order (driftgate infer --sample). Each batch
// takes what is left of it; once it is spent, readers end as if the file
// did. A budget belongs to one run and is not safe for concurrent readers;
// a second run over the same sample needs a budget of its own.
type RowBudget struct{ left int64 }

// NewRowBudget is a budget of n rows.
func NewRowBudget(n int64) *RowBudget { return &RowBudget{left: n} }

// Spent says the budget has no row left.
func (b *RowBudget) Spent() bool { return b.left <= 0 }

// budgetReader cuts a reader's batches to its budget.
type budgetReader struct {
	Reader
	b *RowBudget
}

// NumRows is unknown: the budget, not the file, decides the rows read.
func (r *budgetReader) NumRows() int64 { return -1 }

// Notes passes on the notes of the reader; see Noter.
func (r *budgetReader) Notes() []string { return notesOf(r.Reader) }

func (r *budgetReader) Next(ctx context.Context) (Batch, error) {
	if r.b.left <= 0 {
		return Batch{}, io.EOF
	}
	batch, err := r.Reader.Next(ctx)
	if err != nil {
		return batch, err
	}
	n := batch.Record.NumRows()
	if n <= r.b.left {
		r.b.left -= n
		return batch, nil
	}
	keep := r.b.left
	r.b.left = 0
	cut := batch.Record.NewSlice(0, keep)
	batch.Record.Release()
	batch.Record = cut
	last := batch.FirstRow + keep
	invalid := batch.Invalid[:0:0]
	for _, c := range batch.Invalid {
		if c.Row < last {
			invalid = append(invalid, c)
		}
	}
	batch.Invalid = invalid
	return batch, nil
}
