package checker

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
)

// keySet counts repeated 64-bit keys: a key seen k > 1 times counts k rows.
//
// Integer columns store the value itself, so their uniqueness is exact;
// other columns store a 64-bit hash of the value, where two different values
// collide with probability about n²/2⁶⁵ (under 10⁻⁶ for 5 million keys).
//
// Keys are radix-partitioned by their top bits into 256 open-addressing
// tables of 9 bytes a slot (an 8-byte key and a state byte) at a load factor
// of at most 3/4: 12 to 18 bytes per distinct key. A batch's keys are first
// scattered into per-partition buffers and then inserted partition by
// partition, so inserts hit a table small enough to stay in cache instead of
// missing across one large table; growth also rehashes one small table at a
// time, not the whole set.
//
// When the tables outgrow the memory budget, the set spills: every
// partition's table is written to a temporary file, and later keys are
// appended there. finish then counts one partition at a time, so memory stays
// bounded whatever the number of distinct keys, at the price of 16 bytes of
// temporary disk per row after the spill.
type keySet struct {
	parts   [numParts]table
	pending [numParts][]pendingKey
	n       int   // distinct keys in memory (not counting spilled ones)
	dupRows int64 // rows whose key repeats, every one; final once finish has run
	// dupKeys is the number of distinct keys that repeat, so dupRows -
	// dupKeys is the rows beyond each key's first (ODCS duplicateValues).
	dupKeys int64
	budget  int64 // bytes of tables before spilling; <= 0 means never
	spill   *spill
}

const (
	partBits = 8
	numParts = 1 << partBits
)

// defaultKeyBudget bounds the memory of one key set before it spills:
// enough for about 6 million distinct keys.
const defaultKeyBudget = 96 << 20

type pendingKey struct {
	key uint64
	off int32 // offset of the row in its batch
}

type table struct {
	keys  []uint64
	state []uint8 // slotEmpty, slotOnce, slotMany
	n     int
}

const (
	slotEmpty uint8 = iota
	slotOnce
	slotMany
)

func newKeySet() *keySet {
	return &keySet{budget: defaultKeyBudget}
}

// mix spreads the bits of k so sequential integer ids neither cluster in a
// table nor fall into one partition.
func mix(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	k *= 0xc4ceb9fe1a85ec53
	k ^= k >> 33
	return k
}

func partOf(h uint64) int { return int(h >> (64 - partBits)) }

// push buffers one occurrence of k at batch offset off; flush inserts it.
func (s *keySet) push(k uint64, off int) {
	p := partOf(mix(k))
	s.pending[p] = append(s.pending[p], pendingKey{key: k, off: int32(off)})
}

// flush inserts the batch's buffered keys. dup, when not nil, is called in
// row order with the offset of every occurrence of a key seen before (in
// this batch or an earlier one, while the set is in memory); pass nil once
// no more examples are wanted, so a batch of repeats costs no sorting.
// file and firstRow identify the batch's rows if they spill.
func (s *keySet) flush(file int, firstRow int64, dup func(off int)) error {
	var dupOffs []int
	for p := range s.pending {
		pk := s.pending[p]
		if len(pk) == 0 {
			continue
		}
		if s.spill != nil {
			if err := s.spill.write(p, pk, file, firstRow); err != nil {
				return err
			}
		} else {
			t := &s.parts[p]
			for _, k := range pk {
				seen, added := t.add(k.key, &s.dupRows, &s.dupKeys)
				if added {
					s.n++
				}
				if seen && dup != nil {
					dupOffs = append(dupOffs, int(k.off))
				}
			}
		}
		s.pending[p] = pk[:0]
	}
	if len(dupOffs) > 0 && dup != nil {
		sort.Ints(dupOffs)
		for _, off := range dupOffs {
			dup(off)
		}
	}
	if s.spill == nil && s.budget > 0 && s.bytes() > s.budget {
		return s.startSpill()
	}
	return nil
}

// add records one occurrence of k in a table, counting duplicate rows into
// dups; it reports whether k had been seen and whether it is new.
func (t *table) add(k uint64, dups, keys *int64) (seen, added bool) {
	if (t.n+1)*4 > len(t.keys)*3 {
		t.grow()
	}
	mask := uint64(len(t.keys) - 1)
	i := mix(k) & mask
	for {
		switch t.state[i] {
		case slotEmpty:
			t.keys[i], t.state[i] = k, slotOnce
			t.n++
			return false, true
		default:
			if t.keys[i] == k {
				if t.state[i] == slotOnce {
					t.state[i] = slotMany
					*dups += 2
					*keys++
				} else {
					*dups++
				}
				return true, false
			}
		}
		i = (i + 1) & mask
	}
}

func (t *table) grow() {
	size := 2 * len(t.keys)
	if size == 0 {
		size = 64
	}
	oldKeys, oldState := t.keys, t.state
	t.keys, t.state = make([]uint64, size), make([]uint8, size)
	mask := uint64(size - 1)
	for j, st := range oldState {
		if st == slotEmpty {
			continue
		}
		i := mix(oldKeys[j]) & mask
		for t.state[i] != slotEmpty {
			i = (i + 1) & mask
		}
		t.keys[i], t.state[i] = oldKeys[j], st
	}
}

// beyondFirst is what ODCS's duplicateValues counts: the rows that repeat
// a key seen before them, each key's first row not counted ("counts
// duplicate values"; a, b, a has one). VALUE_UNIQUE counts every row of a
// repeated key instead (dupRows); datacontract-cli counts the distinct
// repeated keys (dupKeys). The README says where the three differ.
func (s *keySet) beyondFirst() int64 { return s.dupRows - s.dupKeys }

// add records one occurrence of k immediately; for callers outside the
// batch path (tests, small sets).
func (s *keySet) add(k uint64) bool {
	seen, added := s.parts[partOf(mix(k))].add(k, &s.dupRows, &s.dupKeys)
	if added {
		s.n++
	}
	return seen
}

func (s *keySet) bytes() int64 {
	var b int64
	for p := range s.parts {
		b += int64(len(s.parts[p].keys)) * 9
	}
	return b
}

// distinct is the number of distinct keys, exact until the set spills.
func (s *keySet) distinct() int { return s.n }

// spilled says whether finish has work to do on disk.
func (s *keySet) spilled() bool { return s.spill != nil }

// spill holds one temporary file per partition, in a directory of its
// own, but never more than one open at a time: each partition buffers its
// records in memory (spillBuf bytes, 8 MiB for all of them) and appends a
// full buffer to its file with one open, write and close. Keeping 256
// files open per key set ran runs with several unique columns into the
// descriptor limit. Each record is 16 bytes: the key and a reference,
// where a reference of refOnce or refMany carries a key's state from
// before the spill and anything else is fileIndex<<48|row of an
// occurrence after it.
type spill struct {
	dir  string
	bufs [numParts][]byte
}

const (
	refOnce = ^uint64(0)
	refMany = ^uint64(0) - 1
	rowBits = 48
)

// spillBuf is the bytes a partition buffers before appending to its file.
const spillBuf = 32 << 10

func (s *keySet) startSpill() error {
	dir, err := os.MkdirTemp("", "driftgate-keys-*")
	if err != nil {
		return fmt.Errorf("uniqueness spill: %w", err)
	}
	sp := &spill{dir: dir}
	s.spill = sp
	for p := range s.parts {
		t := &s.parts[p]
		var rec [16]byte
		for i, st := range t.state {
			if st == slotEmpty {
				continue
			}
			ref := refOnce
			if st == slotMany {
				ref = refMany
			}
			binary.LittleEndian.PutUint64(rec[:8], t.keys[i])
			binary.LittleEndian.PutUint64(rec[8:], ref)
			if err := sp.add(p, rec); err != nil {
				sp.close()
				return err
			}
		}
		*t = table{}
	}
	return nil
}

func (sp *spill) write(p int, pk []pendingKey, file int, firstRow int64) error {
	var rec [16]byte
	for _, k := range pk {
		binary.LittleEndian.PutUint64(rec[:8], k.key)
		binary.LittleEndian.PutUint64(rec[8:], uint64(file)<<rowBits|uint64(firstRow+int64(k.off)))
		if err := sp.add(p, rec); err != nil {
			return err
		}
	}
	return nil
}

func (sp *spill) add(p int, rec [16]byte) error {
	if sp.bufs[p] == nil {
		sp.bufs[p] = make([]byte, 0, spillBuf)
	}
	sp.bufs[p] = append(sp.bufs[p], rec[:]...)
	if len(sp.bufs[p]) >= spillBuf {
		return sp.flush(p)
	}
	return nil
}

func (sp *spill) path(p int) string { return filepath.Join(sp.dir, strconv.Itoa(p)) }

// flush appends partition p's buffer to its file.
func (sp *spill) flush(p int) error {
	if len(sp.bufs[p]) == 0 {
		return nil
	}
	f, err := os.OpenFile(sp.path(p), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("uniqueness spill: %w", err)
	}
	_, err = f.Write(sp.bufs[p])
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("uniqueness spill: %w", err)
	}
	sp.bufs[p] = sp.bufs[p][:0]
	return nil
}

func (sp *spill) close() {
	os.RemoveAll(sp.dir)
	sp.bufs = [numParts][]byte{}
}

// finish counts the spilled partitions, one at a time, and removes the
// files. dup is called with the file index, row and key of each repeated
// occurrence found on disk, in partition order. Without a spill it does
// nothing.
func (s *keySet) finish(dup func(file int, row int64, key uint64)) error {
	sp := s.spill
	if sp == nil {
		return nil
	}
	defer sp.close()
	defer func() { s.spill = nil }()
	var distinct int
	for p := range sp.bufs {
		if err := sp.flush(p); err != nil {
			return err
		}
		sp.bufs[p] = nil
		f, err := os.Open(sp.path(p))
		if errors.Is(err, fs.ErrNotExist) {
			continue // a partition no key fell into
		}
		if err != nil {
			return fmt.Errorf("uniqueness spill: %w", err)
		}
		n, err := s.countPartition(f, dup)
		f.Close()
		if err != nil {
			return err
		}
		distinct += n
	}
	s.n = distinct
	return nil
}

// countPartition counts one spilled partition's keys and returns how many
// are distinct.
func (s *keySet) countPartition(f *os.File, dup func(file int, row int64, key uint64)) (int, error) {
	r := bufio.NewReaderSize(f, 64<<10)
	var t table
	var rec [16]byte
	for {
		if _, err := io.ReadFull(r, rec[:]); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return 0, fmt.Errorf("uniqueness spill: %w", err)
		}
		k := binary.LittleEndian.Uint64(rec[:8])
		ref := binary.LittleEndian.Uint64(rec[8:])
		switch ref {
		case refOnce, refMany:
			// A key's state from before the spill: its duplicate rows
			// were counted then.
			var ignored, ignoredKeys int64
			t.add(k, &ignored, &ignoredKeys)
			if ref == refMany {
				t.markMany(k)
			}
		default:
			if seen, _ := t.add(k, &s.dupRows, &s.dupKeys); seen && dup != nil {
				dup(int(ref>>rowBits), int64(ref&(1<<rowBits-1)), k)
			}
		}
	}
	return t.n, nil
}

func (t *table) markMany(k uint64) {
	mask := uint64(len(t.keys) - 1)
	for i := mix(k) & mask; ; i = (i + 1) & mask {
		if t.state[i] != slotEmpty && t.keys[i] == k {
			t.state[i] = slotMany
			return
		}
	}
}

// discard removes any spill files; for runs that end early.
func (s *keySet) discard() {
	if s.spill != nil {
		s.spill.close()
		s.spill = nil
	}
}
