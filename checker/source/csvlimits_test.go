package source

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestCSVRecordsLongerThanTheLimitAreUnreadable(t *testing.T) {
	long := strings.Repeat("x", 3<<20)
	gz := func(b []byte) []byte {
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		w.Write(b)
		w.Close()
		return buf.Bytes()
	}
	tests := []struct {
		name, file string
		data       []byte
		line       int64
	}{
		{"a data line", "a.csv", []byte("id,name\n1,a\n2," + long + "\n3,c\n"), 3},
		{"a last line without a newline", "a.csv", []byte("id,name\n1,a\n2," + long), 3},
		{"a quoted field running over many lines", "a.csv", []byte("id,name\n1,\"" + strings.Repeat("line\n", 1<<20) + "\"\n"), 2},
		{"the header", "a.csv", []byte("id," + long + "\n1,2\n"), 1},
		{"a gzip bomb of NUL bytes", "a.csv.gz", gz(append([]byte("id\n"), make([]byte, 32<<20)...)), 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.file)
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			rows, err := readFile(t, path, Options{Mem: checkedMem(t), CSV: CSVOptions{MaxRecordBytes: 2 << 20}})
			var re *ReadError
			if !errors.As(err, &re) || !errors.Is(err, ErrLimit) || re.Line != tc.line || !strings.Contains(err.Error(), "--csv-max-record-bytes") {
				t.Fatalf("read %d rows, err = %v; want a read error at line %d naming --csv-max-record-bytes", rows, err, tc.line)
			}
		})
	}
}

func TestCSVLineEndings(t *testing.T) {
	tests := []struct {
		name string
		data string
		rows int64
		err  string // empty: reads
	}{
		{"LF", "id,name\n1,a\n2,b\n", 2, ""},
		{"CRLF", "id,name\r\n1,a\r\n2,b\r\n", 2, ""},
		{"CRLF and LF mixed", "id,name\r\n1,a\n2,b\r\n3,c\n", 3, ""},
		{"CR only", "id,name\r1,a\r2,b\r", 0, "CR-only line endings"},
		{"a header name holding a CR", "id,\"na\rme\"\n1,a\n", 0, "holds a carriage return"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "a.csv")
			if err := os.WriteFile(path, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			rows, err := readFile(t, path, Options{Mem: checkedMem(t)})
			if tc.err == "" {
				if err != nil || rows != tc.rows {
					t.Fatalf("read %d rows, err %v; want %d rows", rows, err, tc.rows)
				}
				return
			}
			var re *ReadError
			if !errors.As(err, &re) || re.Line != 1 || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("read %d rows, err = %v; want a read error at line 1 containing %q", rows, err, tc.err)
			}
		})
	}
}

func TestTheReferenceCSVReaderBoundsALineToo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.csv")
	data := "id¦name\n1¦a\n2¦" + strings.Repeat("x", 1<<20) + "\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	// A two-character delimiter goes to the reference reader.
	rd, err := openCSVArrow(path, Options{Mem: checkedMem(t), CSV: CSVOptions{Delimiter: '¦', MaxRecordBytes: 4096}})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	err = readAll(t.Context(), rd, nil)
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("err = %v, want the record limit at line 3", err)
	}
}

func TestCSVFieldsLongerThanTheFieldLimitAreUnreadable(t *testing.T) {
	const limit = 1 << 20
	long := strings.Repeat("x", limit+1)
	tests := []struct {
		name string
		data string
		sel  []string // nil: every column
		line int64
		col  string
	}{
		{"an unquoted field", "id,name,note\n1,a,b\n2," + long + ",c\n", nil, 3, `column 2 ("name")`},
		{"the last field of a last line without a newline", "id,name\n1,a\n2," + long, nil, 3, `column 2 ("name")`},
		{"a quoted field, named at the line it starts on", "id,name\n1,\"" + strings.Repeat("ab\n", limit/3+1) + "\"\n", nil, 2, `column 2 ("name")`},
		{"a quoted field with escaped quotes", "id,name\n1,\"" + strings.Repeat(`""`, limit+1) + "\"\n", nil, 2, `column 2 ("name")`},
		{"a field of a column the check does not read", "id,name,note\n1,a,b\n2,b," + long + "\n", []string{"id"}, 3, `column 3 ("note")`},
		{"a header name", "id," + long + "\n1,2\n", nil, 1, "column 2"},
		{"a field after a quoted line break, on the line it starts on", "id,note,name\n1,\"a\nb\"," + long + "\n", nil, 3, `column 3 ("name")`},
		{"a quoted field after a long short one", "id,note,name\n1,\"" + long[:limit] + "\",\"" + long + "\"\n", nil, 2, `column 3 ("name")`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "a.csv")
			if err := os.WriteFile(path, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			var rows int64
			_, err := ReadFile(t.Context(), path, Options{Mem: checkedMem(t), CSV: CSVOptions{MaxFieldBytes: limit}}, func(rd Reader) error {
				if tc.sel != nil {
					if err := rd.Select(tc.sel); err != nil {
						return err
					}
				}
				return readAll(t.Context(), rd, func(b Batch) { rows += b.Record.NumRows() })
			})
			var re *ReadError
			want := "read " + path + ": line " + strconv.FormatInt(tc.line, 10) + ": " + tc.col + ": a field longer than the limit of 1048576 bytes (raise it with --csv-max-field-bytes)"
			if !errors.As(err, &re) || !errors.Is(err, ErrLimit) || !strings.HasPrefix(err.Error(), want) {
				t.Fatalf("read %d rows, err = %v\nwant %s", rows, err, want)
			}
		})
	}
}

func TestCSVFieldsUpToTheFieldLimitRead(t *testing.T) {
	const limit = 1 << 20
	// A field of exactly the limit, and a record of many fields each
	// under it but together over it: both are within bounds.
	data := "id,name,note\n1," + strings.Repeat("x", limit) + ",\"" + strings.Repeat("y\n", limit/2) + "\"\n" +
		"2," + strings.Repeat("z", limit-1) + "," + strings.Repeat("w", limit-1) + "\n"
	path := filepath.Join(t.TempDir(), "a.csv")
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	rows, err := readFile(t, path, Options{Mem: checkedMem(t), CSV: CSVOptions{MaxFieldBytes: limit}})
	if err != nil || rows != 2 {
		t.Fatalf("read %d rows, err %v; want 2 rows", rows, err)
	}
}

func TestTheReferenceCSVReaderBoundsAFieldToo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.csv")
	data := "id¦name\n1¦a\n2¦" + strings.Repeat("x", 5000) + "\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	rd, err := openCSVArrow(path, Options{Mem: checkedMem(t), CSV: CSVOptions{Delimiter: '¦', MaxFieldBytes: 4096}})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	err = readAll(t.Context(), rd, nil)
	if !errors.Is(err, ErrLimit) || !strings.Contains(err.Error(), `row 2: column 2 ("name"): a field longer than the limit of 4096 bytes`) {
		t.Fatalf("err = %v, want the field limit at row 2, column 2", err)
	}
}
