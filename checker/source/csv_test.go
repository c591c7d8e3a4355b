package source

import (
	"bytes"
	"compress/gzip"
	"context"
	stdcsv "encoding/csv"
	"encoding/json"
	"errors"
	"github.com/driftgate/driftgate/fixtures/testenv"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

// csvTable reads every column of a CSV file as written: rows of
// header -> value, a null as nil.
func csvTable(t *testing.T, path string, opts Options) ([]map[string]any, error) {
	t.Helper()
	if opts.Mem == nil {
		opts.Mem = checkedMem(t)
	}
	r, err := Open(context.Background(), path, opts)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	if r.Format() != CSV || r.NumRows() != -1 {
		t.Errorf("Format, NumRows = %q, %d; want csv, -1", r.Format(), r.NumRows())
	}
	var out []map[string]any
	var next int64 = 1
	err = readAll(context.Background(), r, func(b Batch) {
		if b.FirstRow != next {
			t.Errorf("FirstRow = %d, want %d", b.FirstRow, next)
		}
		next += b.Record.NumRows()
		for i := range int(b.Record.NumRows()) {
			row := map[string]any{}
			for c := range int(b.Record.NumCols()) {
				row[b.Record.ColumnName(c)] = raw(b.Record.Column(c), i)
			}
			out = append(out, row)
		}
	})
	return out, err
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

const csvEdge = "../../../shared/external/csv-edge"

// TestCSVSpectrum parses every csv-spectrum file to its expected JSON.
func TestCSVSpectrum(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(csvEdge, "csv-spectrum", "csvs", "*.csv"))
	if len(files) == 0 {
		testenv.Missing(t, "csv-spectrum not present in %s", csvEdge)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".csv")
		if name == "location_coordinates" {
			// Its JSON is a lone object with another phone number (wrong
			// upstream), and its cells hold bare quotes, which LazyQuotes
			// off rejects.
			t.Run(name+" is a read error for its bare quote", func(t *testing.T) {
				_, err := csvTable(t, path, Options{})
				var re *ReadError
				if !errors.As(err, &re) || re.Line != 2 || !errors.Is(err, stdcsv.ErrBareQuote) {
					t.Errorf("got %v, want a bare-quote ReadError on line 2", err)
				}
			})
			continue
		}
		t.Run(name+" parses to its expected JSON", func(t *testing.T) {
			js, err := os.ReadFile(filepath.Join(csvEdge, "csv-spectrum", "json", name+".json"))
			if err != nil {
				t.Fatal(err)
			}
			var want []map[string]any
			if err := json.Unmarshal(js, &want); err != nil {
				t.Fatal(err)
			}
			// encoding/csv turns \r\n inside quoted fields into \n.
			for _, row := range want {
				for k, v := range row {
					row[k] = strings.ReplaceAll(v.(string), "\r\n", "\n")
				}
			}
			// Every cell as written, empty ones too: no null values.
			got, err := csvTable(t, path, Options{CSV: CSVOptions{NullValues: []string{}}})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got  %q\nwant %q", got, want)
			}
		})
	}
}

func TestCSVFrictionless(t *testing.T) {
	dir := filepath.Join(csvEdge, "frictionless")
	if _, err := os.Stat(dir); err != nil {
		testenv.Missing(t, "frictionless corpus not present in %s", dir)
	}
	tests := []struct {
		name     string
		file     string
		opts     CSVOptions
		want     []map[string]any
		wantLine int64 // > 0: a ReadError on this line
	}{
		{name: "a UTF-8 BOM is not part of the first header", file: "bom.csv",
			want: []map[string]any{{"id": "1", "name": "english"}, {"id": "2", "name": "中国人"}}},
		{name: "CJK text reads as written", file: "table.csv",
			want: []map[string]any{{"id": "1", "name": "english"}, {"id": "2", "name": "中国人"}}},
		{name: "a semicolon delimiter is used when set", file: "issue-1009-semicolon.csv", opts: CSVOptions{Delimiter: ';'},
			want: []map[string]any{{"fieldNameA": "0123", "fieldNameB": "c"}}},
		{name: "mixed zone offsets convert to one instant each", file: "issue-1105-timezone.csv",
			opts: CSVOptions{Delimiter: ';', Types: map[string]arrow.DataType{"id": arrow.PrimitiveTypes.Int64, "timestamp": &arrow.TimestampType{Unit: arrow.Second, TimeZone: "UTC"}}},
			want: []map[string]any{{"id": int64(0), "timestamp": int64(1577890800)}, {"id": int64(1), "timestamp": int64(1577890800 - 3*3600)}}},
		{name: "duplicate header names get a suffix", file: "duplicate-column.csv",
			want: []map[string]any{{"A": "a", "B": "b", "B_2": "C", "C": "c"}}},
		{name: "blank lines are skipped and empty cells are null", file: "blank-rows.csv",
			want: []map[string]any{{"id": "1101", "name": "John", "age": "30"}, {"id": "1102", "name": "Julie", "age": "26"}, {"id": nil, "name": nil, "age": nil}}},
		{name: "leading zeros stay in strings", file: "leading-zeros.csv",
			want: []map[string]any{{"value": "01"}, {"value": "002"}, {"value": "00003"}}},
		{name: "a short row is a read error on its line", file: "defective-rows.csv", wantLine: 2},
		{name: "a long row after an empty header name is a read error on its line", file: "invalid.csv", wantLine: 2},
		{name: "a ragged row in a CRLF file is a read error on its line", file: "countries.csv", wantLine: 2},
		{name: "a quote inside an unquoted field is a read error on its line", file: "escaping.csv", wantLine: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.file)
			got, err := csvTable(t, path, Options{CSV: tt.opts})
			if tt.wantLine > 0 {
				var re *ReadError
				if !errors.As(err, &re) {
					t.Fatalf("got %v, want a *ReadError", err)
				}
				if re.Line != tt.wantLine || re.Path != path {
					t.Errorf("ReadError %q at line %d, want line %d of %q", re.Path, re.Line, tt.wantLine, path)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestCSVHeaderNames(t *testing.T) {
	tests := []struct {
		header []string
		want   []string
	}{
		{[]string{"a", "b"}, []string{"a", "b"}},
		{[]string{"a", "a", "a"}, []string{"a", "a_2", "a_3"}},
		{[]string{"a", "a", "a_2"}, []string{"a", "a_3", "a_2"}},
		{[]string{"id", "", "name", ""}, []string{"id", "col2", "name", "col4"}},
		{[]string{"col2", ""}, []string{"col2", "col2_2"}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.header, ",")+" becomes "+strings.Join(tt.want, ","), func(t *testing.T) {
			if got := uniqueNames(tt.header); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("uniqueNames(%q) = %q, want %q", tt.header, got, tt.want)
			}
		})
	}
}

func TestCSVOptions(t *testing.T) {
	gz := func(s string) string {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write([]byte(s))
		w.Close()
		return b.String()
	}
	i64 := arrow.PrimitiveTypes.Int64
	tests := []struct {
		name    string
		file    string
		content string
		opts    Options
		want    []map[string]any
	}{
		{name: "a gzip file is decompressed", file: "d.csv.gz", content: gz("a,b\n1,x\n2,y\n"),
			want: []map[string]any{{"a": "1", "b": "x"}, {"a": "2", "b": "y"}}},
		{name: "a tsv file is split on tabs", file: "d.tsv", content: "a\tb\n1,5\tx\n",
			want: []map[string]any{{"a": "1,5", "b": "x"}}},
		{name: "a gzipped tsv file is split on tabs", file: "d.tsv.gz", content: gz("a\tb\n1\tx\n"),
			want: []map[string]any{{"a": "1", "b": "x"}}},
		{name: "custom null values apply to strings and typed columns alike", file: "d.csv", content: "a,b\nNA,NA\n,\n3,-\n",
			opts: Options{CSV: CSVOptions{NullValues: []string{"NA", "-"}, Types: map[string]arrow.DataType{"a": i64}}},
			want: []map[string]any{{"a": nil, "b": nil}, {"a": nil, "b": ""}, {"a": int64(3), "b": nil}}},
		{name: "without a header columns are col1 to colN", file: "d.csv", content: "1,x\n2,y\n",
			opts: Options{CSV: CSVOptions{NoHeader: true, Types: map[string]arrow.DataType{"col1": i64}}},
			want: []map[string]any{{"col1": int64(1), "col2": "x"}, {"col1": int64(2), "col2": "y"}}},
		{name: "CRLF line endings and quoted newlines read", file: "d.csv", content: "a,b\r\n\"x\r\ny\",2\r\n",
			want: []map[string]any{{"a": "x\ny", "b": "2"}}},
		{name: "batches split the rows and number them", file: "d.csv", content: "a\n1\n2\n3\n4\n5\n",
			opts: Options{BatchSize: 2, CSV: CSVOptions{Types: map[string]arrow.DataType{"a": i64}}},
			want: []map[string]any{{"a": int64(1)}, {"a": int64(2)}, {"a": int64(3)}, {"a": int64(4)}, {"a": int64(5)}}},
		{name: "an empty file has no columns and no rows", file: "d.csv", content: ""},
		{name: "a header alone has no rows", file: "d.csv", content: "a,b\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := csvTable(t, writeFile(t, tt.file, tt.content), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %v\nwant %v", got, tt.want)
			}
		})
	}
}

func TestCSVSelect(t *testing.T) {
	types := map[string]arrow.DataType{"n": arrow.PrimitiveTypes.Int32, "m": arrow.PrimitiveTypes.Int32}
	path := writeFile(t, "d.csv", "n,s,m\n1,a,x\nbad,b,2\n")
	tests := []struct {
		name    string
		columns []string
		want    []map[string]any
		invalid []CellError
	}{
		{name: "only selected columns come back, and only they report bad cells", columns: []string{"s", "n"},
			want:    []map[string]any{{"s": "a", "n": int64(1)}, {"s": "b", "n": nil}},
			invalid: []CellError{{Row: 2, Column: 1, Raw: "bad", Want: "int32"}}},
		{name: "bad cells are ordered by row then column", columns: []string{"m", "n"},
			want:    []map[string]any{{"m": nil, "n": int64(1)}, {"m": int64(2), "n": nil}},
			invalid: []CellError{{Row: 1, Column: 0, Raw: "x", Want: "int32"}, {Row: 2, Column: 1, Raw: "bad", Want: "int32"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := checkedMem(t)
			r, err := Open(context.Background(), path, Options{Mem: mem, CSV: CSVOptions{Types: types}})
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if err := r.Select(tt.columns); err != nil {
				t.Fatal(err)
			}
			var got []map[string]any
			var invalid []CellError
			if err := readAll(context.Background(), r, func(b Batch) {
				invalid = append(invalid, b.Invalid...)
				for i := range int(b.Record.NumRows()) {
					row := map[string]any{}
					for c := range int(b.Record.NumCols()) {
						row[b.Record.ColumnName(c)] = raw(b.Record.Column(c), i)
					}
					got = append(got, row)
				}
			}); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) || !reflect.DeepEqual(invalid, tt.invalid) {
				t.Errorf("got %v %v\nwant %v %v", got, invalid, tt.want, tt.invalid)
			}
		})
	}
	t.Run("an unknown column is an error", func(t *testing.T) {
		r, err := Open(context.Background(), path, Options{Mem: checkedMem(t)})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if err := r.Select([]string{"nope"}); err == nil {
			t.Error("Select(nope) succeeded")
		}
	})
}

func TestCSVUnsupportedType(t *testing.T) {
	path := writeFile(t, "d.csv", "a\n1\n")
	_, err := Open(context.Background(), path, Options{CSV: CSVOptions{Types: map[string]arrow.DataType{"a": arrow.ListOf(arrow.PrimitiveTypes.Int8)}}})
	if err == nil || !strings.Contains(err.Error(), "cannot parse CSV text as list") {
		t.Errorf("Open = %v, want an unsupported-type error", err)
	}
}

// TestCSVRaggedLine checks that the line reported counts the lines of a
// header that spans several.
func TestCSVRaggedLine(t *testing.T) {
	path := writeFile(t, "d.csv", "\"a\nb\",c\n1,2\n3\n")
	_, err := csvTable(t, path, Options{})
	var re *ReadError
	if !errors.As(err, &re) || re.Line != 4 || !errors.Is(err, stdcsv.ErrFieldCount) {
		t.Fatalf("got %v, want a field-count ReadError on line 4", err)
	}
}
