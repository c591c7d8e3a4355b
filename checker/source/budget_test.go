package source

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TestRowBudgetSpansFiles reads the first N rows of a list of files: the
// first file is cut inside a batch, the rest read nothing, and no buffer
// leaks.
func TestRowBudgetSpansFiles(t *testing.T) {
	for _, file := range []string{"../../fixtures/orders-clean/orders.csv", "../../fixtures/orders-clean/orders.parquet"} {
		t.Run("the first rows of "+file, func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			budget := NewRowBudget(130)
			opts := Options{Mem: mem, BatchSize: 100, Budget: budget}
			var got []int64
			for range 2 {
				rd, err := Open(context.Background(), file, opts)
				if err != nil {
					t.Fatal(err)
				}
				if n := rd.NumRows(); n != -1 {
					t.Errorf("NumRows = %d under a budget, want -1 (unknown)", n)
				}
				var rows int64
				for {
					b, err := rd.Next(context.Background())
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						t.Fatal(err)
					}
					rows += b.Record.NumRows()
					b.Record.Release()
				}
				rd.Close()
				got = append(got, rows)
			}
			if got[0] != 130 || got[1] != 0 || !budget.Spent() {
				t.Errorf("rows read per file %v, want [130 0] and the budget spent", got)
			}
		})
	}
}
