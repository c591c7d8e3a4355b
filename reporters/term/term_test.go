package term

import (
	"strings"
	"testing"
)

func TestWrap(t *testing.T) {
	tests := []struct {
		name               string
		text, indent, hang string
		width              int
		want               []string
	}{
		{"a short line is unchanged", "a b c", "", "", 10, []string{"a b c"}},
		{"a line breaks at spaces", "aaa bbb ccc", "", "", 7, []string{"aaa bbb", "ccc"}},
		{"continuation lines get the hanging indent", "row 1 (f.csv): value", "  ", "    ", 16, []string{"  row 1 (f.csv):", "    value"}},
		{"a word wider than the line is cut, keeping every character", "abcdefghij", "", "", 4, []string{"abcd", "efgh", "ij"}},
		{"a hang as wide as the line still makes progress", "ab cd", "", "    ", 3, []string{"ab", "    c", "    d"}},
		{"double spaces are kept", "a  b", "", "", 10, []string{"a  b"}},
		{"width 0 does not wrap", "aaa bbb ccc", "  ", "", 0, []string{"  aaa bbb ccc"}},
		{"wide characters count two columns", "日本語 日本語", "", "", 7, []string{"日本語", "日本語"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Wrap(tt.text, tt.width, tt.indent, tt.hang)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("Wrap = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSanitizer(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		line  string // Line(in)
		clean string // Clean(in)
	}{
		{"plain text is unchanged", "orders 1.2.0", "orders 1.2.0", "orders 1.2.0"},
		{"an ANSI escape is shown, not sent", "a\x1b[2Jb", `a\x1b[2Jb`, `a\x1b[2Jb`},
		{"a line break cannot start a workflow command", "x\n::error::pwned", `x\n::error::pwned`, "x\n\\::error::pwned"},
		{"a command at the very start is defused", "::warning::x", `\::warning::x`, `\::warning::x`},
		{"an indented legacy command is defused", "a\n  ##[error]x", `a\n  ##[error]x`, "a\n\\  ##[error]x"},
		{"a carriage return cannot overwrite the line", "ok\rFAIL", `ok\rFAIL`, `ok\rFAIL`},
		{"a bidi override is escaped", "a\u202eb", `a\u202eb`, `a\u202eb`},
		{"invalid UTF-8 is escaped byte by byte", "a\xffb", `a\xffb`, `a\xffb`},
		{"tabs stay in Clean and become spaces in Line", "a\tb", "a b", "a\tb"},
		{"a double colon inside a line is left alone", "a::b", "a::b", "a::b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Line(tt.in); got != tt.line {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.line)
			}
			if got := Clean(tt.in); got != tt.clean {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.clean)
			}
		})
	}
}

func TestValue(t *testing.T) {
	for in, want := range map[string]string{
		"-4.5":        "-4.5",
		"":            `""`,
		" padded":     `" padded"`,
		"a\nb":        `"a\nb"`,
		"::error::x":  `\::error::x`,
		"\x1b[31mred": `"\x1b[31mred"`,
	} {
		if got := Value(in); got != want {
			t.Errorf("Value(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzWrap checks that wrapping ends and never loses a character.
func FuzzWrap(f *testing.F) {
	f.Add("row 18 (data/orders-2024-01.csv): -4.5", 10, "  ", "    ")
	f.Add("aaaaaaaaaaaaaaaaaaaa b", 1, "", "      ")
	f.Add("日本語のテキスト と  spaces", 5, " ", "  ")
	f.Fuzz(func(t *testing.T, text string, width int, indent, hang string) {
		if strings.ContainsAny(text+indent+hang, "\n\r") || width > 1000 || len(text) > 1000 {
			t.Skip()
		}
		indent, hang = strings.Repeat(" ", len(indent)%8), strings.Repeat(" ", len(hang)%8)
		lines := Wrap(text, width, indent, hang)
		strip := func(s string) string { return strings.ReplaceAll(s, " ", "") }
		if got, want := strip(strings.Join(lines, "")), strip(text); got != want {
			t.Errorf("Wrap(%q, %d) = %q: lost characters", text, width, lines)
		}
	})
}

// FuzzClean checks that no control character survives Line and that no
// line of Clean's output starts a workflow command.
func FuzzClean(f *testing.F) {
	f.Add("x\n::error::y\r\n\x1b[2J")
	f.Fuzz(func(t *testing.T, s string) {
		for _, r := range Line(s) {
			if r < 0x20 || r == 0x7f {
				t.Fatalf("Line(%q) keeps control %U", s, r)
			}
		}
		for l := range strings.SplitSeq(Clean(s), "\n") {
			l = strings.TrimLeft(l, " \t")
			if strings.HasPrefix(l, "::") || strings.HasPrefix(l, "##[") {
				t.Fatalf("Clean(%q) has a command line %q", s, l)
			}
		}
	})
}

func TestColumns(t *testing.T) {
	rows := [][]string{{"RULE", "SEVERITY", "DESCRIPTION"}, {"VALUE_NULL", "error", "A required column holds nulls or values listed as missing."}}
	for _, tt := range []struct {
		width int
		want  string
	}{
		{60, "RULE        SEVERITY  DESCRIPTION\n" +
			"VALUE_NULL  error     A required column holds nulls or\n" +
			"                      values listed as missing."},
		{40, "RULE        SEVERITY\n    DESCRIPTION\n" +
			"VALUE_NULL  error\n    A required column holds nulls or\n    values listed as missing."},
	} {
		got := strings.Join(Columns(rows, tt.width), "\n")
		if got != tt.want {
			t.Errorf("width %d: got\n%s\nwant\n%s", tt.width, got, tt.want)
		}
		for _, l := range Columns(rows, tt.width) {
			if Width(l) > tt.width {
				t.Errorf("width %d: line %q is wider", tt.width, l)
			}
		}
	}
}
