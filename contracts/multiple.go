package contracts

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
)

// Multiple is an exact multipleOf constraint: a positive rational p/q in
// lowest terms. A value x is a multiple when x/(p/q) is an integer, which
// for an integer x means p divides x, and for a fraction a/b (lowest
// terms) means p divides a and b divides q. No tolerance: multipleOf
// 4294967296 rejects 1, and 9007199254740993 is not a multiple of 2.
type Multiple struct {
	n    Number
	p, q *big.Int
	// p64 is p when it fits in uint64 (then the integer paths need no
	// big arithmetic); 0 otherwise.
	p64 uint64
}

// NewMultiple makes a Multiple of a positive number.
func NewMultiple(n Number) (*Multiple, error) {
	if n.Sign() <= 0 {
		return nil, fmt.Errorf("multipleOf %s: want a positive number", n)
	}
	r := n.Rat()
	m := &Multiple{n: n, p: new(big.Int).Set(r.Num()), q: new(big.Int).Set(r.Denom())}
	if m.p.IsUint64() {
		m.p64 = m.p.Uint64()
	}
	return m, nil
}

// MultipleOf returns the property's multipleOf (nil when it has none); the
// error is a *ParseError at the key for zero, negative or unreadable values.
func (p *Property) MultipleOf(file string) (*Multiple, error) {
	var v any
	if p.Options.MultipleOf != nil {
		v = *p.Options.MultipleOf
	}
	if lit, ok := p.Options.Literals["multipleOf"]; ok {
		v = lit
	}
	if v == nil {
		return nil, nil
	}
	pos := p.PosOf("multipleOf")
	fail := func(msg string) error {
		return &ParseError{File: file, Line: pos.Line, Column: pos.Column, Path: "logicalTypeOptions.multipleOf", Msg: msg, Rule: LintBound}
	}
	n, ok := NumberOf(v)
	if !ok {
		return nil, fail(fmt.Sprintf("multipleOf %v is not a number", v))
	}
	m, err := NewMultiple(n)
	if err != nil {
		return nil, fail(err.Error())
	}
	return m, nil
}

// String is the multipleOf as written.
func (m *Multiple) String() string { return m.n.String() }

// Number is the multipleOf's value.
func (m *Multiple) Number() Number { return m.n }

// Cmp compares two multipleOf values.
func (m *Multiple) Cmp(o *Multiple) int { return m.n.Cmp(o.n) }

// IsMultipleOf reports whether m is an integer multiple of o, so every
// multiple of m is a multiple of o.
func (m *Multiple) IsMultipleOf(o *Multiple) bool { return o.Rat(m.n.Rat()) }

// Int64 reports whether v is a multiple.
func (m *Multiple) Int64(v int64) bool {
	if v == 0 {
		return true
	}
	if m.p64 == 0 {
		return false // |v| < p
	}
	u := uint64(v)
	if v < 0 {
		u = -u // two's complement: exact for math.MinInt64 too
	}
	return u%m.p64 == 0
}

// Uint64 reports whether v is a multiple.
func (m *Multiple) Uint64(v uint64) bool {
	if v == 0 {
		return true
	}
	if m.p64 == 0 {
		return false
	}
	return v%m.p64 == 0
}

// Float64 reports whether v is a multiple. A float is judged by its
// shortest decimal form, the number as it prints: 0.3 is a multiple of
// 0.1 although neither is exact in binary. NaN and infinities are not
// multiples of anything.
func (m *Multiple) Float64(v float64) bool {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return false
	}
	if v == math.Trunc(v) && math.Abs(v) < 1<<63 {
		return m.Int64(int64(v))
	}
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(v, 'g', -1, 64))
	return ok && m.Rat(r)
}

// Rat reports whether r is a multiple.
func (m *Multiple) Rat(r *big.Rat) bool {
	if r.Sign() == 0 {
		return true
	}
	var rem big.Int
	if rem.Rem(r.Num(), m.p).Sign() != 0 {
		return false
	}
	return rem.Rem(m.q, r.Denom()).Sign() == 0
}

// Scaled is a Multiple prepared for decimals of one scale: a decimal with
// unscaled value u (value u·10^-scale) is a multiple when d divides u.
type Scaled struct {
	d   *big.Int
	d64 uint64 // d when it fits in uint64, else 0
}

// ForScale prepares the test for decimals of the given scale. Since p/q
// is in lowest terms, u·10^-s is a multiple of p/q exactly when
// p·10^s/gcd(10^s, q) divides u.
func (m *Multiple) ForScale(scale int32) Scaled {
	d := new(big.Int).Set(m.p)
	if scale >= 0 {
		pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(scale)), nil)
		g := new(big.Int).GCD(nil, nil, pow, m.q)
		d.Mul(d, pow.Quo(pow, g))
	} else {
		// u·10^|s| is an integer, a multiple of p/q exactly when p divides
		// it, that is when p/gcd(p, 10^|s|) divides u.
		pow := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-scale)), nil)
		g := new(big.Int).GCD(nil, nil, pow, m.p)
		d.Quo(d, g)
	}
	s := Scaled{d: d}
	if d.IsUint64() {
		s.d64 = d.Uint64()
	}
	return s
}

// Int64 reports whether the decimal with unscaled value u is a multiple.
func (s Scaled) Int64(u int64) bool {
	if u == 0 {
		return true
	}
	if s.d64 == 0 {
		return false
	}
	x := uint64(u)
	if u < 0 {
		x = -x
	}
	return x%s.d64 == 0
}

// Big reports whether the decimal with unscaled value u is a multiple.
func (s Scaled) Big(u *big.Int) bool {
	if u.Sign() == 0 {
		return true
	}
	var rem big.Int
	return rem.Rem(u, s.d).Sign() == 0
}
