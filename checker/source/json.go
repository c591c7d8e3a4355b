package source

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// JSONLayout is how the records of a JSON file are delimited.
type JSONLayout string

// The JSON layouts, named as ODCS servers name them in delimiter.
const (
	// JSONAuto reads either layout, decided by the file's first byte.
	JSONAuto JSONLayout = "auto"
	// JSONLines is one record after another, usually one a line (NDJSON).
	JSONLines JSONLayout = "new_line"
	// JSONArray is one top-level array of records.
	JSONArray JSONLayout = "array"
)

func (l JSONLayout) phrase() string {
	if l == JSONArray {
		return "array (one JSON array of records)"
	}
	return "new_line (one record after another)"
}

// JSONOptions controls JSON reading.
type JSONOptions struct {
	// Layout is the layout the file must have; empty or JSONAuto accepts
	// both.
	Layout JSONLayout
	// Types gives the Arrow type each member (by name) is read into:
	// objects are structs, arrays lists. Members not listed get the type
	// of their first non-null value in the sample (see jsonReader), and so
	// do the holes of a listed type (see hasHole): an empty struct, an
	// object whose members the data names; arrow.Null, any value.
	Types map[string]arrow.DataType
	// TimeLayouts gives, by member name, the Go time layout a date,
	// timestamp or time member is written in; others accept ISO 8601.
	TimeLayouts map[string]string
}

// jsonSample bounds the records read at Open to learn the schema.
const jsonSampleBytes = 16 << 20

// jsonReader reads NDJSON and JSON arrays of objects. Each record is cut
// from the stream (jsonSplitter), validated, and its members appended
// straight into Arrow builders of the types the contract gives, so memory
// is one batch plus one record.
//
// The schema is the members of the first records, in order of first
// appearance: up to one batch or 16 MiB of them are read at Open (and
// returned by the first Next), as DuckDB samples a file to type it. A
// member first seen after the sample is not a column; a member absent from
// a record is null. A value whose JSON kind does not fit its column (a
// string for an integer, a number for a string, an object for a list) is
// null and a CellError, like a CSV cell that does not parse. When a key
// repeats in one object, the first value counts.
type jsonReader struct {
	path string
	mem  memory.Allocator
	// closer holds what the reader opened on the stream (a gzip reader),
	// not the input itself.
	closer    []io.Closer
	sp        *jsonSplitter
	batchSize int
	schema    *arrow.Schema
	layouts   map[string]string

	pending []jsonRecord

	sel       []int
	selSchema *arrow.Schema
	byName    map[string]int // member name -> index in sel
	sinks     []*jsonSink
	seen      []int // generation a selected column was last filled in
	gen       int

	started, done, closed bool
	rows                  int64
	err                   error
}

type jsonRecord struct {
	b    []byte
	line int64
}

// openJSON opens a JSON stream (gz: gzip-compressed) and reads its first
// records to learn the schema. The reader does not close src.
func openJSON(path string, src io.Reader, gz bool, opts Options) (_ Reader, err error) {
	opts = withDefaults(opts)
	r := &jsonReader{path: path, mem: opts.Mem, batchSize: opts.BatchSize, layouts: opts.JSON.TimeLayouts}
	defer func() {
		if err != nil {
			r.Close()
		}
	}()
	if gz {
		zr, err := gzip.NewReader(src)
		if err != nil {
			return nil, &ReadError{Path: path, Err: fmt.Errorf("gzip: %w", err)}
		}
		r.closer = append(r.closer, zr)
		src = zr
	}
	br := bufio.NewReaderSize(src, 256<<10)
	if b, err := br.Peek(len(utf8BOM)); err == nil && bytes.Equal(b, utf8BOM) {
		br.Discard(len(utf8BOM))
	}
	r.sp, err = newJSONSplitter(br, opts.JSON.Layout)
	if err != nil {
		return nil, r.wrap(err)
	}
	if err := r.sample(opts.JSON.Types); err != nil {
		return nil, err
	}
	return r, nil
}

// wrap names the file in a splitter error.
func (r *jsonReader) wrap(err error) error {
	var re *ReadError
	if errors.As(err, &re) {
		if re.Path == "" {
			re.Path = r.path
		}
		return re
	}
	return &ReadError{Path: r.path, Err: err}
}

// sample reads the first records and builds the schema from them.
func (r *jsonReader) sample(types map[string]arrow.DataType) error {
	var names []string
	found := map[string]arrow.DataType{}
	typed := map[string]bool{} // found[k] is final
	known := map[string]bool{}
	size := 0
	for len(r.pending) < r.batchSize && size < jsonSampleBytes {
		rec, line, err := r.sp.next()
		if errors.Is(err, errJSONEnd) {
			break
		}
		if err != nil {
			return r.wrap(err)
		}
		if err := validateJSON(rec, line); err != nil {
			return r.wrap(err)
		}
		size += len(rec)
		r.pending = append(r.pending, jsonRecord{b: bytes.Clone(rec), line: line})
		jsonMembers(rec, func(k string, v []byte) {
			if !known[k] {
				known[k] = true
				names = append(names, k)
			}
			if typed[k] {
				return
			}
			if t := types[k]; t != nil {
				// A declared type; its holes fill from the first records
				// that have values for them.
				if found[k] != nil {
					t = found[k]
				}
				t = fillHoles(t, v, 0)
				found[k], typed[k] = t, !hasHole(t)
			} else if t, ok := inferJSONType(v, 0); ok {
				found[k], typed[k] = t, true
			}
		})
	}
	fields := make([]arrow.Field, len(names))
	for i, n := range names {
		t := found[n]
		if t == nil {
			t = arrow.BinaryTypes.String // null in every sampled record
		}
		t = closeHoles(t)
		fields[i] = arrow.Field{Name: n, Type: t, Nullable: true}
	}
	r.schema = arrow.NewSchema(fields, nil)
	r.sel, r.selSchema = allColumns(r.schema), r.schema
	return nil
}

func (r *jsonReader) Format() Format        { return JSON }
func (r *jsonReader) Schema() *arrow.Schema { return r.schema }
func (r *jsonReader) NumRows() int64        { return -1 }

func (r *jsonReader) Select(columns []string) error {
	sel, sc, err := selectColumns(r.path, r.started, r.schema, columns)
	if err != nil {
		return err
	}
	r.sel, r.selSchema = sel, sc
	return nil
}

func (r *jsonReader) start() {
	r.started = true
	r.byName = make(map[string]int, len(r.sel))
	r.sinks = make([]*jsonSink, len(r.sel))
	r.seen = make([]int, len(r.sel))
	for i, ci := range r.sel {
		f := r.schema.Field(ci)
		r.byName[f.Name] = i
		r.sinks[i] = newJSONSink(array.NewBuilder(r.mem, f.Type), f.Type, r.layouts[f.Name], "")
	}
}

func (r *jsonReader) Next(ctx context.Context) (Batch, error) {
	if err := nextGuard(ctx, r.path, r.closed, r.err, r.done); err != nil {
		return Batch{}, err
	}
	if !r.started {
		r.start()
	}
	first := r.rows + 1
	var n int64
	var invalid []CellError
	var lines lineTracker
	for n < int64(r.batchSize) {
		var rec jsonRecord
		if len(r.pending) > 0 {
			rec = r.pending[0]
			r.pending[0] = jsonRecord{}
			r.pending = r.pending[1:]
		} else {
			b, line, err := r.sp.next()
			if errors.Is(err, errJSONEnd) {
				r.done = true
				break
			}
			if err == nil {
				err = validateJSON(b, line)
			}
			if err != nil {
				// A batch cut short by unreadable JSON is not returned:
				// the file is unreadable from that line on.
				r.done = true
				r.err = r.wrap(err)
				r.discard()
				return Batch{}, r.err
			}
			rec = jsonRecord{b: b, line: line}
		}
		lines.add(int(n), rec.line)
		n++
		invalid = r.record(rec, first+n-1, invalid)
	}
	if n == 0 {
		return Batch{}, io.EOF
	}
	// Members come in the record's order; callers want column order.
	slices.SortStableFunc(invalid, func(a, b CellError) int {
		if a.Row != b.Row {
			return int(a.Row - b.Row)
		}
		return a.Column - b.Column
	})
	arrs := make([]arrow.Array, len(r.sinks))
	for i, s := range r.sinks {
		arrs[i] = s.b.NewArray()
	}
	out := array.NewRecordBatch(r.selSchema, arrs, n)
	releaseAll(arrs)
	r.rows += n
	return Batch{Record: out, FirstRow: first, Invalid: invalid, Lines: lines.take()}, nil
}

// record appends one record's selected members to the builders.
func (r *jsonReader) record(rec jsonRecord, row int64, invalid []CellError) []CellError {
	r.gen++
	jsonMembers(rec.b, func(k string, v []byte) {
		i, ok := r.byName[k]
		if !ok || r.seen[i] == r.gen {
			return
		}
		r.seen[i] = r.gen
		if want, raw := r.sinks[i].append(v); want != "" {
			invalid = append(invalid, CellError{Row: row, Line: rec.line, Column: i, Raw: raw, Want: want})
		}
	})
	for i, s := range r.sinks {
		if r.seen[i] != r.gen {
			s.b.AppendNull()
		}
	}
	return invalid
}

// discard drops what the builders hold after a read error.
func (r *jsonReader) discard() {
	for _, s := range r.sinks {
		a := s.b.NewArray()
		a.Release()
	}
}

func (r *jsonReader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	for _, s := range r.sinks {
		s.b.Release()
	}
	var errs []error
	for i := len(r.closer) - 1; i >= 0; i-- {
		errs = append(errs, r.closer[i].Close())
	}
	r.closer = nil
	return errors.Join(errs...)
}

// jsonSink appends JSON values to one builder, checking that each value's
// JSON kind fits the builder's type.
type jsonSink struct {
	b    array.Builder
	dt   arrow.DataType
	path string // the nested field, "" for a column
	// accept is the JSON kind the column takes: 's' string, 'n' number,
	// 'b' boolean, 't' a string parsed as a date or time, 'd' a number or
	// a string (decimals, which writers often quote), 'o' object, 'a'
	// array.
	accept   byte
	parse    func(string) bool
	str      *array.StringBuilder
	fields   map[string]int
	children []*jsonSink
	seen     []int
	gen      int
	elem     *jsonSink
	sb       *array.StructBuilder
	lb       array.ListLikeBuilder
}

func newJSONSink(b array.Builder, dt arrow.DataType, layout, path string) *jsonSink {
	s := &jsonSink{b: b, dt: dt, path: path}
	switch dt.ID() {
	case arrow.STRING:
		s.accept, s.str = 's', b.(*array.StringBuilder)
	case arrow.BOOL:
		s.accept = 'b'
	case arrow.DECIMAL128, arrow.DECIMAL256:
		s.accept = 'd'
	case arrow.DATE32, arrow.DATE64, arrow.TIMESTAMP, arrow.TIME32, arrow.TIME64, arrow.LARGE_STRING:
		s.accept = 't'
	case arrow.STRUCT:
		st := dt.(*arrow.StructType)
		s.accept, s.sb = 'o', b.(*array.StructBuilder)
		s.fields = make(map[string]int, st.NumFields())
		s.seen = make([]int, st.NumFields())
		for i, f := range st.Fields() {
			if _, dup := s.fields[f.Name]; !dup {
				s.fields[f.Name] = i
			}
			s.children = append(s.children, newJSONSink(s.sb.FieldBuilder(i), f.Type, "", joinPath(path, f.Name)))
		}
		return s
	case arrow.LIST, arrow.LARGE_LIST:
		s.accept, s.lb = 'a', b.(array.ListLikeBuilder)
		s.elem = newJSONSink(s.lb.ValueBuilder(), dt.(arrow.ListLikeType).Elem(), "", path+"[]")
		return s
	default:
		if convertible(dt) {
			s.accept = 'n'
		}
	}
	if s.accept != 's' && convertible(dt) {
		s.parse = (&converter{dt: dt, want: dt.String(), layout: layout}).bind(b)
	}
	return s
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// append adds one value. On a value that does not fit it appends null and
// returns what was wanted and the value as found.
func (s *jsonSink) append(v []byte) (want, raw string) {
	if len(v) == 0 || string(v) == "null" {
		s.b.AppendNull()
		return "", ""
	}
	ok := false
	switch s.accept {
	case 's':
		if ok = v[0] == '"'; ok {
			s.str.Append(jsonText(v))
		}
	case 'n':
		ok = jsonIsNumber(v) && s.parse(string(v))
	case 'b':
		ok = (v[0] == 't' || v[0] == 'f') && s.parse(string(v))
	case 't':
		ok = v[0] == '"' && s.parse(jsonText(v))
	case 'd':
		switch {
		case jsonIsNumber(v):
			ok = s.parse(string(v))
		case v[0] == '"':
			ok = s.parse(jsonText(v))
		}
	case 'o':
		if v[0] == '{' {
			return s.object(v)
		}
	case 'a':
		if v[0] == '[' {
			return s.array(v)
		}
	}
	if ok {
		return "", ""
	}
	s.b.AppendNull()
	return s.wanted(), jsonShown(v)
}

func (s *jsonSink) wanted() string {
	w := s.dt.String()
	switch s.accept {
	case 'o':
		w = "an object"
	case 'a':
		w = "an array"
	}
	if s.path != "" {
		return w + " at " + s.path
	}
	return w
}

func (s *jsonSink) object(v []byte) (want, raw string) {
	s.sb.Append(true)
	s.gen++
	jsonMembers(v, func(k string, val []byte) {
		i, ok := s.fields[k]
		if !ok || s.seen[i] == s.gen {
			return
		}
		s.seen[i] = s.gen
		if w, r := s.children[i].append(val); w != "" && want == "" {
			want, raw = w, r
		}
	})
	for i, c := range s.children {
		if s.seen[i] != s.gen {
			c.b.AppendNull()
		}
	}
	return want, raw
}

func (s *jsonSink) array(v []byte) (want, raw string) {
	s.lb.Append(true)
	jsonElements(v, func(val []byte) {
		if w, r := s.elem.append(val); w != "" && want == "" {
			want, raw = w, r
		}
	})
	return want, raw
}
