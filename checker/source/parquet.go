package source

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// parquetReader decodes the selected top-level columns of a Parquet file.
//
// Each selected column gets its own pqarrow record reader, and Next decodes
// them on its own goroutines rather than with pqarrow's Parallel option:
// pqarrow's parallel decode runs on goroutines the caller cannot recover, so
// a panic on a malformed page would kill the whole process. Here every
// goroutine recovers and the panic becomes a ReadError.
type parquetReader struct {
	path  string
	mem   memory.Allocator
	batch int64

	// ra is what the file is read from; a remote object is told which
	// ranges the selected columns need (planRanges).
	ra     io.ReaderAt
	pf     *file.Reader
	fr     *pqarrow.FileReader
	schema *arrow.Schema
	// int96 marks the top-level fields that are a plain INT96 column; those
	// are decoded here, not by pqarrow (see int96Column).
	int96 map[int]bool
	// dict marks the leaf columns read as Arrow dictionaries (see
	// readProperties).
	dict map[int]bool

	sel       []int
	selSchema *arrow.Schema
	cols      []columnDecoder
	started   bool
	rows      int64 // rows returned so far
	err       error // sticky: a reader that failed once stays failed
	closed    bool
	notes     []string

	// skip marks, per selected column, the row groups whose chunk is not
	// decoded (SkipChunks); nil decodes every chunk. Batches then lie in
	// one row group each: rgCur, of which rgLeft rows are still to come;
	// rg is the next row group.
	skip      [][]bool
	rg, rgCur int
	rgLeft    int64
}

// columnDecoder yields one top-level column, batch by batch. A nil or
// empty array means the column is exhausted.
type columnDecoder interface {
	next(n int64) (arrow.Array, error)
	release()
}

// openParquet reads the footer and schema of the Parquet data in ra, of
// size bytes. The reader does not close ra.
func openParquet(path string, ra io.ReaderAt, size int64, opts Options) (r Reader, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &ReadError{Path: path, Err: panicError(p)}
		}
		if err != nil {
			r = nil
		}
	}()

	props := parquet.NewReaderProperties(memory.DefaultAllocator)
	// A buffered stream reads a column chunk a page at a time instead of
	// loading it whole: half the peak memory, no measurable cost in speed.
	props.BufferedStreamEnabled = true
	ft, err := readFooter(ra, size, opts.Limits)
	if err != nil {
		return nil, &ReadError{Path: path, Err: err}
	}
	pf, err := file.NewParquetReader(io.NewSectionReader(ra, 0, size), file.WithReadProps(props), file.WithMetadata(ft.md))
	if err != nil {
		return nil, &ReadError{Path: path, Err: fmt.Errorf("parquet footer: %w", err)}
	}
	var groups int64
	for rg := range pf.NumRowGroups() {
		groups += pf.MetaData().RowGroup(rg).NumRows()
	}
	if groups != pf.NumRows() {
		return nil, &ReadError{Path: path, Err: fmt.Errorf("parquet footer: its row groups hold %d rows, its num_rows says %d", groups, pf.NumRows())}
	}
	readProps, dictCols := readProperties(pf, opts)
	fr, err := pqarrow.NewFileReader(pf, readProps, opts.Mem)
	if err != nil {
		return nil, &ReadError{Path: path, Err: fmt.Errorf("parquet schema: %w", err)}
	}
	schema, err := fr.Schema()
	if err != nil {
		return nil, &ReadError{Path: path, Err: fmt.Errorf("parquet schema: %w", err)}
	}
	schema, int96 := int96AsMicros(pf, fr, schema)
	if len(dictCols) > 0 {
		schema = plainSchema(schema)
	}

	return &parquetReader{
		path:      path,
		mem:       opts.Mem,
		batch:     int64(opts.BatchSize),
		ra:        ra,
		pf:        pf,
		fr:        fr,
		schema:    schema,
		int96:     int96,
		dict:      dictCols,
		sel:       allColumns(schema),
		selSchema: schema,
		notes:     ft.notes(),
	}, nil
}

// int96AsMicros retypes each top-level INT96 column as a microsecond
// timestamp. pqarrow reads INT96 as nanoseconds and fails on any value
// outside 1677-2262, which Spark writes routinely (9999-12-31 sentinels);
// Spark's own resolution is the microsecond, so nothing Spark wrote is
// lost. Impala's sub-microsecond digits are truncated. INT96 inside a list
// or map is still pqarrow's nanoseconds.
func int96AsMicros(pf *file.Reader, fr *pqarrow.FileReader, schema *arrow.Schema) (*arrow.Schema, map[int]bool) {
	int96 := map[int]bool{}
	fields := schema.Fields()
	for i := range fr.Manifest.Fields {
		sf := &fr.Manifest.Fields[i]
		if !sf.IsLeaf() || i >= len(fields) {
			continue
		}
		col := pf.MetaData().Schema.Column(sf.ColIndex)
		if col.PhysicalType() != parquet.Types.Int96 || col.MaxRepetitionLevel() != 0 {
			continue
		}
		tz := ""
		if ts, ok := fields[i].Type.(*arrow.TimestampType); ok {
			tz = ts.TimeZone
		}
		fields[i].Type = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: tz}
		int96[i] = true
	}
	if len(int96) == 0 {
		return schema, int96
	}
	md := schema.Metadata()
	return arrow.NewSchema(fields, &md), int96
}

// Notes says what the reader chose to ignore; see Noter.
func (r *parquetReader) Notes() []string { return r.notes }

func (r *parquetReader) Format() Format        { return Parquet }
func (r *parquetReader) Schema() *arrow.Schema { return r.schema }
func (r *parquetReader) NumRows() int64        { return r.pf.NumRows() }

func (r *parquetReader) Select(columns []string) error {
	sel, sc, err := selectColumns(r.path, r.started, r.schema, columns)
	if err != nil {
		return err
	}
	r.sel, r.selSchema = sel, sc
	return nil
}

// leaves lists the Parquet leaf column indices under a top-level field, in
// schema order, so that nested structs, lists and maps are read whole.
func leaves(sf *pqarrow.SchemaField, out []int) []int {
	if sf.IsLeaf() {
		return append(out, sf.ColIndex)
	}
	for i := range sf.Children {
		out = leaves(&sf.Children[i], out)
	}
	return out
}

func (r *parquetReader) start(ctx context.Context) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = panicError(p)
		}
	}()
	r.planRanges()
	r.cols = make([]columnDecoder, 0, len(r.sel))
	for i, fi := range r.sel {
		if r.int96[fi] {
			leaf := r.fr.Manifest.Fields[fi].ColIndex
			r.cols = append(r.cols, &int96Column{
				leafChunks: leafChunks{pf: r.pf, col: leaf, skip: r.rowGroupSkips(i)}, mem: r.mem,
				typ:    r.schema.Field(fi).Type.(*arrow.TimestampType),
				maxDef: r.pf.MetaData().Schema.Column(leaf).MaxDefinitionLevel(),
			})
			continue
		}
		if c := r.flatColumn(fi, r.rowGroupSkips(i)); c != nil {
			r.cols = append(r.cols, c)
			continue
		}
		c, err := r.pqDecoder(ctx, i, fi)
		if err != nil {
			return fmt.Errorf("column %q: %w", r.schema.Field(fi).Name, err)
		}
		r.cols = append(r.cols, c)
	}
	return nil
}

func (r *parquetReader) Next(ctx context.Context) (Batch, error) {
	if err := nextGuard(ctx, r.path, r.closed, r.err, false); err != nil {
		return Batch{}, err
	}
	if !r.started {
		r.started = true
		if err := r.start(ctx); err != nil {
			r.err = &ReadError{Path: r.path, Err: err}
			return Batch{}, r.err
		}
	}
	if r.skip != nil {
		return r.nextSkipping()
	}
	if len(r.cols) == 0 {
		// Nothing selected: one batch carries the row count, from the
		// footer, so a row-count check needs no decoding at all. A batch of
		// no columns holds no memory, so it is not cut into BatchSize rows:
		// a footer that claims 2^62 rows must not mean 2^46 empty batches.
		n := r.pf.NumRows() - r.rows
		if n <= 0 {
			return Batch{}, io.EOF
		}
		return r.emit(nil, n), nil
	}

	arrs, err := r.decode(r.batch, nil)
	if err != nil {
		releaseAll(arrs)
		r.err = r.wrap(err)
		return Batch{}, r.err
	}
	n := arrLen(arrs[0])
	for i, a := range arrs {
		if arrLen(a) != n {
			releaseAll(arrs)
			r.err = r.wrap(fmt.Errorf("column %q has %d rows where column %q has %d",
				r.selSchema.Field(i).Name, arrLen(a), r.selSchema.Field(0).Name, n))
			return Batch{}, r.err
		}
	}
	if n == 0 {
		releaseAll(arrs)
		// Rows read must be the rows the footer promises: a page that ends
		// early or a file cut short must not pass as a smaller batch.
		if r.rows != r.pf.NumRows() {
			r.err = &ReadError{Path: r.path, Err: fmt.Errorf("read %d rows where the footer says %d", r.rows, r.pf.NumRows())}
			return Batch{}, r.err
		}
		return Batch{}, io.EOF
	}
	if r.rows+n > r.pf.NumRows() {
		releaseAll(arrs)
		r.err = r.wrap(fmt.Errorf("the pages hold more than the footer's %d rows", r.pf.NumRows()))
		return Batch{}, r.err
	}
	b := r.emit(arrs, n)
	releaseAll(arrs)
	return b, nil
}

func (r *parquetReader) emit(arrs []arrow.Array, n int64) Batch {
	b := Batch{Record: array.NewRecordBatch(recordSchema(r.selSchema, arrs), arrs, n), FirstRow: r.rows + 1}
	r.rows += n
	return b
}

// decode reads the next n rows of every selected column, a bounded
// number of columns at a time; a column marked skipped is n nulls.
func (r *parquetReader) decode(n int64, skipped []bool) ([]arrow.Array, error) {
	arrs := make([]arrow.Array, len(r.cols))
	errs := make([]error, len(r.cols))
	one := func(i int) {
		defer func() {
			if p := recover(); p != nil {
				errs[i] = panicError(p)
			}
		}()
		if skipped != nil && skipped[i] {
			arrs[i] = array.NewNull(int(n))
			return
		}
		a, err := r.cols[i].next(n)
		if err != nil {
			if a != nil {
				a.Release()
			}
			errs[i] = fmt.Errorf("column %q: %w", r.selSchema.Field(i).Name, err)
			return
		}
		arrs[i] = a
	}
	if len(r.cols) == 1 {
		one(0)
	} else {
		work := make(chan int)
		var wg sync.WaitGroup
		for range min(len(r.cols), runtime.GOMAXPROCS(0)) {
			wg.Go(func() {
				for i := range work {
					one(i)
				}
			})
		}
		for i := range r.cols {
			work <- i
		}
		close(work)
		wg.Wait()
	}
	return arrs, errors.Join(errs...)
}

// wrap turns a decoding error into a ReadError naming the row group the
// failed batch started in.
func (r *parquetReader) wrap(err error) error {
	first := r.rows + 1
	last := min(r.rows+r.batch, r.pf.NumRows())
	rg, start := 0, int64(0)
	for ; rg < r.pf.NumRowGroups(); rg++ {
		n := r.pf.MetaData().RowGroup(rg).NumRows()
		if r.rows < start+n {
			break
		}
		start += n
	}
	return &ReadError{Path: r.path, Err: fmt.Errorf("parquet row group %d, batch of rows %d-%d: %w", rg, first, last, err)}
}

func (r *parquetReader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	for _, c := range r.cols {
		c.release()
	}
	r.cols = nil
	return nil
}

// pqColumn is one top-level column decoded by pqarrow.
type pqColumn struct {
	rr pqarrow.RecordReader
}

func (c *pqColumn) next(int64) (arrow.Array, error) {
	if !c.rr.Next() {
		if err := c.rr.Err(); err != nil {
			return nil, err
		}
		return nil, nil
	}
	a := c.rr.RecordBatch().Column(0)
	if d, ok := a.(*array.Dictionary); ok {
		if err := checkIndices(d); err != nil {
			return nil, err
		}
	}
	a.Retain()
	return a, nil
}

func (c *pqColumn) release() { c.rr.Release() }

// int96Column decodes a top-level INT96 column into microsecond timestamps.
type int96Column struct {
	leafChunks
	mem    memory.Allocator
	typ    *arrow.TimestampType
	maxDef int16

	vals []parquet.Int96
	defs []int16
}

const (
	julianUnixEpoch = 2_440_588 // Julian day number of 1970-01-01
	microsPerDay    = 86_400_000_000
)

func (c *int96Column) next(n int64) (arrow.Array, error) {
	b := array.NewTimestampBuilder(c.mem, c.typ)
	defer b.Release()
	for int64(b.Len()) < n {
		cr, err := c.chunk()
		if err != nil {
			return nil, err
		}
		if cr == nil {
			break
		}
		ir, ok := cr.(*file.Int96ColumnChunkReader)
		if !ok {
			return nil, fmt.Errorf("column chunk is %s, not INT96", cr.Type())
		}
		want := n - int64(b.Len())
		if int64(len(c.vals)) < want {
			c.vals = make([]parquet.Int96, want)
			c.defs = make([]int16, want)
		}
		total, _, err := ir.ReadBatch(want, c.vals[:want], c.defs[:want], nil)
		if err != nil {
			return nil, err
		}
		if total == 0 {
			return nil, errNoValues
		}
		vi := 0
		for k := range total {
			if c.maxDef > 0 && c.defs[k] < c.maxDef {
				b.AppendNull()
				continue
			}
			b.Append(arrow.Timestamp(int96Micros(c.vals[vi])))
			vi++
		}
	}
	return b.NewArray(), nil
}

func (c *int96Column) release() {}

// int96Micros converts an INT96 (nanoseconds of day, Julian day) into
// microseconds since the Unix epoch exactly as Spark reads it back: both
// parts signed and the arithmetic wrapping. Spark writes instants near the
// ends of the microsecond range (year 290000) with a wrapped Julian day, and
// only this inverse recovers them.
func int96Micros(v parquet.Int96) int64 {
	nanos := int64(binary.LittleEndian.Uint64(v[:8]))
	days := int64(int32(binary.LittleEndian.Uint32(v[8:])))
	return (days-julianUnixEpoch)*microsPerDay + nanos/1000
}

// arrLen is the length of a, where nil is an exhausted column.
func arrLen(a arrow.Array) int64 {
	if a == nil {
		return 0
	}
	return int64(a.Len())
}

func releaseAll(arrs []arrow.Array) {
	for _, a := range arrs {
		if a != nil {
			a.Release()
		}
	}
}

// panicError turns a recovered panic from a decoder into an error. Arrow's
// Parquet code panics on some malformed input instead of returning errors.
func panicError(p any) error {
	if err, ok := p.(error); ok {
		return fmt.Errorf("corrupt or unsupported parquet: %w", err)
	}
	return fmt.Errorf("corrupt or unsupported parquet: %v", p)
}

// Statistics returns what the footer of a Parquet reader's file states of
// its top-level primitive columns (combined over row groups, as
// ReadParquetMetadata gives them) and which writer wrote it; false for a
// reader of another format. Whether to trust the statistics is the
// caller's policy.
func Statistics(rd Reader) (createdBy string, cols map[string]*ColumnStats, ok bool) {
	r, ok := parquetOf(rd, true)
	if !ok {
		return "", nil, false
	}
	meta := r.pf.MetaData()
	return meta.GetCreatedBy(), footerColumns(meta), true
}
