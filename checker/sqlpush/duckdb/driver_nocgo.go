//go:build !cgo

package duckdb

// Without cgo there is no DuckDB: Open and OpenMemory return
// ErrUnavailable before the driver name is ever used.
const (
	available  = false
	driverName = "duckdb"
)
