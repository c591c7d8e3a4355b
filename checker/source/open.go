package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Open opens one data file or object, its format given by DetectFormat, and
// reads its schema; it does not decode data yet. The reader owns the file
// and closes it. A file that cannot be read is a *ReadError; a bad option
// (an unknown extension, a CSV column type that cannot be parsed from text)
// is a plain error. Callers that record what they read use OpenFile, Track
// and OpenInput instead, to hash the bytes the reader consumes.
func Open(ctx context.Context, path string, opts Options) (Reader, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if _, ok := FormatOf(path, opts); !ok {
		return nil, fmt.Errorf("open %q: unknown data file format (want .parquet, .csv, .tsv, .json, .jsonl, .ndjson, the text formats also .gz)", path)
	}
	in, err := opts.open(ctx, path)
	if err != nil {
		return nil, err
	}
	rd, err := OpenInput(ctx, Track(in), opts)
	if err != nil {
		in.Close()
		return nil, err
	}
	return &owningReader{Reader: rd, in: in}, nil
}

// OpenInput opens a reader on an input and reads its schema. The reader
// does not close the input: the caller closes it after taking its Sum.
// Parquet needs random access; from a stream (standard input, a pipe) it
// is first spooled to a temporary file of at most Options.MaxSpoolBytes.
func OpenInput(ctx context.Context, in *Tracked, opts Options) (Reader, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if opts.Budget != nil {
		budget := opts.Budget
		opts.Budget = nil
		rd, err := OpenInput(ctx, in, opts)
		if err != nil {
			return nil, err
		}
		return &budgetReader{Reader: rd, b: budget}, nil
	}
	opts = withDefaults(opts)
	if opts.Meter != nil {
		in.meterWith(opts.Meter)
	}
	format, gz, err := InputFormatAs(in, opts.Format)
	if err != nil {
		return nil, &ReadError{Path: in.Name(), Err: err}
	}
	switch format {
	case Parquet:
		if ra := in.ReaderAt(); ra != nil {
			return openParquet(in.Name(), ra, in.Size(), opts)
		}
		return openSpooledParquet(ctx, in, opts)
	case JSON:
		src, err := in.Stream()
		if err != nil {
			return nil, &ReadError{Path: in.Name(), Err: err}
		}
		return openJSON(in.Name(), src, gz, opts)
	default:
		src, err := in.Stream()
		if err != nil {
			return nil, &ReadError{Path: in.Name(), Err: err}
		}
		tsv := strings.HasSuffix(strings.TrimSuffix(strings.ToLower(filepath.Base(in.Name())), ".gz"), ".tsv")
		return openCSVStream(in.Name(), src, gz, tsv, opts, fastTuning{})
	}
}

// owningReader is a reader that closes its input.
type owningReader struct {
	Reader
	in Input
}

// Notes passes on the notes of the reader; see Noter.
func (r *owningReader) Notes() []string { return notesOf(r.Reader) }

func notesOf(rd Reader) []string {
	if n, ok := rd.(Noter); ok {
		return n.Notes()
	}
	return nil
}

func (r *owningReader) Close() error {
	return errors.Join(r.Reader.Close(), r.in.Close())
}

// DefaultMaxSpoolBytes bounds the temporary copy of a Parquet stream.
const DefaultMaxSpoolBytes = 4 << 30

// openSpooledParquet copies a Parquet stream to a temporary file, hashing
// it on the way (the one read of the stream), and reads the copy.
func openSpooledParquet(ctx context.Context, in *Tracked, opts Options) (Reader, error) {
	src, err := in.Stream()
	if err != nil {
		return nil, &ReadError{Path: in.Name(), Err: err}
	}
	tmp, err := os.CreateTemp("", "driftgate-spool-*.parquet")
	if err != nil {
		return nil, &ReadError{Path: in.Name(), Err: fmt.Errorf("spool parquet stream: %w", err)}
	}
	cleanup := func() { tmp.Close(); os.Remove(tmp.Name()) }
	limit := opts.MaxSpoolBytes
	n, err := copyCtx(ctx, tmp, io.LimitReader(src, limit+1))
	if err == nil && n > limit {
		err = fmt.Errorf("a Parquet stream needs random access and is copied to a temporary file first; it is larger than the limit of %d bytes (raise it with --max-spool-bytes, or pass a file)", limit)
	}
	if err != nil {
		cleanup()
		return nil, &ReadError{Path: in.Name(), Err: fmt.Errorf("spool parquet stream: %w", err)}
	}
	rd, err := openParquet(in.Name(), tmp, n, opts)
	if err != nil {
		cleanup()
		return nil, err
	}
	return &spooledReader{Reader: rd, cleanup: cleanup}, nil
}

type spooledReader struct {
	Reader
	cleanup func()
}

// Notes passes on the notes of the reader; see Noter.
func (r *spooledReader) Notes() []string { return notesOf(r.Reader) }

func (r *spooledReader) Close() error {
	err := r.Reader.Close()
	r.cleanup()
	return err
}

// withDefaults fills in the zero values of opts.
func withDefaults(opts Options) Options {
	if opts.Mem == nil {
		opts.Mem = memory.DefaultAllocator
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	if opts.CSV.MaxRecordBytes <= 0 {
		opts.CSV.MaxRecordBytes = DefaultMaxRecordBytes
	}
	if opts.CSV.MaxFieldBytes <= 0 {
		opts.CSV.MaxFieldBytes = DefaultMaxFieldBytes
	}
	if opts.MaxSpoolBytes <= 0 {
		opts.MaxSpoolBytes = DefaultMaxSpoolBytes
	}
	return opts
}

// selection resolves the names given to Select against schema. Duplicates
// are an error because a record cannot hold two columns for one name
// without the caller losing track of which is which.
func selection(schema *arrow.Schema, columns []string) ([]int, *arrow.Schema, error) {
	idx := make([]int, len(columns))
	fields := make([]arrow.Field, len(columns))
	seen := make(map[string]bool, len(columns))
	for i, name := range columns {
		if seen[name] {
			return nil, nil, fmt.Errorf("select: column %q listed twice", name)
		}
		seen[name] = true
		found := schema.FieldIndices(name)
		if len(found) == 0 {
			return nil, nil, fmt.Errorf("select: no column %q", name)
		}
		idx[i] = found[0]
		fields[i] = schema.Field(found[0])
	}
	md := schema.Metadata()
	return idx, arrow.NewSchema(fields, &md), nil
}

// FormatOf is the format a local file is read in: the one its extension
// names, else opts.Format (a contract server's declared format).
func FormatOf(path string, opts Options) (Format, bool) {
	if f, ok := DetectFormat(path); ok {
		return f, true
	}
	return opts.Format, opts.Format != ""
}

// selectColumns is every reader's Select: resolve columns against schema,
// and only before the first Next.
func selectColumns(path string, started bool, schema *arrow.Schema, columns []string) ([]int, *arrow.Schema, error) {
	if started {
		return nil, nil, fmt.Errorf("select on %q: reading has started", path)
	}
	sel, sc, err := selection(schema, columns)
	if err != nil {
		return nil, nil, fmt.Errorf("%w in %q", err, path)
	}
	return sel, sc, nil
}

// nextGuard is what every reader's Next checks first: a closed reader, an
// earlier error (which sticks), a cancelled context, the end (io.EOF).
func nextGuard(ctx context.Context, path string, closed bool, err error, done bool) error {
	switch {
	case closed:
		return fmt.Errorf("read %q: reader is closed", path)
	case err != nil:
		return err
	case ctx.Err() != nil:
		return ctx.Err()
	case done:
		return io.EOF
	}
	return nil
}

// allColumns is the selection used when Select is never called.
func allColumns(schema *arrow.Schema) []int {
	idx := make([]int, schema.NumFields())
	for i := range idx {
		idx[i] = i
	}
	return idx
}
