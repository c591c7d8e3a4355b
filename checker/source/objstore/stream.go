package objstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
)

// Stream is one object read from start to end, as CSV and JSON readers
// consume it. A connection that breaks is resumed where it stopped (a
// ranged GET of the same version), within the retry budget. Every byte
// passes through SHA-256, so a stream read to the end knows the object's
// content hash without a second download.
type Stream struct {
	c    *Client
	s    store
	obj  Object
	ctx  context.Context
	body ReadCloser
	off  int64
	h    hash.Hash
	err  error
	// resumes counts reconnections after a broken body.
	resumes int
}

// OpenStream opens the object url names for sequential reading and reads
// its identity (one HEAD request); the content is requested on first Read.
func (c *Client) OpenStream(ctx context.Context, url string) (*Stream, error) {
	s, obj, err := c.resolve(ctx, url)
	if err != nil {
		return nil, err
	}
	st := &Stream{c: c, s: s, obj: obj, ctx: ctx, h: sha256.New()}
	c.record(obj, nil, st)
	return st, nil
}

// Object is the identity of the object as read when it was opened.
func (r *Stream) Object() Object { return r.obj }

// Offset is the number of bytes read so far.
func (r *Stream) Offset() int64 { return r.off }

// SHA256 is the hex SHA-256 of the object's content once the stream has
// been read to its end, else "".
func (r *Stream) SHA256() string {
	if r.err != io.EOF {
		return ""
	}
	return hex.EncodeToString(r.h.Sum(nil))
}

// Read implements io.Reader.
func (r *Stream) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	for {
		if r.off >= r.obj.Size {
			if r.body != nil {
				r.body.Close()
				r.body = nil
			}
			r.err = io.EOF
			return 0, io.EOF
		}
		if r.body == nil {
			err := r.c.do(r.ctx, r.s, fmt.Sprintf("read from byte %d", r.off), func(ctx context.Context) error {
				body, err := r.s.read(ctx, r.obj, r.off, r.obj.Size-r.off)
				if err == nil {
					r.body = body
				}
				return err
			})
			if err != nil {
				r.err = err
				return 0, err
			}
		}
		n, err := r.body.Read(p[:min(int64(len(p)), r.obj.Size-r.off)])
		r.off += int64(n)
		r.h.Write(p[:n])
		if err == nil || (n > 0 && errors.Is(err, io.EOF)) {
			if err != nil {
				r.body.Close()
				r.body = nil
			}
			return n, nil
		}
		r.body.Close()
		r.body = nil
		if n > 0 {
			// Hand over what arrived; the next Read resumes.
			return n, nil
		}
		if errors.Is(err, io.EOF) {
			// The body ended before the object did: resume, and give up
			// with ErrTruncated when the store keeps ending early.
			err = fmt.Errorf("%w: body ended at byte %d of %d", ErrTruncated, r.off, r.obj.Size)
		}
		if !transient(statusOf(r.s, err), 0, err) || r.ctx.Err() != nil {
			r.err = &storeError{op: fmt.Sprintf("read from byte %d", r.off), err: err}
			return 0, r.err
		}
		// Resuming goes through do, which bounds the attempts in time.
		r.resumes++
		if r.resumes > maxResumes {
			r.err = &storeError{op: fmt.Sprintf("read from byte %d of %d (gave up after %d resumptions)", r.off, r.obj.Size, maxResumes), kind: ErrTruncated, err: err}
			return 0, r.err
		}
	}
}

// maxResumes bounds how often one stream reconnects after a broken body.
const maxResumes = 8

// Close releases the connection.
func (r *Stream) Close() error {
	if r.body != nil {
		err := r.body.Close()
		r.body = nil
		return err
	}
	return nil
}
