package rules

import (
	"math"
	"math/big"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/decimal256"
)

// A cut is one end of a range turned into an integer threshold on a
// value's integer form (an integer, a decimal's unscaled value, a count of
// ticks), so the hot loop compares two machine integers and stays exact
// whatever the bound: a lower cut fails values below n, an upper cut
// values above n. all says every value fails (the threshold is beyond the
// type's range on the failing side); on is false when no value can fail.
type (
	intCut struct {
		on, all bool
		n       int64
	}
	uintCut struct {
		on, all bool
		n       uint64
	}
	dec128Cut struct {
		on, all bool
		n       decimal128.Num
	}
	dec256Cut struct {
		on, all bool
		n       decimal256.Num
	}
)

func (c intCut) below(v int64) bool   { return c.on && (c.all || v < c.n) }
func (c intCut) above(v int64) bool   { return c.on && (c.all || v > c.n) }
func (c uintCut) below(v uint64) bool { return c.on && (c.all || v < c.n) }
func (c uintCut) above(v uint64) bool { return c.on && (c.all || v > c.n) }
func (c dec128Cut) below(v decimal128.Num) bool {
	return c.on && (c.all || v.Less(c.n))
}
func (c dec128Cut) above(v decimal128.Num) bool {
	return c.on && (c.all || v.Greater(c.n))
}
func (c dec256Cut) below(v decimal256.Num) bool {
	return c.on && (c.all || v.Less(c.n))
}
func (c dec256Cut) above(v decimal256.Num) bool {
	return c.on && (c.all || v.Greater(c.n))
}

// threshold is the integer a bound q becomes for integer values: a lower
// bound fails v < ceil(q) (exclusive: v < floor(q)+1), an upper bound
// fails v > floor(q) (exclusive: v > ceil(q)-1).
func threshold(q *big.Rat, lower, excl bool) *big.Int {
	floor := new(big.Int).Div(q.Num(), q.Denom()) // Euclidean: floor for a positive denominator
	exact := new(big.Rat).SetInt(floor).Cmp(q) == 0
	ceil := new(big.Int).Set(floor)
	if !exact {
		ceil.Add(ceil, big.NewInt(1))
	}
	switch {
	case lower && !excl:
		return ceil
	case lower:
		return floor.Add(floor, big.NewInt(1))
	case !excl:
		return floor
	}
	return ceil.Sub(ceil, big.NewInt(1))
}

// outside is the cut of a threshold beyond a type's range: a lower
// threshold above every value fails all, below every value fails none;
// an upper one the reverse.
func outside(lower, aboveRange bool) (on, all bool) {
	if lower == aboveRange {
		return true, true
	}
	return false, false
}

var (
	maxInt64 = big.NewInt(1<<63 - 1)
)

func newIntCut(x *big.Int, lower bool) intCut {
	if x.IsInt64() {
		return intCut{on: true, n: x.Int64()}
	}
	on, all := outside(lower, x.Cmp(maxInt64) > 0)
	return intCut{on: on, all: all, n: neverInt(lower)}
}

func newUintCut(x *big.Int, lower bool) uintCut {
	if x.IsUint64() {
		return uintCut{on: true, n: x.Uint64()}
	}
	on, all := outside(lower, x.Sign() > 0)
	c := uintCut{on: on, all: all}
	if !lower {
		c.n = math.MaxUint64
	}
	return c
}

// neverInt is the threshold no int64 value crosses on that side.
func neverInt(lower bool) int64 {
	if lower {
		return math.MinInt64
	}
	return math.MaxInt64
}

// unset is a cut for a side without a bound.
func unsetInt(lower bool) intCut { return intCut{n: neverInt(lower)} }

func unsetUint(lower bool) uintCut {
	if lower {
		return uintCut{}
	}
	return uintCut{n: math.MaxUint64}
}

func newDec128Cut(x *big.Int, lower bool) dec128Cut {
	if x.BitLen() < 128 {
		return dec128Cut{on: true, n: decimal128.FromBigInt(x)}
	}
	on, all := outside(lower, x.Sign() > 0)
	return dec128Cut{on: on, all: all}
}

func newDec256Cut(x *big.Int, lower bool) dec256Cut {
	if x.BitLen() < 256 {
		return dec256Cut{on: true, n: decimal256.FromBigInt(x)}
	}
	on, all := outside(lower, x.Sign() > 0)
	return dec256Cut{on: on, all: all}
}

// pow10 is 10^n as a rational (n may be negative).
func pow10(n int32) *big.Rat {
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs32(n))), nil)
	if n < 0 {
		return new(big.Rat).SetFrac(big.NewInt(1), p)
	}
	return new(big.Rat).SetInt(p)
}

func abs32(n int32) int32 {
	if n < 0 {
		return -n
	}
	return n
}
