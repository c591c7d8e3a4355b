package source

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	stdcsv "encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/csv"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// csvReader is the reference CSV reader: it tokenises a file with Arrow's
// CSV reader, every column as utf8, and converts the selected columns to
// their target types itself. Open uses the faster fastCSVReader; this one
// stays as the executable specification the differential tests and
// FuzzCSVFast compare against, and for multi-byte delimiters.
// Arrow's typed parsing would abort the whole file on the first bad cell;
// a data contract wants every bad cell reported and the rest checked.
//
// Header names are made unique for Schema: a repeated name gets a suffix
// (the second "name" is "name_2", the third "name_3") and an empty name is
// "colN", N being the 1-based position. CSVOptions.Types and TimeLayouts
// are keyed by these names.
type csvReader struct {
	path   string
	mem    memory.Allocator
	closer []io.Closer
	ar     *csv.Reader

	schema  *arrow.Schema
	layouts []string
	nulls   nullSet
	// maxField bounds one field (CSVOptions.MaxFieldBytes).
	maxField int64

	sel       []int
	selSchema *arrow.Schema
	convs     []*converter
	started   bool
	rows      int64
	err       error
	done      bool
	closed    bool
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// openCSVTuned opens a local CSV file with the fast reader's pipeline
// sized by tune, for tests and benchmarks; the reader owns the file.
func openCSVTuned(path string, opts Options, tune fastTuning) (Reader, error) {
	return openCSVPath(path, func(name string, src io.Reader, gz, tsv bool) (Reader, error) {
		return openCSVStream(name, src, gz, tsv, withDefaults(opts), tune)
	})
}

// openCSVArrow opens a local CSV file with the reference reader: Arrow's
// CSV reader over encoding/csv. The differential tests hold the fast reader
// to it.
func openCSVArrow(path string, opts Options) (Reader, error) {
	return openCSVPath(path, func(name string, src io.Reader, gz, tsv bool) (Reader, error) {
		in, err := openCSVInput(name, src, gz, tsv, withDefaults(opts))
		if err != nil {
			return nil, err
		}
		return newArrowCSV(in, withDefaults(opts))
	})
}

func openCSVPath(path string, open func(name string, src io.Reader, gz, tsv bool) (Reader, error)) (Reader, error) {
	in, err := OpenFile(path)
	if err != nil {
		return nil, err
	}
	src, err := in.Stream()
	if err != nil {
		in.Close()
		return nil, err
	}
	name := strings.TrimSuffix(strings.ToLower(filepath.Base(path)), ".gz")
	rd, err := open(path, src, hasGzipSuffix(path), strings.HasSuffix(name, ".tsv"))
	if err != nil {
		in.Close()
		return nil, err
	}
	return &owningReader{Reader: rd, in: in}, nil
}

// openCSVStream opens CSV read from src with the chunked parallel reader
// (csvfast.go). Delimiters that are not one ASCII byte, which the chunk
// scanner does not split on, go to the reference reader.
func openCSVStream(name string, src io.Reader, gz, tsv bool, opts Options, tune fastTuning) (Reader, error) {
	in, err := openCSVInput(name, src, gz, tsv, opts)
	if err != nil {
		return nil, err
	}
	if in.delim >= utf8.RuneSelf {
		return newArrowCSV(in, opts)
	}
	return newFastCSV(in, opts, tune)
}

// csvInput is a CSV stream read up to the end of its first record; both
// readers start from it, so header, BOM, delimiter and header-error
// handling are one code.
type csvInput struct {
	path string
	// closer holds what the CSV layer opened on the stream (a gzip
	// reader), not the input itself.
	closer []io.Closer
	br     *bufio.Reader
	delim  rune
	// head holds every byte the header reader took from br; the first
	// record is head[:headLen]. The data is head[headLen:] then br (or
	// head then br without a header).
	head    []byte
	headLen int64
	// first is the first record; nil for a file without records.
	first []string
	// maxField bounds one field (CSVOptions.MaxFieldBytes).
	maxField int64
	schema   *arrow.Schema
	// layouts are the time layouts by file column.
	layouts []string
	nulls   nullSet
}

func (in *csvInput) close() error {
	var errs []error
	for i := len(in.closer) - 1; i >= 0; i-- {
		errs = append(errs, in.closer[i].Close())
	}
	in.closer = nil
	return errors.Join(errs...)
}

func openCSVInput(path string, src io.Reader, gz, tsv bool, opts Options) (_ *csvInput, err error) {
	in := &csvInput{path: path, maxField: opts.CSV.MaxFieldBytes}
	if in.maxField <= 0 {
		in.maxField = DefaultMaxFieldBytes
	}
	defer func() {
		if err != nil {
			in.close()
		}
	}()

	if gz {
		zr, err := gzip.NewReader(src)
		if err != nil {
			return nil, &ReadError{Path: path, Err: fmt.Errorf("gzip: %w", err)}
		}
		in.closer = append(in.closer, zr)
		src = zr
	}
	br := bufio.NewReaderSize(src, 64<<10)
	if b, err := br.Peek(len(utf8BOM)); err == nil && bytes.Equal(b, utf8BOM) {
		br.Discard(len(utf8BOM))
	}
	in.br = br

	delim := opts.CSV.Delimiter
	if delim == 0 {
		delim = ','
		if tsv {
			delim = '\t'
		}
	}
	in.delim = delim

	// The first record names the columns (or, without a header, counts
	// them). It is read on a copy of the bytes so that the data reader sees
	// the file from its start (or from the end of the header): encoding/csv
	// then checks every row against the header's field count and reports
	// true file line numbers.
	var head bytes.Buffer
	limit := opts.CSV.MaxRecordBytes
	if limit <= 0 {
		limit = DefaultMaxRecordBytes
	}
	hr := stdcsv.NewReader(io.TeeReader(&capReader{r: br, left: limit + 4096}, &head))
	hr.Comma = delim
	hr.FieldsPerRecord = -1
	first, err := hr.Read()
	switch {
	case errors.Is(err, io.EOF):
		in.schema = arrow.NewSchema(nil, nil)
		return in, nil
	case errors.Is(err, errCapped):
		return nil, &ReadError{Path: path, Line: 1, Err: recordTooLong(limit)}
	case err != nil:
		return nil, csvError(path, err)
	}
	in.head, in.headLen, in.first = head.Bytes(), hr.InputOffset(), first
	if hr.InputOffset() > limit {
		return nil, &ReadError{Path: path, Line: 1, Err: recordTooLong(limit)}
	}
	if err := headerCR(first, head.Bytes()[:hr.InputOffset()]); err != nil {
		return nil, &ReadError{Path: path, Line: 1, Err: err}
	}
	for i, h := range first {
		if int64(len(h)) > in.maxField {
			line, _ := hr.FieldPos(i)
			return nil, &ReadError{Path: path, Line: int64(line), Err: fieldTooLong(i, nil, in.maxField)}
		}
	}

	names := make([]string, len(first))
	for i, h := range first {
		if opts.CSV.NoHeader {
			h = ""
		}
		names[i] = h
	}
	names = uniqueNames(names)

	fields := make([]arrow.Field, len(names))
	in.layouts = make([]string, len(names))
	for i, n := range names {
		dt := opts.CSV.Types[n]
		if dt == nil {
			dt = arrow.BinaryTypes.String
		}
		if !convertible(dt) {
			return nil, fmt.Errorf("open %q: column %q: cannot parse CSV text as %s", path, n, dt)
		}
		fields[i] = arrow.Field{Name: n, Type: dt, Nullable: true}
		in.layouts[i] = opts.CSV.TimeLayouts[n]
	}
	in.schema = arrow.NewSchema(fields, nil)
	in.nulls = newNullSet(opts.CSV.NullValues)
	return in, nil
}

// lineCap fails a read once a line grows longer than max bytes: the
// reference reader's bound on a record, as the fast reader's splitter has
// its own. It counts lines to name the one that is too long.
type lineCap struct {
	r        io.Reader
	max, cur int64
	line     int64
}

func (c *lineCap) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	b := p[:n]
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			c.cur += int64(len(b))
			break
		}
		if c.cur+int64(i) > c.max {
			break
		}
		c.cur, c.line, b = 0, c.line+1, b[i+1:]
	}
	if c.cur > c.max || (len(b) > 0 && c.cur+int64(len(b)) > c.max) {
		return 0, fmt.Errorf("line %d: %w", c.line, recordTooLong(c.max))
	}
	return n, err
}

// errCapped ends a read that went past its cap.
var errCapped = errors.New("read past its cap")

// capReader reads at most left bytes, then fails with errCapped.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, errCapped
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

// fieldTooLong says field (0-based) of a record is longer than limit,
// naming its column by names when they are known.
func fieldTooLong(field int, names []string, limit int64) error {
	col := "column " + strconv.Itoa(field+1)
	if field < len(names) {
		col += " (" + strconv.Quote(cutName(names[field])) + ")"
	}
	return fmt.Errorf("%s: a field longer than the limit of %d bytes (raise it with --csv-max-field-bytes): %w", col, limit, ErrLimit)
}

// cutName shortens a header name for an error message.
func cutName(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

func recordTooLong(limit int64) error {
	return fmt.Errorf("a record longer than the limit of %d bytes (raise it with --csv-max-record-bytes): %w", limit, ErrLimit)
}

// headerCR refuses a header that holds a carriage return. encoding/csv
// ends lines at LF (and CRLF); a file with CR-only line endings (classic
// Mac OS, some exports) would read as one header line and no rows, a
// silent pass.
func headerCR(names []string, line []byte) error {
	for i, n := range names {
		if strings.IndexByte(n, '\r') < 0 {
			continue
		}
		if bytes.IndexByte(line, '\n') < 0 {
			return errors.New("the header holds carriage returns (CR) and no line feed: the file uses CR-only line endings; convert them to LF or CRLF")
		}
		return fmt.Errorf("header name %d (%q) holds a carriage return: a CR-only line ending, or a line break inside a quoted name", i+1, n)
	}
	return nil
}

// newArrowCSV builds the reference reader on an opened input.
func newArrowCSV(in *csvInput, opts Options) (Reader, error) {
	cr := &csvReader{path: in.path, mem: opts.Mem, closer: in.closer, schema: in.schema, layouts: in.layouts, nulls: in.nulls, maxField: in.maxField}
	if in.first == nil {
		cr.sel, cr.selSchema = nil, cr.schema
		cr.done = true
		return cr, nil
	}
	strFields := make([]arrow.Field, len(in.first))
	for i := range strFields {
		strFields[i] = arrow.Field{Name: "f" + strconv.Itoa(i), Type: arrow.BinaryTypes.String, Nullable: true}
	}
	cr.sel, cr.selSchema = allColumns(cr.schema), cr.schema
	limit := opts.CSV.MaxRecordBytes
	if limit <= 0 {
		limit = DefaultMaxRecordBytes
	}
	cr.ar = csv.NewReader(&lineCap{r: io.MultiReader(bytes.NewReader(in.head), in.br), max: limit, line: 1}, arrow.NewSchema(strFields, nil),
		csv.WithHeader(!opts.CSV.NoHeader),
		csv.WithComma(in.delim),
		csv.WithLazyQuotes(false),
		csv.WithChunk(opts.BatchSize),
		csv.WithAllocator(opts.Mem),
	)
	return cr, nil
}

// uniqueNames makes header names unique; see csvReader. A generated
// suffix never takes a name that appears later in the header.
func uniqueNames(names []string) []string {
	cand := make([]string, len(names))
	reserved := make(map[string]bool, len(names))
	for i, n := range names {
		if n == "" {
			n = "col" + strconv.Itoa(i+1)
		}
		cand[i] = n
		reserved[n] = true
	}
	used := make(map[string]bool, len(names))
	for i, n := range cand {
		if used[n] {
			for c := 2; ; c++ {
				s := n + "_" + strconv.Itoa(c)
				if !used[s] && !reserved[s] {
					n = s
					break
				}
			}
		}
		used[n] = true
		cand[i] = n
	}
	return cand
}

// csvError turns a tokenising error into a ReadError with its line.
func csvError(path string, err error) error {
	var pe *stdcsv.ParseError
	if errors.As(err, &pe) {
		inner := pe.Err
		if !errors.Is(inner, stdcsv.ErrFieldCount) && pe.Column > 0 {
			inner = fmt.Errorf("column %d: %w", pe.Column, inner)
		}
		return &ReadError{Path: path, Line: int64(pe.Line), Err: inner}
	}
	return &ReadError{Path: path, Err: err}
}

func (r *csvReader) Format() Format        { return CSV }
func (r *csvReader) Schema() *arrow.Schema { return r.schema }
func (r *csvReader) NumRows() int64        { return -1 }

func (r *csvReader) Select(columns []string) error {
	sel, sc, err := selectColumns(r.path, r.started, r.schema, columns)
	if err != nil {
		return err
	}
	r.sel, r.selSchema = sel, sc
	return nil
}

func (r *csvReader) Next(ctx context.Context) (b Batch, err error) {
	if err := nextGuard(ctx, r.path, r.closed, r.err, r.done); err != nil {
		return Batch{}, err
	}
	if !r.started {
		r.started = true
		r.convs = make([]*converter, len(r.sel))
		for i, ci := range r.sel {
			r.convs[i] = newConverter(r.schema.Field(ci).Type, r.layouts[ci])
		}
	}
	defer func() {
		// Arrow's CSV reader panics on some inconsistencies rather than
		// returning an error; a file must never crash the checker.
		if p := recover(); p != nil {
			r.err = &ReadError{Path: r.path, Err: fmt.Errorf("csv: %v", p)}
			b, err = Batch{}, r.err
		}
	}()

	if !r.ar.Next() {
		r.done = true
		if err := r.ar.Err(); err != nil {
			r.err = csvError(r.path, err)
			return Batch{}, r.err
		}
		return Batch{}, io.EOF
	}
	// A batch cut short by a tokenising error is not returned: the file is
	// unreadable from that line on, and a partial count would mislead.
	if err := r.ar.Err(); err != nil {
		r.done = true
		r.err = csvError(r.path, err)
		return Batch{}, r.err
	}
	rec := r.ar.RecordBatch()
	n := rec.NumRows()
	first := r.rows + 1
	if err := r.fieldLengths(rec, first); err != nil {
		r.done, r.err = true, err
		return Batch{}, err
	}
	arrs := make([]arrow.Array, len(r.sel))
	var invalid []CellError
	for i, ci := range r.sel {
		col, ok := rec.Column(ci).(*array.String)
		if !ok {
			releaseAll(arrs)
			return Batch{}, fmt.Errorf("read %q: arrow csv gave %s, want utf8", r.path, rec.Column(ci).DataType())
		}
		arrs[i], invalid = r.convs[i].convert(r.mem, col, r.nulls, first, i, invalid)
	}
	// Cells were converted column by column; callers want them in reading
	// order.
	slices.SortStableFunc(invalid, func(a, b CellError) int {
		if a.Row != b.Row {
			return int(a.Row - b.Row)
		}
		return a.Column - b.Column
	})
	out := array.NewRecordBatch(r.selSchema, arrs, n)
	releaseAll(arrs)
	r.rows += n
	return Batch{Record: out, FirstRow: first, Invalid: invalid}, nil
}

// fieldLengths refuses a batch holding a field longer than the limit, the
// first one in reading order. The reference reader knows rows, not lines.
func (r *csvReader) fieldLengths(rec arrow.RecordBatch, first int64) error {
	cols := make([]*array.String, 0, rec.NumCols())
	for _, c := range rec.Columns() {
		if s, ok := c.(*array.String); ok {
			cols = append(cols, s)
		}
	}
	for i := range int(rec.NumRows()) {
		for c, col := range cols {
			if int64(col.ValueLen(i)) > r.maxField {
				names := make([]string, r.schema.NumFields())
				for k, f := range r.schema.Fields() {
					names[k] = f.Name
				}
				return &ReadError{Path: r.path, Row: first + int64(i), Err: fieldTooLong(c, names, r.maxField)}
			}
		}
	}
	return nil
}

func (r *csvReader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	if r.ar != nil {
		r.ar.Release()
	}
	var errs []error
	for i := len(r.closer) - 1; i >= 0; i-- {
		errs = append(errs, r.closer[i].Close())
	}
	return errors.Join(errs...)
}
