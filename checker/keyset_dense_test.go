package checker

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/driftgate/driftgate/checker/report"
)

// keyRun is how keys are fed to a set: batch size, memory budget, whether
// the rows are announced as a footer does, whether the keys are pushed as
// integer values (dense-eligible) or as hashes, and every how many batches
// the flush wants no examples (nil dup).
type keyRun struct {
	batch    int
	budget   int64
	announce bool
	hashes   bool
	nilEvery int
	noDefer  bool // as a list element's set: never deferred
	// mixEvery > 0 pushes every mixEvery-th row's key as a hash (a
	// column whose type changes): the same key either way.
	mixEvery int
}

// keyOutcome is what a user sees of a key set: the counts and the rows
// reported as repeats, by flush (in the order reported) and by finish.
type keyOutcome struct {
	dupRows, dupKeys, beyond int64
	distinct                 int
	flushed                  []int64 // rows reported by flush, in order
	finished                 []int64 // rows reported by finish, sorted
	denseAtEnd, spilled      bool
	deferredAtEnd            bool
	maxBytes                 int64
}

// present marks the rows that have a key; the others are nulls, which are
// never pushed, so offsets in a batch have gaps.
func runKeys(t testing.TB, keys []uint64, present []bool, kr keyRun) keyOutcome {
	t.Helper()
	s := newKeySet()
	s.budget = kr.budget
	s.mayDefer = !kr.noDefer
	defer s.discard()
	if kr.announce {
		s.expect(int64(len(keys)))
	}
	var out keyOutcome
	for b, first := 0, 0; first < len(keys); b, first = b+1, first+kr.batch {
		end := min(first+kr.batch, len(keys))
		for i := first; i < end; i++ {
			if present != nil && !present[i] {
				continue
			}
			if kr.hashes || kr.mixEvery > 0 && i%kr.mixEvery == kr.mixEvery-1 {
				s.push(keys[i], i-first)
			} else {
				s.pushValue(keys[i], i-first, textSigned)
			}
		}
		var dup func(int)
		if kr.nilEvery == 0 || b%kr.nilEvery != 0 {
			dup = func(off int) { out.flushed = append(out.flushed, int64(first+off)) }
		}
		if err := s.flush(0, int64(first), dup); err != nil {
			t.Fatalf("flush: %v", err)
		}
		out.spilled = out.spilled || s.spilled()
		out.maxBytes = max(out.maxBytes, s.bytes())
	}
	out.denseAtEnd = s.mode == modeDense
	out.deferredAtEnd = s.mode == modeDeferred
	err := s.finish(func(_ int, row int64, key uint64) {
		if keys[row] != key {
			t.Fatalf("finish reported row %d with key %d, the row's key is %d", row, key, keys[row])
		}
		out.finished = append(out.finished, row)
	})
	if err != nil {
		t.Fatalf("finish: %v", err)
	}
	slices.Sort(out.finished)
	out.dupRows, out.dupKeys, out.beyond, out.distinct = s.dupRows, s.dupKeys, s.beyondFirst(), s.distinct()
	return out
}

// checkKeys compares a run with a map's count of the same keys; nilEvery
// batches report no repeats, so their rows are left out of the rows
// expected from flush.
func checkKeys(t testing.TB, keys []uint64, present []bool, kr keyRun, got keyOutcome) {
	t.Helper()
	seen := map[uint64]int{}
	var repeats []int64 // rows that repeat a key seen before them
	for i, k := range keys {
		if present != nil && !present[i] {
			continue
		}
		if seen[k]++; seen[k] > 1 {
			repeats = append(repeats, int64(i))
		}
	}
	var dupRows, dupKeys int64
	for _, n := range seen {
		if n > 1 {
			dupRows += int64(n)
			dupKeys++
		}
	}
	if got.dupRows != dupRows || got.dupKeys != dupKeys || got.beyond != dupRows-dupKeys || got.distinct != len(seen) {
		t.Fatalf("dupRows %d dupKeys %d beyondFirst %d distinct %d; want %d %d %d %d",
			got.dupRows, got.dupKeys, got.beyond, got.distinct, dupRows, dupKeys, dupRows-dupKeys, len(seen))
	}
	isRepeat := map[int64]bool{}
	for _, r := range repeats {
		isRepeat[r] = true
	}
	for _, r := range got.finished {
		if !isRepeat[r] {
			t.Fatalf("finish reported row %d, which repeats no key", r)
		}
	}
	if got.deferredAtEnd || got.spilled {
		// flush reported the repeats before the set deferred or spilled,
		// finish the first report.MaxExamples after, in row order.
		if kr.nilEvery == 0 {
			n := len(got.flushed) + min(report.MaxExamples, len(repeats)-len(got.flushed))
			if all := append(slices.Clone(got.flushed), got.finished...); !slices.Equal(all, repeats[:n]) {
				t.Fatalf("flush and finish reported %v then %v, want the first %d repeats %v", head(got.flushed), head(got.finished), n, head(repeats))
			}
		}
		if len(got.finished) > report.MaxExamples {
			t.Fatalf("finish reported %d repeats, more than the %d examples kept", len(got.finished), report.MaxExamples)
		}
		if len(got.flushed) > 0 && len(got.finished) > 0 && got.finished[0] <= got.flushed[len(got.flushed)-1] {
			t.Fatalf("finish reported row %d, before flush's last %d", got.finished[0], got.flushed[len(got.flushed)-1])
		}
		return
	}
	// A set held in memory: flush reports, in row order, every repeat of
	// a batch that wanted them, and finish none.
	if len(got.finished) > 0 {
		t.Fatalf("finish reported %d rows of a set held in memory", len(got.finished))
	}
	var want []int64
	for _, r := range repeats {
		if kr.nilEvery != 0 && int(r)/kr.batch%kr.nilEvery == 0 {
			continue
		}
		want = append(want, r)
	}
	if !slices.Equal(got.flushed, want) {
		t.Fatalf("flush reported %d repeats %v, want %d %v", len(got.flushed), head(got.flushed), len(want), head(want))
	}
}

func head(rows []int64) []int64 { return rows[:min(len(rows), 10)] }

// keyShape is a named sequence of keys and whether a set of them should
// stay dense to the end.
type keyShape struct {
	name  string
	keys  []uint64
	dense bool // stays dense when pushed as values with no tight budget
}

type lcg uint64

func (r *lcg) next() uint64 {
	*r = *r*6364136223846793005 + 1442695040888963407
	return uint64(*r) ^ uint64(*r)>>29
}

func keyShapes() []keyShape {
	const n = 200_000
	r := lcg(11)
	seq := make([]uint64, n)
	for i := range seq {
		seq[i] = uint64(i + 1)
		if i%997 == 996 {
			seq[i] = seq[int(r.next()%uint64(i))] // a repeat of an earlier row
		}
	}
	shuffled := slices.Clone(seq)
	for i := len(shuffled) - 1; i > 0; i-- {
		j := int(r.next() % uint64(i+1))
		shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
	}
	outliers := slices.Clone(seq)
	for i, k := range []int64{0, -1, 9_999_999_999, 0, -1, math.MinInt64, math.MaxInt64, 9_999_999_999} {
		outliers[i*20_000+7] = uint64(k)
	}
	random := make([]uint64, n)
	for i := range random {
		random[i] = r.next()
		if i%101 == 100 {
			random[i] = random[i-50]
		}
	}
	crossing := make([]uint64, n)
	for i := range crossing {
		crossing[i] = uint64(int64(i) - n/2) // -100000 .. 99999
		if i%500 == 0 {
			crossing[i] = 1<<64 - 3 // -3, a repeated negative key
		}
	}
	extremes := make([]uint64, 0, 6000)
	for i := range 1000 {
		extremes = append(extremes, uint64(math.MinInt64+int64(i)), uint64(math.MaxInt64-int64(i)), uint64(int64(i)-500),
			uint64(math.MinInt64+int64(i%300)), uint64(math.MaxInt64-int64(i%300)), uint64(i%7))
	}
	// Dense for 100,000 rows, then in the middle of a batch 100 keys 2⁴⁰
	// apart (more far pages than a dense set keeps), then the first
	// half's keys again.
	gap := slices.Clone(seq[:n/2])
	for i := range uint64(100) {
		gap = append(gap, i<<40+7)
	}
	gap = append(gap, seq[:n/2]...)
	// Every 1,000th value: 66 keys a page, too sparse once past the slack.
	sparse := make([]uint64, n)
	for i := range sparse {
		sparse[i] = uint64(i) * 1000
		if i%10 == 9 {
			sparse[i] = sparse[i-5]
		}
	}
	// Keys seen 1, 2, 3 and 7 times, interleaved.
	var repeats []uint64
	for i := range uint64(20_000) {
		for range 1 + i%3 + 4*(i%5/4) {
			repeats = append(repeats, i*3)
		}
	}
	rs := lcg(5)
	for i := len(repeats) - 1; i > 0; i-- {
		j := int(rs.next() % uint64(i+1))
		repeats[i], repeats[j] = repeats[j], repeats[i]
	}
	few := make([]uint64, 50_000) // a low-cardinality column: 0..9
	for i := range few {
		few[i] = r.next() % 10
	}
	return []keyShape{
		{"sequential ids with planted repeats", seq, true},
		{"the same ids shuffled", shuffled, true},
		{"sequential ids with outliers 0, -1, 9999999999, int64 min and max", outliers, true},
		{"random 64-bit ids", random, false},
		{"a negative range crossing zero", crossing, true},
		{"int64 min and max and their neighbours", extremes, true},
		{"a huge gap in the middle of a batch", gap, false},
		{"keys too sparse to stay dense", sparse, false},
		{"repeats of repeats", repeats, true},
		{"ten distinct values", few, true},
	}
}

// TestKeySetDenseCountsAsAMapDoes feeds many shapes of integer keys to key
// sets, as values and as hashes, in batches of several sizes, with and
// without the row count announced, with nulls among the rows, with
// budgets that spill, and with batches that want no examples: the counts
// and the repeated rows reported must be a map's, whatever the mode.
func TestKeySetDenseCountsAsAMapDoes(t *testing.T) {
	runs := []keyRun{
		{batch: 65536, budget: defaultKeyBudget, announce: true},
		{batch: 65536, budget: defaultKeyBudget},
		{batch: 4096, budget: 0, nilEvery: 3},
		{batch: 7, budget: defaultKeyBudget, announce: true},
		{batch: 4096, budget: 40 << 10},                // two pages: spills while dense
		{batch: 4096, budget: 1},                       // spills at the first page
		{batch: 65536, budget: 256 << 10, nilEvery: 2}, // the tables spill after demotion
		{batch: 65536, budget: defaultKeyBudget, hashes: true},
		{batch: 4096, budget: defaultKeyBudget, noDefer: true, nilEvery: 5},
		{batch: 65536, budget: 0, noDefer: true, announce: true},
		{batch: 4096, budget: defaultKeyBudget, mixEvery: 50_000},
	}
	for _, sh := range keyShapes() {
		for _, kr := range runs {
			for _, nulls := range []bool{false, true} {
				name := fmt.Sprintf("%s, batches of %d, budget %d, announced %v, hashes %v, deferrable %v, a hash every %d, nulls %v", sh.name, kr.batch, kr.budget, kr.announce, kr.hashes, !kr.noDefer, kr.mixEvery, nulls)
				t.Run(name, func(t *testing.T) {
					if kr.batch < 100 && len(sh.keys) > 50_000 {
						kr.batch = 100 // enough small batches; keep the test quick
					}
					var present []bool
					if nulls {
						present = make([]bool, len(sh.keys))
						for i := range present {
							present[i] = i%13 != 5
						}
					}
					got := runKeys(t, sh.keys, present, kr)
					checkKeys(t, sh.keys, present, kr, got)
					if kr.hashes && got.denseAtEnd {
						t.Error("a set of hashes went dense")
					}
					bigBudget := (kr.budget == 0 || kr.budget >= defaultKeyBudget) && kr.mixEvery == 0
					if !kr.hashes && bigBudget && sh.dense && got.spilled {
						t.Error("dense keys spilled")
					}
					if !kr.hashes && bigBudget && got.denseAtEnd != sh.dense {
						t.Errorf("dense to the end %v, want %v", got.denseAtEnd, sh.dense)
					}
					if !kr.hashes && bigBudget && !sh.dense && got.deferredAtEnd == kr.noDefer {
						t.Errorf("deferred at the end %v, want %v", got.deferredAtEnd, !kr.noDefer)
					}
					if kr.budget == 1 && !got.spilled && got.distinct > 0 {
						t.Error("a 1-byte budget did not spill")
					}
				})
			}
		}
	}
}

// TestKeySetDenseIsSmall: 5 million sequential ids cost a bitmap of their
// range, about a byte and a bit per id, where tables took 80 MiB; random
// ids leave dense mode having allocated almost nothing.
func TestKeySetDenseIsSmall(t *testing.T) {
	const rows = 5_000_000
	s := newKeySet()
	s.expect(rows)
	for first := 0; first < rows; first += 65536 {
		for i := first; i < min(first+65536, rows); i++ {
			s.pushValue(uint64(i+1), i-first, textSigned)
		}
		if err := s.flush(0, int64(first), nil); err != nil {
			t.Fatal(err)
		}
	}
	if s.mode != modeDense || s.bytes() > 2<<20 || s.distinct() != rows || s.dupRows != 0 {
		t.Errorf("5M sequential ids: dense %v, %d bytes, %d distinct, %d duplicate rows; want dense, under 2 MiB, 5M, 0",
			s.mode == modeDense, s.bytes(), s.distinct(), s.dupRows)
	}

	r := lcg(3)
	s = newKeySet()
	for i := range 1000 {
		s.pushValue(r.next(), i, textSigned)
	}
	if err := s.flush(0, 0, nil); err != nil {
		t.Fatal(err)
	}
	if s.mode != modeHashed || s.distinct() != 1000 {
		t.Errorf("1000 random ids: hashed %v, distinct %d", s.mode == modeHashed, s.distinct())
	}
}

// TestKeySetHashAfterValuesDemotes: a column whose first file pushed
// values and whose next pushes hashes (its type changed) keeps one set,
// counted as one, whether it leaves dense mode for the tables or, being
// deferrable, for a spill.
func TestKeySetHashAfterValuesDemotes(t *testing.T) {
	for _, mayDefer := range []bool{false, true} {
		s := newKeySet()
		s.mayDefer = mayDefer
		for i := range 1000 {
			s.pushValue(uint64(i%600), i, textSigned)
		}
		if err := s.flush(0, 0, nil); err != nil {
			t.Fatal(err)
		}
		var rows []int64
		s.push(500, 0) // a repeat of value 500, seen once
		for i := range uint64(100) {
			s.push(mix(i+1), 1+int(i)) // hashes, new, spread over 2⁶⁴
		}
		s.push(1<<50, 101)                  // new
		s.pushValue(1<<50, 102, textSigned) // a repeat
		if err := s.flush(0, 1000, func(off int) { rows = append(rows, 1000+int64(off)) }); err != nil {
			t.Fatal(err)
		}
		mode := s.mode
		err := s.finish(func(_ int, row int64, _ uint64) { rows = append(rows, row) })
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(rows)
		if mode != modeHashed || s.distinct() != 701 || s.dupRows != 400*2+2+2 || s.dupKeys != 402 || !slices.Equal(rows, []int64{1000, 1102}) {
			t.Errorf("deferrable %v: hashed %v distinct %d dupRows %d dupKeys %d repeats %v; want hashed, 701, 804, 402, [1000 1102]",
				mayDefer, mode == modeHashed, s.distinct(), s.dupRows, s.dupKeys, rows)
		}
	}
}

// FuzzKeySet compares a key set with a map on keys the input spells: steps
// up and down from the last key, raw 64-bit keys and repeats of recent
// keys, fed as values or hashes, in batches and with budgets the first
// bytes choose.
func FuzzKeySet(f *testing.F) {
	f.Add([]byte{0, 4, 4, 4, 4, 3, 4, 7, 4})
	f.Add([]byte{1, 2, 1, 2, 3, 4, 5, 6, 7, 8, 4, 4, 3, 7})
	f.Add([]byte{2, 5, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 5, 9, 1, 2, 3})
	f.Add([]byte{3, 0xfc, 0xfc, 0xfc, 0xfd, 0xfd, 3, 3, 0xff, 0xfe})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		opt, opt2 := data[0], byte(0)
		if len(data) > 1 {
			opt2 = data[1]
			data = data[1:]
		}
		data = data[1:]
		kr := keyRun{
			batch:    []int{1, 3, 16, 4096}[opt&3],
			budget:   []int64{defaultKeyBudget, 0, 1, 40 << 10}[opt>>2&3],
			announce: opt&16 != 0,
			hashes:   opt&32 != 0,
			nilEvery: int(opt >> 6 & 1),
			noDefer:  opt&128 != 0,
			mixEvery: int(opt2 % 16),
		}
		var keys []uint64
		var last uint64
		for len(data) > 0 {
			op := data[0]
			data = data[1:]
			arg := uint64(op >> 2)
			switch op & 3 {
			case 0:
				last += arg * arg * 997 // steps of up to 3.8M: pages apart
			case 1:
				last -= arg
			case 2:
				if len(data) < 8 {
					return
				}
				last = binary.LittleEndian.Uint64(data)
				data = data[8:]
			case 3:
				if len(keys) > 0 {
					last = keys[len(keys)-1-int(arg)%len(keys)]
				}
			}
			keys = append(keys, last)
			// Runs of consecutive keys, so that pages fill.
			for range arg % 8 {
				last++
				keys = append(keys, last)
			}
		}
		got := runKeys(t, keys, nil, kr)
		checkKeys(t, keys, nil, kr, got)
	})
}
