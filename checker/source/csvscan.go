package source

import (
	"bytes"
	"encoding/binary"
	stdcsv "encoding/csv"
	"errors"
	"fmt"
	"math/bits"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/bitutil"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// scanSpec is what every worker needs to parse a chunk; it is shared and
// never written after start.
type scanSpec struct {
	path  string
	mem   memory.Allocator
	delim byte
	ncols int
	// colOf maps a file column to its index in the selection, or -1.
	colOf []int
	// lastSel is the last file column selected, -1 for none: the fields
	// after it are only counted.
	lastSel int
	fields  []fieldSpec
	nulls   nullBytes
	// maxField bounds one field's value in bytes (CSVOptions.MaxFieldBytes).
	maxField int
	// names are the header names, for errors.
	names []string
}

// fieldSpec is one selected column.
type fieldSpec struct {
	dt     arrow.DataType
	layout string
	want   string
	kind   sinkKind
}

func newScanSpec(in *csvInput, sel []int, mem memory.Allocator) *scanSpec {
	s := &scanSpec{
		path:     in.path,
		mem:      mem,
		delim:    byte(in.delim),
		ncols:    in.schema.NumFields(),
		lastSel:  -1,
		nulls:    newNullBytes(in.nulls),
		maxField: int(in.maxField),
	}
	for _, f := range in.schema.Fields() {
		s.names = append(s.names, f.Name)
	}
	s.colOf = make([]int, s.ncols)
	for i := range s.colOf {
		s.colOf[i] = -1
	}
	for i, c := range sel {
		s.colOf[c] = i
		s.lastSel = max(s.lastSel, c)
		dt := in.schema.Field(c).Type
		s.fields = append(s.fields, fieldSpec{dt: dt, layout: in.layouts[c], want: dt.String(), kind: kindOf(dt, in.layouts[c])})
	}
	return s
}

// chunkParser parses chunks into typed columns. A worker keeps one and
// reuses its scratch space across chunks.
type chunkParser struct {
	spec    *scanSpec
	buf     []byte
	line    int64
	rows    int
	lines   lineTracker
	sinks   []sink
	invalid []CellError
	scratch []byte
	// perLine is, by selected column, the text bytes per line of the last
	// chunk: the size to reserve for the next one, so that text buffers
	// rarely grow (each growth copies).
	perLine []float64
	// cutOff says the error run returned is about a record the end of the
	// data cut short: an open quote, or too few fields on a last line
	// without a newline.
	cutOff bool
}

// errIncomplete means a record ran past the end of a chunk that is not the
// last. It happens only in chunks after a quote error, which are cut
// wrongly and never handed out (see lastRecordEnd).
var errIncomplete = errors.New("record runs past its chunk")

func (p *chunkParser) parse(spec *scanSpec, j chunkJob) (res chunkResult) {
	defer func() {
		// A file must never crash the checker, as with the reference
		// reader; FuzzCSVFast sees a recovered panic as an error the
		// reference does not give.
		if v := recover(); v != nil {
			releaseAll(res.cols)
			res = chunkResult{err: &ReadError{Path: spec.path, Line: p.line, Err: fmt.Errorf("csv: %v", v)}}
		}
	}()
	p.spec = spec
	p.buf = j.buf
	p.line = j.line
	p.rows = 0
	p.lines = lineTracker{}
	p.invalid = nil
	if j.final && len(p.buf) > 0 && p.buf[len(p.buf)-1] == '\r' {
		// encoding/csv drops a \r that ends the file.
		p.buf = p.buf[:len(p.buf)-1]
	}
	p.sinks = p.sinks[:0]
	if len(p.perLine) != len(spec.fields) {
		p.perLine = make([]float64, len(spec.fields))
		for i := range p.perLine {
			p.perLine[i] = float64(len(j.buf)) / float64(max(j.newlines, 1)*spec.ncols)
		}
	}
	for i := range spec.fields {
		hint := int(p.perLine[i]*float64(j.newlines+1)*1.1) + 64
		p.sinks = append(p.sinks, newSink(spec.mem, &spec.fields[i], j.newlines+1, hint))
	}
	defer func() {
		for i := range p.sinks {
			p.sinks[i].release()
		}
		p.buf = nil
	}()

	p.cutOff = false
	err := p.run(j.final)
	if j.readErr != nil && (err == nil || p.cutOff) {
		// encoding/csv reports the read error, not a parse error, for a
		// record that the read error cut off.
		var re *ReadError
		if errors.As(j.readErr, &re) {
			re.Path = spec.path
			err = re
		} else {
			err = &ReadError{Path: spec.path, Err: j.readErr}
		}
	}
	if err != nil {
		return chunkResult{err: err}
	}
	res.rows = p.rows
	res.lines = p.lines.take()
	res.cols = make([]arrow.Array, len(p.sinks))
	for i := range p.sinks {
		if c := p.sinks[i].str; c != nil && j.newlines > 0 {
			p.perLine[i] = float64(c.dlen) / float64(j.newlines)
		}
		res.cols[i] = p.sinks[i].finish()
	}
	// Cells are found in file column order; callers want selection order
	// within a row.
	slices.SortStableFunc(p.invalid, func(a, b CellError) int {
		if a.Row != b.Row {
			return int(a.Row - b.Row)
		}
		return a.Column - b.Column
	})
	res.invalid = p.invalid
	p.invalid = nil
	return res
}

// lineAt describes the line that starts at start: end is the offset of its
// '\n' (len(buf) if none), content excludes the '\n' or "\r\n" that
// encoding/csv strips, nl says whether the line has a '\n'.
func (p *chunkParser) lineAt(start int) (end, content int, nl bool) {
	i := bytes.IndexByte(p.buf[start:], '\n')
	if i < 0 {
		return len(p.buf), len(p.buf), false
	}
	end = start + i
	content = end
	if content > start && p.buf[content-1] == '\r' {
		content--
	}
	return end, content, true
}

// run parses every record of the chunk, mirroring encoding/csv's
// readRecord on the chunk's bytes: blank lines skipped, quoted fields that
// span lines, "" as an escaped quote, "\r\n" read as "\n", and the same
// errors with the same lines and columns.
func (p *chunkParser) run(final bool) error {
	pos := 0
	for pos < len(p.buf) {
		end, content, nl := p.lineAt(pos)
		if content == pos {
			// A blank line, or the end of the data.
			if !nl {
				break
			}
			pos = end + 1
			p.line++
			continue
		}
		next, err := p.record(pos, end, content, nl, final)
		if err != nil {
			return err
		}
		pos = next
	}
	return nil
}

// lineSpan is the line a record's parse is on: the offsets of its start,
// of its '\n' (len(buf) if none) and of the end of its content, and
// whether it has a '\n' (see lineAt). record keeps the four in locals,
// for its hot path, and hands them to quotedField in this.
type lineSpan struct {
	start, end, content int
	nl                  bool
}

// record parses one record starting at pos, the start of a non-blank line,
// and returns the offset after it.
func (p *chunkParser) record(pos, end, content int, nl, final bool) (int, error) {
	spec := p.spec
	buf := p.buf
	delim := spec.delim
	recLine := p.line
	lineStart, recStart := pos, pos
	hasQuote := bytes.IndexByte(buf[pos:content], '"') >= 0
	// Only a line longer than the field limit can hold a field longer
	// than it: short lines, nearly all, cost one comparison.
	if content-pos > spec.maxField {
		if err := p.longFields(pos, content, 0); err != nil {
			return 0, err
		}
	}
	field := 0
	for {
		if !hasQuote && field > spec.lastSel {
			// Nothing more to convert and no quotes to respect: the rest of
			// the line only needs counting.
			field += bytes.Count(buf[pos:content], []byte{delim}) + 1
			break
		}
		if pos == content || buf[pos] != '"' {
			// An unquoted field.
			fend := content
			if i := indexDelim(buf[pos:content], delim); i >= 0 {
				fend = pos + i
			}
			if hasQuote {
				if j := bytes.IndexByte(buf[pos:fend], '"'); j >= 0 {
					return 0, p.errAt(p.line, pos+j-lineStart+1, stdcsv.ErrBareQuote)
				}
			}
			// emit, inlined by hand: this is the hot path.
			if field < len(spec.colOf) {
				if s := spec.colOf[field]; s >= 0 {
					p.sinks[s].add(p, s, buf[pos:fend])
				}
			}
			field++
			if fend < content {
				pos = fend + 1
				continue
			}
			break
		}
		// A quoted field. One that closes on its line with no escaped
		// quote is a slice of buf, read here: the hot path of quoted text.
		if i := bytes.IndexByte(buf[pos+1:content], '"'); i >= 0 {
			if k := pos + 1 + i; k+1 == content || buf[k+1] == delim {
				p.emit(field, buf[pos+1:k])
				field++
				if k+1 == content {
					break
				}
				pos = k + 2
				continue
			}
		}
		// Any other quoted field. A line with one has a quote, so hasQuote
		// holds on whatever line the field ends.
		ln, next, last, err := p.quotedField(lineSpan{lineStart, end, content, nl}, pos, field, recStart, final)
		if err != nil {
			return 0, err
		}
		pos, lineStart, end, content, nl = next, ln.start, ln.end, ln.content, ln.nl
		field++
		if last {
			break
		}
	}
	if field != spec.ncols {
		p.cutOff = !nl
		return 0, p.errAt(recLine, 0, stdcsv.ErrFieldCount)
	}
	p.lines.add(p.rows, recLine)
	p.rows++
	if nl {
		p.line++
		return end + 1, nil
	}
	return len(buf), nil
}

// quotedField parses the quoted field number field, whose opening quote is
// at pos on line ln, of the record that starts at recStart, and emits its
// value. Its value is a slice of buf unless it holds an escaped quote or a
// line break, which need rewriting. It returns the line the field ends on,
// the offset after the delimiter that ends it, and whether it ends the
// record.
func (p *chunkParser) quotedField(ln lineSpan, pos, field, recStart int, final bool) (lineSpan, int, bool, error) {
	buf, spec := p.buf, p.spec
	pos++
	valStart := pos
	valLine := p.line
	rewritten := false
	p.scratch = p.scratch[:0]
	for {
		i := bytes.IndexByte(buf[pos:ln.content], '"')
		if i < 0 {
			// No closing quote on this line: the value goes on with a
			// newline and the next line.
			var err error
			if ln, err = p.nextValueLine(ln, pos, valLine, field, final); err != nil {
				return ln, 0, false, err
			}
			pos, rewritten = ln.start, true
			continue
		}
		k := pos + i
		after := k + 1
		switch {
		case after < ln.content && buf[after] == '"':
			p.scratch = append(p.scratch, buf[pos:after]...)
			rewritten = true
			pos = after + 1
		case after < ln.content && buf[after] == spec.delim, after == ln.content:
			if rewritten {
				// A value over several lines, or with escaped quotes:
				// longFields saw only its first line.
				if len(p.scratch)+k-pos > spec.maxField {
					return ln, 0, false, p.fieldTooLong(valLine, field)
				}
				if ln.start != recStart && ln.content-ln.start > spec.maxField {
					if err := p.longFields(after+1, ln.content, field+1); err != nil {
						return ln, 0, false, err
					}
				}
			}
			p.emitQuoted(field, rewritten, valStart, pos, k)
			return ln, after + 1, after == ln.content, nil
		default:
			return ln, 0, false, p.errAt(p.line, k-ln.start+1, stdcsv.ErrQuote)
		}
	}
}

// nextValueLine adds the rest of line ln from pos and a newline to the
// quoted value of field field, which started on line valLine and goes on,
// and returns the next line.
func (p *chunkParser) nextValueLine(ln lineSpan, pos int, valLine int64, field int, final bool) (lineSpan, error) {
	if !ln.nl {
		if !final {
			return ln, p.incomplete()
		}
		p.cutOff = true
		return ln, p.errAt(p.line, ln.content-ln.start+1, stdcsv.ErrQuote)
	}
	p.scratch = append(p.scratch, p.buf[pos:ln.content]...)
	p.scratch = append(p.scratch, '\n')
	if len(p.scratch) > p.spec.maxField {
		return ln, p.fieldTooLong(valLine, field)
	}
	prevLen := ln.content - ln.start + 1
	p.line++
	next := ln.end + 1
	if next == len(p.buf) {
		if !final {
			return ln, p.incomplete()
		}
		p.cutOff = true
		return ln, p.errAt(p.line-1, prevLen+1, stdcsv.ErrQuote)
	}
	end, content, nl := p.lineAt(next)
	return lineSpan{start: next, end: end, content: content, nl: nl}, nil
}

func (p *chunkParser) incomplete() error {
	return &ReadError{Path: p.spec.path, Line: p.line, Err: errIncomplete}
}

// indexDelim is bytes.IndexByte for the short fields of a CSV line, where
// the assembly version's set-up costs more than the search: eight bytes at
// a time, the lowest byte equal to d found with the has-zero-byte trick
// (exact for the lowest match, which is all that is used).
func indexDelim(b []byte, d byte) int {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	pat := uint64(d) * lo
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:]) ^ pat
		if t := (x - lo) &^ x & hi; t != 0 {
			return i + bits.TrailingZeros64(t)/8
		}
	}
	for ; i < len(b); i++ {
		if b[i] == d {
			return i
		}
	}
	return -1
}

// errAt builds the error encoding/csv reports, in the form csvError gives
// it.
func (p *chunkParser) errAt(line int64, col int, err error) error {
	if col > 0 {
		err = fmt.Errorf("column %d: %w", col, err)
	}
	return &ReadError{Path: p.spec.path, Line: line, Err: err}
}

// longFields tests the field lengths of the part of a line from pos, the
// start of field number field, to content: the cold path for a line longer
// than the field limit, where some field may be too. A quoted field that
// goes on past the line is measured by record as it grows. A malformed
// field ends the test: record reports it.
func (p *chunkParser) longFields(pos, content, field int) error {
	buf, max, delim := p.buf, p.spec.maxField, p.spec.delim
	for ; pos <= content; field++ {
		if pos < content && buf[pos] == '"' {
			n, i := 0, pos+1
			for i < content && (buf[i] != '"' || i+1 < content && buf[i+1] == '"') {
				if buf[i] == '"' {
					i++ // the first quote of an escaped pair
				}
				n, i = n+1, i+1
			}
			if n > max {
				return p.fieldTooLong(p.line, field)
			}
			if i+1 >= content || buf[i+1] != delim {
				return nil
			}
			pos = i + 2
			continue
		}
		n := indexDelim(buf[pos:content], delim)
		if n < 0 {
			n = content - pos
		}
		if n > max {
			return p.fieldTooLong(p.line, field)
		}
		pos += n + 1
	}
	return nil
}

// fieldTooLong is the error for a field longer than the limit, at the
// line the field starts on.
func (p *chunkParser) fieldTooLong(line int64, field int) error {
	return &ReadError{Path: p.spec.path, Line: line, Err: fieldTooLong(field, p.spec.names, int64(p.spec.maxField))}
}

func (p *chunkParser) emitQuoted(field int, rewritten bool, valStart, pos, k int) {
	if rewritten {
		p.scratch = append(p.scratch, p.buf[pos:k]...)
		p.emit(field, p.scratch)
		return
	}
	p.emit(field, p.buf[valStart:k])
}

// emit converts field's value when its column is selected.
func (p *chunkParser) emit(field int, v []byte) {
	if field >= len(p.spec.colOf) {
		return
	}
	if s := p.spec.colOf[field]; s >= 0 {
		p.sinks[s].add(p, s, v)
	}
}

// sink appends one selected column's values to its builder.
type sink struct {
	f *fieldSpec
	// b builds every type but utf8, which str builds.
	b     array.Builder
	str   *strColumn
	parse func(string) bool
	// Typed views of b for the fast paths.
	i64  *array.Int64Builder
	f64  *array.Float64Builder
	d128 *array.Decimal128Builder
	ts   *array.TimestampBuilder
	d32  *array.Date32Builder
	bl   *array.BooleanBuilder
	// dates remembers the last date read: rows in a file tend to come in
	// date order.
	dates dateCache
}

// newSink returns a sink with room for rows values; dataHint guesses the
// bytes of a text column.
func newSink(mem memory.Allocator, f *fieldSpec, rows, dataHint int) sink {
	if f.kind == kindString {
		return sink{f: f, str: newStrColumn(mem, rows, dataHint)}
	}
	s := sink{f: f, b: array.NewBuilder(mem, f.dt)}
	s.b.Reserve(rows)
	switch b := s.b.(type) {
	case *array.Int64Builder:
		s.i64 = b
	case *array.Float64Builder:
		s.f64 = b
	case *array.Decimal128Builder:
		s.d128 = b
	case *array.TimestampBuilder:
		s.ts = b
	case *array.Date32Builder:
		s.d32 = b
	case *array.BooleanBuilder:
		s.bl = b
	}
	s.parse = (&converter{dt: f.dt, want: f.want, layout: f.layout}).bind(s.b)
	return s
}

func (s *sink) finish() arrow.Array {
	if s.str != nil {
		return s.str.finish()
	}
	return s.b.NewArray()
}

func (s *sink) release() {
	if s.b != nil {
		s.b.Release()
		s.b = nil
	}
	if s.str != nil {
		s.str.release()
		s.str = nil
	}
}

// strColumn builds a utf8 array. array.StringBuilder costs several
// indirect calls per value; here a value is a copy, a bit and an offset.
type strColumn struct {
	offsets, data, valid *memory.Buffer
	offs                 []int32
	bytes, bits          []byte
	n, nulls, dlen       int
}

func newStrColumn(mem memory.Allocator, rows, dataHint int) *strColumn {
	c := &strColumn{
		offsets: memory.NewResizableBuffer(mem),
		data:    memory.NewResizableBuffer(mem),
		valid:   memory.NewResizableBuffer(mem),
	}
	c.offsets.Resize(arrow.Int32Traits.BytesRequired(rows + 1))
	c.offs = arrow.Int32Traits.CastFromBytes(c.offsets.Bytes())
	c.offs[0] = 0
	c.valid.Resize(int(bitutil.BytesForBits(int64(rows))))
	c.bits = c.valid.Bytes()
	clear(c.bits)
	c.data.Resize(max(dataHint, 64))
	c.bytes = c.data.Bytes()
	return c
}

func (c *strColumn) append(v []byte) {
	if c.dlen+len(v) > len(c.bytes) {
		c.data.Resize(max(2*len(c.bytes), c.dlen+len(v)))
		c.bytes = c.data.Bytes()
	}
	copy(c.bytes[c.dlen:], v)
	c.dlen += len(v)
	bitutil.SetBit(c.bits, c.n)
	c.n++
	c.offs[c.n] = int32(c.dlen)
}

func (c *strColumn) appendNull() {
	c.nulls++
	c.n++
	c.offs[c.n] = int32(c.dlen)
}

func (c *strColumn) finish() arrow.Array {
	c.offsets.Resize(arrow.Int32Traits.BytesRequired(c.n + 1))
	c.data.Resize(c.dlen)
	bufs := []*memory.Buffer{nil, c.offsets, c.data}
	if c.nulls > 0 {
		c.valid.Resize(int(bitutil.BytesForBits(int64(c.n))))
		bufs[0] = c.valid
	}
	d := array.NewData(arrow.BinaryTypes.String, c.n, bufs, nil, c.nulls, 0)
	defer d.Release()
	return array.MakeFromData(d)
}

func (c *strColumn) release() {
	c.offsets.Release()
	c.data.Release()
	c.valid.Release()
}
