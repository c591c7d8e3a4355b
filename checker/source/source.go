// Package source is the only code in driftgate that opens data files. It
// turns Parquet and CSV files into streams of Arrow record batches, decoding
// only the columns a check needs, with memory bounded by the batch size.
package source

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/driftgate/driftgate/checker/source/objstore"
)

// Format names a file format.
type Format string

// The formats driftgate reads.
const (
	Parquet Format = "parquet"
	CSV     Format = "csv"
	JSON    Format = "json" // NDJSON or a JSON array of objects; see json.go
)

// DefaultBatchSize is the number of rows per record batch. Measured on the
// benchmark data: 64Ki rows is as fast as larger batches at a fraction of
// the memory.
const DefaultBatchSize = 64 * 1024

// Options controls how files are opened.
type Options struct {
	// Mem allocates every Arrow buffer; nil means memory.DefaultAllocator.
	// Tests pass a checked allocator and assert nothing leaks.
	Mem memory.Allocator
	// BatchSize is the most rows per batch; 0 means DefaultBatchSize.
	// Parquet batches hold exactly BatchSize rows but the last; CSV
	// batches can hold fewer, as they follow the chunks the file is cut
	// into for parallel parsing (about 1 MiB each).
	BatchSize int

	CSV  CSVOptions
	JSON JSONOptions

	// Format is the format of files whose extension names none (a
	// contract server's declared format); empty means such files are an
	// error.
	Format Format

	// Limits bound what untrusted Parquet metadata may ask for.
	Limits Limits

	// MaxSpoolBytes bounds the temporary copy a Parquet stream (standard
	// input, a pipe) is read from; 0 means DefaultMaxSpoolBytes.
	MaxSpoolBytes int64

	// Meter, when set, counts the bytes of the input the reader consumes,
	// for a progress display of text formats (whose row count is unknown
	// until the end); for a gzip file it counts the compressed bytes.
	Meter *Meter

	// Remote reads object-store locations (s3://, gs://, az://, abfss://,
	// https://) and records what it read, for the report (Facts.Object).
	// nil gives each open a client of its own.
	Remote *objstore.Client

	// Open, when set, opens each input by name instead of OpenAny: the
	// one place an input is opened, so a caller can serve inputs from
	// elsewhere, and a test can count the opens and bytes of a run.
	Open func(ctx context.Context, name string) (Input, error)

	// ReadDictionaries lets Parquet text columns whose pages are all
	// dictionary-encoded arrive as Arrow dictionary arrays (utf8 values),
	// so a consumer can judge each distinct value once. Schema() still
	// reports utf8 for them. Off by default: every consumer must then
	// handle *array.Dictionary.
	ReadDictionaries bool

	// Budget, when set, bounds the rows read over the files of a run (see
	// RowBudget): infer --sample profiles and proves the first N rows.
	Budget *RowBudget
}

// CSVOptions controls CSV parsing.
type CSVOptions struct {
	// Delimiter separates fields; 0 means ','.
	Delimiter rune
	// MaxRecordBytes bounds one record, and so each of its fields and the
	// header: a longer one is a ReadError naming its line, never a read
	// that grows without bound (a 500 MB line, a gzip bomb without
	// newlines). 0 means DefaultMaxRecordBytes.
	MaxRecordBytes int64
	// MaxFieldBytes bounds one field's value (a header name too): a
	// longer one is a ReadError naming its line and column. A record may
	// hold many fields each under this limit up to MaxRecordBytes; a
	// single value that large is almost always a broken quote or a file
	// that is not CSV. 0 means DefaultMaxFieldBytes.
	MaxFieldBytes int64
	// NullValues are the cell texts that mean null. nil means just the
	// empty string.
	NullValues []string
	// NoHeader says the file has no header row; columns are then named
	// col1, col2, ... (a contract names them with physicalName).
	NoHeader bool
	// Types gives the Arrow type each column (by header name) is parsed
	// into. Columns not listed are read as utf8.
	Types map[string]arrow.DataType
	// TimeLayouts gives, by column name, the Go time layout (see
	// contracts.GoTimeLayout) a date, timestamp or time column is written
	// in. Columns not listed accept ISO 8601 / RFC 3339.
	TimeLayouts map[string]string
}

// DefaultMaxRecordBytes is the default CSVOptions.MaxRecordBytes; the flag
// --csv-max-record-bytes raises it.
const DefaultMaxRecordBytes = 64 << 20

// DefaultMaxFieldBytes is the default CSVOptions.MaxFieldBytes; the flag
// --csv-max-field-bytes raises it.
const DefaultMaxFieldBytes = 16 << 20

// Reader streams the record batches of one file.
//
// Use: Open, inspect Schema, call Select with the columns needed, then call
// Next until it returns io.EOF, and Close. A Reader is not safe for
// concurrent use.
type Reader interface {
	// Format is the file's format.
	Format() Format
	// Schema lists every column of the file, with the Arrow type it is
	// stored in (Parquet) or will be parsed into (CSV: Types, else utf8).
	// CSV header names are made unique: a repeated name gets "_2", "_3"
	// and an empty one is "colN" (N its 1-based position). Parquet INT96
	// columns are timestamp[us]: Spark's resolution, and nanoseconds cannot
	// hold the 9999-12-31 sentinels Spark writes.
	Schema() *arrow.Schema
	// NumRows is the row count when the file states it (the Parquet
	// footer), else -1.
	NumRows() int64
	// Select restricts decoding to the named columns, in that order. Names
	// not in Schema, or named twice, are an error. Without Select every
	// column is read. An empty list selects no columns: batches then carry
	// only their row count (for Parquet taken from the footer, without
	// decoding). Select must come before the first Next.
	Select(columns []string) error
	// Next returns the next batch, or io.EOF after the last one. The caller
	// releases Batch.Record. An error other than io.EOF means the file could
	// not be read; it names the file and, where known, the row or line.
	Next(ctx context.Context) (Batch, error)
	// Close releases the file and every buffer the reader still holds.
	Close() error
}

// Noter is implemented by readers that ignored part of an input they
// could read without it (a corrupt stored Arrow schema); a checker reports
// each note as a warning, so nothing is ignored silently.
type Noter interface {
	Notes() []string
}

// Batch is one record batch and where it sits in the file.
type Batch struct {
	// Record holds the selected columns, in Select order.
	Record arrow.RecordBatch
	// FirstRow is the 1-based data row number of the batch's first row
	// (the header is not a row).
	FirstRow int64
	// Invalid lists the cells that did not parse as their column's type
	// (CSV only). Such cells are null in Record; a checker reports them as
	// VALUE_TYPE, not as nulls. Ordered by row, then column.
	Invalid []CellError
	// Lines maps the batch's rows to the lines of a text file they start
	// on; see Batch.Line.
	Lines Lines
	// Skipped marks the columns of Record that were not decoded here: the
	// batch's rows lie in a Parquet column chunk the caller told the
	// reader to skip (SkipChunks), and the column is a null array whose
	// rows the caller accounts for from the statistics. nil when every
	// column was decoded.
	Skipped []bool
}

// CellError is a CSV cell that did not parse as its column's type, or a
// JSON value whose kind does not fit its column.
type CellError struct {
	// Row is the 1-based data row number.
	Row int64
	// Line is the 1-based line of the file the row starts on, when it
	// differs from what Row implies (JSON records); 0 otherwise.
	Line int64
	// Column is the index of the column in Batch.Record.
	Column int
	// Raw is the cell's text as written.
	Raw string
	// Want names the type the cell should have held, e.g. "int64".
	Want string
}

// ReadError is an error reading a file. Callers branch on it (exit code 3).
type ReadError struct {
	Path string
	// Line is the 1-based line in the file where the problem is, when known.
	Line int64
	// Row is the 1-based data row, when known.
	Row int64
	Err error
}

func (e *ReadError) Error() string {
	switch {
	case e.Line > 0:
		return fmt.Sprintf("read %s: line %d: %v", e.Path, e.Line, e.Err)
	case e.Row > 0:
		return fmt.Sprintf("read %s: row %d: %v", e.Path, e.Row, e.Err)
	}
	return fmt.Sprintf("read %s: %v", e.Path, e.Err)
}

func (e *ReadError) Unwrap() error { return e.Err }

// DetectFormat names the format of path from its extension: .parquet (and
// .parq, .pq), .csv, .tsv, .json, .jsonl, .ndjson, each of the text
// formats also gzipped (.csv.gz). It reports false for anything else.
func DetectFormat(path string) (Format, bool) {
	return detectFormat(path)
}

// Meter counts how much of an input a reader has consumed; it is safe to
// read from any goroutine while the reader runs.
type Meter struct{ read, size atomic.Int64 }

// Read is the bytes consumed so far.
func (m *Meter) Read() int64 { return m.read.Load() }

// Size is the input's size in bytes, or -1 for a stream.
func (m *Meter) Size() int64 { return m.size.Load() }

// Progress is how far a run over a list of files has got.
type Progress struct {
	File      string
	FileIndex int // 0-based index of File in the list
	Files     int
	Rows      int64 // rows read so far, all files
	// FileRows and FileTotal are the rows read in File and, when the
	// format states it (Parquet), its total; FileTotal is -1 when unknown.
	FileRows, FileTotal int64
	// FileBytes and FileSize are the bytes of File consumed and its size
	// (-1 for a stream): the measure of progress of CSV, gzip and JSON.
	FileBytes, FileSize int64
}

// Fraction is how much of File has been read, from its rows when the
// format states them, else from its bytes; false when neither is known.
func (p Progress) Fraction() (float64, bool) {
	switch {
	case p.FileTotal > 0:
		return min(float64(p.FileRows)/float64(p.FileTotal), 1), true
	case p.FileSize > 0:
		return min(float64(p.FileBytes)/float64(p.FileSize), 1), true
	}
	return 0, false
}
