package rules

import (
	"fmt"
	"regexp/syntax"
	"strconv"
	"strings"
	"unicode"
)

// Pattern is the regular expression a dialect's Matches is given for the
// contract's pattern re, which driftgate reads as Go's RE2 does. Where the
// engine's syntax reads some RE2 patterns otherwise, the pattern is
// rewritten from its parsed form so the engine matches the same values:
//
//   - Spark and Databricks (Java's java.util.regex): $ would also match
//     before a final line break, [[:alpha:]] is a set of letters and
//     [a&&b] an intersection, . stops at \r and \u2028 too, \b and (?i)
//     read Unicode differently;
//   - PostgreSQL (advanced REs): . and [^a] match a line break, \b is a
//     backspace.
//
// The rewrite spells every character class as explicit code-point ranges,
// every anchor and word boundary as the RE2 meaning written out
// (lookarounds), case-insensitive letters as their case-fold sets, and
// groups without capture; only whether a value matches matters, so
// repetitions are greedy. The other dialects get re as written: DuckDB and
// BigQuery read RE2 as Go does; Trino's, Snowflake's and Redshift's
// syntax is not run here (their SQL is generated and parsed only).
//
// An error means the pattern cannot be written for the engine: the rule
// has no SQL form there.
func Pattern(d Dialect, re string) (string, error) {
	var f *flavor
	switch d.Name() {
	case "spark", "databricks":
		f = &java
	case "postgres":
		f = &are
	default:
		return re, nil
	}
	t, err := syntax.Parse(re, syntax.Perl)
	if err != nil {
		return "", fmt.Errorf("pattern %q: %w", re, err)
	}
	var b strings.Builder
	if err := f.write(&b, t); err != nil {
		return "", fmt.Errorf("pattern %q in %s: %w", re, d.Name(), err)
	}
	return b.String(), nil
}

// flavor is how one engine's syntax spells the pieces of a parsed RE2
// pattern.
type flavor struct {
	// char writes one code point inside or outside a bracket expression.
	char func(r rune) string
	// beginText, endText, beginLine, endLine are RE2's \A, \z, (?m:^) and
	// (?m:$).
	beginText, endText, beginLine, endLine string
	// noMatch matches nothing.
	noMatch string
	// maxRepeat is the largest {n,m} count the engine takes.
	maxRepeat int
	// minRune is the smallest code point the engine's texts hold.
	minRune rune
}

// The word characters of RE2's \b: ASCII letters, digits and underscore.
const wordClass = `[0-9A-Za-z_]`

var java = flavor{
	char: func(r rune) string { return `\x{` + strconv.FormatInt(int64(r), 16) + `}` },
	// Java's $ and \Z allow a final line terminator; \z does not.
	beginText: `\A`, endText: `\z`, beginLine: `(?:\A|(?<=\x{a}))`, endLine: `(?:\z|(?=\x{a}))`,
	noMatch: `(?!)`, maxRepeat: 1 << 30,
}

// are is PostgreSQL's advanced regular expressions, in the default
// (not newline-sensitive) mode, where ^ and $ are the start and end of
// the text.
var are = flavor{
	char: func(r rune) string {
		if r <= 0xffff {
			return fmt.Sprintf(`\u%04x`, r)
		}
		return fmt.Sprintf(`\U%08x`, r)
	},
	beginText: `^`, endText: `$`, beginLine: `(?:^|(?<=\u000a))`, endLine: `(?:$|(?=\u000a))`,
	// A PostgreSQL text cannot hold NUL, nor a pattern name it.
	noMatch: `[^\u0001-\U0010ffff]`, maxRepeat: 255, minRune: 1,
}

// write spells t in the flavor: a zero-width assertion as its text,
// characters as literals or explicit classes, and the operators over
// sub-expressions (groups, repetitions, concatenation, alternation) by
// writing their parts.
func (f *flavor) write(b *strings.Builder, t *syntax.Regexp) error {
	if s, ok := f.assertion(t.Op); ok {
		b.WriteString(s)
		return nil
	}
	switch t.Op {
	case syntax.OpLiteral, syntax.OpCharClass, syntax.OpAnyCharNotNL, syntax.OpAnyChar:
		f.chars(b, t)
	case syntax.OpCapture:
		return f.group(b, t.Sub[0])
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		return f.repeat(b, t)
	case syntax.OpConcat, syntax.OpAlternate:
		return f.sequence(b, t)
	default:
		return fmt.Errorf("regexp operation %v is not written for this engine", t.Op)
	}
	return nil
}

// assertion is the text of an operation that matches no character: the
// empty match, no match, the anchors and word boundaries.
func (f *flavor) assertion(op syntax.Op) (string, bool) {
	switch op {
	case syntax.OpNoMatch:
		return f.noMatch, true
	case syntax.OpEmptyMatch:
		return "(?:)", true
	case syntax.OpBeginLine:
		return f.beginLine, true
	case syntax.OpEndLine:
		return f.endLine, true
	case syntax.OpBeginText:
		return f.beginText, true
	case syntax.OpEndText:
		return f.endText, true
	case syntax.OpWordBoundary:
		return `(?:(?<=` + wordClass + `)(?!` + wordClass + `)|(?<!` + wordClass + `)(?=` + wordClass + `))`, true
	case syntax.OpNoWordBoundary:
		return `(?:(?<=` + wordClass + `)(?=` + wordClass + `)|(?<!` + wordClass + `)(?!` + wordClass + `))`, true
	}
	return "", false
}

// chars writes a literal (case-folded letters as their fold sets) or a
// class of characters.
func (f *flavor) chars(b *strings.Builder, t *syntax.Regexp) {
	switch t.Op {
	case syntax.OpLiteral:
		for _, r := range t.Rune {
			if t.Flags&syntax.FoldCase != 0 && unicode.SimpleFold(r) != r {
				f.class(b, foldSet(r))
				continue
			}
			f.literal(b, r)
		}
	case syntax.OpCharClass:
		f.class(b, t.Rune)
	case syntax.OpAnyCharNotNL:
		f.class(b, []rune{0, '\n' - 1, '\n' + 1, unicode.MaxRune})
	case syntax.OpAnyChar:
		f.class(b, []rune{0, unicode.MaxRune})
	}
}

// repeat writes *, +, ? and {n,m} after their operand, refusing a count
// the engine does not take.
func (f *flavor) repeat(b *strings.Builder, t *syntax.Regexp) error {
	if t.Op == syntax.OpRepeat && (t.Min > f.maxRepeat || t.Max > f.maxRepeat) {
		return fmt.Errorf("a repetition of %d, more than the engine takes (%d)", max(t.Min, t.Max), f.maxRepeat)
	}
	if err := f.group(b, t.Sub[0]); err != nil {
		return err
	}
	switch {
	case t.Op == syntax.OpStar:
		b.WriteString("*")
	case t.Op == syntax.OpPlus:
		b.WriteString("+")
	case t.Op == syntax.OpQuest:
		b.WriteString("?")
	case t.Max == -1:
		fmt.Fprintf(b, "{%d,}", t.Min)
	case t.Min == t.Max:
		fmt.Fprintf(b, "{%d}", t.Min)
	default:
		fmt.Fprintf(b, "{%d,%d}", t.Min, t.Max)
	}
	return nil
}

// sequence writes a concatenation, or an alternation as one group.
func (f *flavor) sequence(b *strings.Builder, t *syntax.Regexp) error {
	alt := t.Op == syntax.OpAlternate
	if alt {
		b.WriteString("(?:")
	}
	for i, s := range t.Sub {
		if alt && i > 0 {
			b.WriteByte('|')
		}
		if err := f.write(b, s); err != nil {
			return err
		}
	}
	if alt {
		b.WriteByte(')')
	}
	return nil
}

// group writes t as one unit a repetition can follow: a character or a
// class as it is, anything else in a group.
func (f *flavor) group(b *strings.Builder, t *syntax.Regexp) error {
	switch {
	case t.Op == syntax.OpCharClass, t.Op == syntax.OpAnyChar, t.Op == syntax.OpAnyCharNotNL,
		t.Op == syntax.OpLiteral && len(t.Rune) == 1:
		return f.write(b, t)
	}
	b.WriteString("(?:")
	if err := f.write(b, t); err != nil {
		return err
	}
	b.WriteByte(')')
	return nil
}

// literal writes one code point: an ASCII letter or digit as itself,
// anything else escaped.
func (f *flavor) literal(b *strings.Builder, r rune) {
	if r < 0x80 && (r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
		b.WriteRune(r)
		return
	}
	b.WriteString(f.char(r))
}

// class writes ranges (pairs lo, hi) as one bracket expression of
// explicit code points, so no class name or operator of the engine's
// (POSIX classes, Java's &&) is involved.
func (f *flavor) class(b *strings.Builder, ranges []rune) {
	for len(ranges) > 0 && ranges[1] < f.minRune {
		ranges = ranges[2:]
	}
	if len(ranges) > 0 && ranges[0] < f.minRune {
		ranges = append([]rune{f.minRune}, ranges[1:]...)
	}
	if len(ranges) == 0 {
		b.WriteString(f.noMatch)
		return
	}
	b.WriteByte('[')
	for i := 0; i+1 < len(ranges); i += 2 {
		f.literal(b, ranges[i])
		if ranges[i+1] != ranges[i] {
			b.WriteByte('-')
			f.literal(b, ranges[i+1])
		}
	}
	b.WriteByte(']')
}

// foldSet is r's simple case-fold orbit as ranges, as RE2 folds a
// case-insensitive literal.
func foldSet(r rune) []rune {
	var out []rune
	for c := unicode.SimpleFold(r); ; c = unicode.SimpleFold(c) {
		out = append(out, c, c)
		if c == r {
			break
		}
	}
	return out
}
