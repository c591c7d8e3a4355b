package source

import (
	"bytes"
	"context"
	stdcsv "encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// csvLines is the oracle for the lines a CSV reader gives its rows: the
// line encoding/csv says each record's first field starts on, the header
// record left out unless noHeader.
func csvLines(t testing.TB, data []byte, delim rune, noHeader bool) ([]int64, bool) {
	t.Helper()
	r := stdcsv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, utf8BOM)))
	r.Comma = delim
	r.FieldsPerRecord = -1
	var lines []int64
	for first := true; ; first = false {
		_, err := r.Read()
		if errors.Is(err, io.EOF) {
			return lines, true
		}
		if err != nil {
			return nil, false
		}
		if first && !noHeader {
			continue
		}
		line, _ := r.FieldPos(0)
		lines = append(lines, int64(line))
	}
}

// readLines reads path and returns the line of every row, as Batch.Line
// gives it.
func readLines(t *testing.T, open func(string, Options) (Reader, error), path string, opts Options) []int64 {
	t.Helper()
	r, err := open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var lines []int64
	err = readAll(context.Background(), r, func(b Batch) {
		for i := range b.Record.NumRows() {
			lines = append(lines, b.Line(b.FirstRow+i))
		}
		if b.Line(b.FirstRow-1) != 0 || b.Line(b.FirstRow+b.Record.NumRows()) != 0 {
			t.Errorf("batch at row %d gives lines for rows outside it", b.FirstRow)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

func TestCSVRowsKnowTheLineTheyStartOn(t *testing.T) {
	tests := []struct {
		name     string
		data     string
		noHeader bool
		want     []int64
	}{
		{"one record a line, the header on line 1", "id,v\n1,a\n2,b\n3,c\n", false, []int64{2, 3, 4}},
		{"a quoted field with line breaks moves the rows after it",
			"id,note\n1,a\n2,\"three\nline\nnote\"\n3,c\n4,d\n", false, []int64{2, 3, 6, 7}},
		{"blank lines are skipped but counted", "id,v\n\n1,a\n\n\n2,b\n", false, []int64{3, 6}},
		{"CRLF line endings", "id,v\r\n1,a\r\n2,\"x\r\ny\"\r\n3,c\r\n", false, []int64{2, 3, 5}},
		{"a header spanning lines", "id,\"long\nname\"\n1,a\n2,b\n", false, []int64{3, 4}},
		{"no header: the first record is row 1 on line 1", "1,a\n2,b\n", true, []int64{1, 2}},
		{"a byte order mark does not count", "\xef\xbb\xbfid,v\n1,a\n", false, []int64{2}},
		{"a quoted escaped quote and a last line without a newline", "id,v\n1,\"a\"\"b\"\n2,\"c\nd\"", false, []int64{2, 3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.csv")
			if err := os.WriteFile(path, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			if oracle, ok := csvLines(t, []byte(tc.data), ',', tc.noHeader); !ok || !reflect.DeepEqual(oracle, tc.want) {
				t.Fatalf("encoding/csv says lines %v, the test wants %v", oracle, tc.want)
			}
			// Every chunk size and batch size, so that records cross chunks
			// and batches cut runs of lines.
			for chunk := 1; chunk <= len(tc.data)+1; chunk++ {
				for _, batch := range []int{1, 2, 1000} {
					opts := Options{BatchSize: batch, Mem: checkedMem(t), CSV: CSVOptions{NoHeader: tc.noHeader}}
					got := readLines(t, func(path string, opts Options) (Reader, error) {
						return openCSVTuned(path, withDefaults(opts), fastTuning{chunkSize: chunk, workers: 2})
					}, path, opts)
					if !reflect.DeepEqual(got, tc.want) {
						t.Fatalf("chunks of %d bytes, batches of %d rows: lines %v, want %v", chunk, batch, got, tc.want)
					}
				}
			}
		})
	}
}

func TestCSVLinesOfALargeFileAcrossChunks(t *testing.T) {
	// Every seventh record holds a line break: runs start and stop all
	// through a file of many default-sized chunks and batches.
	var b strings.Builder
	b.WriteString("id,note\n")
	for i := range 300_000 {
		if i%7 == 0 {
			b.WriteString("1,\"two\nlines\"\n")
		} else {
			b.WriteString("2,plain\n")
		}
	}
	data := []byte(b.String())
	path := filepath.Join(t.TempDir(), "t.csv")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	want, _ := csvLines(t, data, ',', false)
	got := readLines(t, func(path string, opts Options) (Reader, error) { return Open(context.Background(), path, opts) }, path, Options{Mem: checkedMem(t)})
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("row %d: line %d, want %d", i+1, got[i], want[i])
		}
	}
}

func TestJSONRowsKnowTheLineTheyStartOn(t *testing.T) {
	tests := []struct {
		name, file, data string
		want             []int64
	}{
		{"NDJSON with a blank line", "t.ndjson", "{\"id\":1}\n\n{\"id\":2}\n{\"id\":3}\n", []int64{1, 3, 4}},
		{"an array of records over several lines", "t.json", "[\n  {\"id\": 1},\n  {\n    \"id\": 2\n  },\n  {\"id\": 3}\n]\n", []int64{2, 3, 6}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.file)
			if err := os.WriteFile(path, []byte(tc.data), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, batch := range []int{1, 2, 1000} {
				got := readLines(t, func(path string, opts Options) (Reader, error) { return Open(context.Background(), path, opts) }, path, Options{BatchSize: batch, Mem: checkedMem(t)})
				if !reflect.DeepEqual(got, tc.want) {
					t.Fatalf("batches of %d rows: lines %v, want %v", batch, got, tc.want)
				}
			}
		})
	}
}
