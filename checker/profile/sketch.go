package profile

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/axiomhq/hyperloglog"
	tdigest "github.com/caio/go-tdigest/v4"
)

// exactSum is a sum of float64 values held exactly as a non-overlapping
// expansion (Shewchuk's algorithm, as in Python's math.fsum). The exact sum
// does not depend on the order of the additions, so profiles of partitions
// merge to bit-identical moments. It rarely holds more than a few parts.
type exactSum struct {
	parts    []float64
	overflow bool
}

func (s *exactSum) add(x float64) {
	if s.overflow {
		return
	}
	i := 0
	for _, y := range s.parts {
		if math.Abs(x) < math.Abs(y) {
			x, y = y, x
		}
		hi := x + y
		if math.IsInf(hi, 0) {
			s.overflow = true
			return
		}
		lo := y - (hi - x)
		if lo != 0 {
			s.parts[i] = lo
			i++
		}
		x = hi
	}
	s.parts = append(s.parts[:i], x)
}

// addSquare adds x*x exactly: the product and its rounding error.
func (s *exactSum) addSquare(x float64) {
	p := x * x
	if math.IsInf(p, 0) {
		s.overflow = true
		return
	}
	s.add(p)
	if e := math.FMA(x, x, -p); e != 0 {
		s.add(e)
	}
}

// big returns the exact sum. 2200 bits hold any sum of float64 values.
func (s *exactSum) big() *big.Float {
	f := new(big.Float).SetPrec(2200)
	for _, p := range s.parts {
		f.Add(f, new(big.Float).SetFloat64(p))
	}
	return f
}

// compact returns the parts in a canonical form: the exact sum rewritten as
// a fresh expansion, so equal sums give equal files.
func (s *exactSum) compact() []float64 {
	f := s.big()
	var out []float64
	for i := 0; i < 40 && f.Sign() != 0; i++ {
		hi, _ := f.Float64()
		if math.IsInf(hi, 0) {
			break
		}
		out = append(out, hi)
		f.Sub(f, new(big.Float).SetFloat64(hi))
	}
	if out == nil {
		out = []float64{}
	}
	return out
}

// moments derives the mean and sample standard deviation from exact sums.
func moments(n int64, sum, sumSq *exactSum) (mean, std float64) {
	if n == 0 || sum.overflow || sumSq.overflow {
		return 0, 0
	}
	const prec = 4500
	s := sum.big().SetPrec(prec)
	q := sumSq.big().SetPrec(prec)
	nf := new(big.Float).SetPrec(prec).SetInt64(n)
	m := new(big.Float).SetPrec(prec).Quo(s, nf)
	mean, _ = m.Float64()
	if n < 2 {
		return mean, 0
	}
	// (q - s*s/n) / (n-1), exact up to 4500 bits, so never negative from
	// cancellation.
	v := new(big.Float).SetPrec(prec).Mul(s, m)
	v.Sub(q, v)
	v.Quo(v, new(big.Float).SetPrec(prec).SetInt64(n-1))
	vf, _ := v.Float64()
	if vf < 0 {
		vf = 0
	}
	return mean, math.Sqrt(vf)
}

// newDigest returns an empty t-digest with a fixed seed: its random choices
// (ties, compression order) repeat, so the same input gives the same file.
func newDigest() *tdigest.TDigest {
	t, err := tdigest.New(tdigest.Compression(Compression), tdigest.LocalRandomNumberGenerator(1))
	if err != nil {
		// Only invalid options fail, and the options are constants.
		return nil
	}
	return t
}

// maxCentroids bounds what a profile file may claim, so a corrupt file
// cannot make the loader allocate without limit.
const maxCentroids = 100 * Compression

// decodeDigest reads a serialised t-digest.
func decodeDigest(b []byte) (d *tdigest.TDigest, err error) {
	if len(b) < 16 {
		return nil, errors.New("too short")
	}
	if n := int64(int32(uint32(b[12])<<24 | uint32(b[13])<<16 | uint32(b[14])<<8 | uint32(b[15]))); n < 0 || n > maxCentroids {
		return nil, fmt.Errorf("%d centroids", n)
	}
	d, err = tdigest.FromBytes(bytes.NewReader(b), tdigest.LocalRandomNumberGenerator(1))
	if err != nil {
		return nil, err
	}
	if c := d.Compression(); !(c >= 1 && c <= 10000) {
		return nil, fmt.Errorf("compression %v", c)
	}
	bad := false
	d.ForEachCentroid(func(mean float64, _ uint64) bool {
		bad = math.IsNaN(mean) || math.IsInf(mean, 0)
		return !bad
	})
	if bad {
		return nil, errors.New("non-finite centroid")
	}
	return d, nil
}

func encodeDigest(d *tdigest.TDigest) ([]byte, error) {
	if err := d.Compress(); err != nil {
		return nil, fmt.Errorf("compress tdigest: %w", err)
	}
	return d.AsBytes()
}

func newHLL() *hyperloglog.Sketch {
	s, err := hyperloglog.NewSketch(HLLPrecision, true)
	if err != nil {
		return hyperloglog.New() // unreachable: the precision is a valid constant
	}
	return s
}

// decodeHLL reads a serialised HyperLogLog sketch. The library trusts its
// input; a corrupt file must be an error, not a crash.
func decodeHLL(b []byte) (s *hyperloglog.Sketch, err error) {
	defer func() {
		if r := recover(); r != nil {
			s, err = nil, fmt.Errorf("corrupt sketch: %v", r)
		}
	}()
	s = newHLL()
	if err := s.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return s, nil
}

// frequent is a Misra-Gries summary: at most k values with counts that
// are low by at most maxErr, itself at most total/(k+1). It is deterministic
// and mergeable (Agarwal et al., "Mergeable summaries"). Values are reduced
// lazily: the map grows to 2k before the (k+1)-th largest count is
// subtracted from every counter.
type frequent struct {
	k int
	// counts point at the counters so that counting a value already held
	// is a lookup, not an assignment: a map assignment with a string key
	// stores the new key, and a value from a batch points into the batch's
	// buffers, which a pooling allocator (the check's) reuses once the
	// batch is released. Keys are copies made when a value is first held.
	counts map[string]*int64
	maxErr int64
	total  int64
}

func newFrequent(k int) *frequent {
	return &frequent{k: k, counts: make(map[string]*int64, 2*k+1)}
}

func (f *frequent) add(v string, w int64) {
	f.total += w
	if len(v) > MaxValueLen {
		v = truncate(v, MaxValueLen)
	}
	if c, ok := f.counts[v]; ok {
		*c += w
		return
	}
	f.counts[strings.Clone(v)] = &w
	if len(f.counts) > 2*f.k {
		f.reduce()
	}
}

// reduce subtracts the (k+1)-th largest count from every counter and drops
// the counters that reach zero.
func (f *frequent) reduce() {
	if len(f.counts) <= f.k {
		return
	}
	cs := make([]int64, 0, len(f.counts))
	for _, c := range f.counts {
		cs = append(cs, *c)
	}
	cut := kthLargest(cs, f.k+1)
	for v, c := range f.counts {
		if *c <= cut {
			delete(f.counts, v)
		} else {
			*c -= cut
		}
	}
	f.maxErr += cut
}

func kthLargest(cs []int64, k int) int64 {
	// Counts are few (at most 2k+1): a sort is simplest.
	s := append([]int64(nil), cs...)
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] > s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s[k-1]
}

func (f *frequent) merge(v *Values) {
	for _, it := range v.Items {
		if c, ok := f.counts[it.Value]; ok {
			*c += it.Count
		} else {
			n := it.Count
			f.counts[it.Value] = &n
		}
	}
	f.total += v.Total
	f.maxErr += v.MaxError
	if len(f.counts) > 2*f.k {
		f.reduce()
	}
}

func (f *frequent) values() *Values {
	f.reduce()
	v := &Values{Items: make([]ValueCount, 0, len(f.counts)), MaxError: f.maxErr, Total: f.total, Exact: f.maxErr == 0}
	for val, c := range f.counts {
		v.Items = append(v.Items, ValueCount{Value: val, Count: *c})
	}
	sortItems(v.Items)
	return v
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// Shape maps a value to its character-class signature: each digit becomes
// 9, each run of letters becomes A (upper case), a (lower case) or Aa
// (capitalised or mixed), whitespace runs become one space, and punctuation
// stays as it is. 2024-01-31 becomes 9999-99-99, 31/01/2024 99/99/9999,
// ACC00012345 A99999999, john@example.com a@a.a. Digits are kept one by one
// because their count is what formats differ in; letter runs collapse
// because words vary in length without changing format. Shapes longer than
// 24 characters are cut.
func Shape(s string) string {
	const max = 24
	var b []byte
	var run byte // the class of the current letter run: 'A', 'a' or 'M'
	runLen := 0
	flush := func() {
		switch {
		case runLen == 0:
		case run == 'A':
			b = append(b, 'A')
		case run == 'a':
			b = append(b, 'a')
		default:
			b = append(b, 'A', 'a')
		}
		runLen = 0
	}
	space := false
	for _, r := range s {
		if len(b) >= max {
			break
		}
		switch {
		case unicode.IsLetter(r):
			cls := byte('a')
			if unicode.IsUpper(r) {
				cls = 'A'
			}
			switch {
			case runLen == 0:
				run = cls
			case run != cls:
				run = 'M'
			}
			runLen++
			space = false
			continue
		case r >= '0' && r <= '9' || unicode.IsDigit(r):
			flush()
			b = append(b, '9')
			space = false
		case unicode.IsSpace(r):
			flush()
			if !space {
				b = append(b, ' ')
			}
			space = true
		default:
			flush()
			b = utf8.AppendRune(b, r)
			space = false
		}
	}
	flush()
	if len(b) >= max {
		return string(b[:max]) + "…"
	}
	return string(b)
}
