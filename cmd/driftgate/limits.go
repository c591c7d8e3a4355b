package main

import (
	"github.com/spf13/pflag"

	"github.com/driftgate/driftgate/checker/source"
)

// limitFlags are the bounds on what untrusted input may ask for. The
// defaults hold real files with room to spare; a flag raises one for the
// file that needs it, and the error that stops a run names the flag.
type limitFlags struct {
	maxFooterBytes int64
	maxRowGroups   int
	maxRecordBytes int64
	maxFieldBytes  int64
	maxSpoolBytes  int64
}

func (l *limitFlags) register(fl *pflag.FlagSet) {
	fl.Int64Var(&l.maxFooterBytes, "max-footer-bytes", source.DefaultMaxFooterBytes, "largest Parquet footer read; a larger one is unreadable data (exit 3)")
	fl.IntVar(&l.maxRowGroups, "max-row-groups", source.DefaultMaxRowGroups, "most row groups in one Parquet file; more is unreadable data (exit 3)")
	fl.Int64Var(&l.maxRecordBytes, "csv-max-record-bytes", source.DefaultMaxRecordBytes, "longest CSV record (the header too) in bytes; a longer one is unreadable data (exit 3) naming its line")
	fl.Int64Var(&l.maxFieldBytes, "csv-max-field-bytes", source.DefaultMaxFieldBytes, "longest CSV field (a header name too) in bytes; a longer one is unreadable data (exit 3) naming its line and column")
	fl.Int64Var(&l.maxSpoolBytes, "max-spool-bytes", source.DefaultMaxSpoolBytes, "largest Parquet stream (stdin, a pipe) copied to a temporary file to be read")
}

func (l limitFlags) apply(o *source.Options) {
	o.Limits = source.Limits{MaxFooterBytes: l.maxFooterBytes, MaxRowGroups: l.maxRowGroups}
	o.CSV.MaxRecordBytes = l.maxRecordBytes
	o.CSV.MaxFieldBytes = l.maxFieldBytes
	o.MaxSpoolBytes = l.maxSpoolBytes
}

// noteSkipped tells the user what a data directory held that was not read
// (named pipes, sockets, devices); the JSON report lists it too.
func noteSkipped(e env, skipped []string) {
	for _, n := range skipped {
		say(e.stderr, "driftgate: note: %s\n", n)
	}
}
