package source

import (
	"errors"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
)

// The decoders in this file read flat columns (top level, not repeated)
// straight from the column chunk readers, page by page, into Arrow
// buffers, for the types where pqarrow spends most of a check's decoding
// time: text that is not read as a dictionary, and decimals stored as
// fixed-length big-endian bytes. pqarrow appends every value through an
// Arrow builder, and for such decimals first into a fixed-size binary
// array it then converts; on the shared benchmark's 5M rows that was 0.29 s
// of CPU for one decimal(12,2) column and 0.53 s for two text columns.
// Values are taken from the page (or its dictionary) without a copy per
// value and written once into the batch's buffers.

// leafChunks walks one leaf column's chunks, row group by row group.
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
		for l.skip != nil && l.rg < len(l.skip) && l.skip[l.rg] {
			l.rg++
		}
		if l.rg >= l.pf.NumRowGroups() {
			return nil, nil
		}
		cr, err := l.pf.RowGroup(l.rg).Column(l.col)
		if err != nil {
			return nil, err
		}
		l.rg++
		l.cur = cr
	}
	return l.cur, nil
}

// errNoValues is a chunk that says it has values and yields none; without
// it a reader would loop for ever.
var errNoValues = errors.New("column chunk yields no values")

// flatLeaf is what a flat column's decoder shares: its chunks, its
// definition levels, and the validity bitmap of the batch being built.
type flatLeaf struct {
	leafChunks
	mem    memory.Allocator
	maxDef int16
	defs   []int16

	valid *memory.Buffer // nil until the batch has a null
	nulls int
}

// levels returns room for want definition levels, nil for a required
// column (which has none).
func (f *flatLeaf) levels(want int64) []int16 {
	if f.maxDef == 0 {
		return nil
	}
	if int64(len(f.defs)) < want {
		f.defs = make([]int16, want)
	}
	return f.defs[:want]
}

// page reads up to want rows of the current page with read, which gets
// the page's chunk reader and room for the definition levels; it returns
// the levels, the number of rows and of (dense) values read, and 0 rows at
// the end of the column. On an error the batch's bitmap is released.
func (f *flatLeaf) page(want int64, read func(cr file.ColumnChunkReader, defs []int16) (int64, int, error)) ([]int16, int64, int, error) {
	cr, err := f.chunk()
	if err != nil {
		f.release()
		return nil, 0, 0, err
	}
	if cr == nil {
		return nil, 0, 0, nil
	}
	defs := f.levels(want)
	total, n, err := read(cr, defs)
	if err == nil && total == 0 {
		err = errNoValues
	}
	if err != nil {
		f.release()
		return nil, 0, 0, err
	}
	return defs, total, n, nil
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
}

// decimalColumn decodes a flat FIXED_LEN_BYTE_ARRAY decimal of at most 16
// bytes into Decimal128 values.
type decimalColumn struct {
	flatLeaf
	typ  *arrow.Decimal128Type
	vals []parquet.FixedLenByteArray
}

func (c *decimalColumn) next(n int64) (arrow.Array, error) {
	data := memory.NewResizableBuffer(c.mem)
	defer data.Release()
	data.Resize(int(n) * arrow.Decimal128SizeBytes)
	out := arrow.Decimal128Traits.CastFromBytes(data.Bytes())
	got := 0
	for int64(got) < n {
		want := n - int64(got)
		if int64(len(c.vals)) < want {
			c.vals = make([]parquet.FixedLenByteArray, want)
		}
		defs, total, read, err := c.page(want, func(cr file.ColumnChunkReader, defs []int16) (int64, int, error) {
			fr, ok := cr.(*file.FixedLenByteArrayColumnChunkReader)
			if !ok {
				return 0, 0, fmt.Errorf("column chunk is %s, not FIXED_LEN_BYTE_ARRAY", cr.Type())
			}
			return fr.ReadBatchInPage(want, c.vals[:want], defs, nil)
		})
		if err != nil {
			return nil, err
		}
		if total == 0 {
			break
		}
		vals := c.vals[:read]
		if defs == nil {
			for k, v := range vals {
				out[got+k] = beDecimal128(v)
			}
		} else {
			vi := 0
			for k, d := range defs[:total] {
				if d < c.maxDef {
					out[got+k] = decimal128.Num{}
					c.null(got+k, int(n))
					continue
				}
				out[got+k] = beDecimal128(vals[vi])
				vi++
			}
		}
		got += int(total)
	}
	valid, nulls := c.finish()
	if valid != nil {
		defer valid.Release()
	}
	d := array.NewData(c.typ, got, []*memory.Buffer{valid, data}, nil, nulls, 0)
	defer d.Release()
	return array.MakeFromData(d), nil
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

func (c *decimalColumn) release() { c.flatLeaf.release() }

// textColumn decodes a flat BYTE_ARRAY column into a utf8 or binary array
// with 32-bit offsets.
type textColumn struct {
	flatLeaf
	typ  arrow.DataType
	vals []parquet.ByteArray
	// hint is the text bytes of the last batch: the size to reserve for
	// the next one, so that the data buffer rarely grows.
	hint int
}

func (c *textColumn) next(n int64) (arrow.Array, error) {
	offsets := memory.NewResizableBuffer(c.mem)
	defer offsets.Release()
	offsets.Resize(int(n+1) * arrow.Int32SizeBytes)
	offs := arrow.Int32Traits.CastFromBytes(offsets.Bytes())
	data := memory.NewResizableBuffer(c.mem)
	defer data.Release()
	data.Reserve(c.hint)
	buf := data.Buf()[:0:len(data.Buf())]
	got := 0
	offs[0] = 0
	for int64(got) < n {
		want := n - int64(got)
		if int64(len(c.vals)) < want {
			c.vals = make([]parquet.ByteArray, want)
		}
		defs, total, read, err := c.page(want, func(cr file.ColumnChunkReader, defs []int16) (int64, int, error) {
			br, ok := cr.(*file.ByteArrayColumnChunkReader)
			if !ok {
				return 0, 0, fmt.Errorf("column chunk is %s, not BYTE_ARRAY", cr.Type())
			}
			return br.ReadBatchInPage(want, c.vals[:want], defs, nil)
		})
		if err != nil {
			return nil, err
		}
		if total == 0 {
			break
		}
		vals := c.vals[:read]
		vi := 0
		for k := range int(total) {
			if defs != nil && defs[k] < c.maxDef {
				c.null(got+k, int(n))
			} else {
				buf = c.append(data, buf, vals[vi])
				vi++
			}
			if len(buf) > math.MaxInt32 {
				c.release()
				return nil, fmt.Errorf("a batch of %d rows holds more than 2 GiB of text; read with a smaller --batch-size", n)
			}
			offs[got+k+1] = int32(len(buf))
		}
		got += int(total)
	}
	data.ResizeNoShrink(len(buf))
	c.hint = len(buf) + len(buf)/8
	valid, nulls := c.finish()
	if valid != nil {
		defer valid.Release()
	}
	d := array.NewData(c.typ, got, []*memory.Buffer{valid, offsets, data}, nil, nulls, 0)
	defer d.Release()
	return array.MakeFromData(d), nil
}

// append adds v to the data buffer, growing it by doubling; buf is the
// buffer's bytes so far, its capacity the buffer's.
func (c *textColumn) append(data *memory.Buffer, buf []byte, v []byte) []byte {
	if len(buf)+len(v) > cap(buf) {
		data.ResizeNoShrink(len(buf))
		data.Reserve(max(2*cap(buf), len(buf)+len(v), 4096))
		all := data.Buf()
		buf = all[:len(buf):len(all)]
	}
	return append(buf, v...)
}

func (c *textColumn) release() { c.flatLeaf.release() }

// flatColumn returns this file's own decoder for top-level field fi when
// it has one for the field's type, else nil (pqarrow decodes it); it
// leaves out the row groups skip marks.
func (r *parquetReader) flatColumn(fi int, skip []bool) columnDecoder {
	sf := &r.fr.Manifest.Fields[fi]
	if !sf.IsLeaf() || r.dict[sf.ColIndex] {
		return nil
	}
	col := r.pf.MetaData().Schema.Column(sf.ColIndex)
	if col.MaxRepetitionLevel() != 0 {
		return nil
	}
	leaf := flatLeaf{leafChunks: leafChunks{pf: r.pf, col: sf.ColIndex, skip: skip}, mem: r.mem, maxDef: col.MaxDefinitionLevel()}
	dt := r.schema.Field(fi).Type
	switch col.PhysicalType() {
	case parquet.Types.FixedLenByteArray:
		if d, ok := dt.(*arrow.Decimal128Type); ok && col.TypeLength() >= 1 && col.TypeLength() <= 16 {
			return &decimalColumn{flatLeaf: leaf, typ: d}
		}
	case parquet.Types.ByteArray:
		if dt.ID() == arrow.STRING || dt.ID() == arrow.BINARY {
			return &textColumn{flatLeaf: leaf, typ: dt}
		}
	}
	return nil
}
