package source

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// hybrid decodes Parquet's RLE / bit-packed hybrid encoding, which holds
// definition levels and dictionary indices: a sequence of runs, each a
// ULEB128 header whose low bit says whether a value repeated (header>>1)
// times follows, in the fewest whole bytes of the bit width, or
// (header>>1) groups of eight values bit-packed, least significant bit
// first.
type hybrid struct {
	data  []byte // the runs not yet started
	width uint   // bits per value, 0 to 32
	mask  uint64

	run    int  // values left in the current run
	rle    bool // the current run repeats value
	value  int32
	packed []byte // the current bit-packed run
	bit    uint   // the next value's bit offset in packed
}

// errHybridShort is run data that ends before the values its page
// promises.
var errHybridShort = errors.New("RLE/bit-packed data ends early")

func (h *hybrid) init(data []byte, width int) error {
	if width < 0 || width > 32 {
		return fmt.Errorf("RLE/bit-packed bit width %d, want 0 to 32", width)
	}
	*h = hybrid{data: data, width: uint(width), mask: 1<<uint(width) - 1}
	return nil
}

// read fills out with the next len(out) values.
func (h *hybrid) read(out []int32) error {
	for len(out) > 0 {
		if h.run == 0 {
			if err := h.header(); err != nil {
				return err
			}
			continue
		}
		k := min(h.run, len(out))
		if h.rle {
			v := h.value
			for i := range out[:k] {
				out[i] = v
			}
		} else {
			h.unpack(out[:k])
		}
		h.run -= k
		out = out[k:]
	}
	return nil
}

// header starts the next run.
func (h *hybrid) header() error {
	hdr, n := binary.Uvarint(h.data)
	if n <= 0 {
		return errHybridShort
	}
	h.data = h.data[n:]
	count := hdr >> 1
	if hdr&1 == 0 {
		size := int(h.width+7) / 8
		if len(h.data) < size {
			return errHybridShort
		}
		var v uint64
		for i := range size {
			v |= uint64(h.data[i]) << (8 * i)
		}
		h.data = h.data[size:]
		h.rle, h.value = true, int32(uint32(v))
		h.run = int(min(count, 1<<40)) // a page never holds more; no overflow
		return nil
	}
	// Writers may end the last run's final group early: read what the
	// bytes hold, and let the page's count say whether that is enough.
	var bytes uint64
	values := min(count, 1<<40) * 8 // a page never holds more; no overflow
	if h.width > 0 {
		bytes = uint64(len(h.data))
		if count < bytes {
			bytes = min(bytes, count*uint64(h.width))
		}
		values = min(values, bytes*8/uint64(h.width))
	}
	h.packed, h.data = h.data[:bytes], h.data[bytes:]
	h.rle, h.bit = false, 0
	h.run = int(values)
	return nil
}

// unpack reads len(out) values of the current bit-packed run.
func (h *hybrid) unpack(out []int32) {
	p, bit, w, mask := h.packed, h.bit, h.width, h.mask
	for i := range out {
		at := bit >> 3
		var word uint64
		if int(at)+8 <= len(p) {
			word = binary.LittleEndian.Uint64(p[at:])
		} else {
			for k := 0; int(at)+k < len(p); k++ {
				word |= uint64(p[int(at)+k]) << (8 * k)
			}
		}
		out[i] = int32(uint32(word >> (bit & 7) & mask))
		bit += w
	}
	h.bit = bit
}
