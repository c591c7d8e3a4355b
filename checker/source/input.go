package source

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// Input is one data input, opened once: a local file, standard input, a
// named pipe or, with its own implementation, a remote object. A reader
// takes the bytes either in order from Stream, once, or through ReaderAt
// when the input has random access (Parquet). Tracked hashes the same bytes,
// so a report's size and SHA-256 always describe the data that was checked,
// and a stream is never read twice.
type Input interface {
	// Name is the input as reports and errors name it: the path as given,
	// "-" for standard input, or a URL.
	Name() string
	// Size is the length in bytes, or -1 for a stream, whose length is
	// known only once it has been read.
	Size() int64
	// ReaderAt gives random access, or nil for a stream. It is safe for
	// concurrent use.
	ReaderAt() io.ReaderAt
	// Stream returns the bytes from the first one, in order. It is called
	// at most once.
	Stream() (io.Reader, error)
	// Unchanged reports an error when the input is no longer what was
	// opened: a local file whose size or modification time changed, an
	// object whose version or ETag did. A stream is always unchanged.
	Unchanged() error
	// Close releases the input.
	Close() error
}

// ErrChanged means an input changed while it was read: the rows checked
// and the hash recorded may describe different data.
var ErrChanged = errors.New("changed while it was read")

// Stdin is the name that stands for standard input.
const Stdin = "-"

// OpenFile opens a local input: a regular file (random access), standard
// input for "-", or a named pipe or device (a stream). A directory is an
// error. Opening a named pipe waits for its writer, as reading one must.
func OpenFile(name string) (Input, error) {
	if name == Stdin {
		return &fileInput{name: name, f: os.Stdin, size: -1, noClose: true}, nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, &ReadError{Path: name, Err: unwrapPathError(err)}
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, &ReadError{Path: name, Err: unwrapPathError(err)}
	}
	switch {
	case st.IsDir():
		f.Close()
		return nil, &ReadError{Path: name, Err: errors.New("is a directory")}
	case st.Mode().IsRegular():
		return &fileInput{name: name, f: f, size: st.Size(), mod: st.ModTime(), regular: true}, nil
	}
	return &fileInput{name: name, f: f, size: -1}, nil
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// fileInput is a local file or stream.
type fileInput struct {
	name     string
	f        *os.File
	size     int64
	mod      time.Time
	regular  bool
	noClose  bool
	streamed bool
}

func (in *fileInput) Name() string { return in.name }
func (in *fileInput) Size() int64  { return in.size }

func (in *fileInput) ReaderAt() io.ReaderAt {
	if !in.regular {
		return nil
	}
	return in.f
}

func (in *fileInput) Stream() (io.Reader, error) {
	if in.streamed {
		return nil, fmt.Errorf("%s: stream read twice", in.name)
	}
	in.streamed = true
	if in.regular {
		// Not the file's own offset: a hash or footer read may use ReadAt
		// at the same time.
		return io.NewSectionReader(in.f, 0, in.size), nil
	}
	return in.f, nil
}

// Unchanged compares the file with what Stat said at open, both through
// the open descriptor (a file truncated or appended to in place) and
// through the path (a file replaced by another one).
func (in *fileInput) Unchanged() error {
	if !in.regular {
		return nil
	}
	for _, stat := range []func() (os.FileInfo, error){in.f.Stat, func() (os.FileInfo, error) { return os.Stat(in.name) }} {
		st, err := stat()
		if err != nil {
			return fmt.Errorf("%w: %v", ErrChanged, unwrapPathError(err))
		}
		if st.Size() != in.size {
			return fmt.Errorf("%w: size %d bytes at open, %d after", ErrChanged, in.size, st.Size())
		}
		if !st.ModTime().Equal(in.mod) {
			return fmt.Errorf("%w: modified at %s after being opened", ErrChanged, st.ModTime().UTC().Format(time.RFC3339Nano))
		}
	}
	return nil
}

func (in *fileInput) Close() error {
	if in.noClose {
		return nil
	}
	return in.f.Close()
}

// Tracked is an Input whose content hash is computed from the bytes its
// reader consumes: a stream is hashed as it is read (and what the reader
// left unread is hashed by Sum), an input with random access is hashed by
// Sum reading it in order, which for a local file comes from the page
// cache the reader fills.
type Tracked struct {
	Input

	mu       sync.Mutex
	h        hash.Hash
	n        int64
	stream   *bufio.Reader
	streamed bool
	// meter, when set, is told of every byte the reader consumes.
	meter atomic.Pointer[Meter]
}

// Track starts tracking in.
func Track(in Input) *Tracked {
	return &Tracked{Input: in, h: sha256.New()}
}

// Stream returns the input's bytes in order, hashing them as they are
// read. Unlike Input.Stream it may be called again: every call returns the
// same reader, so a format sniffed from the first bytes costs no second
// read.
func (t *Tracked) Stream() (io.Reader, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stream == nil {
		r, err := t.Input.Stream()
		if err != nil {
			return nil, err
		}
		t.streamed = true
		t.stream = bufio.NewReaderSize(io.TeeReader(r, hashWriter{t}), 64<<10)
	}
	return t.stream, nil
}

// hashWriter feeds the hash from the reader's reads. Sum reads the hash
// of a stream only after the reader is done with it, so no lock is needed.
type hashWriter struct{ t *Tracked }

func (w hashWriter) Write(p []byte) (int, error) {
	w.t.h.Write(p)
	w.t.n += int64(len(p))
	if m := w.t.meter.Load(); m != nil {
		m.read.Add(int64(len(p)))
	}
	return len(p), nil
}

// meterWith makes m count the bytes consumed from now on, and those the
// format sniffing read already.
func (t *Tracked) meterWith(m *Meter) {
	t.mu.Lock()
	defer t.mu.Unlock()
	m.size.Store(t.Input.Size())
	m.read.Store(t.n)
	t.meter.Store(m)
}

// Peek returns up to n first bytes of the stream without consuming them.
func (t *Tracked) Peek(n int) ([]byte, error) {
	r, err := t.Stream()
	if err != nil {
		return nil, err
	}
	b, err := r.(*bufio.Reader).Peek(n)
	if errors.Is(err, io.EOF) || errors.Is(err, bufio.ErrBufferFull) {
		err = nil
	}
	return b, err
}

// Streamed says whether the input has been read as a stream.
func (t *Tracked) Streamed() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.streamed
}

// Sum returns the input's size and SHA-256. For a streamed input it hashes
// what the reader left unread and returns the hash of every byte; otherwise
// it reads the input through ReaderAt (or, for a stream nobody read, the
// stream). It stops when ctx is done.
func (t *Tracked) Sum(ctx context.Context) (size int64, sum string, err error) {
	var r io.Reader
	if ra := t.Input.ReaderAt(); ra != nil && !t.Streamed() {
		h := sha256.New()
		n, err := copyCtx(ctx, h, io.NewSectionReader(ra, 0, t.Input.Size()))
		if err != nil {
			return 0, "", fmt.Errorf("hash: %w", err)
		}
		return n, hex.EncodeToString(h.Sum(nil)), nil
	}
	r, err = t.Stream()
	if err != nil {
		return 0, "", fmt.Errorf("hash: %w", err)
	}
	if _, err := copyCtx(ctx, io.Discard, r); err != nil {
		return 0, "", fmt.Errorf("hash: %w", err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n, hex.EncodeToString(t.h.Sum(nil)), nil
}

// copyCtx is io.Copy that stops between reads once ctx is done.
func copyCtx(ctx context.Context, w io.Writer, r io.Reader) (int64, error) {
	buf := make([]byte, 1<<20)
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		k, err := r.Read(buf)
		if k > 0 {
			w.Write(buf[:k])
			n += int64(k)
		}
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// Magic numbers that name a stream's format when its name does not.
var (
	parquetMagic = []byte("PAR1")
	gzipMagic    = []byte{0x1f, 0x8b}
)

// InputFormat names the format of an input: from its name's extension,
// else, for standard input or a pipe without one, from its first bytes
// (Parquet's magic number, else CSV). gz says the CSV is gzip-compressed.
func InputFormat(t *Tracked) (f Format, gz bool, err error) {
	return InputFormatAs(t, "")
}

// InputFormatAs is InputFormat where the format is declared (a contract
// server's format): an input whose name names no format is read as it.
func InputFormatAs(t *Tracked, declared Format) (f Format, gz bool, err error) {
	if f, ok := detectFormat(t.Name()); ok {
		return f, hasGzipSuffix(t.Name()), nil
	}
	if declared != "" {
		return declared, hasGzipSuffix(t.Name()), nil
	}
	if t.Input.ReaderAt() != nil {
		return "", false, errors.New("unknown file type: want .parquet, .csv, .tsv, .json, .jsonl or .ndjson (the text formats also .gz)")
	}
	head, err := t.Peek(4)
	if err != nil {
		return "", false, err
	}
	switch {
	case bytes.HasPrefix(head, parquetMagic):
		return Parquet, false, nil
	case bytes.HasPrefix(head, gzipMagic):
		return CSV, true, nil
	}
	return CSV, false, nil
}
