// Package term is the one sanitizer for text that reaches a terminal or a
// CI log, and the few width-aware helpers (wrap, cut) that text output
// needs.
//
// Contract and data text is hostile until shown otherwise: an ANSI escape
// in a column name drives the reader's terminal, a line break followed by
// "::error::" starts a GitHub Actions workflow command in the job log, a
// bidi override reorders what the reader sees. Every string that came from
// a contract, a data file, a path or an error goes through Clean (text that
// may span lines) or Line (text that must stay on one line) before it is
// printed, by the reporters and by the CLI alike.
package term

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// Clean keeps line breaks and tabs but escapes every other control or
// invisible character (ANSI escapes, carriage returns, bidi overrides,
// invalid UTF-8) as Go does, and defuses lines that a CI runner would read
// as a command (see Line).
func Clean(s string) string { return clean(s, true) }

// clean is Clean, or with multiline false Line: line breaks written as \n
// and tabs as spaces, so only the start of s can start a line.
func clean(s string, multiline bool) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if !multiline && !strings.ContainsAny(s, "\n\t") {
		multiline = true // the same result, and the fast path below applies
	}
	if multiline && printable(strings.NewReplacer("\n", "", "\t", "").Replace(s)) && !strings.Contains(s, "::") && !strings.Contains(s, "##[") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	lineStart := true
	for i, r := range s {
		if lineStart {
			defuse(&b, s[i:])
			lineStart = false
		}
		switch {
		case r == '\n' && !multiline:
			b.WriteString(`\n`)
		case r == '\t' && !multiline:
			b.WriteByte(' ')
		case r == '\n':
			b.WriteRune(r)
			lineStart = true
		case r == '\t':
			b.WriteRune(r)
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatUint(uint64(s[i])|0x100, 16)[1:])
		case !strconv.IsPrint(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// defuse writes a backslash before a line that would start a workflow
// command: GitHub Actions reads a log line starting with "::" (after
// blanks) as a command, and "##[" as its legacy form. The backslash keeps
// the text readable and the runner inert.
func defuse(b *strings.Builder, rest string) {
	t := strings.TrimLeft(rest, " \t")
	if strings.HasPrefix(t, "::") || strings.HasPrefix(t, "##[") {
		b.WriteByte('\\')
	}
}

// Line is Clean for text that must stay on one line: line breaks become
// \n and tabs spaces.
func Line(s string) string { return clean(s, false) }

// Value shows a data value as it is unless that would hide something: an
// empty value, surrounding blanks, line breaks or invisible characters are
// shown Go-quoted, which also keeps the value from injecting escapes or
// commands. A value starting a line is defused as Line does.
func Value(v string) string {
	if v == "" || strings.TrimSpace(v) != v || !printable(v) {
		return strconv.Quote(v)
	}
	return Line(v)
}

func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !strconv.IsPrint(r) {
			return false
		}
	}
	return true
}

// Width is the number of terminal columns s takes (East Asian wide
// characters count two).
func Width(s string) int { return twwidth.Width(s) }

// Cut splits s after the longest prefix no wider than w columns, and after
// at least one rune, so a loop over Cut always ends.
func Cut(s string, w int) (head, rest string) {
	n := 0
	for i, r := range s {
		rw := twwidth.Width(string(r))
		if n+rw > w && i > 0 {
			return s[:i], s[i:]
		}
		n += rw
	}
	return s, ""
}

// Truncate cuts s to at most w columns, ending it with "..." when
// something was cut (ASCII: East Asian terminals draw an ellipsis double
// width).
func Truncate(s string, w int) string {
	if Width(s) <= w {
		return s
	}
	if w <= 3 {
		head, _ := Cut(s, w)
		return head
	}
	head, _ := Cut(s, w-3)
	return head + "..."
}

// Wrap breaks text into lines no wider than width at spaces, and inside a
// word only when the word alone is too wide. The first line starts with
// indent, the others with hang, so a wrapped item still reads as one. Every
// character is kept; width 0 or less means no limit.
func Wrap(text string, width int, indent, hang string) []string {
	if width <= 0 {
		return []string{indent + text}
	}
	var out []string
	cur, curW, started := indent, Width(indent), false
	flush := func() {
		out = append(out, cur)
		cur, curW, started = hang, Width(hang), false
	}
	for _, word := range strings.Split(text, " ") {
		ww := Width(word)
		if started && curW+1+ww > width {
			flush()
		}
		if started {
			cur += " "
			curW++
		}
		// A word wider than the line is cut. Each cut moves at least one
		// character, so this ends; a last character that fits nowhere
		// overflows its line rather than being dropped.
		for curW+ww > width && ww > 0 {
			head, rest := Cut(word, width-curW)
			if rest == "" {
				break
			}
			cur += head
			flush()
			word, ww = rest, Width(rest)
		}
		cur += word
		curW += ww
		started = true
	}
	out = append(out, cur)
	return out
}

// Columns lays rows out as aligned columns separated by two spaces, like
// text/tabwriter, but wraps the last column to width (0: no limit) with its
// continuation lines aligned under it, so a table of short keys and long
// descriptions fits the terminal. Cells are printed as given: sanitize them
// first.
func Columns(rows [][]string, width int) []string {
	var widths []int
	for _, r := range rows {
		for i, c := range r[:max(len(r)-1, 0)] {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], Width(c))
		}
	}
	var out []string
	for _, r := range rows {
		if len(r) == 0 {
			out = append(out, "")
			continue
		}
		var lead strings.Builder
		for i, c := range r[:len(r)-1] {
			lead.WriteString(c)
			lead.WriteString(strings.Repeat(" ", widths[i]-Width(c)+2))
		}
		hang := strings.Repeat(" ", Width(lead.String()))
		if width > 0 && width-Width(hang) < 30 && len(rows) > 1 {
			// Too narrow to wrap beside the keys: the last column goes
			// under them, indented, and still fits.
			out = append(out, strings.TrimRight(lead.String(), " "))
			if text := r[len(r)-1]; text != "" {
				out = append(out, Wrap(text, width, "    ", "    ")...)
			}
			continue
		}
		out = append(out, Wrap(r[len(r)-1], width, lead.String(), hang)...)
	}
	return out
}
