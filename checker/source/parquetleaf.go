package source

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/endian"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/schema"
)

// The decoders in this file read flat columns (top level, not repeated)
// page by page straight into Arrow buffers, for the types where pqarrow
// spends most of a check's decoding time: text that is not read as a
// dictionary, and decimals stored as fixed-length big-endian bytes.
// pqarrow appends every value through an Arrow builder, and for such
// decimals first into a fixed-size binary array it then converts; on the
// shared benchmark's 5M rows that was 0.29 s of CPU for one decimal(12,2)
// column and 0.53 s for two text columns.
//
// They take the pages from arrow-go's page reader (which reads, checks and
// decompresses them) and decode the levels and values themselves: arrow-go's
// column chunk reader hands values out as a []ByteArray or
// []FixedLenByteArray, a slice header per value, and decodes a dictionary
// lazily, growing it as indices reach further (0.06 s of growslice on the
// shared benchmark's one decimal column). Here a PLAIN page's values go from
// the page bytes to the batch's buffers, a dictionary page is decoded once
// per chunk, and each index is checked against it.

// leafChunks walks one leaf column's chunks, row group by row group, with
// arrow-go's column chunk readers (the INT96 decoder's way).
type leafChunks struct {
	pf  *file.Reader
	col int
	rg  int
	cur file.ColumnChunkReader
	// skip marks the row groups whose chunk is not read (SkipChunks).
	skip []bool
}

// chunk returns the chunk reader with values left, moving on to the next
// row group as needed; nil once every row group is read.
func (l *leafChunks) chunk() (file.ColumnChunkReader, error) {
	for l.cur == nil || !l.cur.HasNext() {
		if l.cur != nil {
			if err := l.cur.Err(); err != nil {
				return nil, err
			}
		}
		rg := l.group()
		if rg == nil {
			return nil, nil
		}
		cr, err := rg.Column(l.col)
		if err != nil {
			return nil, err
		}
		l.cur = cr
	}
	return l.cur, nil
}

// group returns the next row group to read, passing over those skip
// marks; nil after the last.
func (l *leafChunks) group() *file.RowGroupReader {
	for l.skip != nil && l.rg < len(l.skip) && l.skip[l.rg] {
		l.rg++
	}
	if l.rg >= l.pf.NumRowGroups() {
		return nil
	}
	l.rg++
	return l.pf.RowGroup(l.rg - 1)
}

// errNoValues is a chunk that says it has values and yields none; without
// it a reader would loop for ever.
var errNoValues = errors.New("column chunk yields no values")

// flatLeaf is what a flat column's decoders share: the walk over its
// chunks' pages, the page's levels and values, and the validity bitmap of
// the batch being built.
type flatLeaf struct {
	leafChunks // the row groups to read (its chunk readers unused)
	mem        memory.Allocator
	maxDef     int16

	pages   file.PageReader // the current chunk's; nil between chunks
	hasDict bool            // the current chunk's dictionary page was read
	left    int             // levels (rows) left in the current data page
	defs    hybrid          // its definition levels, when maxDef > 0
	dict    bool            // its values are dictionary indices (idx)
	idx     hybrid
	plain   []byte // else its PLAIN values not yet read

	levels, indices []int32 // reused room for one stretch of a page

	valid *memory.Buffer // nil until the batch has a null
	nulls int
}

// leafValues is one physical type's side of the page loop: it turns a
// page's values into the batch's buffers. The loop calls it once per
// stretch of a page, never per value.
type leafValues interface {
	// dictionary takes the chunk's dictionary page of n PLAIN values.
	dictionary(data []byte, n int) error
	// plain writes n values of a PLAIN page's bytes to the rows from at,
	// and returns the bytes after them.
	plain(data []byte, at, n int) ([]byte, error)
	// indexed writes the dictionary's values at idx to the rows from at.
	indexed(idx []int32, at int) error
	// spread moves the n values just written from row at to the rows whose
	// level in defs is max, and leaves the other rows (nulls) empty.
	spread(defs []int32, max int32, at, n int)
}

// errPlainShort is a PLAIN page that ends before its values do.
var errPlainShort = errors.New("PLAIN data ends early")

// read decodes up to n rows into vals and returns how many it read: fewer
// only at the end of the column. On an error the batch's bitmap is
// released.
func (f *flatLeaf) read(n int, vals leafValues) (int, error) {
	got := 0
	for got < n {
		ok, err := f.page(vals)
		if err == nil && !ok {
			break
		}
		m := min(n-got, f.left)
		if err == nil {
			err = f.stretch(m, got, n, vals)
		}
		if err != nil {
			f.release()
			return 0, err
		}
		f.left -= m
		got += m
	}
	return got, nil
}

// stretch decodes the next m rows of the current page to rows at.. of a
// batch of n.
func (f *flatLeaf) stretch(m, at, n int, vals leafValues) error {
	dense := m
	var defs []int32
	max := int32(f.maxDef)
	if f.maxDef > 0 {
		defs = room(&f.levels, m)
		if err := f.defs.read(defs); err != nil {
			return fmt.Errorf("definition levels: %w", err)
		}
		dense = 0
		for k, d := range defs {
			switch {
			case d == max:
				dense++
			case d < max:
				f.null(at+k, n)
			default:
				return fmt.Errorf("definition level %d is above the column's maximum %d", d, max)
			}
		}
	}
	var err error
	if f.dict {
		idx := room(&f.indices, dense)
		if err = f.idx.read(idx); err != nil {
			return fmt.Errorf("dictionary indices: %w", err)
		}
		err = vals.indexed(idx, at)
	} else {
		f.plain, err = vals.plain(f.plain, at, dense)
	}
	if err != nil {
		return err
	}
	if dense < m {
		vals.spread(defs, max, at, dense)
	}
	return nil
}

// room returns (*buf)[:n], growing it as needed.
func room(buf *[]int32, n int) []int32 {
	if cap(*buf) < n {
		*buf = make([]int32, n)
	}
	return (*buf)[:n]
}

// page makes sure the current data page has levels left, reading the
// chunk's dictionary page on the way; false at the end of the column.
func (f *flatLeaf) page(vals leafValues) (bool, error) {
	for f.left == 0 {
		if f.pages == nil {
			rg := f.group()
			if rg == nil {
				return false, nil
			}
			pr, err := rg.GetColumnPageReader(f.col)
			if err != nil {
				return false, err
			}
			f.pages, f.hasDict = pr, false
		}
		if !f.pages.Next() {
			err := f.pages.Err()
			f.closePages()
			if err != nil {
				return false, err
			}
			continue
		}
		if err := f.start(f.pages.Page(), vals); err != nil {
			return false, err
		}
	}
	return true, nil
}

// start reads a page's header fields and sets up its levels and values;
// a dictionary page goes to vals.
func (f *flatLeaf) start(p file.Page, vals leafValues) error {
	if p == nil {
		return errors.New("page reader returned no page")
	}
	n := int(p.NumValues())
	if n < 0 {
		return fmt.Errorf("page of %d values", n)
	}
	enc := parquet.Encoding(p.Encoding())
	width := bits.Len16(uint16(f.maxDef))
	var data []byte
	switch pg := p.(type) {
	case *file.DictionaryPage:
		if f.hasDict {
			return errors.New("column chunk has a second dictionary page")
		}
		if enc != parquet.Encodings.Plain && enc != parquet.Encodings.PlainDict {
			return fmt.Errorf("dictionary page encoded %s, want PLAIN", enc)
		}
		f.hasDict = true
		return vals.dictionary(pg.Data(), n)
	case *file.DataPageV1:
		data = pg.Data()
		if f.maxDef > 0 {
			if e := pg.DefinitionLevelEncoding(); e != parquet.Encodings.RLE {
				return fmt.Errorf("definition levels encoded %s, which this reader does not decode", e)
			}
			if len(data) < 4 || uint64(binary.LittleEndian.Uint32(data)) > uint64(len(data)-4) {
				return errors.New("data page too short for its definition levels")
			}
			size := int(binary.LittleEndian.Uint32(data))
			if err := f.defs.init(data[4:4+size], width); err != nil {
				return err
			}
			data = data[4+size:]
		}
	case *file.DataPageV2:
		data = pg.Data()
		rep, def := int(pg.RepetitionLevelByteLen()), int(pg.DefinitionLevelByteLen())
		if rep < 0 || def < 0 || rep+def > len(data) {
			return errors.New("data page too short for its levels")
		}
		if f.maxDef > 0 {
			if err := f.defs.init(data[rep:rep+def], width); err != nil {
				return err
			}
		}
		data = data[rep+def:]
	default:
		return nil // an index page: no rows
	}
	switch enc {
	case parquet.Encodings.Plain:
		f.dict, f.plain = false, data
	case parquet.Encodings.RLEDict, parquet.Encodings.PlainDict:
		if !f.hasDict {
			return errors.New("dictionary-encoded data page without a dictionary page before it")
		}
		// The bit width of the indices, then their runs; a page of nulls
		// alone may hold neither.
		bw := 0
		if len(data) > 0 {
			bw, data = int(data[0]), data[1:]
		}
		if err := f.idx.init(data, bw); err != nil {
			return fmt.Errorf("dictionary indices: %w", err)
		}
		f.dict = true
	default:
		return fmt.Errorf("data page encoded %s, which this reader does not decode", enc)
	}
	f.left = n
	return nil
}

func (f *flatLeaf) closePages() {
	if f.pages != nil {
		f.pages.Close()
		f.pages = nil
	}
}

// indexError is a dictionary index outside the chunk's dictionary.
func indexError(idx int32, n int) error {
	return fmt.Errorf("corrupt dictionary page: dictionary index %d, the dictionary holds %d values", idx, n)
}

// null marks row i of a batch of n rows null.
func (f *flatLeaf) null(i, n int) {
	if f.valid == nil {
		f.valid = memory.NewResizableBuffer(f.mem)
		f.valid.Resize(int(bitutil.BytesForBits(int64(n))))
		bitutil.SetBitsTo(f.valid.Bytes(), 0, int64(n), true)
	}
	bitutil.ClearBit(f.valid.Bytes(), i)
	f.nulls++
}

// finish returns the batch's validity buffer and null count and starts
// the next batch; the caller owns the buffer.
func (f *flatLeaf) finish() (*memory.Buffer, int) {
	v, n := f.valid, f.nulls
	f.valid, f.nulls = nil, 0
	return v, n
}

func (f *flatLeaf) release() {
	if f.valid != nil {
		f.valid.Release()
		f.valid = nil
	}
	f.nulls = 0
}

// array wraps a batch's buffers, with its validity, as an Arrow array of
// rows rows; the caller keeps its references to bufs.
func (f *flatLeaf) array(dt arrow.DataType, rows int, bufs ...*memory.Buffer) arrow.Array {
	valid, nulls := f.finish()
	if valid != nil {
		defer valid.Release()
	}
	d := array.NewData(dt, rows, append([]*memory.Buffer{valid}, bufs...), nil, nulls, 0)
	defer d.Release()
	return array.MakeFromData(d)
}

// decimalColumn decodes a flat FIXED_LEN_BYTE_ARRAY decimal of at most 16
// bytes into Decimal128 values.
type decimalColumn struct {
	flatLeaf
	typ   *arrow.Decimal128Type
	width int              // bytes per value
	out   []decimal128.Num // the batch's values
	dict  []decimal128.Num // the chunk's dictionary, decoded
}

func (c *decimalColumn) next(n int64) (arrow.Array, error) {
	data := memory.NewResizableBuffer(c.mem)
	defer data.Release()
	data.Resize(int(n) * arrow.Decimal128SizeBytes)
	c.out = arrow.Decimal128Traits.CastFromBytes(data.Bytes())
	got, err := c.read(int(n), c)
	c.out = nil
	if err != nil {
		return nil, err
	}
	return c.array(c.typ, got, data), nil
}

func (c *decimalColumn) dictionary(data []byte, n int) error {
	if n > len(data)/c.width {
		return fmt.Errorf("dictionary page of %d bytes cannot hold %d values of %d bytes", len(data), n, c.width)
	}
	if cap(c.dict) < n {
		c.dict = make([]decimal128.Num, n)
	}
	c.dict = c.dict[:n]
	decodeDecimals(c.dict, data, c.width)
	return nil
}

func (c *decimalColumn) plain(data []byte, at, n int) ([]byte, error) {
	if n > len(data)/c.width {
		return nil, errPlainShort
	}
	decodeDecimals(c.out[at:at+n], data, c.width)
	return data[n*c.width:], nil
}

func (c *decimalColumn) indexed(idx []int32, at int) error {
	return lookup(c.out[at:at+len(idx)], c.dict, idx)
}

func (c *decimalColumn) spread(defs []int32, max int32, at, n int) {
	spread(c.out[at:at+len(defs)], defs, max, n)
}

// lookup writes the dictionary's values at idx to out, checking each index.
func lookup[T any](out, dict []T, idx []int32) error {
	for j, k := range idx {
		if k < 0 || int(k) >= len(dict) {
			return indexError(k, len(dict))
		}
		out[j] = dict[k]
	}
	return nil
}

// spread moves the first n values of out to the places whose level in defs
// is max, from the last back, and zeroes the others (nulls).
func spread[T any](out []T, defs []int32, max int32, n int) {
	var zero T
	d := n
	for r := len(defs) - 1; r >= 0; r-- {
		if defs[r] == max {
			d--
			out[r] = out[d]
		} else {
			out[r] = zero
		}
	}
}

// decodeDecimals reads len(out) big-endian values of width bytes.
func decodeDecimals(out []decimal128.Num, data []byte, width int) {
	for j := range out {
		out[j] = beDecimal128(data[j*width : (j+1)*width])
	}
}

// beDecimal128 reads a big-endian two's complement integer of 1 to 16
// bytes, as Parquet stores a decimal in FIXED_LEN_BYTE_ARRAY.
func beDecimal128(b []byte) decimal128.Num {
	if len(b) <= 8 {
		return decimal128.FromI64(beInt64(b))
	}
	hi := beInt64(b[:len(b)-8])
	var lo uint64
	for _, x := range b[len(b)-8:] {
		lo = lo<<8 | uint64(x)
	}
	return decimal128.New(hi, lo)
}

// beInt64 sign-extends a big-endian integer of 1 to 8 bytes.
func beInt64(b []byte) int64 {
	var u uint64
	for _, x := range b {
		u = u<<8 | uint64(x)
	}
	shift := 64 - 8*uint(len(b))
	return int64(u<<shift) >> shift
}

func (c *decimalColumn) release() {
	c.flatLeaf.release()
	c.closePages()
}

// fixedColumn decodes a flat INT32, INT64, FLOAT or DOUBLE column whose
// Arrow type holds the stored values bit for bit (integers, dates, times
// and timestamps in the stored unit, floats): PLAIN values are copied, a
// dictionary's looked up. pqarrow spent more on these columns than on
// their decompression.
type fixedColumn[T int32 | int64 | float32 | float64] struct {
	flatLeaf
	typ  arrow.DataType
	out  []T // the batch's values
	dict []T // the chunk's dictionary
}

func (c *fixedColumn[T]) next(n int64) (arrow.Array, error) {
	size := int(unsafe.Sizeof(T(0)))
	data := memory.NewResizableBuffer(c.mem)
	defer data.Release()
	data.Resize(int(n) * size)
	c.out = arrow.GetData[T](data.Bytes())
	got, err := c.read(int(n), c)
	c.out = nil
	if err != nil {
		return nil, err
	}
	data.ResizeNoShrink(got * size)
	return c.array(c.typ, got, data), nil
}

func (c *fixedColumn[T]) dictionary(data []byte, n int) error {
	size := int(unsafe.Sizeof(T(0)))
	if n > len(data)/size {
		return fmt.Errorf("dictionary page of %d bytes cannot hold %d values of %d bytes", len(data), n, size)
	}
	c.dict = append(c.dict[:0], arrow.GetData[T](data[:n*size])...)
	return nil
}

// plain copies the values: Parquet stores them little-endian, as the
// machines this reader decodes on do (flatColumn).
func (c *fixedColumn[T]) plain(data []byte, at, n int) ([]byte, error) {
	size := int(unsafe.Sizeof(T(0)))
	if n > len(data)/size {
		return nil, errPlainShort
	}
	copy(arrow.GetBytes(c.out[at:at+n]), data[:n*size])
	return data[n*size:], nil
}

func (c *fixedColumn[T]) indexed(idx []int32, at int) error {
	return lookup(c.out[at:at+len(idx)], c.dict, idx)
}

func (c *fixedColumn[T]) spread(defs []int32, max int32, at, n int) {
	spread(c.out[at:at+len(defs)], defs, max, n)
}

func (c *fixedColumn[T]) release() {
	c.flatLeaf.release()
	c.closePages()
}

// textColumn decodes a flat BYTE_ARRAY column into a utf8 or binary array
// with 32-bit offsets.
type textColumn struct {
	flatLeaf
	typ arrow.DataType
	// hint is the text bytes of the last batch: the size to reserve for
	// the next one, so that the data buffer rarely grows.
	hint int

	// The batch being built: its data buffer, the bytes written so far
	// (with the buffer's capacity) and its n+1 offsets.
	data *memory.Buffer
	buf  []byte
	offs []int32

	// The chunk's dictionary: its values' bytes and their n+1 offsets.
	dictBytes []byte
	dictOffs  []int32
}

func (c *textColumn) next(n int64) (arrow.Array, error) {
	offsets := memory.NewResizableBuffer(c.mem)
	defer offsets.Release()
	offsets.Resize(int(n+1) * arrow.Int32SizeBytes)
	c.offs = arrow.Int32Traits.CastFromBytes(offsets.Bytes())
	c.offs[0] = 0
	c.data = memory.NewResizableBuffer(c.mem)
	defer c.data.Release()
	c.data.Reserve(min(c.hint, math.MaxInt32))
	c.buf = c.data.Buf()[:0:min(len(c.data.Buf()), math.MaxInt32)]
	got, err := c.read(int(n), c)
	data, size := c.data, len(c.buf)
	c.data, c.buf, c.offs = nil, nil, nil
	if err != nil {
		return nil, err
	}
	data.ResizeNoShrink(size)
	c.hint = size + size/8
	return c.array(c.typ, got, offsets, data), nil
}

func (c *textColumn) dictionary(data []byte, n int) error {
	if n > len(data)/4 {
		return fmt.Errorf("dictionary page of %d bytes cannot hold %d values", len(data), n)
	}
	c.dictBytes = append(c.dictBytes[:0], data...)
	c.dictOffs = room(&c.dictOffs, n+1)
	// The offsets point at each value's bytes, after its length.
	rest := c.dictBytes
	pos := 0
	for j := range n {
		if len(rest) < 4 || uint64(binary.LittleEndian.Uint32(rest)) > uint64(len(rest)-4) {
			return errors.New("dictionary page ends before its values do")
		}
		size := int(binary.LittleEndian.Uint32(rest))
		copy(c.dictBytes[pos:], rest[4:4+size])
		c.dictOffs[j] = int32(pos)
		pos += size
		rest = rest[4+size:]
	}
	c.dictOffs[n] = int32(pos)
	return nil
}

func (c *textColumn) plain(data []byte, at, n int) ([]byte, error) {
	buf := c.buf
	offs := c.offs[at+1 : at+1+n]
	for j := range offs {
		if len(data) < 4 || uint64(binary.LittleEndian.Uint32(data)) > uint64(len(data)-4) {
			c.buf = buf
			return nil, errPlainShort
		}
		size := int(binary.LittleEndian.Uint32(data))
		if len(buf)+size > cap(buf) {
			var err error
			if buf, err = c.grow(buf, size); err != nil {
				return nil, err
			}
		}
		buf = append(buf, data[4:4+size]...)
		data = data[4+size:]
		offs[j] = int32(len(buf))
	}
	c.buf = buf
	return data, nil
}

func (c *textColumn) indexed(idx []int32, at int) error {
	buf := c.buf
	offs := c.offs[at+1 : at+1+len(idx)]
	nd := len(c.dictOffs) - 1
	for j, k := range idx {
		if k < 0 || int(k) >= nd {
			c.buf = buf
			return indexError(k, max(nd, 0))
		}
		v := c.dictBytes[c.dictOffs[k]:c.dictOffs[k+1]]
		if len(buf)+len(v) > cap(buf) {
			var err error
			if buf, err = c.grow(buf, len(v)); err != nil {
				return err
			}
		}
		buf = append(buf, v...)
		offs[j] = int32(len(buf))
	}
	c.buf = buf
	return nil
}

func (c *textColumn) spread(defs []int32, max int32, at, n int) {
	// offs[0] is where the stretch starts; the n values' ends follow it.
	offs := c.offs[at : at+1+len(defs)]
	d := n
	for r := len(defs) - 1; r >= 0; r-- {
		offs[r+1] = offs[d]
		if defs[r] == max {
			d--
		}
	}
}

// grow makes room in the data buffer for more bytes, doubling it; buf is
// the buffer's bytes so far, its capacity the buffer's. Offsets are 32-bit:
// a batch holds at most 2 GiB of text.
func (c *textColumn) grow(buf []byte, more int) ([]byte, error) {
	need := len(buf) + more
	if need > math.MaxInt32 {
		return nil, errors.New("a batch holds more than 2 GiB of text; read with a smaller --batch-size")
	}
	c.data.ResizeNoShrink(len(buf))
	c.data.Reserve(min(max(2*cap(buf), need, 4096), math.MaxInt32))
	all := c.data.Buf()
	return all[:len(buf):min(len(all), math.MaxInt32)], nil
}

func (c *textColumn) release() {
	c.flatLeaf.release()
	c.closePages()
}

// flatColumn returns this file's own decoder for top-level field fi when
// it has one for the field's type and the chunks' encodings, else nil
// (pqarrow decodes it); it leaves out the row groups skip marks.
func (r *parquetReader) flatColumn(fi int, skip []bool) columnDecoder {
	sf := &r.fr.Manifest.Fields[fi]
	if !sf.IsLeaf() || r.dict[sf.ColIndex] {
		return nil
	}
	col := r.pf.MetaData().Schema.Column(sf.ColIndex)
	if col.MaxRepetitionLevel() != 0 || !ownEncodings(r.pf, sf.ColIndex, skip) {
		return nil
	}
	leaf := flatLeaf{leafChunks: leafChunks{pf: r.pf, col: sf.ColIndex, skip: skip}, mem: r.mem, maxDef: col.MaxDefinitionLevel()}
	dt := r.schema.Field(fi).Type
	switch col.PhysicalType() {
	case parquet.Types.FixedLenByteArray:
		if d, ok := dt.(*arrow.Decimal128Type); ok && col.TypeLength() >= 1 && col.TypeLength() <= 16 {
			return &decimalColumn{flatLeaf: leaf, typ: d, width: col.TypeLength()}
		}
	case parquet.Types.ByteArray:
		if dt.ID() == arrow.STRING || dt.ID() == arrow.BINARY {
			return &textColumn{flatLeaf: leaf, typ: dt}
		}
	case parquet.Types.Int32, parquet.Types.Int64, parquet.Types.Float, parquet.Types.Double:
		if endian.IsBigEndian || !sameBits(col, dt) {
			return nil
		}
		switch col.PhysicalType() {
		case parquet.Types.Int32:
			return &fixedColumn[int32]{flatLeaf: leaf, typ: dt}
		case parquet.Types.Int64:
			return &fixedColumn[int64]{flatLeaf: leaf, typ: dt}
		case parquet.Types.Float:
			return &fixedColumn[float32]{flatLeaf: leaf, typ: dt}
		default:
			return &fixedColumn[float64]{flatLeaf: leaf, typ: dt}
		}
	}
	return nil
}

// sameBits says the Arrow type pqarrow reads a fixed-width column as holds
// its stored values unchanged: the same width and, for times and
// timestamps, the stored unit. Anything pqarrow converts (a decimal stored
// as an integer, 8- and 16-bit integers, a timestamp a stored Arrow schema
// asks for in another unit, dates as milliseconds) is left to it.
func sameBits(col *schema.Column, dt arrow.DataType) bool {
	lt := col.LogicalType()
	unit := func(u arrow.TimeUnit) bool {
		var stored schema.TimeUnitType
		switch t := lt.(type) {
		case schema.TimestampLogicalType:
			stored = t.TimeUnit()
		case schema.TimeLogicalType:
			stored = t.TimeUnit()
		default:
			return false
		}
		switch u {
		case arrow.Millisecond:
			return stored == schema.TimeUnitMillis
		case arrow.Microsecond:
			return stored == schema.TimeUnitMicros
		case arrow.Nanosecond:
			return stored == schema.TimeUnitNanos
		}
		return false
	}
	switch col.PhysicalType() {
	case parquet.Types.Int32:
		switch t := dt.(type) {
		case *arrow.Int32Type, *arrow.Uint32Type, *arrow.Date32Type:
			return true
		case *arrow.Time32Type:
			return t.Unit == arrow.Millisecond && unit(t.Unit)
		}
	case parquet.Types.Int64:
		switch t := dt.(type) {
		case *arrow.Int64Type, *arrow.Uint64Type:
			return true
		case *arrow.TimestampType:
			return unit(t.Unit)
		case *arrow.Time64Type:
			return unit(t.Unit)
		}
	case parquet.Types.Float:
		return dt.ID() == arrow.FLOAT32
	case parquet.Types.Double:
		return dt.ID() == arrow.FLOAT64
	}
	return false
}

// ownEncodings says every chunk of column col that is read lists only the
// encodings the flat decoders read: PLAIN values, dictionary indices and
// RLE levels. Others (the DELTA family, BYTE_STREAM_SPLIT, the old
// BIT_PACKED levels) are left to pqarrow.
func ownEncodings(pf *file.Reader, col int, skip []bool) bool {
	for rg := range pf.NumRowGroups() {
		if skip != nil && rg < len(skip) && skip[rg] {
			continue
		}
		cc, err := pf.MetaData().RowGroup(rg).ColumnChunk(col)
		if err != nil {
			return false
		}
		for _, e := range cc.Encodings() {
			switch e {
			case parquet.Encodings.Plain, parquet.Encodings.PlainDict, parquet.Encodings.RLE, parquet.Encodings.RLEDict:
			default:
				return false
			}
		}
	}
	return true
}
