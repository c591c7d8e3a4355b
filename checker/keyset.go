package checker

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
)

// keySet counts repeated 64-bit keys: a key seen k > 1 times counts k rows.
//
// Integer columns store the value itself, so their uniqueness is exact;
// other columns store a 64-bit hash of the value, where two different values
// collide with probability about n²/2⁶⁵ (under 10⁻⁶ for 5 million keys).
//
// A key is stored as its mix, a bijection of the 64-bit keys (so counting
// mixes counts keys, exactly), whose top bits pick one of 256 partitions
// and whose low bits the slot in that partition's open-addressing table.
// A slot is 8 bytes, the mix itself (0 marks an empty slot; key 0, whose
// mix is 0, is kept aside), and a key that repeats sets its slot's bit in
// a bitmap consulted only on a hit, so a probe touches one cache line. At
// a load factor of at most 3/4 that is 11 to 22 bytes per distinct key.
//
// A batch's keys are first scattered into per-partition buffers and then
// inserted partition by partition, in groups whose slots are loaded before
// any is written: the loads of a group miss the cache together instead of
// one after another, which is what inserting millions of random keys
// costs. Growth rehashes one small table at a time, never the whole set,
// and expect sizes the tables up front when the row count is known.
//
// A set of integer values starts dense (keyset_dense.go): it keeps a
// bitmap of the range the values cover while they stay dense, and moves to
// the tables for good when they do not. A set of hashes starts with the
// tables. An integer column's set that leaves dense mode defers its
// counting to finish (keyset_deferred.go), where one partition at a time
// fits in the cache.
//
// When the tables outgrow the memory budget, the set spills: every
// partition's table is written to a temporary file, and later keys are
// appended there. finish then counts one partition at a time, so memory stays
// bounded whatever the number of distinct keys, at the price of 16 bytes of
// temporary disk per row after the spill.
type keySet struct {
	mode    uint8
	dense   *dense       // the keys while mode is modeDense, else nil
	def     *deferred    // the occurrences while mode is modeDeferred, else nil
	ints    []pendingKey // keys pushed while dense, in push order, key as is
	parts   [numParts]table
	pending [numParts][]pendingKey
	n       int // distinct keys in memory (not counting spilled ones)
	// expected is the rows announced (expect) while the set was not yet
	// in the tables: the tables are sized for them when it moves there.
	expected int64
	dupRows  int64 // rows whose key repeats, every one; final once finish has run
	// dupKeys is the number of distinct keys that repeat, so dupRows -
	// dupKeys is the rows beyond each key's first (ODCS duplicateValues).
	dupKeys int64
	budget  int64 // bytes of tables before spilling; <= 0 means never
	spill   *spill
	// mayDefer says the caller shows a key's repeats from the key alone,
	// so that the set may defer its counting (a column's own set, not a
	// list element's).
	mayDefer bool
	noDefer  bool // allowDefer was told no once
	// texts has bit 1<<text set for each kind of value pushed (textNone…).
	texts uint8
	// spillNow says expect was told of more keys than the budget holds:
	// the next flush starts the spill.
	spillNow bool
	// touched keeps the loads of flush's first pass from being optimised
	// away; its value means nothing.
	touched uint64
}

const (
	partBits = 8
	numParts = 1 << partBits
)

// defaultKeyBudget bounds the memory of one key set before it spills:
// enough for about 8 million distinct keys.
const defaultKeyBudget = 96 << 20

// Modes of a key set: nothing pushed yet, dense, in the tables (or
// spilled from them).
const (
	modeFresh uint8 = iota
	modeDense
	modeHashed
	modeDeferred
)

// pendingKey is one buffered occurrence: the key's mix (the key itself
// while the set is dense) and the offset of its row in the batch.
type pendingKey struct {
	h   uint64
	off int32
}

// table is one partition's open-addressing table of key mixes.
type table struct {
	slots []uint64 // a mix, or 0 for an empty slot
	many  []uint64 // a bit per slot: its key repeats
	n     int      // keys in slots
	// zero is the state of key 0 (mix 0), which no slot can hold.
	zero uint8
}

// States of a key.
const (
	slotEmpty uint8 = iota
	slotOnce
	slotMany
)

func newKeySet() *keySet {
	return &keySet{budget: defaultKeyBudget}
}

// mix spreads the bits of k so sequential integer ids neither cluster in a
// table nor fall into one partition. It is MurmurHash3's finalizer: a
// bijection (each step is), so distinct keys have distinct mixes, and
// unmix recovers the key.
func mix(k uint64) uint64 {
	k ^= k >> 33
	k *= 0xff51afd7ed558ccd
	k ^= k >> 33
	k *= 0xc4ceb9fe1a85ec53
	k ^= k >> 33
	return k
}

// unmix is the inverse of mix: an xor with the value shifted right by 33
// undoes itself, and the multipliers' inverses modulo 2⁶⁴ undo them.
func unmix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0x9cb4b2f8129337db // inverse of 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	h *= 0x4f74430c22a54005 // inverse of 0xff51afd7ed558ccd
	h ^= h >> 33
	return h
}

func partOf(h uint64) int { return int(h >> (64 - partBits)) }

// push buffers one occurrence of the key k, a hash of the row's value,
// at batch offset off; flush inserts it. A set first pushed hashes never
// tries dense mode: hashes are spread over all 2⁶⁴ keys. (flush sees the
// buffered hashes of a set not yet in the tables, so that push stays
// small enough to inline.)
func (s *keySet) push(k uint64, off int) {
	h := mix(k)
	p := partOf(h)
	s.pending[p] = append(s.pending[p], pendingKey{h: h, off: int32(off)})
}

// pushValue buffers one occurrence of an integer value as its own key, at
// batch offset off; text says how the value shows (textSigned…). A set
// first pushed values starts dense.
func (s *keySet) pushValue(k uint64, off int, text uint8) {
	s.texts |= 1 << text
	switch s.mode {
	case modeHashed:
		s.push(k, off)
		return
	case modeDeferred:
		s.def.push(k, off)
		return
	case modeFresh:
		s.mode, s.dense = modeDense, &dense{}
	}
	s.ints = append(s.ints, pendingKey{h: k, off: int32(off)})
}

// expect sizes the tables for rows more keys, so that a column whose row
// count is known (a Parquet footer states it) never rehashes. It sizes no
// further than the memory budget allows. When the rows announced cannot
// fit in the budget as distinct keys — and the keys of a unique column or
// a primary key are meant to be distinct — the set spills at the next
// flush, before any table is filled: filling 96 MiB of tables only to
// write them out and drop them raised a 50M-row check's peak by that much.
//
// While the set is fresh or dense it only notes the rows: a dense set
// needs no sizing, and it counts them as keys to come when it judges its
// density.
func (s *keySet) expect(rows int64) {
	if rows <= 0 || s.spill != nil {
		return
	}
	if s.mode != modeHashed {
		s.expected += rows
		return
	}
	s.sizeFor(rows)
}

// sizeFor sizes the tables for rows more keys, or marks the set to spill
// at the next flush when they would not fit the budget.
func (s *keySet) sizeFor(rows int64) {
	if _, ok := s.fits(int64(s.n) + rows); !ok {
		s.spillNow = true
		return
	}
	per, _ := s.fits(rows)
	for p := range s.parts {
		s.parts[p].reserve(s.parts[p].n + int(per))
	}
}

// fits says whether keys distinct keys fit the budget as tables, and how
// many keys a partition is to be sized for.
func (s *keySet) fits(keys int64) (per int64, ok bool) {
	per = keys/numParts + keys/numParts/8 + 64 // the partitions are not quite even
	if s.budget > 0 {
		fit := keysWithin(s.budget)
		if keys > fit*numParts {
			return 0, false
		}
		per = min(per, fit)
	}
	return per, true
}

// keysWithin is the most keys a partition can be sized for up front when
// the tables may take budget bytes: a table's slots are a power of two, so
// sizing for a few more keys than the largest table within the budget
// holds doubles it. (Sizing from budget/slotBytes alone made 50M rows
// allocate 130 MiB of tables against the 96 MiB budget, then spill at the
// first batch, and spilled 6M distinct keys that fit.)
func keysWithin(budget int64) int64 {
	slots := budget / numParts * 8 / (slotBytes*8 + 1) // a slot and its bit
	if slots < 64 {
		return 0
	}
	size := int64(64)
	for size*2 <= slots {
		size *= 2
	}
	return size * 3 / 4
}

// prefetchGroup is how many keys' slots are loaded before any is written:
// about the misses a core keeps in flight.
const prefetchGroup = 32

// flush inserts the batch's buffered keys. dup, when not nil, is called in
// row order with the offset of every occurrence of a key seen before (in
// this batch or an earlier one, while the set is in memory); pass nil once
// no more examples are wanted, so a batch of repeats costs no sorting.
// file and firstRow identify the batch's rows if they spill.
func (s *keySet) flush(file int, firstRow int64, dup func(off int)) error {
	dupOffs, err := s.flushModes(file, firstRow, dup != nil)
	if err != nil {
		return err
	}
	if dupOffs, err = s.flushTables(file, firstRow, dup != nil, dupOffs); err != nil {
		return err
	}
	if len(dupOffs) > 0 && dup != nil {
		// A dense set's repeats come in push order, which is row order;
		// the tables' come partition by partition.
		if !sort.IntsAreSorted(dupOffs) {
			sort.Ints(dupOffs)
		}
		for _, off := range dupOffs {
			dup(off)
		}
	}
	if s.spill == nil && s.budget > 0 && s.bytes() > s.budget {
		return s.startSpill()
	}
	return nil
}

// flushModes moves the set to the mode the batch's keys need and counts
// what a dense or deferred set takes itself; it returns the offsets of
// repeats found (when wantDups).
func (s *keySet) flushModes(file int, firstRow int64, wantDups bool) ([]int, error) {
	if (s.mode == modeFresh || s.mode == modeDense) && s.pushedHashes() {
		if s.mode == modeFresh {
			s.mode = modeHashed
			if s.expected > 0 {
				s.sizeFor(s.expected)
				s.expected = 0
			}
		} else if err := s.demote(); err != nil {
			return nil, err
		}
	}
	if s.spillNow && s.spill == nil {
		if err := s.startSpill(); err != nil {
			return nil, err
		}
	}
	var dupOffs []int
	if s.mode == modeDense && len(s.ints) > 0 {
		var done int
		done, dupOffs = s.flushDense(wantDups, dupOffs)
		if done < len(s.ints) {
			s.ints = s.ints[done:]
			if err := s.demote(); err != nil {
				return nil, err
			}
		} else {
			s.ints = s.ints[:0]
		}
	}
	if s.mode == modeDeferred {
		if !s.pushedHashes() {
			s.def.endBatch(file, firstRow)
		} else {
			// Hashes pushed to a deferred set (a column whose type
			// changed) go where both can be counted: a spill, with the
			// batch's values among them in row order.
			s.def.unpush(&s.pending)
			s.sortPending()
			if err := s.startSpill(); err != nil {
				return nil, err
			}
		}
	}
	return dupOffs, nil
}

// flushTables inserts the pending keys into the partitions' tables, or
// appends them to the spill; it adds the offsets of repeats to dupOffs.
func (s *keySet) flushTables(file int, firstRow int64, wantDups bool, dupOffs []int) ([]int, error) {
	var touched uint64
	for p := range s.pending {
		pk := s.pending[p]
		if len(pk) == 0 {
			continue
		}
		if s.spill != nil {
			if err := s.spill.write(p, pk, file, firstRow); err != nil {
				return nil, err
			}
			s.pending[p] = pk[:0]
			continue
		}
		t := &s.parts[p]
		t.reserve(t.n + len(pk))
		mask := uint64(len(t.slots) - 1)
		for g := 0; g < len(pk); g += prefetchGroup {
			group := pk[g:min(g+prefetchGroup, len(pk))]
			// Independent loads: the core overlaps their misses.
			for _, k := range group {
				touched += t.slots[k.h&mask]
			}
			for _, k := range group {
				seen, added := t.add(k.h, &s.dupRows, &s.dupKeys)
				if added {
					s.n++
				}
				if seen && wantDups {
					dupOffs = append(dupOffs, int(k.off))
				}
			}
		}
		s.pending[p] = pk[:0]
	}
	s.touched = touched
	return dupOffs, nil
}

// add records one occurrence of the key whose mix is h, counting duplicate
// rows into dups; it reports whether the key had been seen and whether it
// is new. The table must have room for one more key (reserve).
func (t *table) add(h uint64, dups, keys *int64) (seen, added bool) {
	if h == 0 {
		switch t.zero {
		case slotEmpty:
			t.zero = slotOnce
			return false, true
		case slotOnce:
			t.zero = slotMany
			*dups += 2
			*keys++
		default:
			*dups++
		}
		return true, false
	}
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		switch t.slots[i] {
		case 0:
			t.slots[i] = h
			t.n++
			return false, true
		case h:
			w, bit := i/64, uint64(1)<<(i%64)
			if t.many[w]&bit == 0 {
				t.many[w] |= bit
				*dups += 2
				*keys++
			} else {
				*dups++
			}
			return true, false
		}
	}
}

// sortPending puts each partition's buffered keys in row order, after two
// kinds of key were buffered in one batch: the first occurrence in row
// order is the one that is not a repeat.
func (s *keySet) sortPending() {
	for p := range s.pending {
		slices.SortStableFunc(s.pending[p], func(a, b pendingKey) int { return cmp.Compare(a.off, b.off) })
	}
}

// pushedHashes says whether the partitions' buffers hold keys.
func (s *keySet) pushedHashes() bool {
	for p := range s.pending {
		if len(s.pending[p]) > 0 {
			return true
		}
	}
	return false
}

// put restores the key whose mix is h in state st, counting nothing: its
// duplicate rows were counted when it was first seen again.
func (t *table) put(h uint64, st uint8) {
	t.reserve(t.n + 1)
	var ignored, ignoredKeys int64
	t.add(h, &ignored, &ignoredKeys)
	if st == slotMany {
		t.add(h, &ignored, &ignoredKeys)
	}
}

// slotBytes is what a slot costs: the mix and its bit.
const slotBytes = 8

// reserve grows the table until it holds n keys at a load of at most 3/4.
func (t *table) reserve(n int) {
	size := len(t.slots)
	if n*4 <= size*3 {
		return
	}
	if size == 0 {
		size = 64
	}
	for n*4 > size*3 {
		size *= 2
	}
	old, oldMany := t.slots, t.many
	t.slots, t.many = make([]uint64, size), make([]uint64, size/64)
	mask := uint64(size - 1)
	for j, h := range old {
		if h == 0 {
			continue
		}
		i := h & mask
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = h
		if oldMany[j/64]&(1<<(j%64)) != 0 {
			t.many[i/64] |= 1 << (i % 64)
		}
	}
}

// each calls f with the mix and state of every key in the table.
func (t *table) each(f func(h uint64, st uint8) error) error {
	if t.zero != slotEmpty {
		if err := f(0, t.zero); err != nil {
			return err
		}
	}
	for i, h := range t.slots {
		if h == 0 {
			continue
		}
		st := slotOnce
		if t.many[i/64]&(1<<(i%64)) != 0 {
			st = slotMany
		}
		if err := f(h, st); err != nil {
			return err
		}
	}
	return nil
}

// beyondFirst is what ODCS's duplicateValues counts: the rows that repeat
// a key seen before them, each key's first row not counted ("counts
// duplicate values"; a, b, a has one). VALUE_UNIQUE counts every row of a
// repeated key instead (dupRows); datacontract-cli counts the distinct
// repeated keys (dupKeys). The README says where the three differ.
func (s *keySet) beyondFirst() int64 { return s.dupRows - s.dupKeys }

// bytes is the memory the set holds in tables and pages.
func (s *keySet) bytes() int64 {
	var b int64
	if s.dense != nil {
		b = s.dense.bytes()
	}
	if s.def != nil {
		b += s.def.bytes()
	}
	for p := range s.parts {
		b += int64(len(s.parts[p].slots)) * (slotBytes*8 + 1) / 8
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
// descriptor limit. Each record is 16 bytes: the key's mix and a reference,
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
		if err := t.each(sp.addState); err != nil {
			sp.close()
			return err
		}
		*t = table{}
	}
	if d := s.def; d != nil {
		if err := d.spillTo(sp); err != nil {
			sp.close()
			return err
		}
		s.def, s.mode = nil, modeHashed
	}
	if d := s.dense; d != nil {
		// A dense set spills from its pages, each key as its mix, like a
		// table's; keys pushed but not inserted go to the partitions'
		// buffers, which flush writes as occurrences.
		err := d.each(func(k uint64, st uint8) error { return sp.addState(mix(k), st) })
		if err != nil {
			sp.close()
			return err
		}
		s.dense, s.mode = nil, modeHashed
		for _, pk := range s.ints {
			s.push(pk.h, int(pk.off))
		}
		s.ints = nil
	}
	return nil
}

// addState writes a key's state from before the spill: its mix h and
// refOnce or refMany.
func (sp *spill) addState(h uint64, st uint8) error {
	ref := refOnce
	if st == slotMany {
		ref = refMany
	}
	var rec [16]byte
	binary.LittleEndian.PutUint64(rec[:8], h)
	binary.LittleEndian.PutUint64(rec[8:], ref)
	return sp.add(partOf(h), rec)
}

func (sp *spill) write(p int, pk []pendingKey, file int, firstRow int64) error {
	for _, k := range pk {
		if err := sp.addOccurrence(p, k.h, file, firstRow+int64(k.off)); err != nil {
			return err
		}
	}
	return nil
}

// addOccurrence writes one occurrence after the spill: the key's mix h and
// where its row is.
func (sp *spill) addOccurrence(p int, h uint64, file int, row int64) error {
	var rec [16]byte
	binary.LittleEndian.PutUint64(rec[:8], h)
	binary.LittleEndian.PutUint64(rec[8:], uint64(file)<<rowBits|uint64(row))
	return sp.add(p, rec)
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

// finish counts the spilled (or deferred) partitions, one at a time, and
// removes the files. dup is called with the file index, row and key of the
// first report.MaxExamples repeated occurrences found there, in row order:
// the rows flush did not report. Without a spill or a deferral it does
// nothing.
func (s *keySet) finish(dup func(file int, row int64, key uint64)) error {
	if s.def != nil {
		s.finishDeferred(dup)
		return nil
	}
	sp := s.spill
	if sp == nil {
		return nil
	}
	defer sp.close()
	defer func() { s.spill = nil }()
	var distinct int
	var first firstRepeats
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
		n, err := s.countPartition(f, &first, dup != nil)
		f.Close()
		if err != nil {
			return err
		}
		distinct += n
	}
	s.n = distinct
	first.emit(dup)
	return nil
}

// countPartition counts one spilled partition's keys and returns how many
// are distinct.
func (s *keySet) countPartition(f *os.File, first *firstRepeats, wantDups bool) (int, error) {
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
		h := binary.LittleEndian.Uint64(rec[:8])
		ref := binary.LittleEndian.Uint64(rec[8:])
		switch ref {
		case refOnce:
			// A key's state from before the spill: its duplicate rows
			// were counted then.
			t.put(h, slotOnce)
		case refMany:
			t.put(h, slotMany)
		default:
			t.reserve(t.n + 1)
			if seen, _ := t.add(h, &s.dupRows, &s.dupKeys); seen && wantDups {
				first.add(repeat{file: int(ref >> rowBits), row: int64(ref & (1<<rowBits - 1)), key: unmix(h)})
			}
		}
	}
	n := t.n
	if t.zero != slotEmpty {
		n++ // key 0 has no slot
	}
	return n, nil
}

// discard removes any spill files; for runs that end early.
func (s *keySet) discard() {
	s.def = nil
	if s.spill != nil {
		s.spill.close()
		s.spill = nil
	}
}
