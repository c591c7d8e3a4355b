package source

import (
	"context"
	"errors"
	"fmt"

	"github.com/driftgate/driftgate/checker/source/objstore"
)

// Facts are what a report records about one input that was read.
type Facts struct {
	Format Format
	// Size and SHA256 describe the bytes the reader consumed: every byte of
	// the input.
	Size   int64
	SHA256 string
	// Object is what the store said of an input read from one, and how
	// many bytes were fetched. A Parquet object is read by ranges and
	// never hashed whole: SHA256 is then empty.
	Object *objstore.Object
}

// ReadFile opens the input name once (a file, "-" for standard input, a
// named pipe, an object in a store) and reads it with use; see ReadInput.
func ReadFile(ctx context.Context, name string, opts Options, use func(Reader) error) (Facts, error) {
	in, err := opts.open(ctx, name)
	if err != nil {
		return Facts{}, err
	}
	return ReadInput(ctx, in, opts, use)
}

// open opens an input through Options.Open, else OpenAny.
func (o Options) open(ctx context.Context, name string) (Input, error) {
	if o.Open != nil {
		return o.Open(ctx, name)
	}
	return OpenAny(ctx, name, o.Remote)
}

// ReadInput opens a reader on in, calls use with it, and returns the size
// and hash of what was read. It is the one way data is read for a report:
// the input is opened once; a stream is hashed from the bytes the reader
// consumes; a Parquet file, which needs random access, is hashed on
// another goroutine as it is read, and that goroutine stops when ReadInput
// returns; an input that changed while it was read is a *ReadError
// wrapping ErrChanged. A panic in use or in the reader becomes a
// *ReadError for the input. ReadInput closes in.
func ReadInput(ctx context.Context, in Input, opts Options, use func(Reader) error) (facts Facts, err error) {
	defer in.Close()
	name := in.Name()
	t := Track(in)
	format, _, ferr := InputFormatAs(t, opts.Format)
	if ferr != nil {
		return Facts{}, &ReadError{Path: name, Err: ferr}
	}
	facts.Format = format

	type sum struct {
		size int64
		sum  string
		err  error
	}
	remote, _ := in.(*remoteInput)
	var background chan sum
	if format == Parquet && remote != nil {
		// Hashing would download the whole object: the store's identity
		// (ETag, version, checksum) stands for the content instead.
		if err := readWith(ctx, t, opts, use); err != nil {
			return facts, err
		}
		facts.Size, facts.Object = in.Size(), remote.object()
		if err := in.Unchanged(); err != nil {
			return facts, &ReadError{Path: name, Err: err}
		}
		return facts, nil
	}
	if format == Parquet && in.ReaderAt() != nil {
		hctx, cancel := context.WithCancel(ctx)
		background = make(chan sum, 1)
		done := make(chan struct{})
		go func() {
			defer close(done)
			var s sum
			s.size, s.sum, s.err = t.Sum(hctx)
			background <- s
		}()
		// However ReadInput returns, the hashing has stopped by then.
		defer func() {
			cancel()
			<-done
		}()
	}

	if err := readWith(ctx, t, opts, use); err != nil {
		return facts, err
	}
	var s sum
	if background != nil {
		s = <-background
	} else {
		s.size, s.sum, s.err = t.Sum(ctx)
	}
	if s.err != nil {
		if ctx.Err() != nil {
			return facts, ctx.Err()
		}
		return facts, &ReadError{Path: name, Err: s.err}
	}
	facts.Size, facts.SHA256 = s.size, s.sum
	if remote != nil {
		facts.Object = remote.object()
	}
	if err := in.Unchanged(); err != nil {
		return facts, &ReadError{Path: name, Err: err}
	}
	return facts, nil
}

// readWith opens the reader and runs use on it, turning a panic into a
// ReadError: a file must never crash the checker.
func readWith(ctx context.Context, t *Tracked, opts Options, use func(Reader) error) (err error) {
	name := t.Name()
	defer func() {
		if p := recover(); p != nil {
			err = &ReadError{Path: name, Err: PanicError(p)}
		}
	}()
	rd, err := OpenInput(ctx, t, opts)
	if err != nil {
		return asReadError(name, err)
	}
	err = use(rd)
	if cerr := rd.Close(); err == nil && cerr != nil {
		err = &ReadError{Path: name, Err: cerr}
	}
	return err
}

// PanicError turns a recovered panic into an error. Arrow's Parquet code
// panics on some malformed input instead of returning errors, and so may a
// check given values it did not expect; either way the input could not be
// read, which is exit 3, not a crash.
func PanicError(p any) error {
	if err, ok := p.(error); ok {
		return fmt.Errorf("corrupt or unsupported data (internal panic: %w)", err)
	}
	return fmt.Errorf("corrupt or unsupported data (internal panic: %v)", p)
}

func asReadError(path string, err error) error {
	var re *ReadError
	if errors.As(err, &re) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &ReadError{Path: path, Err: err}
}
