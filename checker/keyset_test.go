package checker

import (
	"fmt"
	"os"
	"slices"
	"syscall"
	"testing"

	"github.com/driftgate/driftgate/checker/report"
)

// add records one occurrence of k in the tables at once, reporting whether
// it had been seen: the tables' behaviour without batches.
func (s *keySet) add(k uint64) bool {
	s.mode = modeHashed
	h := mix(k)
	t := &s.parts[partOf(h)]
	t.reserve(t.n + 1)
	seen, added := t.add(h, &s.dupRows, &s.dupKeys)
	if added {
		s.n++
	}
	return seen
}

func TestKeySetCountsEveryRowOfARepeatedKey(t *testing.T) {
	tests := []struct {
		name string
		keys []uint64
		dups int64
		n    int
	}{
		{"no keys have no duplicates", nil, 0, 0},
		{"distinct keys have no duplicates", []uint64{1, 2, 3, 0}, 0, 4},
		{"a key seen twice counts two rows", []uint64{7, 8, 7}, 2, 2},
		{"a key seen three times counts three rows", []uint64{5, 5, 5, 6}, 3, 2},
		{"zero is a key like any other", []uint64{0, 0}, 2, 1},
		{"two repeated keys add up", []uint64{1, 2, 1, 2, 3}, 4, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newKeySet()
			for _, k := range tt.keys {
				s.add(k)
			}
			if s.dupRows != tt.dups || s.distinct() != tt.n {
				t.Errorf("dupRows %d distinct %d, want %d and %d", s.dupRows, s.distinct(), tt.dups, tt.n)
			}
		})
	}
}

func TestKeySetGrowsWithoutLosingKeys(t *testing.T) {
	s := newKeySet()
	const n = 200_000
	for i := uint64(0); i < n; i++ {
		s.add(i * 7919)
	}
	for i := uint64(0); i < n; i += 1000 {
		if !s.add(i * 7919) {
			t.Fatalf("key %d lost after growth", i*7919)
		}
	}
	if s.distinct() != n || s.dupRows != 2*n/1000 {
		t.Errorf("distinct %d dupRows %d", s.distinct(), s.dupRows)
	}
}

func BenchmarkKeySetAdd(b *testing.B) {
	s := newKeySet()
	for i := 0; i < b.N; i++ {
		s.add(uint64(i) * 0x9e3779b97f4a7c15)
	}
}

// TestKeySetSpillsToDiskWithoutChangingTheCount feeds the same keys, in
// batches, to sets with shrinking memory budgets: the duplicate row count
// and the rows reported as repeats must not depend on whether the set
// spilled, or when.
func TestKeySetSpillsToDiskWithoutChangingTheCount(t *testing.T) {
	const rows, batch = 60_000, 4096
	keys := make([]uint64, rows)
	seen := map[uint64]int{}
	state := uint64(42)
	for i := range keys {
		state = state*6364136223846793005 + 1442695040888963407
		keys[i] = state >> 47 // about 2^17 distinct values: many repeats
		seen[keys[i]]++
	}
	var repeatRows []int64 // 1-based rows that repeat a key seen before them
	counted := map[uint64]bool{}
	for i, k := range keys {
		if counted[k] {
			repeatRows = append(repeatRows, int64(i+1))
		}
		counted[k] = true
	}
	var want int64
	for _, n := range seen {
		if n > 1 {
			want += int64(n)
		}
	}
	for _, tc := range []struct {
		budget int64
		expect bool // the rows are announced (expect), as a footer does
	}{{0, false}, {1 << 30, false}, {256 << 10, false}, {1, false}, {1 << 30, true}, {256 << 10, true}} {
		budget := tc.budget
		t.Run(fmt.Sprintf("budget %d, rows announced %v", budget, tc.expect), func(t *testing.T) {
			s := newKeySet()
			s.budget = budget
			if tc.expect {
				s.expect(rows) // 256 KiB hold 12,288 keys: spills from the first batch
			}
			var reported []int64
			for first := 0; first < rows; first += batch {
				end := min(first+batch, rows)
				for i := first; i < end; i++ {
					s.push(keys[i], i-first)
				}
				if err := s.flush(0, int64(first)+1, func(off int) { reported = append(reported, int64(first+1+off)) }); err != nil {
					t.Fatal(err)
				}
			}
			spilled := s.spilled()
			flushed := len(reported)
			if err := s.finish(func(_ int, row int64, key uint64) {
				reported = append(reported, row)
				if keys[row-1] != key {
					t.Fatalf("spilled row %d has key %d, want %d", row, key, keys[row-1])
				}
			}); err != nil {
				t.Fatal(err)
			}
			if s.dupRows != want {
				t.Errorf("dupRows %d, want %d (spilled %v)", s.dupRows, want, spilled)
			}
			if s.distinct() != len(seen) {
				t.Errorf("distinct %d, want %d", s.distinct(), len(seen))
			}
			// flush reports every repeat before the spill, finish the first
			// report.MaxExamples after it, in row order.
			n := flushed + min(report.MaxExamples, len(repeatRows)-flushed)
			if !slices.Equal(reported, repeatRows[:n]) {
				t.Errorf("repeats reported %v… (%d), want the first %d repeats", reported[:min(10, len(reported))], len(reported), n)
			}
			if budget == 1 && !spilled {
				t.Error("a 1-byte budget did not spill")
			}
			if budget == 0 && spilled {
				t.Error("no budget spilled")
			}
			if tc.expect && spilled != (budget < 1<<30) {
				t.Errorf("%d rows announced to a %d-byte budget: spilled %v", rows, budget, spilled)
			}
		})
	}
}

func BenchmarkKeySetBatches(b *testing.B) {
	const batch = 65536
	s := newKeySet()
	s.budget = 0
	for i := 0; i < b.N; i += batch {
		for j := 0; j < batch; j++ {
			s.push(uint64(i+j)*0x9e3779b97f4a7c15, j)
		}
		_ = s.flush(0, int64(i), nil)
	}
}

func openFiles(t *testing.T) int {
	t.Helper()
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatalf("count open files: %v", err)
	}
	return len(fds)
}

func TestASpilledKeySetHoldsAFewFilesOpenNot256(t *testing.T) {
	before := openFiles(t)
	s := newKeySet()
	s.budget = 1
	for batch := range 20 {
		for i := range 5000 {
			s.push(uint64(batch*5000+i%4000), i)
		}
		if err := s.flush(0, int64(batch*5000+1), nil); err != nil {
			t.Fatal(err)
		}
		if !s.spilled() {
			t.Fatal("a 1-byte budget did not spill")
		}
		if open := openFiles(t) - before; open > 2 {
			t.Fatalf("after batch %d the spilled set holds %d files open, want at most 2", batch, open)
		}
	}
	if err := s.finish(nil); err != nil {
		t.Fatal(err)
	}
	// Keys batch*5000 + i%4000: within a batch 1000 keys repeat once, and
	// consecutive batches overlap in none.
	if want := int64(20 * 2000); s.dupRows != want {
		t.Errorf("dupRows %d, want %d", s.dupRows, want)
	}
	if open := openFiles(t) - before; open > 0 {
		t.Errorf("finish left %d files open", open)
	}
}

// BenchmarkKeySetDistinct counts 5 million random 62-bit keys, a few
// repeated, pushed and flushed in batches of 64Ki as a unique id column
// is: the uniqueness check of the shared benchmark (../shared/bench).
func BenchmarkKeySetDistinct(b *testing.B) {
	const rows, batch = 5_000_000, 64 * 1024
	keys := make([]uint64, rows)
	state := uint64(1)
	for i := range keys {
		state = state*6364136223846793005 + 1442695040888963407
		keys[i] = state >> 2
		if i%10_000 == 9_999 {
			keys[i] = keys[i-5_000] // a planted repeat of a key seen once
		}
	}
	for _, sized := range []bool{false, true} {
		name := "growing"
		if sized {
			name = "sized by the row count"
		}
		b.Run(name, func(b *testing.B) {
			start := cpuTime(syscall.RUSAGE_SELF)
			for b.Loop() {
				s := newKeySet()
				if sized {
					s.expect(rows)
				}
				for first := 0; first < rows; first += batch {
					end := min(first+batch, rows)
					for i := first; i < end; i++ {
						s.push(keys[i], i-first)
					}
					if err := s.flush(0, int64(first)+1, nil); err != nil {
						b.Fatal(err)
					}
				}
				if s.dupRows != 2*(rows/10_000) {
					b.Fatalf("dupRows %d, want %d", s.dupRows, 2*(rows/10_000))
				}
			}
			// CPU time: on a machine shared with other work, steadier than
			// wall time.
			b.ReportMetric(float64(cpuTime(syscall.RUSAGE_SELF)-start)/float64(b.N*rows), "cpu-ns/key")
		})
	}
}

func TestMixIsABijectionUnmixUndoes(t *testing.T) {
	state := uint64(7)
	for i := 0; i < 100_000; i++ {
		state = state*6364136223846793005 + 1442695040888963407
		for _, k := range []uint64{state, uint64(i), ^uint64(i)} {
			if got := unmix(mix(k)); got != k {
				t.Fatalf("unmix(mix(%#x)) = %#x", k, got)
			}
		}
	}
}

// TestKeySetSizedForMoreRowsThanItsBudgetStaysWithinIt: a footer that
// announces more rows than the budget holds as distinct keys allocates no
// table and spills from the first batch, one within the budget is sized
// no further than the budget, and a set sized for 6M rows keeps 6M
// distinct keys in memory instead of spilling at its first batch.
func TestKeySetSizedForMoreRowsThanItsBudgetStaysWithinIt(t *testing.T) {
	for _, tc := range []struct {
		rows  int64
		spill bool
	}{{5_000_000, false}, {6_000_000, false}, {6_300_000, true}, {50_000_000, true}, {1 << 40, true}} {
		s := newKeySet()
		s.expect(tc.rows)
		s.push(1, 0)
		if err := s.flush(0, 1, nil); err != nil {
			t.Fatal(err)
		}
		if b := s.bytes(); b > s.budget || s.spilled() != tc.spill || tc.spill && b != 0 {
			t.Errorf("sized for %d rows: tables of %d MiB (budget %d MiB), spilled %v; want spilled %v", tc.rows, b>>20, s.budget>>20, s.spilled(), tc.spill)
		}
		s.discard()
	}
	if testing.Short() {
		return
	}
	const rows = 6_000_000
	s := newKeySet()
	defer s.discard()
	s.expect(rows)
	for start := 0; start < rows; start += 65536 {
		for i := start; i < min(start+65536, rows); i++ {
			s.push(uint64(i)*0x9e3779b97f4a7c15, i-start)
		}
		if err := s.flush(0, int64(start)+1, nil); err != nil {
			t.Fatal(err)
		}
	}
	if s.spilled() || s.distinct() != rows || s.dupRows != 0 {
		t.Errorf("6M distinct keys: spilled %v, distinct %d, duplicate rows %d; want them in memory, all distinct", s.spilled(), s.distinct(), s.dupRows)
	}
}

// pushInt pushes an integer column's value as its key, the way
// observeInts does.
func pushInt(s *keySet, k uint64, off int) {
	s.mayDefer = true
	s.pushValue(k, off, textSigned)
}

// BenchmarkKeySetInts counts 5 million int64 ids of three shapes, pushed
// and flushed in batches of 64Ki as a unique id column is: sequential (as
// the shared benchmark's id column, 1..5M with a repeat every 5,000 rows),
// the same ids shuffled, and random 62-bit ids.
func BenchmarkKeySetInts(b *testing.B) {
	const rows, batch = 5_000_000, 64 * 1024
	seq := make([]uint64, rows)
	for i := range seq {
		seq[i] = uint64(i + 1)
		if i%5_000 == 4_999 {
			seq[i] = seq[i-2_500]
		}
	}
	shuffled := append([]uint64(nil), seq...)
	state := uint64(3)
	for i := len(shuffled) - 1; i > 0; i-- {
		state = state*6364136223846793005 + 1442695040888963407
		j := int((state >> 33) % uint64(i+1))
		shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
	}
	random := make([]uint64, rows)
	for i := range random {
		state = state*6364136223846793005 + 1442695040888963407
		random[i] = state >> 2
		if i%5_000 == 4_999 {
			random[i] = random[i-2_500]
		}
	}
	for _, shape := range []struct {
		name string
		keys []uint64
	}{{"sequential", seq}, {"shuffled", shuffled}, {"random", random}} {
		b.Run(shape.name, func(b *testing.B) {
			start := cpuTime(syscall.RUSAGE_SELF)
			for b.Loop() {
				s := newKeySet()
				s.expect(rows)
				for first := 0; first < rows; first += batch {
					end := min(first+batch, rows)
					for i := first; i < end; i++ {
						pushInt(s, shape.keys[i], i-first)
					}
					if err := s.flush(0, int64(first)+1, nil); err != nil {
						b.Fatal(err)
					}
				}
				if err := s.finish(nil); err != nil {
					b.Fatal(err)
				}
				if s.dupRows != 2*(rows/5_000) {
					b.Fatalf("dupRows %d, want %d", s.dupRows, 2*(rows/5_000))
				}
			}
			b.ReportMetric(float64(cpuTime(syscall.RUSAGE_SELF)-start)/float64(b.N*rows), "cpu-ns/key")
		})
	}
}
