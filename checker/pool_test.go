package checker

import (
	"testing"
	"unsafe"
)

func TestPoolAllocatorReusesZeroedAlignedBuffers(t *testing.T) {
	a := newPoolAllocator()
	tests := []int{1, 63, 64, 65, 1000, 64 << 10, 3 << 20}
	for _, size := range tests {
		b := a.Allocate(size)
		if len(b) != size {
			t.Fatalf("Allocate(%d) has length %d", size, len(b))
		}
		if p := uintptr(unsafe.Pointer(&b[0])); p%64 != 0 {
			t.Errorf("Allocate(%d) is not 64-byte aligned", size)
		}
		for i := range b {
			b[i] = 0xff
		}
		a.Free(b)
		// A buffer of the same class comes back zeroed, whether or not
		// it is the one just freed.
		c := a.Allocate(size)
		for i, v := range c {
			if v != 0 {
				t.Fatalf("Allocate(%d) after Free: byte %d is %#x, want 0", size, i, v)
			}
		}
		a.Free(c)
	}
}

func TestPoolAllocatorReallocateKeepsContentsAndZeroesGrowth(t *testing.T) {
	a := newPoolAllocator()
	b := a.Allocate(10)
	copy(b, "0123456789")
	b = a.Reallocate(1000, b)
	if string(b[:10]) != "0123456789" {
		t.Errorf("contents lost: %q", b[:10])
	}
	for i, v := range b[10:] {
		if v != 0 {
			t.Fatalf("grown byte %d is %#x, want 0", 10+i, v)
		}
	}
	b = a.Reallocate(20, b) // shrinking keeps the buffer
	if string(b[:10]) != "0123456789" || len(b) != 20 {
		t.Errorf("shrink: %q len %d", b[:10], len(b))
	}
	a.Free(b)
}
