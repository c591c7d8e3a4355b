package checker

import (
	"slices"

	"github.com/driftgate/driftgate/checker/report"
)

// deferred is the mode of an integer column's set once its values are not
// dense (random 62-bit ids, as the shared benchmark's): the occurrences are
// kept by partition, 12 bytes each, and counted at finish one partition at
// a time in one small table that stays in the cache. Inserting into the
// tables as batches come instead misses the cache at every key (80 MiB of
// tables for 5M keys): 30 ns a key against 11.
//
// The set can wait because its keys are the values themselves: finish
// reports the first repeated rows with their keys, which the caller shows
// as the values, in row order, as flush would have. Hashed keys (strings)
// and keys whose examples are the rows of a list's elements cannot, and
// stay in the tables.
type deferred struct {
	hs   [numParts][]uint64 // the occurrences' mixes, in push order
	offs [numParts][]uint32 // and their offsets in their batches
	// ends[p][b] is len(hs[p]) after batch b.
	ends [numParts][]uint32
	// states are the keys of the dense set this one was demoted from, with
	// their states in off: counted before any occurrence.
	states  [numParts][]pendingKey
	batches []batchAt
	held    int64 // occurrences and states held
}

// batchAt is where a batch's rows are: its file index and first row.
type batchAt struct {
	file  int
	first int64
}

// deferredBytes is what an occurrence costs.
const deferredBytes = 12

// Kinds of integer values a set is pushed, which say how finish's caller
// shows a key: as a signed or an unsigned number, or not at all (dates,
// timestamps, booleans, which only their arrays can format).
const (
	textNone uint8 = iota
	textSigned
	textUnsigned
)

// allowDefer tells the set, batch by batch, whether the caller can show the
// batch's repeats from their keys alone: once it cannot (a text file's
// batch, whose examples carry lines), the set never defers.
func (s *keySet) allowDefer(ok bool) {
	s.noDefer = s.noDefer || !ok
	s.mayDefer = !s.noDefer
}

// canDefer says whether the set, leaving dense mode, can defer its counting:
// its caller allowed it and every value pushed shows as one kind of number.
func (s *keySet) canDefer() bool {
	return s.mayDefer && (s.texts == 1<<textSigned || s.texts == 1<<textUnsigned)
}

// valueKind is how to show the set's keys: as the numbers pushed, or as
// the contract's kind says.
func (s *keySet) valueKind(contract typeKind) typeKind {
	switch s.texts {
	case 1 << textSigned:
		return kindInt
	case 1 << textUnsigned:
		return kindUint
	}
	return contract
}

func (d *deferred) push(k uint64, off int) {
	h := mix(k)
	p := partOf(h)
	d.hs[p] = append(d.hs[p], h)
	d.offs[p] = append(d.offs[p], uint32(off))
}

// endBatch closes the batch whose keys were pushed since the last.
func (d *deferred) endBatch(file int, firstRow int64) {
	d.batches = append(d.batches, batchAt{file: file, first: firstRow})
	var n int
	for p := range d.hs {
		d.ends[p] = append(d.ends[p], uint32(len(d.hs[p])))
		n += len(d.hs[p]) + len(d.states[p])
	}
	d.held = int64(n)
}

// unpush moves the occurrences pushed since the last batch into pending.
func (d *deferred) unpush(pending *[numParts][]pendingKey) {
	for p := range d.hs {
		from := 0
		if n := len(d.ends[p]); n > 0 {
			from = int(d.ends[p][n-1])
		}
		for i := from; i < len(d.hs[p]); i++ {
			pending[p] = append(pending[p], pendingKey{h: d.hs[p][i], off: int32(d.offs[p][i])})
		}
		d.hs[p], d.offs[p] = d.hs[p][:from], d.offs[p][:from]
	}
}

func (d *deferred) bytes() int64 {
	return d.held*deferredBytes + int64(len(d.batches))*(16+numParts*4)
}

// toDeferred starts deferring: the dense set's keys become states, and
// keys pushed but not inserted are pushed again.
func (s *keySet) toDeferred(dn *dense, rest []pendingKey, remaining int64) {
	d := &deferred{}
	if dn != nil {
		_ = dn.each(func(k uint64, st uint8) error {
			h := mix(k)
			p := partOf(h)
			d.states[p] = append(d.states[p], pendingKey{h: h, off: int32(st)})
			return nil
		})
	}
	if remaining > 0 {
		most := int64(denseExpectCap)
		if s.budget > 0 {
			most = s.budget / deferredBytes
		}
		// Mixes fall evenly: a partition's share of 5M keys varies by 1%.
		per := int(min(remaining, most)/numParts*51/50 + 256)
		for p := range d.hs {
			d.hs[p] = make([]uint64, 0, per)
			d.offs[p] = make([]uint32, 0, per)
		}
	}
	s.def, s.mode = d, modeDeferred
	for _, pk := range rest {
		d.push(pk.h, int(pk.off))
	}
}

// spillTo writes a deferred set's states and occurrences as spill
// records, states first, as startSpill does a table's.
func (d *deferred) spillTo(sp *spill) error {
	for p := range d.states {
		for _, st := range d.states[p] {
			if err := sp.addState(st.h, uint8(st.off)); err != nil {
				return err
			}
		}
	}
	for p := range d.hs {
		b := 0
		for i, h := range d.hs[p] {
			for uint32(i) >= d.ends[p][b] {
				b++
			}
			if err := sp.addOccurrence(p, h, d.batches[b].file, d.batches[b].first+int64(d.offs[p][i])); err != nil {
				return err
			}
		}
	}
	return nil
}

// repeat is an occurrence of a key seen before: its row and key.
type repeat struct {
	file int
	row  int64
	key  uint64
}

// finishDeferred counts the set one partition at a time and calls dup
// with the first report.MaxExamples repeated rows, in row order.
func (s *keySet) finishDeferred(dup func(file int, row int64, key uint64)) {
	d := s.def
	var t table
	var first firstRepeats
	distinct := 0
	for p := range d.hs {
		n := len(d.states[p]) + len(d.hs[p])
		if n == 0 {
			continue
		}
		t.clear(n)
		for _, st := range d.states[p] {
			t.put(st.h, uint8(st.off))
		}
		b := 0
		for i, h := range d.hs[p] {
			seen, _ := t.add(h, &s.dupRows, &s.dupKeys)
			if !seen || dup == nil {
				continue
			}
			for uint32(i) >= d.ends[p][b] {
				b++
			}
			first.add(repeat{file: d.batches[b].file, row: d.batches[b].first + int64(d.offs[p][i]), key: unmix(h)})
		}
		distinct += t.n
		if t.zero != slotEmpty {
			distinct++ // key 0 has no slot
		}
		// Let go of the partition as soon as it is counted.
		d.hs[p], d.offs[p], d.states[p], d.ends[p] = nil, nil, nil, nil
	}
	s.n = distinct
	s.def = nil
	first.emit(dup)
}

// firstRepeats keeps the first report.MaxExamples repeats in row order of
// those found partition by partition (no caller keeps more examples).
type firstRepeats []repeat

func (f *firstRepeats) add(r repeat) {
	if len(*f) == report.MaxExamples && !r.before((*f)[len(*f)-1]) {
		return
	}
	at, _ := slices.BinarySearchFunc(*f, r, func(a, b repeat) int {
		if a.before(b) {
			return -1
		}
		return 1
	})
	*f = slices.Insert(*f, at, r)
	*f = (*f)[:min(len(*f), report.MaxExamples)]
}

// emit calls dup with the repeats kept, in row order.
func (f firstRepeats) emit(dup func(file int, row int64, key uint64)) {
	for _, r := range f {
		dup(r.file, r.row, r.key)
	}
}

func (r repeat) before(o repeat) bool {
	return r.file < o.file || r.file == o.file && r.row < o.row
}

// clear empties the table and sizes it for n keys, keeping its memory
// when it is large enough.
func (t *table) clear(n int) {
	clear(t.slots)
	clear(t.many)
	t.n, t.zero = 0, slotEmpty
	t.reserve(n)
}
