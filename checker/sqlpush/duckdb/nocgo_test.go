//go:build !cgo

package duckdb

import (
	"context"
	"errors"
	"testing"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/contracts"
)

// TestWithoutCgoThereIsNoDuckDB: a pure-Go build opens no database and
// reports sql rules on files as not run, with the reason.
func TestWithoutCgoThereIsNoDuckDB(t *testing.T) {
	if _, err := Open(context.Background(), "orders.duckdb", 0); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Open: %v, want ErrUnavailable", err)
	}
	q := &contracts.Quality{Type: "sql", Query: "SELECT 1"}
	out := Files{}.RunSQL(context.Background(), &contracts.Schema{Name: "t"}, contracts.Generic, []string{"t.csv"}, source.Options{},
		[]checker.SQLRule{{Quality: q}})
	var nr *rules.NotRunError
	if len(out) != 1 || !errors.As(out[0].Err, &nr) || nr.Why != "this build has no DuckDB (built without cgo)" {
		t.Errorf("RunSQL = %+v, want not run: no DuckDB", out)
	}
}
