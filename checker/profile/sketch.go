package profile

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/axiomhq/hyperloglog"
	tdigest "github.com/caio/go-tdigest/v4"
)

// exactSum is a sum of float64 values held exactly, so that it does not
// depend on the order of the additions: profiles of partitions merge to
// bit-identical moments, and the file holds the sum in a canonical form
// (compact).
//
// Values below 2^960 in magnitude, which is every value real data has,
// are added into a fixed-point accumulator covering the whole float64
// range in units of the smallest subnormal (2^-1074), 32 bits a limb, the
// carries propagated once in a while: a few integer additions a value.
// The first larger value turns the sum into a non-overlapping expansion
// (Shewchuk's algorithm, as in Python's math.fsum), which can note an
// overflow. The accumulator replaced the expansion for every value: its
// loop over the parts was a quarter of check --history's CPU (1.4 of 6.1 s
// on the 5M-row benchmark), and both hold the same exact sum, so the
// profile file is the same (TestExactSumIsTheExactSum).
type exactSum struct {
	limbs [sumLimbs]int64
	adds  int // additions to limbs since their carries were propagated
	// expanded says the sum is parts[:n], not limbs. The length is kept
	// apart from the slice so that an addition writes floats only: storing
	// the slice (a pointer) costs a write barrier while the collector marks.
	expanded bool
	parts    []float64
	n        int
	overflow bool
}

const (
	// sumLimbs covers 2^-1074 up to 2^1022 and the carries of 2^62 values
	// below 2^960: 2096 bits, with room to spare.
	sumLimbs = 68
	// sumDirect is the magnitude from which a value is added to the
	// expansion instead.
	sumDirect = 0x1p960
	// sumCarryEvery bounds the additions between two propagations of the
	// carries: each adds less than 2^32 to a limb, which holds 2^63.
	sumCarryEvery = 1 << 30
)

func (s *exactSum) add(x float64) {
	if s.overflow {
		return
	}
	if !s.expanded {
		if math.Abs(x) < sumDirect {
			s.accumulate(x)
			return
		}
		s.expand()
	}
	ps := s.parts[:s.n]
	i := 0
	for _, y := range ps {
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
			ps[i] = lo
			i++
		}
		x = hi
	}
	if i == len(s.parts) {
		s.parts = append(s.parts, x)
	} else {
		s.parts[i] = x
	}
	s.n = i + 1
}

// accumulate adds x, below sumDirect, to the limbs: its significand m is
// x / 2^(shift-1074), and m << shift spreads over three limbs.
func (s *exactSum) accumulate(x float64) {
	b := math.Float64bits(x)
	exp := int(b>>52) & 0x7ff
	m := b & (1<<52 - 1)
	if exp == 0 {
		exp = 1 // subnormal
	} else {
		m |= 1 << 52
	}
	shift := exp - 1
	i, r := shift>>5, uint(shift&31)
	const low32 = 1<<32 - 1
	lo, mid, hi := int64((m<<r)&low32), int64((m>>(32-r))&low32), int64(m>>(64-r))
	if b>>63 != 0 {
		lo, mid, hi = -lo, -mid, -hi
	}
	s.limbs[i] += lo
	s.limbs[i+1] += mid
	s.limbs[i+2] += hi
	if s.adds++; s.adds == sumCarryEvery {
		s.carry()
	}
}

// carry propagates the limbs' carries: every limb but the top one ends in
// [0, 2^32), the top one holds the sign.
func (s *exactSum) carry() {
	for i := 0; i < sumLimbs-1; i++ {
		c := s.limbs[i] >> 32
		s.limbs[i] -= c << 32
		s.limbs[i+1] += c
	}
	s.adds = 0
}

// expand turns the limbs into the expansion, for a value too large for
// them.
func (s *exactSum) expand() {
	s.parts = s.compact()
	s.n = len(s.parts)
	s.limbs, s.adds, s.expanded = [sumLimbs]int64{}, 0, true
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
	if s.expanded {
		for _, p := range s.parts[:s.n] {
			f.Add(f, new(big.Float).SetFloat64(p))
		}
		return f
	}
	s.carry()
	n := new(big.Int).SetInt64(s.limbs[sumLimbs-1])
	for i := sumLimbs - 2; i >= 0; i-- {
		n.Lsh(n, 32)
		n.Add(n, big.NewInt(s.limbs[i]))
	}
	f.SetInt(n)
	return f.SetMantExp(f, -1074)
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
//
// A column of mostly distinct values (an email, an id) puts every value in
// the summary and reduces it every k values or so, so the summary's state
// is laid out for that: the map holds an index into counts, not a
// counter, so counting a value already held is a lookup, not an assignment
// (which, for a string key, stores the new key: a value from a batch points
// into the batch's buffers, which the check's pooling allocator reuses);
// and the values held are copied into one byte arena, compacted at each
// reduction, instead of one allocation each. On the 5M-row benchmark the
// summaries had allocated 0.47 GB for check --history.
type frequent struct {
	k      int
	index  map[string]int32 // value -> its counter in counts
	counts []int64
	// arena holds the bytes of the values index holds (keys are views of
	// it, see hold).
	arena []byte
	// The spares are what the next reduction moves the survivors to.
	spareIndex  map[string]int32
	spareCounts []int64
	spare       []byte
	scratch     []int64 // the reduction's copy of the counts
	maxErr      int64
	total       int64
}

func newFrequent(k int) *frequent {
	return &frequent{k: k, index: make(map[string]int32, 2*k+1), spareIndex: make(map[string]int32, 2*k+1)}
}

// add counts w occurrences of v. It does not keep v: a value it holds is
// copied, so v may point into memory that is reused once add returns.
func (f *frequent) add(v string, w int64) {
	f.total += w
	if len(v) > MaxValueLen {
		v = truncate(v, MaxValueLen)
	}
	if i, ok := f.index[v]; ok {
		f.counts[i] += w
		return
	}
	f.index[f.hold(v)] = int32(len(f.counts))
	f.counts = append(f.counts, w)
	if len(f.index) > 2*f.k {
		f.reduce()
	}
}

// hold copies v into the arena and returns the copy. A full arena is
// replaced by a larger one; the values already held keep the old one alive
// until the next reduction copies them out.
func (f *frequent) hold(v string) string {
	if len(v) == 0 {
		return ""
	}
	if cap(f.arena)-len(f.arena) < len(v) {
		f.arena = make([]byte, 0, max(2*cap(f.arena), 64*f.k, len(v)))
	}
	at := len(f.arena)
	f.arena = append(f.arena, v...)
	return unsafe.String(&f.arena[at], len(v))
}

// reduce subtracts the (k+1)-th largest count from every counter and drops
// the counters that reach zero. The survivors move to the spare map, counts
// and arena, and the current ones become the spares: a reduction allocates
// nothing once the summary has reached its size.
func (f *frequent) reduce() {
	if len(f.index) <= f.k {
		return
	}
	f.scratch = append(f.scratch[:0], f.counts...)
	slices.Sort(f.scratch)
	cut := f.scratch[len(f.scratch)-1-f.k] // the (k+1)-th largest
	old, oldCounts, oldArena := f.index, f.counts, f.arena
	f.index, f.counts, f.arena = f.spareIndex, f.spareCounts[:0], f.spare[:0]
	for v, i := range old {
		if c := oldCounts[i]; c > cut {
			f.index[f.hold(v)] = int32(len(f.counts))
			f.counts = append(f.counts, c-cut)
		}
	}
	clear(old)
	f.spareIndex, f.spareCounts, f.spare = old, oldCounts[:0], oldArena[:0]
	f.maxErr += cut
}

func (f *frequent) merge(v *Values) {
	for _, it := range v.Items {
		if i, ok := f.index[it.Value]; ok {
			f.counts[i] += it.Count
		} else {
			f.index[f.hold(it.Value)] = int32(len(f.counts))
			f.counts = append(f.counts, it.Count)
		}
	}
	f.total += v.Total
	f.maxErr += v.MaxError
	if len(f.index) > 2*f.k {
		f.reduce()
	}
}

func (f *frequent) values() *Values {
	f.reduce()
	v := &Values{Items: make([]ValueCount, 0, len(f.index)), MaxError: f.maxErr, Total: f.total, Exact: f.maxErr == 0}
	for val, i := range f.index {
		v.Items = append(v.Items, ValueCount{Value: strings.Clone(val), Count: f.counts[i]})
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
	return string(appendShape(nil, s))
}

// shapeMax is the longest shape kept; longer ones are cut and marked.
const shapeMax = 24

// appendShape appends the shape of s to b (see Shape): a profile takes the
// shape of every text value, and appending to a buffer it keeps costs no
// allocation. ASCII is classified by a table, other runes by package
// unicode.
func appendShape(b []byte, s string) []byte {
	start := len(b)
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
	for i := 0; i < len(s); {
		if len(b)-start >= shapeMax {
			break
		}
		var r rune
		var cls byte
		if c := s[i]; c < utf8.RuneSelf {
			r, cls = rune(c), asciiClass[c]
			i++
		} else {
			var n int
			r, n = utf8.DecodeRuneInString(s[i:])
			i += n
			switch {
			case unicode.IsLetter(r):
				cls = 'a'
				if unicode.IsUpper(r) {
					cls = 'A'
				}
			case unicode.IsDigit(r):
				cls = '9'
			case unicode.IsSpace(r):
				cls = ' '
			}
		}
		switch cls {
		case 'a', 'A':
			switch {
			case runLen == 0:
				run = cls
			case run != cls:
				run = 'M'
			}
			runLen++
			space = false
		case '9':
			flush()
			b = append(b, '9')
			space = false
		case ' ':
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
	if len(b)-start >= shapeMax {
		b = append(b[:start+shapeMax], "…"...)
	}
	return b
}

// asciiClass is the class appendShape gives an ASCII character: a or A
// for a letter, 9 for a digit, space for white space, 0 for the rest.
var asciiClass = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		switch r := rune(c); {
		case unicode.IsLetter(r) && unicode.IsUpper(r):
			t[c] = 'A'
		case unicode.IsLetter(r):
			t[c] = 'a'
		case unicode.IsDigit(r):
			t[c] = '9'
		case unicode.IsSpace(r):
			t[c] = ' '
		}
	}
	return t
}()
