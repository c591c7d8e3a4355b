package checker

import "testing"

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
