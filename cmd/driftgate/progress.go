package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/project"
	"github.com/driftgate/driftgate/reporters/term"
)

// progressBar draws one self-overwriting status line on a terminal:
//
//	checking 2/3 orders-02.parquet  [=======>      ] 54%  3,145,728 rows  1.2M rows/s
//
// The line is cut to the terminal's width: a longer one wraps, and the
// carriage return of the next redraw then goes back only to its last row,
// leaving the others on screen. The share comes from the rows when the
// format states them (Parquet), else from the bytes read (CSV, gzip,
// JSON). It redraws at most ten times a second, so a fast run spends
// nothing on it, and clears its line when done so the report starts on a
// clean screen. It is safe for concurrent use (run checks datasets in
// parallel); a nil bar draws nothing.
type progressBar struct {
	w     io.Writer
	width int
	verb  string
	start time.Time
	now   func() time.Time

	mu    sync.Mutex
	last  time.Time
	drawn bool
}

func newProgressBar(w io.Writer, width int, verb string) *progressBar {
	now := time.Now
	return &progressBar{w: w, width: width, verb: verb, start: now(), now: now}
}

// startProgress gives job a progress bar on stderr when show says so (a
// terminal, no -q, not under CI), and returns it.
func startProgress(e env, show bool, verb string, job *project.Job) *progressBar {
	if !show {
		return nil
	}
	bar := newProgressBar(e.stderr, progressWidth(e), verb)
	job.Progress = bar.update
	return bar
}

// progressWidth is the width of stderr's terminal; COLUMNS overrides it as
// for text reports.
func progressWidth(e env) int { return widthOf(e, e.stderrWidth) }

// widthOf is the width text wraps to on a stream: COLUMNS when it is set
// (a number of at least 20, as shells export it and users override it),
// else the terminal's width, else defaultWidth.
func widthOf(e env, terminal int) int {
	if c, err := strconv.Atoi(strings.TrimSpace(e.getenv("COLUMNS"))); err == nil && c >= 20 {
		return c
	}
	if terminal > 0 {
		return terminal
	}
	return defaultWidth
}

func (p *progressBar) update(pr checker.Progress) { p.draw("", pr) }

// forDataset reports the progress of one dataset of a run.
func (p *progressBar) forDataset(name string) func(checker.Progress) {
	return func(pr checker.Progress) { p.draw(name+": ", pr) }
}

func (p *progressBar) draw(prefix string, pr checker.Progress) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	t := p.now()
	if t.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = t
	elapsed := t.Sub(p.start).Seconds()
	rate := ""
	if elapsed > 0 {
		rate = "  " + humanRate(float64(pr.Rows)/elapsed) + " rows/s"
	}
	share, bar := "", ""
	if frac, ok := pr.Fraction(); ok {
		const width = 20
		n := min(int(frac*width), width)
		filled := make([]byte, width)
		for i := range filled {
			switch {
			case i < n:
				filled[i] = '='
			case i == n:
				filled[i] = '>'
			default:
				filled[i] = ' '
			}
		}
		share, bar = fmt.Sprintf(" %3.0f%%", frac*100), fmt.Sprintf("  [%s]", filled)
	}
	head := fmt.Sprintf("%s%s %d/%d ", term.Line(prefix), p.verb, pr.FileIndex+1, pr.Files)
	rows := "  " + groupThousands(pr.Rows) + " rows"
	// One column short of the width: a terminal that wraps at the last
	// column would otherwise move to a new row. On a narrow terminal the
	// bar and the rate give way, then the file name, from its start: its
	// end says which file it is.
	tail := bar + share + rows + rate
	for _, t := range []string{bar + share + rows, share + rows + rate, share + rows} {
		if p.width-1-term.Width(head)-term.Width(tail) >= 16 {
			break
		}
		tail = t
	}
	room := p.width - 1 - term.Width(head) - term.Width(tail)
	name := term.Line(pr.File)
	if w := term.Width(name); w > room {
		_, name = term.Cut(name, w-max(room-1, 8))
		name = "…" + name
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s", term.Truncate(head+name+tail, p.width-1))
	p.drawn = true
}

// done clears the line.
func (p *progressBar) done() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}

func humanRate(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.1fM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.1fk", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
}

func groupThousands(n int64) string {
	s := fmt.Sprint(n)
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}
