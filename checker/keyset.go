package checker

// keySet counts repeated 64-bit keys in about 9 bytes per slot (an 8-byte key
// and a state byte) at a load factor of at most 3/4, so roughly 12 to 18 bytes
// per distinct key, instead of the 40 or more a Go map needs. Integer columns
// store the value itself, so their uniqueness is exact; other columns store a
// 64-bit hash of the value, where two different values collide with
// probability about n²/2⁶⁵ (under 10⁻⁶ for 5 million keys).
type keySet struct {
	keys  []uint64
	state []uint8 // 0 empty, 1 seen once, 2 seen more than once
	n     int
	mask  uint64
	// dupRows counts the rows whose key occurs more than once: a key seen k
	// times (k > 1) contributes k.
	dupRows int64
}

const (
	slotEmpty uint8 = iota
	slotOnce
	slotMany
)

func newKeySet() *keySet {
	const initial = 1 << 12
	return &keySet{keys: make([]uint64, initial), state: make([]uint8, initial), mask: initial - 1}
}

// mix spreads the bits of k so sequential integer ids do not cluster.
func mix(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	k *= 0xc4ceb9fe1a85ec53
	k ^= k >> 33
	return k
}

// add records one occurrence of k and reports whether k had been seen before.
func (s *keySet) add(k uint64) bool {
	if (s.n+1)*4 > len(s.keys)*3 {
		s.grow()
	}
	i := mix(k) & s.mask
	for {
		switch s.state[i] {
		case slotEmpty:
			s.keys[i], s.state[i] = k, slotOnce
			s.n++
			return false
		default:
			if s.keys[i] == k {
				if s.state[i] == slotOnce {
					s.state[i] = slotMany
					s.dupRows += 2
				} else {
					s.dupRows++
				}
				return true
			}
		}
		i = (i + 1) & s.mask
	}
}

func (s *keySet) grow() {
	oldKeys, oldState := s.keys, s.state
	size := len(oldKeys) * 2
	s.keys, s.state, s.mask = make([]uint64, size), make([]uint8, size), uint64(size-1)
	for j, st := range oldState {
		if st == slotEmpty {
			continue
		}
		i := mix(oldKeys[j]) & s.mask
		for s.state[i] != slotEmpty {
			i = (i + 1) & s.mask
		}
		s.keys[i], s.state[i] = oldKeys[j], st
	}
}

// distinct is the number of distinct keys seen.
func (s *keySet) distinct() int { return s.n }
