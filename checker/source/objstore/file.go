package objstore

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
)

// Range is a byte range of an object: Length bytes from Offset.
type Range struct{ Offset, Length int64 }

// Tuning of random access. A unit is what one GET fetches; neighbouring
// planned ranges closer than maxGap are fetched together, since one more
// request costs more than a few hundred KiB on any store.
const (
	unitSize    = 8 << 20 // bytes per planned GET at most
	maxGap      = 256 << 10
	tailSize    = 64 << 10 // the first read near the end fetches this much: the Parquet footer
	minFetch    = 64 << 10 // an unplanned read fetches at least this
	readAhead   = 3        // planned units fetched ahead of the one being read
	maxInFlight = 4        // GETs in flight per object
	maxHeld     = 64 << 20 // bytes cached or in flight per object, at most
)

// File is one object opened for random access, as an io.ReaderAt over
// ranged GETs. Reads are served from blocks fetched whole: a planned unit
// when the reader was told which ranges it will read (Plan), else the
// requested bytes rounded up. Planned units are fetched a few ahead of the
// reader, a few at a time, and the blocks held stay under maxHeld bytes,
// least recently used first out. Safe for concurrent use.
type File struct {
	c      *Client
	s      store
	obj    Object
	ctx    context.Context
	cancel context.CancelFunc

	mu     sync.Mutex
	units  []Range // planned, sorted, coalesced
	blocks []*block
	held   int64
	tick   uint64
	closed bool

	sem      chan struct{}
	fetched  atomic.Int64
	requests atomic.Int64
	pos      int64 // for Read and Seek
}

type block struct {
	start, end int64
	data       []byte
	done       chan struct{}
	err        error
	used       uint64
}

// Open opens the object url names for random access and reads its
// identity (one HEAD request).
func (c *Client) Open(ctx context.Context, url string) (*File, error) {
	s, obj, err := c.resolve(ctx, url)
	if err != nil {
		return nil, err
	}
	fctx, cancel := context.WithCancel(ctx)
	f := &File{c: c, s: s, obj: obj, ctx: fctx, cancel: cancel, sem: make(chan struct{}, maxInFlight)}
	c.record(obj, f, nil)
	return f, nil
}

// Object is the identity of the object, as read when it was opened.
func (f *File) Object() Object { return f.obj }

// Size is the object's size in bytes.
func (f *File) Size() int64 { return f.obj.Size }

// Fetched is the number of bytes received from the store so far.
func (f *File) Fetched() int64 { return f.fetched.Load() }

// Requests is the number of GET requests made so far (retries included).
func (f *File) Requests() int64 { return f.requests.Load() }

// Plan tells the file which ranges will be read, so that it can fetch them
// in few, large, coalesced requests ahead of the reader. Reads outside the
// plan still work, fetched as they come.
func (f *File) Plan(ranges []Range) {
	rs := slices.Clone(ranges)
	rs = slices.DeleteFunc(rs, func(r Range) bool { return r.Length <= 0 || r.Offset < 0 || r.Offset >= f.obj.Size })
	slices.SortFunc(rs, func(a, b Range) int { return int(min(max(a.Offset-b.Offset, -1), 1)) })
	var merged []Range
	for _, r := range rs {
		end := min(r.Offset+r.Length, f.obj.Size)
		if n := len(merged); n > 0 {
			last := &merged[n-1]
			if r.Offset <= last.Offset+last.Length+maxGap {
				last.Length = max(last.Length, end-last.Offset)
				continue
			}
		}
		merged = append(merged, Range{r.Offset, end - r.Offset})
	}
	var units []Range
	for _, r := range merged {
		// Equal units rather than full ones and a stub.
		n := (r.Length + unitSize - 1) / unitSize
		size := (r.Length + n - 1) / n
		for off := r.Offset; off < r.Offset+r.Length; off += size {
			units = append(units, Range{off, min(size, r.Offset+r.Length-off)})
		}
	}
	f.mu.Lock()
	f.units = units
	f.mu.Unlock()
}

// ReadAt implements io.ReaderAt.
func (f *File) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	n := 0
	for n < len(p) {
		if off >= f.obj.Size {
			return n, io.EOF
		}
		b, err := f.blockFor(off, int64(len(p)-n))
		if err != nil {
			return n, err
		}
		select {
		case <-b.done:
		case <-f.ctx.Done():
			return n, f.ctx.Err()
		}
		if b.err != nil {
			return n, b.err
		}
		k := copy(p[n:], b.data[off-b.start:])
		n += k
		off += int64(k)
	}
	return n, nil
}

// Read and Seek make File an io.ReadSeeker, which Parquet's file reader
// asks for (it seeks to the end to learn the size).
func (f *File) Read(p []byte) (int, error) {
	n, err := f.ReadAt(p, f.pos)
	f.pos += int64(n)
	if err == io.EOF && n > 0 {
		err = nil
	}
	return n, err
}

// Seek implements io.Seeker.
func (f *File) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += f.pos
	case io.SeekEnd:
		offset += f.obj.Size
	default:
		return 0, errors.New("bad whence")
	}
	if offset < 0 {
		return 0, errors.New("negative position")
	}
	f.pos = offset
	return offset, nil
}

// Close stops fetches in flight and drops the cache.
func (f *File) Close() error {
	f.cancel()
	f.mu.Lock()
	f.closed = true
	f.blocks = nil
	f.held = 0
	f.mu.Unlock()
	return nil
}

// blockFor returns the block holding off, starting its fetch (and the
// planned units after it) when it is not held yet.
func (f *File) blockFor(off, want int64) (*block, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil, errors.New("read after close")
	}
	f.tick++
	for _, b := range f.blocks {
		if b.start <= off && off < b.end {
			b.used = f.tick
			return b, nil
		}
	}
	var b *block
	i := sort.Search(len(f.units), func(i int) bool { return f.units[i].Offset+f.units[i].Length > off })
	if i < len(f.units) && f.units[i].Offset <= off {
		b = f.start(f.units[i])
		for j := i + 1; j < len(f.units) && j <= i+readAhead; j++ {
			u := f.units[j]
			if f.held+u.Length > maxHeld {
				break
			}
			if !f.holds(u.Offset) {
				f.start(u)
			}
		}
	} else {
		start, end := off, min(off+max(want, minFetch), f.obj.Size)
		if off >= f.obj.Size-tailSize {
			start, end = max(0, f.obj.Size-tailSize), f.obj.Size
		}
		// Never fetch into a planned unit: it comes whole when needed.
		if i < len(f.units) && f.units[i].Offset < end && f.units[i].Offset > off {
			end = f.units[i].Offset
		}
		start = min(start, off)
		b = f.start(Range{start, end - start})
	}
	b.used = f.tick
	f.evict(b)
	return b, nil
}

func (f *File) holds(off int64) bool {
	for _, b := range f.blocks {
		if b.start <= off && off < b.end {
			return true
		}
	}
	return false
}

// start begins fetching r on its own goroutine. f.mu is held.
func (f *File) start(r Range) *block {
	b := &block{start: r.Offset, end: r.Offset + r.Length, done: make(chan struct{}), used: f.tick}
	f.blocks = append(f.blocks, b)
	f.held += r.Length
	go f.fetch(b)
	return b
}

// evict drops the least recently used finished blocks, other than keep,
// while more than maxHeld bytes are held. f.mu is held.
func (f *File) evict(keep *block) {
	for f.held > maxHeld {
		victim := -1
		for i, b := range f.blocks {
			if b == keep || !isDone(b) {
				continue
			}
			if victim < 0 || b.used < f.blocks[victim].used {
				victim = i
			}
		}
		if victim < 0 {
			return
		}
		f.held -= f.blocks[victim].end - f.blocks[victim].start
		f.blocks = slices.Delete(f.blocks, victim, victim+1)
	}
}

func isDone(b *block) bool {
	select {
	case <-b.done:
		return true
	default:
		return false
	}
}

func (f *File) fetch(b *block) {
	defer close(b.done)
	select {
	case f.sem <- struct{}{}:
		defer func() { <-f.sem }()
	case <-f.ctx.Done():
		b.err = f.ctx.Err()
		return
	}
	want := b.end - b.start
	buf := make([]byte, want)
	op := fmt.Sprintf("read bytes %d-%d", b.start, b.end-1)
	b.err = f.c.do(f.ctx, f.s, op, func(ctx context.Context) error {
		f.requests.Add(1)
		body, err := f.s.read(ctx, f.obj, b.start, want)
		if err != nil {
			return err
		}
		defer body.Close()
		n, err := io.ReadFull(body, buf)
		f.fetched.Add(int64(n))
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return fmt.Errorf("%w: got %d of %d bytes", ErrTruncated, n, want)
		}
		return err
	})
	if b.err == nil {
		b.data = buf
	} else {
		f.mu.Lock()
		// A failed block is not kept: the next read tries again.
		if i := slices.Index(f.blocks, b); i >= 0 {
			f.held -= want
			f.blocks = slices.Delete(f.blocks, i, i+1)
		}
		f.mu.Unlock()
	}
}

// Stream returns a stream over the same object version, from its start:
// for a reader that wants the bytes in order after all (CSV, JSON).
func (f *File) Stream() *Stream {
	st := &Stream{c: f.c, s: f.s, obj: f.obj, ctx: f.ctx, h: sha256.New()}
	f.c.record(f.obj, nil, st)
	return st
}
