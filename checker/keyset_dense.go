package checker

import (
	"maps"
	"math/bits"
	"slices"
)

// dense is a key set's dense mode, for integer keys that are the column's
// values themselves: ids 1..n, dates, small codes. It keeps two bits per
// value of the range the keys cover — seen, and seen again — in pages of
// 2¹⁶ consecutive values found through a directory, so that a key costs a
// shift, a load and a bit test instead of a mix, a scatter and a probe,
// and 5 million sequential ids take 1.2 MiB instead of 80 MiB of tables.
//
// The directory spans at most densePages pages; a page beyond its reach
// (the outliers of an id column: 0, -1, 9999999999, int64's maximum) is
// one of at most farPages far pages, found through a map that only keys
// outside the directory consult.
//
// A key lives in exactly one place: while the set is dense every key is in
// its pages and the tables are empty. The moment the keys stop being dense
// (a new page would make the pages cost more than denseRatio bits per
// key, beyond a slack, or there would be more far pages than farPages
// even with the directory moved to where most pages are) the whole set is
// demoted to the tables, and it never goes back: random 64-bit ids demote
// after farPages keys, having cost a megabyte, while dense ids with a
// few outliers stay dense.
type dense struct {
	dir   []*page // dir[i] holds the keys of page base+i, or is nil
	base  int64   // the page number of dir[0]
	far   map[int64]*page
	pages int // pages allocated, in the directory and far
	// pushed counts the occurrences inserted, so that a demotion can tell
	// how many of the rows a footer announced are still to come.
	pushed int64
}

// A page holds the states of 2¹⁶ consecutive keys: for each word of 64
// keys, the bits of the keys seen and of those seen more than once, side
// by side so that a repeat's test and update touch one cache line.
type page [pageWords][2]uint64

const (
	pageBits  = 16
	pageSpan  = 1 << pageBits
	pageWords = pageSpan / 64
	pageBytes = pageWords * 16 // 16 KiB: two bits per key of the span
	// densePages bounds the directory: 64Ki pages span 2³² keys, and the
	// directory itself stays within 512 KiB.
	densePages = 1 << 16
	// denseRatio is the fewest keys per bit of pages the set stays dense
	// at: a key then costs at most 2 bytes, against 11 to 22 in a table.
	denseRatio = 8
	// denseSlack is the pages allowed beyond the ratio: 4 MiB, so that
	// shuffled ids — whose first batch touches every page of their range
	// with a few keys each — stay dense up to 16M of them, and random keys
	// cost at most that before demoting.
	denseSlack = 256
	// denseExpectCap bounds the keys a footer's row count may stand for in
	// the ratio, so that a footer claiming 2⁶² rows cannot keep a sparse
	// set dense without a memory budget: 64M keys allow 128 MiB of pages.
	denseExpectCap = 64 << 20
	// farPages bounds the pages outside the directory.
	farPages = 64
)

// pageOf splits a key into its page number and its index in the page. The
// page number is the key's top 48 bits read as a signed number, so that the
// keys of an integer range crossing zero (-5..5) fall in adjacent pages.
func pageOf(k uint64) (pn int64, i uint64) {
	return int64(k) >> pageBits, k & (pageSpan - 1)
}

// keyOf is the key at index i of page pn.
func keyOf(pn int64, i uint64) uint64 { return uint64(pn)<<pageBits | i }

// flushDense inserts the batch's keys in push order while the set stays
// dense, appending to dupOffs the offsets of the occurrences of keys seen
// before when dup is wanted. It returns how many keys it inserted: fewer
// than len(s.ints) when a key would break the density, and the set must
// be demoted before the rest go in.
func (s *keySet) flushDense(wantDups bool, dupOffs []int) (int, []int) {
	d := s.dense
	n, dupRows, dupKeys := s.n, s.dupRows, s.dupKeys
	done := len(s.ints)
	for i, pk := range s.ints {
		pn, idx := pageOf(pk.h)
		j := uint64(pn - d.base)
		var pg *page
		if j < uint64(len(d.dir)) {
			pg = d.dir[j]
		} else if d.far != nil {
			pg = d.far[pn]
		}
		if pg == nil {
			s.n = n // the density rule counts the keys so far
			if pg = s.newPage(pn); pg == nil {
				done = i
				break
			}
		}
		w := &pg[idx/64]
		bit := uint64(1) << (idx % 64)
		if w[0]&bit == 0 {
			w[0] |= bit
			n++
			continue
		}
		if w[1]&bit == 0 {
			w[1] |= bit
			dupRows += 2
			dupKeys++
		} else {
			dupRows++
		}
		if wantDups {
			dupOffs = append(dupOffs, int(pk.off))
		}
	}
	s.n, s.dupRows, s.dupKeys = n, dupRows, dupKeys
	d.pushed += int64(done)
	return done, dupOffs
}

// newPage allocates page pn, in the directory when it can reach it, else
// as a far page, or returns nil when the set would no longer be dense.
func (s *keySet) newPage(pn int64) *page {
	d := s.dense
	if !s.densityAllows(d.pages + 1) {
		return nil
	}
	pg := new(page)
	if len(d.dir) == 0 {
		d.dir, d.base = make([]*page, 1, 8), pn
	}
	if !d.reach(pn) {
		if len(d.far) >= farPages && !d.reanchor(pn) {
			return nil
		}
		if !d.reach(pn) {
			if d.far == nil {
				d.far = map[int64]*page{}
			}
			d.far[pn] = pg
			d.pages++
			return pg
		}
	}
	d.dir[pn-d.base] = pg
	d.pages++
	return pg
}

// reach grows the directory to take page pn when it can stay within
// densePages pages, and says whether it has.
func (d *dense) reach(pn int64) bool {
	lo, hi := d.base, d.base+int64(len(d.dir))
	switch {
	case pn < lo:
		if hi-pn > densePages {
			return false
		}
		// Grow to the left by at least the directory's length, so that
		// keys walking downwards copy it a logarithmic number of times.
		newLo := max(min(pn, lo-int64(len(d.dir))), hi-densePages)
		dir := make([]*page, hi-newLo)
		copy(dir[lo-newLo:], d.dir)
		d.dir, d.base = dir, newLo
	case pn >= hi:
		if pn+1-lo > densePages {
			return false
		}
		d.dir = append(d.dir, make([]*page, pn+1-hi)...)
	}
	return true
}

// reanchor moves the directory to the densePages-wide window holding the
// most pages, counting a page pn to come, when the far pages are full and
// that leaves at most half of farPages outside it (so that a set does not
// move its directory at every new key); the other pages become far ones.
// It reports whether it moved the directory.
func (d *dense) reanchor(pn int64) bool {
	all := []int64{pn}
	for j, pg := range d.dir {
		if pg != nil {
			all = append(all, d.base+int64(j))
		}
	}
	for p := range d.far {
		all = append(all, p)
	}
	slices.Sort(all)
	best, bestLo := 0, 0
	for lo, hi := 0, 0; hi < len(all); hi++ {
		for all[hi]-all[lo] >= densePages {
			lo++
		}
		if hi-lo+1 > best {
			best, bestLo = hi-lo+1, lo
		}
	}
	if len(all)-best > farPages/2 {
		return false
	}
	pages := make(map[int64]*page, len(all))
	for j, pg := range d.dir {
		if pg != nil {
			pages[d.base+int64(j)] = pg
		}
	}
	maps.Copy(pages, d.far)
	d.base = all[bestLo]
	d.dir = make([]*page, all[bestLo+best-1]-d.base+1)
	d.far = nil
	for p, pg := range pages {
		if d.reach(p) {
			d.dir[p-d.base] = pg
			continue
		}
		if d.far == nil {
			d.far = map[int64]*page{}
		}
		d.far[p] = pg
	}
	return true
}

// densityAllows says whether the set stays dense with pages pages: whether
// they cost at most 1/denseRatio of a page bit per key (counting the rows
// a footer announced as keys to come, since a unique column's rows are
// meant to be distinct keys), beyond denseSlack pages, and fit the budget.
func (s *keySet) densityAllows(pages int) bool {
	keys := max(int64(s.n), min(s.expected, denseExpectCap))
	if int64(pages-denseSlack)*pageSpan > denseRatio*keys {
		return false
	}
	return s.budget <= 0 || int64(pages)*pageBytes+int64(len(s.dense.dir))*8 <= s.budget
}

// each calls f with every key of the dense set and its state, in key
// order within a page.
func (d *dense) each(f func(k uint64, st uint8) error) error {
	for j, pg := range d.dir {
		if pg == nil {
			continue
		}
		if err := pg.each(d.base+int64(j), f); err != nil {
			return err
		}
	}
	for pn, pg := range d.far {
		if err := pg.each(pn, f); err != nil {
			return err
		}
	}
	return nil
}

// each calls f with every key of page pn and its state.
func (pg *page) each(pn int64, f func(k uint64, st uint8) error) error {
	for wi := range pg {
		seen, many := pg[wi][0], pg[wi][1]
		for seen != 0 {
			b := uint64(bits.TrailingZeros64(seen))
			seen &= seen - 1
			st := slotOnce
			if many&(1<<b) != 0 {
				st = slotMany
			}
			if err := f(keyOf(pn, uint64(wi)*64+b), st); err != nil {
				return err
			}
		}
	}
	return nil
}

func (d *dense) bytes() int64 { return int64(d.pages)*pageBytes + int64(len(d.dir))*8 }

// demote moves a dense set's keys, with their states, out of its pages:
// into a deferred set when the caller allows it, else into the tables, or
// straight into a spill when the keys it holds and the rows still
// announced would not fit the budget either way. Keys pushed but not yet
// inserted go after them, for flush to insert or spill. The set is never
// dense again.
func (s *keySet) demote() error {
	d := s.dense
	rest := s.ints
	s.mode, s.ints, s.dense = modeHashed, nil, nil
	remaining := max(0, s.expected-d.pushed)
	s.expected = 0
	keys := int64(s.n) + remaining
	// Hashes buffered in this batch (a column whose type changed) are
	// counted in the tables, with the batch's values in row order.
	hashes := s.pushedHashes()
	if s.canDefer() && !hashes {
		if s.budget <= 0 || keys*deferredBytes <= s.budget {
			s.toDeferred(d, rest, remaining)
			return nil
		}
	} else if per, fits := s.fits(keys); fits {
		for p := range s.parts {
			s.parts[p].reserve(int(per))
		}
		_ = d.each(func(k uint64, st uint8) error {
			h := mix(k)
			s.parts[partOf(h)].put(h, st)
			return nil
		})
		for _, pk := range rest {
			s.push(pk.h, int(pk.off))
		}
		if hashes {
			s.sortPending()
		}
		return nil
	}
	s.dense, s.ints = d, rest // startSpill spills them
	if err := s.startSpill(); err != nil {
		return err
	}
	if hashes {
		s.sortPending()
	}
	return nil
}
