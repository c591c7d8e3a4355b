package checker

import (
	"math/bits"
	"sync"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow/memory"
)

// poolAllocator is an Arrow allocator that recycles released buffers. A
// check decodes every batch into fresh buffers and releases them a moment
// later: about 1 GB of short-lived allocations for 5 million rows, which
// with Go's allocator the garbage collector must find and sweep. Recycling
// them by power-of-two size class turns that churn into reuse.
//
// Buffers are 64-byte aligned like memory.GoAllocator's and zeroed on
// reuse, since Arrow builders expect fresh memory to be zero.
type poolAllocator struct {
	classes [48]sync.Pool // class k holds buffers of capacity 1<<k
}

const minClass = 6 // 64 bytes

func newPoolAllocator() *poolAllocator { return &poolAllocator{} }

func class(size int) int {
	if size <= 1<<minClass {
		return minClass
	}
	return bits.Len(uint(size - 1))
}

func (a *poolAllocator) Allocate(size int) []byte {
	k := class(size)
	if k >= len(a.classes) {
		return memory.NewGoAllocator().Allocate(size)
	}
	if p, ok := a.classes[k].Get().(*[]byte); ok {
		b := (*p)[:size]
		clear(b)
		return b
	}
	n := 1 << k
	buf := make([]byte, n+64)
	shift := int((64 - uintptr(unsafe.Pointer(&buf[0]))%64) % 64)
	return buf[shift : shift+size : shift+n]
}

func (a *poolAllocator) Reallocate(size int, b []byte) []byte {
	if cap(b) >= size {
		old := len(b)
		b = b[:size]
		if size > old {
			clear(b[old:])
		}
		return b
	}
	nb := a.Allocate(size)
	copy(nb, b)
	a.Free(b)
	return nb
}

func (a *poolAllocator) Free(b []byte) {
	c := cap(b)
	if c < 1<<minClass || c&(c-1) != 0 {
		return // not one of ours (or too small to matter)
	}
	k := bits.Len(uint(c)) - 1
	if k >= len(a.classes) {
		return
	}
	b = b[:c]
	a.classes[k].Put(&b)
}
