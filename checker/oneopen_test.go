package checker

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/fixtures/corrupt"
)

const idContract = `
- name: id
  logicalType: integer
  required: true
`

func csvOfIDs(n int) []byte {
	var b strings.Builder
	b.WriteString("id\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "%d\n", i)
	}
	return []byte(b.String())
}

func sha(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// checkWithin runs Check and fails the test if it does not return in time:
// a run that hangs is a failure a user would see too.
func checkWithin(t *testing.T, d time.Duration, opts Options) (*report.Report, error) {
	t.Helper()
	type res struct {
		rep *report.Report
		err error
	}
	done := make(chan res, 1)
	go func() {
		rep, err := Check(context.Background(), opts)
		done <- res{rep, err}
	}()
	select {
	case r := <-done:
		return r.rep, r.err
	case <-time.After(d):
		t.Fatalf("Check did not return within %s", d)
		return nil, nil
	}
}

func TestANamedPipeIsReadOnceAndHashedFromTheBytesChecked(t *testing.T) {
	dir := t.TempDir()
	pipe := filepath.Join(dir, "orders.csv")
	if err := syscall.Mkfifo(pipe, 0o600); err != nil {
		t.Fatal(err)
	}
	data := csvOfIDs(50_000)
	go func() {
		f, err := os.OpenFile(pipe, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		f.Write(data)
		f.Close()
	}()
	exp, err := Expand([]string{pipe})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := checkWithin(t, 20*time.Second, Options{Contract: parseContract(t, doc(idContract)), Files: exp.Files})
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	in := rep.Inputs[0]
	if in.Rows != 50_000 || in.Size != int64(len(data)) || in.SHA256 != sha(data) {
		t.Errorf("input = %d rows, %d bytes, sha256 %s; want 50000 rows, %d bytes, sha256 %s", in.Rows, in.Size, in.SHA256, len(data), sha(data))
	}
	if rep.Status != report.StatusPass {
		t.Errorf("status %s, want pass", rep.Status)
	}
}

func TestANamedPipeInsideADirectoryIsSkippedWithANote(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.csv"), csvOfIDs(3), 0o644)
	if err := syscall.Mkfifo(filepath.Join(dir, "b.csv"), 0o600); err != nil {
		t.Fatal(err)
	}
	exp, err := Expand([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(exp.Files) != 1 || filepath.Base(exp.Files[0]) != "a.csv" {
		t.Errorf("files = %v, want only a.csv", exp.Files)
	}
	if len(exp.Skipped) != 1 || !strings.Contains(exp.Skipped[0], "b.csv: skipped, not a regular file (a named pipe)") {
		t.Errorf("skipped = %q, want a note naming b.csv as a named pipe", exp.Skipped)
	}
	files, err := ExpandInputs([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := checkWithin(t, 20*time.Second, Options{Contract: parseContract(t, doc(idContract)), Files: files})
	if err != nil || rep.Summary.Rows != 3 {
		t.Fatalf("Check = %v rows, %v; want 3 rows and no error", rep.Summary.Rows, err)
	}
}

// withStdin makes os.Stdin a pipe that yields data.
func withStdin(t *testing.T, data []byte) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdin
	os.Stdin = r
	t.Cleanup(func() { os.Stdin = old; r.Close() })
	go func() {
		w.Write(data)
		w.Close()
	}()
}

func TestStandardInputIsReadOnce(t *testing.T) {
	dir := t.TempDir()
	pq := writeParquet(t, filepath.Join(dir, "a.parquet"), []col{{name: "id", typ: arrow.PrimitiveTypes.Int64, vals: []string{"1", "2", "3", "4", "5"}}})
	pqData, err := os.ReadFile(pq)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, format string
		data         []byte
		rows         int64
	}{
		{"csv", "csv", csvOfIDs(1000), 1000},
		{"parquet, spooled to a temporary file", "parquet", pqData, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			withStdin(t, tc.data)
			rep, err := checkWithin(t, 20*time.Second, Options{Contract: parseContract(t, doc(idContract)), Files: []string{"-"}})
			if err != nil {
				t.Fatalf("Check: %v", err)
			}
			in := rep.Inputs[0]
			if in.Format != tc.format || in.Rows != tc.rows || in.Size != int64(len(tc.data)) || in.SHA256 != sha(tc.data) {
				t.Errorf("input = %s, %d rows, %d bytes, sha256 %s; want %s, %d rows, %d bytes, sha256 %s",
					in.Format, in.Rows, in.Size, in.SHA256, tc.format, tc.rows, len(tc.data), sha(tc.data))
			}
		})
	}
}

func TestAParquetStreamLargerThanTheSpoolLimitIsRefused(t *testing.T) {
	dir := t.TempDir()
	pq := writeParquet(t, filepath.Join(dir, "a.parquet"), []col{{name: "id", typ: arrow.PrimitiveTypes.Int64, vals: []string{"1", "2", "3"}}})
	data, _ := os.ReadFile(pq)
	withStdin(t, data)
	_, err := checkWithin(t, 20*time.Second, Options{Contract: parseContract(t, doc(idContract)), Files: []string{"-"},
		Source: source.Options{MaxSpoolBytes: 100}})
	var re *source.ReadError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "--max-spool-bytes") {
		t.Fatalf("err = %v, want a read error naming --max-spool-bytes", err)
	}
}

func TestAFileThatChangesWhileItIsReadIsUnreadable(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "orders.csv")
	if err := os.WriteFile(path, csvOfIDs(10), 0o644); err != nil {
		t.Fatal(err)
	}
	appended := false
	rep, err := Check(context.Background(), Options{
		Contract: parseContract(t, doc(idContract)),
		Files:    []string{path},
		Source:   source.Options{BatchSize: 3},
		Progress: func(Progress) {
			if !appended {
				appended = true
				f, _ := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
				f.WriteString("11\n")
				f.Close()
			}
		},
	})
	var re *source.ReadError
	if !errors.As(err, &re) || !errors.Is(err, source.ErrChanged) {
		t.Fatalf("err = %v, want a read error: changed while it was read", err)
	}
	if rep == nil || rep.Status != report.StatusError {
		t.Fatalf("report %+v, want status error", rep)
	}
}

func TestMetadataOnlyReadsAndHashesTheFooter(t *testing.T) {
	dir := t.TempDir()
	path := writeParquet(t, filepath.Join(dir, "a.parquet"), []col{{name: "id", typ: arrow.PrimitiveTypes.Int64, vals: []string{"1", "2", "3"}}})
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n := int(binary.LittleEndian.Uint32(data[len(data)-8:]))
	footer := data[len(data)-8-n:]
	rep, err := CheckMetadata(context.Background(), Options{Contract: parseContract(t, doc(idContract)), Files: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	in := rep.Inputs[0]
	if in.Size != int64(len(data)) || in.SHA256 != sha(footer) || in.HashScope != report.HashFooter {
		t.Errorf("input = %d bytes, sha256 %s of %q; want %d bytes, the footer's sha256 %s, scope footer", in.Size, in.SHA256, in.HashScope, len(data), sha(footer))
	}
}

// slowInput is a large Parquet-named input of zeros, read slowly, that
// counts the bytes read from it.
type slowInput struct {
	size  int64
	reads *int64
}

func (in *slowInput) Name() string               { return "big.parquet" }
func (in *slowInput) Size() int64                { return in.size }
func (in *slowInput) ReaderAt() io.ReaderAt      { return in }
func (in *slowInput) Stream() (io.Reader, error) { return io.NewSectionReader(in, 0, in.size), nil }
func (in *slowInput) Unchanged() error           { return nil }
func (in *slowInput) Close() error               { return nil }

func (in *slowInput) ReadAt(p []byte, off int64) (int, error) {
	time.Sleep(time.Millisecond)
	clear(p)
	atomic.AddInt64(in.reads, int64(len(p)))
	return len(p), nil
}

func readsOf(n *int64) int64 { return atomic.LoadInt64(n) }

func TestTheHashStopsWhenTheReadStops(t *testing.T) {
	var reads int64
	in := &slowInput{size: 64 << 30, reads: &reads}
	_, err := source.ReadInput(context.Background(), in, source.Options{Mem: memory.NewGoAllocator()}, func(source.Reader) error { return nil })
	if err == nil {
		t.Fatal("a file of zeros read as Parquet")
	}
	after := readsOf(&reads)
	time.Sleep(100 * time.Millisecond)
	if got := readsOf(&reads); got != after {
		t.Errorf("the hash read %d more bytes after ReadInput returned", got-after)
	}
	if after >= 64<<30 {
		t.Errorf("the hash read all %d bytes of an input whose read failed at once", after)
	}
}

func TestACorruptDictionaryPageIsUnreadableNotAPanic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "countries.parquet")
	vals := make([]string, 100)
	for i := range vals {
		vals[i] = []string{"NL", "BE", "DE", "FR", "LU"}[i%5]
	}
	rec := record(t, memory.NewGoAllocator(), []col{strs("country", vals...)})
	writeRecords(t, path, rec.Schema(), 100, rec)
	rec.Release()
	if err := corrupt.ShrinkDictionary(path, 5, 2); err != nil {
		t.Fatal(err)
	}
	contract := doc(`
- name: country
  logicalType: string
  logicalTypeOptions:
    maxLength: 2
`)
	rep, err := runCheck(t, contract, []string{path}, "")
	var re *source.ReadError
	if !errors.As(err, &re) || re.Path != path {
		t.Fatalf("err = %v, want a read error for %s", err, path)
	}
	if rep == nil || rep.Status != report.StatusError {
		t.Fatalf("report %+v, want status error", rep)
	}
}

func TestAParquetFileShrunkWhileItIsReadIsUnreadable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ids.parquet")
	vals := make([]string, 3000)
	for i := range vals {
		vals[i] = fmt.Sprint(i)
	}
	rec := record(t, memory.NewGoAllocator(), []col{ints("id", vals...)})
	writeRecords(t, path, rec.Schema(), 100, rec)
	rec.Release()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	cut := false
	rep, err := Check(context.Background(), Options{
		Contract: parseContract(t, doc(idContract)),
		Files:    []string{path},
		Source:   source.Options{BatchSize: 100},
		Progress: func(Progress) {
			if !cut {
				cut = true
				os.Truncate(path, st.Size()*7/10)
			}
		},
	})
	var re *source.ReadError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want a read error", err)
	}
	if rep == nil || rep.Status != report.StatusError {
		t.Fatalf("report %+v, want status error", rep)
	}
}
