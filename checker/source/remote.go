package source

import (
	"context"
	"fmt"
	"io"

	"github.com/driftgate/driftgate/checker/source/objstore"
)

// IsRemote reports whether a data argument names an object in a store
// (s3://, gs://, az://, abfss://, https://) rather than a local file.
func IsRemote(path string) bool { return objstore.IsRemote(path) }

// OpenAny opens an input by name: an object in a store through remote (nil:
// a client of its own, which then cannot tell the report what it read), else
// a local file, standard input or a pipe (OpenFile).
func OpenAny(ctx context.Context, name string, remote *objstore.Client) (Input, error) {
	if !IsRemote(name) {
		return OpenFile(name)
	}
	if remote == nil {
		remote = objstore.New(objstore.Config{})
	}
	f, err := remote.Open(ctx, name)
	if err != nil {
		return nil, &ReadError{Path: name, Err: err}
	}
	return &remoteInput{ctx: ctx, name: name, c: remote, f: f}, nil
}

// remoteInput is an object in a store. Its ReaderAt fetches byte ranges
// (the Parquet reader plans them, see planRanges); its Stream reads the
// same object version from the start. One HEAD request at open names the
// version; Unchanged asks again.
type remoteInput struct {
	ctx    context.Context
	name   string
	c      *objstore.Client
	f      *objstore.File
	stream *objstore.Stream
}

func (in *remoteInput) Name() string          { return in.name }
func (in *remoteInput) Size() int64           { return in.f.Size() }
func (in *remoteInput) ReaderAt() io.ReaderAt { return in.f }

func (in *remoteInput) Stream() (io.Reader, error) {
	if in.stream != nil {
		return nil, fmt.Errorf("%s: stream read twice", in.name)
	}
	in.stream = in.f.Stream()
	return in.stream, nil
}

// Unchanged compares the object's identity now with the one at open.
func (in *remoteInput) Unchanged() error {
	now, err := in.c.Stat(in.ctx, in.name)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrChanged, err)
	}
	was := in.f.Object()
	if now.Size != was.Size || now.ETag != was.ETag || now.VersionID != was.VersionID {
		return fmt.Errorf("%w: ETag %q version %q size %d at open, ETag %q version %q size %d after", ErrChanged,
			was.ETag, was.VersionID, was.Size, now.ETag, now.VersionID, now.Size)
	}
	return nil
}

func (in *remoteInput) Close() error {
	if in.stream != nil {
		in.stream.Close()
	}
	return in.f.Close()
}

// object is what the store said of the input and how much of it was read.
func (in *remoteInput) object() *objstore.Object {
	obj, ok := in.c.Seen(in.name)
	if !ok {
		obj = in.f.Object()
	}
	return &obj
}

// planner is random access that fetches better when told which ranges
// will be read (objstore.File).
type planner interface {
	Plan([]objstore.Range)
}

// planRanges tells ranged random access which byte ranges the selected
// columns occupy in every row group, so that they arrive in few coalesced
// requests and no other column's bytes are fetched.
func (r *parquetReader) planRanges() {
	p, ok := r.ra.(planner)
	if !ok {
		return
	}
	md := r.pf.MetaData()
	var ranges []objstore.Range
	for i, fi := range r.sel {
		for _, leaf := range leaves(&r.fr.Manifest.Fields[fi], nil) {
			for rg := 0; rg < md.NumRowGroups(); rg++ {
				if r.skipped(i, rg) {
					continue // never decoded, so never fetched
				}
				cc, err := md.RowGroup(rg).ColumnChunk(leaf)
				if err != nil {
					continue
				}
				start := cc.DataPageOffset()
				if cc.HasDictionaryPage() && cc.DictionaryPageOffset() > 0 && start > cc.DictionaryPageOffset() {
					start = cc.DictionaryPageOffset()
				}
				// Old parquet-mr left the dictionary page header out of
				// the size; arrow-go pads by up to 100 bytes for it.
				ranges = append(ranges, objstore.Range{Offset: start, Length: cc.TotalCompressedSize() + 100})
			}
		}
	}
	p.Plan(ranges)
}

// ExpandRemote resolves a remote location (an object, a prefix, a glob)
// into the data objects it names, sorted by key; see
// objstore.Client.Expand. A location that yields nothing is a *ReadError.
func ExpandRemote(ctx context.Context, c *objstore.Client, location string) ([]string, error) {
	if c == nil {
		c = objstore.New(objstore.Config{})
	}
	objs, err := c.Expand(ctx, location, func(key string) bool {
		_, ok := DetectFormat(key)
		return ok
	})
	if err != nil {
		return nil, &ReadError{Path: location, Err: err}
	}
	out := make([]string, len(objs))
	for i, o := range objs {
		out[i] = o.URL
	}
	return out, nil
}
