//go:build unix

package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestReportStreams runs the README example with reports sent to streams:
// a report must reach the stream whole, and the stream must stay what it
// was (the atomic file writer used to rename a regular file over it).
func TestReportStreams(t *testing.T) {
	inRepoRoot(t)
	args := func(format string) []string {
		return []string{"check", "-c", "fixtures/orders/contract.odcs.yaml", "--format", format, "fixtures/orders/orders.parquet"}
	}
	isReport := func(t *testing.T, b []byte) {
		t.Helper()
		var r struct {
			Status string `json:"status"`
		}
		if err := json.Unmarshal(b, &r); err != nil || r.Status != "fail" {
			t.Errorf("not the JSON report (%v): %.200q", err, b)
		}
	}

	for _, path := range []string{"-", "/dev/stdout"} {
		t.Run("json="+path+" writes the report to stdout and no file", func(t *testing.T) {
			root := repoRoot(t)
			t.Chdir(t.TempDir())
			stdout, stderr, code := cli(t, nil, "check", "-c", filepath.Join(root, "fixtures/orders/contract.odcs.yaml"),
				"--format", "json="+path, filepath.Join(root, "fixtures/orders/orders.parquet"))
			if code != exitFailed {
				t.Fatalf("exit %d, want 1; stderr:\n%s", code, stderr)
			}
			isReport(t, []byte(stdout))
			if names, _ := filepath.Glob("*"); len(names) != 0 {
				t.Errorf("the run left files %v", names)
			}
		})
	}

	t.Run("two reports to stdout is a usage error", func(t *testing.T) {
		_, stderr, code := cli(t, nil, append(args("json=-"), "--format", "text")...)
		if code != exitUsage {
			t.Errorf("exit %d, want 2; stderr:\n%s", code, stderr)
		}
	})

	t.Run("a FIFO gets the whole report and stays a FIFO", func(t *testing.T) {
		fifo := filepath.Join(t.TempDir(), "report.pipe")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		got := make(chan []byte, 1)
		go func() {
			f, err := os.Open(fifo)
			if err != nil {
				got <- nil
				return
			}
			defer f.Close()
			b, _ := io.ReadAll(f)
			got <- b
		}()
		_, stderr, code := cli(t, nil, args("json="+fifo)...)
		if code != exitFailed {
			t.Fatalf("exit %d, want 1; stderr:\n%s", code, stderr)
		}
		// Checked first: had the FIFO been replaced, its reader would
		// wait for a writer for ever.
		if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
			t.Fatalf("the FIFO was replaced: %v %v", st.Mode(), err)
		}
		isReport(t, <-got)
	})
}

// repoRoot is the absolute repository root (tests start in cmd/driftgate).
func repoRoot(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}
