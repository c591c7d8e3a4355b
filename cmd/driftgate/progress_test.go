package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/project"
	"github.com/driftgate/driftgate/reporters/term"
)

func TestProgressBarShowsRowsRateAndShareThenClears(t *testing.T) {
	var buf bytes.Buffer
	clock := time.Unix(0, 0)
	p := &progressBar{w: &buf, width: 120, verb: "checking", start: clock, now: func() time.Time { return clock }}
	clock = clock.Add(2 * time.Second)
	p.update(checker.Progress{File: "a.parquet", FileIndex: 0, Files: 2, Rows: 2_000_000, FileRows: 500, FileTotal: 1000})
	line := buf.String()
	for _, want := range []string{"checking 1/2 a.parquet", "[==========>", " 50%", "2,000,000 rows", "1.0M rows/s"} {
		if !strings.Contains(line, want) {
			t.Errorf("progress line %q lacks %q", line, want)
		}
	}
	// A second update within 100 ms is not drawn: redraws cost nothing.
	buf.Reset()
	clock = clock.Add(50 * time.Millisecond)
	p.update(checker.Progress{File: "a.parquet", Files: 2, Rows: 2_100_000, FileTotal: -1})
	if buf.Len() != 0 {
		t.Errorf("redrew within 100 ms: %q", buf.String())
	}
	p.done()
	if got := buf.String(); got != "\r\x1b[K" {
		t.Errorf("done wrote %q, want a line clear", got)
	}
}

func TestNoProgressWhenStderrIsNotATerminal(t *testing.T) {
	inRepoRoot(t)
	_, stderr, _ := cli(t, nil, "check", "-c", "fixtures/orders/contract.odcs.yaml", "fixtures/orders/orders.parquet")
	if strings.Contains(stderr, "checking") || strings.Contains(stderr, "\r") {
		t.Errorf("progress written to a non-terminal stderr: %q", stderr)
	}
}

func TestProgressLineFitsTheTerminalAndUsesBytesWithoutARowCount(t *testing.T) {
	var buf bytes.Buffer
	clock := time.Unix(0, 0)
	p := &progressBar{w: &buf, width: 60, verb: "checking", start: clock, now: func() time.Time { return clock }}
	clock = clock.Add(time.Second)
	long := strings.Repeat("very-long-directory/", 6) + "orders.csv.gz"
	p.forDataset("orders")(checker.Progress{File: long, Files: 1, Rows: 1234, FileRows: 1234, FileTotal: -1, FileBytes: 300, FileSize: 1000})
	line := strings.TrimPrefix(buf.String(), "\r\x1b[K")
	if w := term.Width(line); w > 59 {
		t.Errorf("the line is %d columns on a 60-column terminal, so it wraps and leaves a stale row: %q", w, line)
	}
	if !strings.Contains(line, "orders: checking 1/1 …") || !strings.Contains(line, " 30%") {
		t.Errorf("line %q: want the dataset, the file cut at its start, and 30%% from the bytes read", line)
	}
}

// TestProgressCountsTheBytesOfCSVAndGzip runs a real check with a progress
// callback: a CSV file, and the same file gzipped, report the bytes read
// of their size, ending at the whole file.
func TestProgressCountsTheBytesOfCSVAndGzip(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "orders-clean", "orders.csv"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	plain := filepath.Join(dir, "orders.csv")
	zipped := filepath.Join(dir, "orders.csv.gz")
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(src)
	zw.Close()
	for path, data := range map[string][]byte{plain: src, zipped: gz.Bytes()} {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, _, _, err := project.ResolveContract(filepath.Join("..", "..", "fixtures", "orders-clean", "contract.odcs.yaml"), "", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{plain, zipped} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			size := int64(len(src))
			if path == zipped {
				size = int64(gz.Len())
			}
			var last checker.Progress
			for _, drift := range []bool{false, true} {
				job := project.Job{Check: !drift}
				job.Contract, job.Files, job.FailOn = c, []string{path}, "never"
				job.Source.BatchSize = 50
				job.Progress = func(p checker.Progress) { last = p }
				var err error
				if drift {
					_, err = project.Profile(context.Background(), job)
				} else {
					_, err = project.Run(context.Background(), job)
				}
				if err != nil {
					t.Fatal(err)
				}
				frac, ok := last.Fraction()
				if last.FileSize != size || last.FileBytes != size || !ok || frac != 1 {
					t.Errorf("profile %v: last progress %d of %d bytes (share %v, %v); want all %d bytes", drift, last.FileBytes, last.FileSize, frac, ok, size)
				}
			}
		})
	}
}

func TestQuietSilencesProgressOnEveryDataCommand(t *testing.T) {
	driftProject(t)
	tty := func(args ...string) string {
		var out, errb bytes.Buffer
		e := env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, stderrTTY: true, stderrWidth: 80}
		run(context.Background(), args, e)
		return errb.String()
	}
	for _, args := range [][]string{
		{"check", "-c", "orders.odcs.yaml", "clean.csv"},
		{"profile", "-c", "orders.odcs.yaml", "clean.csv", "-o", "p.json"},
		{"drift", "-b", "baseline.profile.json", "-c", "orders.odcs.yaml", "clean.csv"},
		{"run", "clean"},
	} {
		t.Run(args[0], func(t *testing.T) {
			if got := tty(args...); !strings.Contains(got, "\r\x1b[K") {
				t.Errorf("no progress on a terminal: %q", got)
			}
			if got := tty(append(args, "-q")...); strings.Contains(got, "\r") {
				t.Errorf("progress despite -q: %q", got)
			}
		})
	}
}
