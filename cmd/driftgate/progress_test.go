package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/driftgate/driftgate/checker"
)

func TestProgressBarShowsRowsRateAndShareThenClears(t *testing.T) {
	var buf bytes.Buffer
	clock := time.Unix(0, 0)
	p := &progressBar{w: &buf, start: clock, now: func() time.Time { return clock }}
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
