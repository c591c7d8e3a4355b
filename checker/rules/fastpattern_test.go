package rules

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// patternCases are contract-style patterns, those with a fast path and
// those without, and values that probe their edges.
var patternCases = []struct {
	expr string
	fast bool
}{
	{`^[A-Z]{2}$`, true},
	{`^[A-Z]{2,3}$`, true},
	{`^INV-[0-9]+$`, true},
	{`^[a-z]+@[a-z]+$`, true},
	{`^[0-9]{5}$`, true},
	{`^(ABC)[0-9]?$`, true},
	{`^$`, true},
	{`^x*$`, true},
	{`^[A-Z]{1,3}[A-Z]$`, false},   // greedy would take what the last step needs
	{`^[A-Z]*[0-9]?[A-Z]$`, false}, // an optional step between overlapping ones
	{`^[A-Z]{2}`, false},           // unanchored end
	{`[A-Z]{2}$`, false},
	{`^(?i)[a-z]{2}$`, false},
	{`^[^@]+$`, false}, // negated: every non-ASCII rune too
	{`^é+$`, false},
	{`^.{3}$`, false},
	{`^[0-9]{5}(-[0-9]{4})?$`, false},
	{`^(a|b)$`, true}, // the parser makes it a class
	{`^(ab|cd)$`, false},
	{`^a+?b$`, false},
}

var patternValues = []string{"", "A", "AB", "ABC", "ABCD", "ab", "A1", "1", "12345", "1234", "123456", "INV-", "INV-1",
	"INV-12a", "a@b", "a@", "@b", "ABC", "ABC7", "ABC77", "x", "xxx", "AB\n", "\xffA", "AÉ", "é", "ééé", "abc", "a", "b", "ab", "aab",
	"12345-6789", "Ab", "ZZ", "zz"}

func TestPatternMatchesRegexp(t *testing.T) {
	for _, tc := range patternCases {
		t.Run(tc.expr, func(t *testing.T) {
			p, err := CompileMatcher(tc.expr)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.fast != nil; got != tc.fast {
				t.Errorf("fast path %v, want %v", got, tc.fast)
			}
			re := regexp.MustCompile(tc.expr)
			for _, v := range patternValues {
				if got, want := p.MatchString(v), re.MatchString(v); got != want {
					t.Errorf("MatchString(%q) = %v, regexp says %v", v, got, want)
				}
			}
			rng := rand.New(rand.NewPCG(3, 4))
			for range 2000 {
				b := make([]byte, rng.IntN(7))
				for i := range b {
					b[i] = "AZaz09-@xé\n"[rng.IntN(12)]
				}
				if got, want := p.MatchString(string(b)), re.MatchString(string(b)); got != want {
					t.Fatalf("MatchString(%q) = %v, regexp says %v", b, got, want)
				}
			}
		})
	}
}

// FuzzPattern holds the fast path to regexp on any pattern and value.
func FuzzPattern(f *testing.F) {
	for _, tc := range patternCases {
		for _, v := range patternValues[:6] {
			f.Add(tc.expr, v)
		}
	}
	f.Fuzz(func(t *testing.T, expr, v string) {
		p, err := CompileMatcher(expr)
		if err != nil {
			return // regexp.Compile refuses it too
		}
		if got, want := p.MatchString(v), regexp.MustCompile(expr).MatchString(v); got != want {
			t.Fatalf("pattern %q on %q: %v, regexp says %v", expr, v, got, want)
		}
	})
}

func BenchmarkPattern(b *testing.B) {
	vals := []string{"DE", "FR", "nl", "USA", "JP", "BR"}
	for _, expr := range []string{`^[A-Z]{2}$`} {
		p, _ := CompileMatcher(expr)
		re := regexp.MustCompile(expr)
		b.Run("fast", func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				p.MatchString(vals[i%len(vals)])
			}
		})
		b.Run("regexp", func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				re.MatchString(vals[i%len(vals)])
			}
		})
	}
}
