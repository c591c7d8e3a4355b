package source

import (
	"encoding/binary"
	"math/rand/v2"
	"slices"
	"testing"
)

// hybridReference decodes the RLE / bit-packed hybrid encoding one bit at
// a time, as the format's specification words it, for n values; false
// where the data ends first.
func hybridReference(data []byte, width, n int) ([]int32, bool) {
	var out []int32
	for len(out) < n {
		hdr, k := binary.Uvarint(data)
		if k <= 0 {
			return out, false
		}
		data = data[k:]
		if hdr&1 == 0 {
			size := (width + 7) / 8
			if len(data) < size {
				return out, false
			}
			var v uint32
			for i := 0; i < size; i++ {
				v |= uint32(data[i]) << (8 * i)
			}
			data = data[size:]
			for c := uint64(0); c < hdr>>1 && len(out) < n; c++ {
				out = append(out, int32(v))
			}
			continue
		}
		bits := 0
		groups := hdr >> 1
		for c := uint64(0); c < groups*8 && len(out) < n; c++ {
			var v uint32
			for b := 0; b < width; b++ {
				if bits/8 >= len(data) {
					return out, false
				}
				if data[bits/8]>>(bits%8)&1 == 1 {
					v |= 1 << b
				}
				bits++
			}
			out = append(out, int32(v))
		}
		if width > 0 {
			data = data[min(len(data), int(min(groups, uint64(len(data))))*width):]
		}
	}
	return out, true
}

// hybridRuns encodes vals as runs alternating between RLE and bit-packed.
func hybridRuns(rng *rand.Rand, vals []uint32, width int) []byte {
	var out []byte
	for len(vals) > 0 {
		if rng.IntN(2) == 0 {
			n := 1 + rng.IntN(min(len(vals), 20))
			out = binary.AppendUvarint(out, uint64(n)<<1)
			for i := 0; i < (width+7)/8; i++ {
				out = append(out, byte(vals[0]>>(8*i)))
			}
			for i := range n {
				vals[i] = vals[0]
			}
			vals = vals[n:]
			continue
		}
		groups := 1 + rng.IntN(3)
		out = binary.AppendUvarint(out, uint64(groups)<<1|1)
		packed := make([]byte, groups*width)
		for i := 0; i < groups*8 && i < len(vals); i++ {
			for b := 0; b < width; b++ {
				if vals[i]>>b&1 == 1 {
					bit := i*width + b
					packed[bit/8] |= 1 << (bit % 8)
				}
			}
		}
		out = append(out, packed...)
		vals = vals[min(len(vals), groups*8):]
	}
	return out
}

// TestHybridMatchesTheReference decodes runs of every bit width, read in
// pieces of every size, and wants the values encoded.
func TestHybridMatchesTheReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for width := 0; width <= 32; width++ {
		for trial := range 20 {
			n := 1 + rng.IntN(300)
			vals := make([]uint32, n)
			for i := range vals {
				vals[i] = uint32(rng.Uint64() & (1<<width - 1))
			}
			data := hybridRuns(rng, vals, width) // vals now holds what the runs say
			want, ok := hybridReference(data, width, n)
			if !ok || len(want) != n {
				t.Fatalf("width %d trial %d: the reference decoded %d of %d values", width, trial, len(want), n)
			}
			for i := range want {
				if uint32(want[i]) != vals[i] {
					t.Fatalf("width %d trial %d: the reference says %d at %d, encoded %d", width, trial, want[i], i, vals[i])
				}
			}
			var h hybrid
			if err := h.init(data, width); err != nil {
				t.Fatal(err)
			}
			var got []int32
			for len(got) < n {
				piece := make([]int32, min(n-len(got), 1+rng.IntN(17)))
				if err := h.read(piece); err != nil {
					t.Fatalf("width %d trial %d: %v after %d values", width, trial, err, len(got))
				}
				got = append(got, piece...)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("width %d trial %d: decoded\n%v\nwant\n%v", width, trial, got, want)
			}
		}
	}
}

// FuzzHybrid decodes any bytes at any width: the values the reference
// decodes, or an error where the reference runs out of data.
func FuzzHybrid(f *testing.F) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, width := range []int{0, 1, 3, 8, 17, 32} {
		vals := make([]uint32, 40)
		for i := range vals {
			vals[i] = uint32(rng.Uint64() & (1<<width - 1))
		}
		f.Add(hybridRuns(rng, vals, width), uint8(width), uint16(40))
	}
	f.Fuzz(func(t *testing.T, data []byte, width uint8, n uint16) {
		var h hybrid
		if err := h.init(data, int(width)); err != nil {
			if width <= 32 {
				t.Fatalf("width %d: %v", width, err)
			}
			return
		}
		want, ok := hybridReference(data, int(width), int(n))
		got := make([]int32, n)
		err := h.read(got)
		switch {
		case ok && err != nil:
			t.Fatalf("width %d, %d values: %v, the reference decodes them", width, n, err)
		case !ok && err == nil:
			t.Fatalf("width %d, %d values: decoded, the reference runs out after %d", width, n, len(want))
		case ok && !slices.Equal(got, want):
			t.Fatalf("width %d: decoded %v, want %v", width, got, want)
		}
	})
}
