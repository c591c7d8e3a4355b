package main

import (
	"fmt"
	"io"
	"time"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/reporters/term"
)

// progressBar draws one self-overwriting status line on a terminal:
//
//	checking 2/3 orders-02.parquet  [=======>      ] 54%  3,145,728 rows  1.2M rows/s
//
// It redraws at most ten times a second so a fast run spends nothing on it,
// and clears its line when done so the report starts on a clean screen.
type progressBar struct {
	w     io.Writer
	start time.Time
	last  time.Time
	drawn bool
	now   func() time.Time
}

func newProgressBar(w io.Writer) *progressBar {
	now := time.Now
	t := now()
	return &progressBar{w: w, start: t, now: now}
}

func (p *progressBar) update(pr checker.Progress) {
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
	bar := ""
	if pr.FileTotal > 0 {
		frac := float64(pr.FileRows) / float64(pr.FileTotal)
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
		bar = fmt.Sprintf("  [%s] %3.0f%%", filled, frac*100)
	}
	name := term.Line(pr.File)
	if len(name) > 40 {
		name = "…" + name[len(name)-39:]
	}
	fmt.Fprintf(p.w, "\r\x1b[Kchecking %d/%d %s%s  %s rows%s", pr.FileIndex+1, pr.Files, name, bar, groupThousands(pr.Rows), rate)
	p.drawn = true
}

// done clears the line.
func (p *progressBar) done() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
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
