//go:build cgo

package duckdb

import _ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" database/sql driver

const (
	available  = true
	driverName = "duckdb"
)
