package profile

import (
	"math/bits"
	"slices"

	"github.com/axiomhq/hyperloglog"
)

// distinctSketch counts a column's distinct values into the HyperLogLog
// sketch a profile file holds (axiomhq/hyperloglog v0.3.0, sparse, of
// HLLPrecision), at a fraction of that library's cost while the sketch is
// sparse.
//
// Why: the library's sparse sketch buffers new encoded hashes in a set it
// empties into its sorted, compressed list every 41 additions; a hash that
// is already in the list is new to the emptied buffer, so a column with a
// few hundred distinct values rebuilt its whole list every 41 rows. That
// was 2.2 of the 13.7 s CPU of check --history on the 5M-row benchmark, and
// 314 MB of the lists it threw away, which, under the memory budget, the
// collector had to keep up with.
//
// distinctSketch replays the library's state machine exactly (the same
// buffer, the same emptying points, the same switch to dense registers
// when the compressed list passes m bytes) on a flat map of the encoded
// hashes seen, and only builds the library's sketch when the profile is
// written (sketch), with the very state the library would have reached: a
// profile file is byte for byte what it was (TestDistinctSketchIsTheLibrarys,
// TestProfileFileIsByteForByteWhatItWas). Once dense, hashes go straight to
// a library sketch of dense registers, which is cheap.
type distinctSketch struct {
	// seen holds every encoded hash added while sparse: whether it is in
	// the buffer or the list, and one hash that encodes to it (so that
	// sketch can add it to the library's sketch). Keys and values are
	// pointer-free: the collector does not scan the map.
	seen map[uint32]seenHash
	// buffer is the library's buffer (its tmpSet), in the order the hashes
	// were added, which is the order its set iterates when written.
	buffer []uint32
	// list is the library's sparse list, sorted; listBytes its compressed
	// length, which decides the switch to dense registers.
	list      []uint32
	listBytes int
	// dense is the sketch once it holds registers; nil while sparse.
	dense *hyperloglog.Sketch
}

type seenHash struct {
	hash             uint64
	inBuffer, inList bool
}

const (
	hllRegisters = 1 << HLLPrecision
	// hllSparsePrecision is the library's sparse precision (its pp).
	hllSparsePrecision = 25
)

func newDistinct() *distinctSketch {
	return &distinctSketch{seen: map[uint32]seenHash{}}
}

// insertHash adds a 64-bit hash, as the library's InsertHash does.
func (d *distinctSketch) insertHash(x uint64) {
	if d.dense != nil {
		d.dense.InsertHash(x)
		return
	}
	e := encodeHash(x)
	s, ok := d.seen[e]
	if s.inBuffer {
		return
	}
	if !ok {
		s.hash = x
	}
	s.inBuffer = true
	d.seen[e] = s
	d.buffer = append(d.buffer, e)
	// The library's maybeToNormal.
	if len(d.buffer)*100 > hllRegisters {
		d.merge()
		if d.listBytes > hllRegisters {
			d.toDense()
		}
	}
}

// merge empties the buffer into the list (the library's mergeSparse).
func (d *distinctSketch) merge() {
	for _, e := range d.buffer {
		s := d.seen[e]
		s.inBuffer = false
		if !s.inList {
			s.inList = true
			d.addToList(e)
		}
		d.seen[e] = s
	}
	d.buffer = d.buffer[:0]
}

// addToList inserts e, not in the list, keeping listBytes the length of
// the list as the library compresses it: the first value, then each
// difference from the one before, as 7-bit groups.
func (d *distinctSketch) addToList(e uint32) {
	i, _ := slices.BinarySearch(d.list, e)
	var prev uint32
	if i > 0 {
		prev = d.list[i-1]
	}
	d.listBytes += varintLen(e - prev)
	if i < len(d.list) {
		next := d.list[i]
		d.listBytes += varintLen(next-e) - varintLen(next-prev)
	}
	d.list = slices.Insert(d.list, i, e)
}

func varintLen(x uint32) int {
	return max(1, (bits.Len32(x)+6)/7)
}

// toDense turns the list into registers (the library's toNormal, after a
// merge has emptied the buffer).
func (d *distinctSketch) toDense() {
	var regs [hllRegisters]uint8
	for _, e := range d.list {
		i, r := decodeHash(e)
		regs[i] = max(regs[i], r)
	}
	d.dense = denseSketch(&regs)
	d.seen, d.buffer, d.list = nil, nil, nil
}

// denseSketch is a library sketch of dense registers holding regs: for
// each register, a hash that lands in it with its value.
func denseSketch(regs *[hllRegisters]uint8) *hyperloglog.Sketch {
	sk, err := hyperloglog.NewSketch(HLLPrecision, false)
	if err != nil {
		return hyperloglog.New() // unreachable: the precision is a valid constant
	}
	const p = HLLPrecision
	for i, r := range regs {
		if r == 0 {
			continue
		}
		// The library reads the register from the top p bits and the
		// value from the leading zeros of the rest, plus one; a value of
		// 64-p+1 is all of the rest zero.
		x := uint64(i) << (64 - p)
		if int(r) <= 64-p {
			x |= 1 << (64 - p - int(r))
		}
		sk.InsertHash(x)
	}
	return sk
}

// sketch is the library's sketch in the state its own InsertHash calls
// would have left it in. While sparse it is rebuilt from the list (added
// in any order, then merged, which never passes m bytes: the list did not)
// and the buffer (added in its order, and too short to be merged).
func (d *distinctSketch) sketch() *hyperloglog.Sketch {
	if d.dense != nil {
		return d.dense
	}
	sk := newHLL()
	for _, e := range d.list {
		sk.InsertHash(d.seen[e].hash)
	}
	sk.Estimate() // merges what it buffered into its list
	for _, e := range d.buffer {
		sk.InsertHash(d.seen[e].hash)
	}
	return sk
}

// encodeHash is the library's sparse encoding of a hash: its top 25 bits
// and, when the bits below the register index are all zero there, the
// run of zeros after them.
func encodeHash(x uint64) uint32 {
	const p, pp = HLLPrecision, hllSparsePrecision
	idx := uint32(x >> (64 - pp))
	if idx&(1<<(pp-p)-1) == 0 {
		zeros := bits.LeadingZeros64((x<<pp)|(1<<pp-1)) + 1
		return idx<<7 | uint32(zeros<<1) | 1
	}
	return idx << 1
}

// decodeHash is the library's: the register and value of an encoded hash.
func decodeHash(k uint32) (uint32, uint8) {
	const p, pp = HLLPrecision, hllSparsePrecision
	if k&1 == 1 {
		return k >> (32 - p), uint8((k>>1)&(1<<6-1)) + pp - p
	}
	return (k >> (pp - p + 1)) & (1<<p - 1), uint8(bits.LeadingZeros64(uint64(k<<(32-pp+p-1))) - 31)
}
