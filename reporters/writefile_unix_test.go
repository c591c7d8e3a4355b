//go:build unix

package reporters

import (
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestWriteFileStreams(t *testing.T) {
	r := loadReport(t, "report")
	want := string(render(t, JSON{}, r))

	t.Run("a FIFO is written in place and stays a FIFO", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "report.fifo")
		if err := syscall.Mkfifo(path, 0o600); err != nil {
			t.Fatal(err)
		}
		got := make(chan string, 1)
		go func() {
			f, err := os.Open(path)
			if err != nil {
				got <- "open: " + err.Error()
				return
			}
			defer f.Close()
			b, _ := io.ReadAll(f)
			got <- string(b)
		}()
		if err := WriteFile(path, JSON{}, r); err != nil {
			t.Fatal(err)
		}
		if g := <-got; g != want {
			t.Errorf("the reader got %d bytes, want the %d-byte report", len(g), len(want))
		}
		if st, err := os.Lstat(path); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
			t.Errorf("the FIFO was replaced: %v %v", st.Mode(), err)
		}
	})

	t.Run("an open descriptor named /dev/fd/N is written in place", func(t *testing.T) {
		pr, pw, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		defer pr.Close()
		got := make(chan string, 1)
		go func() { b, _ := io.ReadAll(pr); got <- string(b) }()
		err = WriteFile("/dev/fd/"+strconv.Itoa(int(pw.Fd())), JSON{}, r)
		pw.Close()
		if err != nil {
			t.Fatal(err)
		}
		if g := <-got; g != want {
			t.Errorf("the pipe got %d bytes, want the %d-byte report", len(g), len(want))
		}
	})

	t.Run("a temporary file a killed run left behind is removed by the next write", func(t *testing.T) {
		dir := t.TempDir()
		stale := filepath.Join(dir, ".report.json.123456.tmp")
		fresh := filepath.Join(dir, ".report.json.654321.tmp")
		other := filepath.Join(dir, ".other.json.123456.tmp")
		for _, p := range []string{stale, fresh, other} {
			if err := os.WriteFile(p, nil, 0o600); err != nil {
				t.Fatal(err)
			}
		}
		old := time.Now().Add(-time.Hour)
		for _, p := range []string{stale, other} {
			if err := os.Chtimes(p, old, old); err != nil {
				t.Fatal(err)
			}
		}
		if err := WriteFile(filepath.Join(dir, "report.json"), JSON{}, r); err != nil {
			t.Fatal(err)
		}
		got := strings.Join(entries(t, dir), " ")
		if want := ".other.json.123456.tmp .report.json.654321.tmp report.json"; got != want {
			t.Errorf("directory holds %s, want %s (the stale temporary file of this report removed, a fresh one and other reports' kept)", got, want)
		}
	})
}
