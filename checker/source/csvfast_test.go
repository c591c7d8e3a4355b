package source

import (
	"bytes"
	"compress/gzip"
	"context"
	stdcsv "encoding/csv"
	"errors"
	"fmt"
	"github.com/driftgate/driftgate/fixtures/testenv"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// csvRead is everything a CSV reader produced: the schema, the rows (a
// null as nil), the cells that did not parse, and the error that ended
// the read.
type csvRead struct {
	schema  *arrow.Schema
	rows    [][]any
	invalid []CellError
	// lines are the lines the rows start on (Batch.Line).
	lines []int64
	err   error
}

// readCSVWith reads path with open, selecting sel when it is not nil, and
// checks the invariants every batch must keep.
func readCSVWith(t testing.TB, open func(string, Options) (Reader, error), path string, opts Options, sel []string) csvRead {
	t.Helper()
	r, err := open(path, opts)
	if err != nil {
		return csvRead{err: err}
	}
	defer r.Close()
	out := csvRead{schema: r.Schema()}
	if sel != nil {
		if err := r.Select(sel); err != nil {
			t.Fatalf("Select(%q): %v", sel, err)
		}
	}
	next := int64(1)
	out.err = readAll(context.Background(), r, func(b Batch) {
		n := b.Record.NumRows()
		if b.FirstRow != next || n == 0 || n > int64(opts.BatchSize) {
			t.Fatalf("batch FirstRow %d of %d rows, want FirstRow %d and 1 to %d rows", b.FirstRow, n, next, opts.BatchSize)
		}
		for i := range int(n) {
			row := make([]any, b.Record.NumCols())
			for c, col := range b.Record.Columns() {
				if col.Len() != int(n) {
					t.Fatalf("column of %d rows in a batch of %d", col.Len(), n)
				}
				row[c] = raw(col, i)
			}
			out.rows = append(out.rows, row)
			out.lines = append(out.lines, b.Line(b.FirstRow+int64(i)))
		}
		for _, ce := range b.Invalid {
			if ce.Row < next || ce.Row >= next+n || !b.Record.Column(ce.Column).IsNull(int(ce.Row-next)) {
				t.Fatalf("cell error %+v outside its batch or not null", ce)
			}
		}
		out.invalid = append(out.invalid, b.Invalid...)
		next += n
	})
	return out
}

// sameCSV fails t unless the fast reader's result equals the reference's.
// After an error the two may have delivered different numbers of rows
// (whole batches versus whole chunks), so only the rows both delivered
// are compared, and the errors must read the same: same file, line,
// column and sentinel.
func sameCSV(t testing.TB, fast, ref csvRead) {
	t.Helper()
	if (fast.err == nil) != (ref.err == nil) {
		t.Fatalf("fast error %v, reference error %v", fast.err, ref.err)
	}
	if ref.err != nil {
		if fast.err.Error() != ref.err.Error() {
			t.Fatalf("fast error %q\nreference error %q", fast.err, ref.err)
		}
		for _, sentinel := range []error{stdcsv.ErrFieldCount, stdcsv.ErrBareQuote, stdcsv.ErrQuote} {
			if errors.Is(fast.err, sentinel) != errors.Is(ref.err, sentinel) {
				t.Fatalf("fast error %v and reference error %v differ on %v", fast.err, ref.err, sentinel)
			}
		}
		var fre, rre *ReadError
		if errors.As(fast.err, &fre) != errors.As(ref.err, &rre) {
			t.Fatalf("fast error %T, reference error %T", fast.err, ref.err)
		}
		n := min(len(fast.rows), len(ref.rows))
		fast.rows, ref.rows = fast.rows[:n], ref.rows[:n]
		fast.invalid = rowsBefore(fast.invalid, int64(n))
		ref.invalid = rowsBefore(ref.invalid, int64(n))
	} else if !fast.schema.Equal(ref.schema) {
		t.Fatalf("fast schema %v\nreference schema %v", fast.schema, ref.schema)
	}
	if (len(fast.rows) > 0 || len(ref.rows) > 0) && !reflect.DeepEqual(fast.rows, ref.rows) {
		t.Fatalf("fast rows %q\nreference rows %q", fast.rows, ref.rows)
	}
	if (len(fast.invalid) > 0 || len(ref.invalid) > 0) && !reflect.DeepEqual(fast.invalid, ref.invalid) {
		t.Fatalf("fast invalid %+v\nreference invalid %+v", fast.invalid, ref.invalid)
	}
}

func rowsBefore(cells []CellError, n int64) []CellError {
	var out []CellError
	for _, c := range cells {
		if c.Row <= n {
			out = append(out, c)
		}
	}
	return out
}

// tunings are pipeline sizes that put chunk boundaries everywhere.
var tunings = []fastTuning{{chunkSize: 1, workers: 1}, {chunkSize: 2, workers: 3}, {chunkSize: 3, workers: 2},
	{chunkSize: 7, workers: 2}, {chunkSize: 16, workers: 1}, {chunkSize: 61, workers: 3}, {}}

// diffCSV reads path with the reference reader and with the fast reader
// at every tuning, and fails t on any difference.
func diffCSV(t *testing.T, path string, opts Options, sel []string) {
	t.Helper()
	opts = withDefaults(opts)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	opts.Mem = mem
	ref := readCSVWith(t, openCSVArrow, path, opts, sel)
	for _, tune := range tunings {
		fast := readCSVWith(t, func(path string, opts Options) (Reader, error) {
			return openCSVTuned(path, opts, tune)
		}, path, opts, sel)
		t.Run(fmt.Sprintf("chunks of %d bytes on %d workers", tune.chunkSize, tune.workers), func(t *testing.T) {
			sameCSV(t, fast, ref)
		})
	}
}

// TestCSVFastMatchesReference holds the fast reader to the reference on
// the cases where a chunked reader can go wrong, at every chunk size.
func TestCSVFastMatchesReference(t *testing.T) {
	types := map[string]arrow.DataType{
		"i": arrow.PrimitiveTypes.Int64, "f": arrow.PrimitiveTypes.Float64,
		"d": &arrow.Decimal128Type{Precision: 20, Scale: 3}, "t": &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"},
		"day": arrow.FixedWidthTypes.Date32, "b": arrow.FixedWidthTypes.Boolean, "u": arrow.PrimitiveTypes.Uint16,
	}
	tests := []struct {
		name    string
		content string
		opts    CSVOptions
		sel     []string
	}{
		{"quoted newlines and CRLF", "s,i\r\n\"a\r\nb\",1\r\n\"\",2\r\n\"x\"\"y\",3\r\n", CSVOptions{}, nil},
		{"blank lines between, before and after rows", "\n\r\ns,i\n\n1,2\r\n\r\n\n3,4\n\n", CSVOptions{}, nil},
		{"a lone carriage return ends the file", "s,i\n1,2\r", CSVOptions{}, nil},
		{"a carriage return inside a field is data", "s,i\na\rb,2\n", CSVOptions{}, nil},
		{"no newline at the end", "s,i\nx,1", CSVOptions{}, nil},
		{"a trailing delimiter is one more empty field", "s,i,\n1,2,\n3,4,\"\"\n", CSVOptions{}, nil},
		{"a bare quote is an error on its line", "s,i\n1,2\n\"a\nb\",3\n4,x\"y\n", CSVOptions{}, nil},
		{"a quote after a closing quote is an error", "s,i\n\"a\"b,1\n", CSVOptions{}, nil},
		{"an unterminated quote at the end", "s,i\n1,2\n\"abc\n", CSVOptions{}, nil},
		{"an unterminated quote without a final newline", "s,i\n1,2\n3,\"abc", CSVOptions{}, nil},
		{"an unterminated quote after CRLF and a lone CR", "s,i\n1,\"abc\r\n\r", CSVOptions{}, nil},
		{"an opening quote that ends the file", "s,i\n1,\"", CSVOptions{}, nil},
		{"a short row after a long quoted one", "s,i\n\"a\n\nb\",1\n2\n", CSVOptions{}, nil},
		{"a long row", "s,i\n1,2\n1,2,3\n", CSVOptions{}, nil},
		{"a quote error in an extra field wins over the field count", "s,i\n1,2,a\"b\n", CSVOptions{}, nil},
		{"typed cells, bad ones reported in selection order", "i,f,d,t,day,b,u,s\n" +
			"1, 2.5 ,1.250,2020-01-01T00:00:00Z,2020-02-29,true,7,x\n" +
			"9223372036854775807,1e3,-99999999999999999.999,2020-01-01 01:02:03.123456+05:30,2021-02-29,YES,65535,y\n" +
			"-9223372036854775808,0x1p-2,12345678901234567.8915,2020-01-01T00:00:00.1234567Z,0001-01-01,f,65536,z\n" +
			"9223372036854775808,inf,1.5e2,2020-01-01T24:00:00Z,9999-12-31,2,-1,\n" +
			"+5,-0,.5,2020-01-01t00:00:00z,2020-1-01,0,+1,w\n" +
			"x,1_0,1.,2020-01-01,20200101,no,00001,v\n", CSVOptions{Types: types}, []string{"s", "u", "b", "day", "t", "d", "f", "i"}},
		{"custom null values apply before types", "i,s\nNA,NA\n,\n-,-\n", CSVOptions{Types: types, NullValues: []string{"NA", "-"}}, nil},
		{"no null values at all", "i,s\n,\n", CSVOptions{Types: types, NullValues: []string{}}, nil},
		{"no header", "1,a\n2,b\n", CSVOptions{NoHeader: true, Types: map[string]arrow.DataType{"col1": arrow.PrimitiveTypes.Int64}}, nil},
		{"a header spanning lines", "\"i\n\",s\n1,2\n3\n", CSVOptions{}, nil},
		{"a semicolon delimiter", "i;s\n1;\"a;b\"\n", CSVOptions{Delimiter: ';', Types: types}, nil},
		{"no columns selected", "i,s\n1,2\n3,\"4\n\"\n", CSVOptions{}, []string{}},
		{"only a leading column selected", "i,s,x\n1,2,3\n\"4\",5,\"6\"\"\"\n", CSVOptions{Types: types}, []string{"i"}},
		{"a BOM before the header", "\xef\xbb\xbfi,s\n1,2\n", CSVOptions{}, nil},
		{"a header alone", "i,s\n", CSVOptions{}, nil},
		{"an empty file", "", CSVOptions{}, nil},
		{"blank lines alone", "\n\r\n\n", CSVOptions{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, "d.csv", tt.content)
			for _, bs := range []int{1, 2, 1000} {
				diffCSV(t, path, Options{BatchSize: bs, CSV: tt.opts}, tt.sel)
			}
		})
	}
	t.Run("a gzip file", func(t *testing.T) {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write([]byte("i,s\n1,\"a\nb\"\n2,c\n"))
		w.Close()
		diffCSV(t, writeFile(t, "d.csv.gz", b.String()), Options{CSV: CSVOptions{Types: types}}, nil)
	})
	// A gzip stream cut right after a flush decompresses to exactly the
	// bytes before the flush, then fails: the read error must win over
	// the parse errors of a record it cut off, as in encoding/csv.
	for _, tt := range []struct{ name, kept string }{
		{"a gzip file cut inside a quoted field", "i,s\n1,2\n3,\"ab\nc"},
		{"a gzip file cut inside a quoted field after a newline", "i,s\n1,\"ab\n"},
		{"a gzip file cut in a short last line", "i,s\n1,2\n3"},
		{"a gzip file cut after a short line", "i,s\n1,2\n3\n"},
		{"a gzip file cut after a bare quote", "i,s\n1,a\"b"},
		{"a gzip file cut after whole rows", "i,s\n1,2\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			w := gzip.NewWriter(&b)
			w.Write([]byte(tt.kept))
			w.Flush()
			n := b.Len()
			w.Write([]byte("more,data\n"))
			w.Close()
			diffCSV(t, writeFile(t, "d.csv.gz", b.String()[:n]), Options{}, nil)
		})
	}
	t.Run("a truncated gzip file", func(t *testing.T) {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write(bytes.Repeat([]byte("1,abc\n"), 5000))
		w.Close()
		diffCSV(t, writeFile(t, "d.csv.gz", b.String()[:b.Len()/2]), Options{}, nil)
	})
}

// TestCSVFastCorpus reads every file of the CSV corpora with both readers.
func TestCSVFastCorpus(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(csvEdge, "*", "*.csv"))
	more, _ := filepath.Glob(filepath.Join(csvEdge, "*", "*", "*.csv"))
	files = append(files, more...)
	if len(files) == 0 {
		testenv.Missing(t, "CSV corpora not present in %s", csvEdge)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			diffCSV(t, path, Options{BatchSize: 2}, nil)
			diffCSV(t, path, Options{CSV: CSVOptions{NullValues: []string{}}}, nil)
		})
	}
}

// fuzzTypes are the column types FuzzCSVFast picks from.
var fuzzTypes = []arrow.DataType{
	arrow.BinaryTypes.String, arrow.PrimitiveTypes.Int64, arrow.PrimitiveTypes.Float64,
	&arrow.Decimal128Type{Precision: 9, Scale: 2}, &arrow.Decimal128Type{Precision: 30, Scale: 4},
	&arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, &arrow.TimestampType{Unit: arrow.Nanosecond},
	arrow.FixedWidthTypes.Date32, arrow.FixedWidthTypes.Boolean, arrow.PrimitiveTypes.Int8,
	arrow.PrimitiveTypes.Uint32, arrow.PrimitiveTypes.Float32, &arrow.Decimal256Type{Precision: 40, Scale: 2},
	arrow.FixedWidthTypes.Date64, arrow.FixedWidthTypes.Time32s, arrow.BinaryTypes.LargeString,
}

// FuzzCSVFast reads arbitrary bytes with the fast reader and the reference
// under options drawn from cfg, and fails on any difference: values,
// nulls, cell errors, or the error that ends the read.
func FuzzCSVFast(f *testing.F) {
	for _, s := range []string{
		"a,b,c\n1,2020-01-01T00:00:00Z,x\n",
		"a,b,c\n1,2\n",
		"\xef\xbb\xbfa,b\n\"1\n2\",3\n",
		"a,a,\nx,,1.5\r\n-9,\"\"\"\",\n",
		"",
		"a\n\"unterminated\n",
		"a;b\n1;\"x;\"\"y\"\"\r\nz\"\n\n2;3\r",
		"a\tb\n 1 \t2020-02-29\n1.250\t2020-01-01 00:00:00.5-01:30\n",
	} {
		f.Add([]byte(s), uint64(0))
		f.Add([]byte(s), uint64(0x9e3779b97f4a7c15))
	}
	f.Fuzz(func(t *testing.T, data []byte, cfg uint64) {
		take := func(n uint64) uint64 { v := cfg % n; cfg /= n; return v }
		opts := Options{BatchSize: int(take(4)) + 1}
		opts.CSV.Delimiter = []rune{0, ';', '\t', '|'}[take(4)]
		opts.CSV.NoHeader = take(2) == 1
		opts.CSV.NullValues = [][]string{nil, {}, {"NA", ""}, {"-"}}[take(4)]
		opts.CSV.Types = map[string]arrow.DataType{}
		opts.CSV.TimeLayouts = map[string]string{}
		for i, name := range []string{"a", "b", "c", "col1", "col2", "col3"} {
			opts.CSV.Types[name] = fuzzTypes[(int(take(uint64(len(fuzzTypes))))+i)%len(fuzzTypes)]
		}
		if take(4) == 0 {
			opts.CSV.TimeLayouts["b"] = "02/01/2006"
			opts.CSV.TimeLayouts["col2"] = "2006-01-02 15h04"
		}
		selMask := take(64)
		tune := fastTuning{chunkSize: int(take(40)) + 1, workers: int(take(3)) + 1}
		maxField := int64(take(8)) // 0: no second read under a small field limit

		path := filepath.Join(t.TempDir(), "f.csv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		opts = withDefaults(opts)
		mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
		defer mem.AssertSize(t, 0)
		opts.Mem = mem

		// Select a subset of the columns, in reverse file order, so that
		// selection order and file order differ.
		var sel []string
		if selMask != 0 {
			if r, err := openCSVArrow(path, opts); err == nil {
				fields := r.Schema().Fields()
				r.Close()
				sel = []string{}
				for i := len(fields) - 1; i >= 0; i-- {
					if selMask&(1<<(i%6)) != 0 {
						sel = append(sel, fields[i].Name)
					}
				}
			}
		}
		ref := readCSVWith(t, openCSVArrow, path, opts, sel)
		fast := readCSVWith(t, func(path string, opts Options) (Reader, error) {
			return openCSVTuned(path, opts, tune)
		}, path, opts, sel)
		if ref.err != nil && strings.Contains(ref.err.Error(), "csv: ") && !errors.Is(ref.err, stdcsv.ErrFieldCount) {
			var pe *stdcsv.ParseError
			if !errors.As(ref.err, &pe) && !errors.Is(ref.err, stdcsv.ErrQuote) && !errors.Is(ref.err, stdcsv.ErrBareQuote) {
				// A panic in Arrow's reader, recovered: not a CSV rule.
				t.Skipf("reference reader failed on its own: %v", ref.err)
			}
		}
		sameCSV(t, fast, ref)
		if fast.err == nil {
			delim := opts.CSV.Delimiter
			if delim == 0 {
				delim = ','
			}
			if want, ok := csvLines(t, data, delim, opts.CSV.NoHeader); ok && !reflect.DeepEqual(fast.lines, want) {
				t.Fatalf("fast reader lines %v, encoding/csv %v", fast.lines, want)
			}
			if maxField > 0 {
				// Under a small field limit the read fails at the first
				// field encoding/csv finds longer, or reads the same.
				small := opts
				small.CSV.MaxFieldBytes = maxField
				got := readCSVWith(t, func(path string, opts Options) (Reader, error) {
					return openCSVTuned(path, opts, tune)
				}, path, small, sel)
				want := longFieldError(t, path, data, delim, maxField, fast.schema)
				if got.err == nil && want != "" || got.err != nil && got.err.Error() != want {
					t.Fatalf("under a field limit of %d: error %v, want %q", maxField, got.err, want)
				}
			}
		}
	})
}

// longFieldError is the error a reader gives for the first field of data
// longer than max, as encoding/csv finds it; "" when there is none. A
// header name is named by its number only.
func longFieldError(t testing.TB, path string, data []byte, delim rune, max int64, schema *arrow.Schema) string {
	t.Helper()
	r := stdcsv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, utf8BOM)))
	r.Comma = delim
	r.FieldsPerRecord = -1
	for rec := 0; ; rec++ {
		fields, err := r.Read()
		if err != nil {
			return ""
		}
		for i, f := range fields {
			if int64(len(f)) <= max {
				continue
			}
			line, _ := r.FieldPos(i)
			var names []string
			if rec > 0 {
				for _, f := range schema.Fields() {
					names = append(names, f.Name)
				}
			}
			return (&ReadError{Path: path, Line: int64(line), Err: fieldTooLong(i, names, max)}).Error()
		}
	}
}
