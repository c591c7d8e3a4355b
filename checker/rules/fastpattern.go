package rules

import (
	"regexp"
	"regexp/syntax"
)

// Matcher is a compiled RE2 pattern that matches the common shape of
// contract patterns without the regexp engine: an anchored sequence of
// ASCII characters and classes, each repeated a fixed or bounded number of
// times (^[A-Z]{2}$, ^[0-9]{5}(-[0-9]{4})?$ is not one, ^INV-[0-9]+$ is).
// Such a pattern is matched byte by byte in one pass, several times faster
// than regexp's one-pass engine on short values; any other pattern goes to
// regexp. Both give the same answer: TestPatternMatchesRegexp and
// FuzzPattern hold the fast path to regexp's.
type Matcher struct {
	re   *regexp.Regexp
	fast []patternStep // nil: use re
}

// patternStep is one element of a fast pattern: a set of bytes repeated
// min to max times (max < 0: unbounded).
type patternStep struct {
	class    byteSet
	min, max int
}

type byteSet [4]uint64

func (b *byteSet) has(c byte) bool { return b[c>>6]&(1<<(c&63)) != 0 }
func (b *byteSet) add(c byte)      { b[c>>6] |= 1 << (c & 63) }

func (b *byteSet) disjoint(o *byteSet) bool {
	return b[0]&o[0] == 0 && b[1]&o[1] == 0 && b[2]&o[2] == 0 && b[3]&o[3] == 0
}

// CompileMatcher compiles expr as regexp.Compile does, and finds a fast
// path when its shape allows one.
func CompileMatcher(expr string) (*Matcher, error) {
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, err
	}
	p := &Matcher{re: re}
	if parsed, err := syntax.Parse(expr, syntax.Perl); err == nil {
		p.fast = fastSteps(parsed)
	}
	return p, nil
}

// String is the pattern's source text.
func (p *Matcher) String() string { return p.re.String() }

// MatchString reports whether s matches the pattern.
func (p *Matcher) MatchString(s string) bool {
	if p.fast == nil {
		return p.re.MatchString(s)
	}
	pos := 0
	for k := range p.fast {
		st := &p.fast[k]
		n := 0
		for pos < len(s) && (st.max < 0 || n < st.max) && st.class.has(s[pos]) {
			pos++
			n++
		}
		if n < st.min {
			return false
		}
	}
	return pos == len(s)
}

// fastSteps turns an anchored sequence of ASCII steps into the fast form,
// or returns nil. Greedy matching step by step is exact when a step that
// can take a variable number of bytes is the last one, or is followed by a
// step that must take at least one byte from a set disjoint from its own:
// then no byte it takes could have served the next step.
func fastSteps(re *syntax.Regexp) []patternStep {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	if re.Op != syntax.OpConcat || len(re.Sub) < 2 ||
		re.Sub[0].Op != syntax.OpBeginText || re.Sub[len(re.Sub)-1].Op != syntax.OpEndText {
		return nil
	}
	var steps []patternStep
	for _, sub := range re.Sub[1 : len(re.Sub)-1] {
		more, ok := appendSteps(steps, sub)
		if !ok {
			return nil
		}
		steps = more
	}
	for k := range steps {
		if steps[k].min == steps[k].max || k == len(steps)-1 {
			continue
		}
		next := &steps[k+1]
		if next.min == 0 || !steps[k].class.disjoint(&next.class) {
			return nil
		}
	}
	if steps == nil {
		steps = []patternStep{} // ^$: only the empty string
	}
	return steps
}

// appendSteps adds the steps of one element of the sequence.
func appendSteps(steps []patternStep, re *syntax.Regexp) ([]patternStep, bool) {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	switch re.Op {
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return nil, false
		}
		for _, r := range re.Rune {
			if r >= 0x80 {
				return nil, false
			}
			var b byteSet
			b.add(byte(r))
			steps = append(steps, patternStep{class: b, min: 1, max: 1})
		}
		return steps, true
	case syntax.OpCharClass:
		b, ok := asciiClass(re)
		if !ok {
			return nil, false
		}
		return append(steps, patternStep{class: b, min: 1, max: 1}), true
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		one, ok := appendSteps(nil, re.Sub[0])
		if !ok || len(one) != 1 || re.Flags&syntax.NonGreedy != 0 {
			return nil, false
		}
		st := one[0]
		switch re.Op {
		case syntax.OpStar:
			st.min, st.max = 0, -1
		case syntax.OpPlus:
			st.min, st.max = 1, -1
		case syntax.OpQuest:
			st.min, st.max = 0, 1
		default:
			st.min, st.max = re.Min, re.Max
		}
		return append(steps, st), true
	}
	return nil, false
}

// asciiClass is a character class as a set of bytes, when every character
// in it is ASCII: a class with any other character (a negated class has
// them all) would need rune-by-rune matching.
func asciiClass(re *syntax.Regexp) (byteSet, bool) {
	var b byteSet
	for i := 0; i+1 < len(re.Rune); i += 2 {
		lo, hi := re.Rune[i], re.Rune[i+1]
		if hi >= 0x80 {
			return b, false
		}
		for r := lo; r <= hi; r++ {
			b.add(byte(r))
		}
	}
	return b, true
}
