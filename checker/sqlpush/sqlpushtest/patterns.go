package sqlpushtest

import (
	"regexp"
	"testing"

	"github.com/driftgate/driftgate/checker/rules"
)

// Patterns are contract patterns that engines' regular expressions read
// otherwise than Go's RE2 unless rules.Pattern rewrites them: anchors and
// final line breaks, POSIX classes, Java's class intersection, . and line
// terminators, word boundaries and case folding beyond ASCII.
var Patterns = []string{
	`^[A-Z]+$`, `^abc$`, `a.b`, `(?s)a.b`, `[[:alpha:]]+`, `^[[:alpha:]]+$`, `[a&&b]`, `\bx`, `x\B`,
	`(?i)k`, `(?i)^straße$`, `(?m)^b`, `(?m)a$`, `\w+$`, `^\s*$`, `é`, `[^a]`, `^a{2,}$`, `(?U)a+?b`, `^$`,
	`\d`, `[\p{Greek}]`, `\.`, `a|b$`, `\\`, `'`, `\Qa.b\E`,
}

// PatternValues are the texts each pattern is matched against.
var PatternValues = []string{
	"ABC", "abc", "abc\n", "a\nb", "a\rb", "a\u2028b", "a.b", "Ünï", "é", "e\u0301", "x_y", "xy", "x", "K", "\u212a",
	"STRASSE", "straße", "a\nb\n", "", " \t", "aa", "a", "&", "ab", "١", "αβ", `a\b`, "it's",
}

// PatternCase is one pattern matched against one value.
type PatternCase struct {
	Pattern, Value string
	// Engine is the pattern as the engine gets it, Want whether Go's RE2
	// matches the value.
	Engine string
	Want   bool
}

// PatternCases are every pattern against every value, the pattern
// rewritten for dialect d.
func PatternCases(t testing.TB, d rules.Dialect) []PatternCase {
	t.Helper()
	var out []PatternCase
	for _, p := range Patterns {
		re := regexp.MustCompile(p)
		e, err := rules.Pattern(d, p)
		if err != nil {
			t.Fatalf("pattern %q in %s: %v", p, d.Name(), err)
		}
		for _, v := range PatternValues {
			out = append(out, PatternCase{Pattern: p, Value: v, Engine: e, Want: re.MatchString(v)})
		}
	}
	return out
}
