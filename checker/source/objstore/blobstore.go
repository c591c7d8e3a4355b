package objstore

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"
)

// listPageSize is the number of keys asked for per listing request: the
// stores' own maximum (S3, Azure: 1000; GCS: 1000 by default).
const listPageSize = 1000

func (s *blobStore) list(ctx context.Context, prefix string, token []byte) ([]Object, []byte, error) {
	if token == nil {
		token = blob.FirstPageToken
	}
	page, next, err := s.b.ListPage(ctx, token, listPageSize, &blob.ListOptions{Prefix: prefix})
	if err != nil {
		return nil, nil, err
	}
	out := make([]Object, 0, len(page))
	for _, o := range page {
		if o.IsDir {
			continue
		}
		out = append(out, Object{Key: o.Key, Size: o.Size, LastModified: o.ModTime})
	}
	return out, next, nil
}

func (s *blobStore) stat(ctx context.Context, key string) (Object, error) {
	if s.statFn != nil {
		return s.statFn(ctx, key)
	}
	o, _, err := attributes(ctx, s.b, key)
	return o, err
}

func (s *blobStore) read(ctx context.Context, obj Object, offset, length int64) (ReadCloser, error) {
	var opts *blob.ReaderOptions
	if s.pin != nil {
		opts = &blob.ReaderOptions{BeforeRead: s.pin(obj)}
	}
	return s.b.NewRangeReader(ctx, obj.Key, offset, length, opts)
}

func (s *blobStore) classify(err error) error {
	return classifyStatus(s.status(err), gcerrors.Code(err))
}

func (s *blobStore) close() error { return s.b.Close() }

// classifyStatus maps an HTTP status (0 when unknown) and a gocloud error
// code to a sentinel error; nil means the error is not one of them.
func classifyStatus(status int, code gcerrors.ErrorCode) error {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return ErrAccessDenied
	case status == http.StatusNotFound:
		return ErrNotFound
	case status == http.StatusPreconditionFailed:
		return ErrChanged
	case status > 0:
		return nil
	}
	switch code {
	case gcerrors.NotFound:
		return ErrNotFound
	case gcerrors.PermissionDenied:
		return ErrAccessDenied
	case gcerrors.FailedPrecondition:
		return ErrChanged
	}
	return nil
}

// transient says a failed request may succeed when repeated: throttling,
// server errors, timeouts and broken connections.
func transient(status int, code gcerrors.ErrorCode, err error) bool {
	switch status {
	case http.StatusRequestTimeout, http.StatusTooManyRequests,
		http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	if status >= 400 {
		return false
	}
	switch code {
	case gcerrors.ResourceExhausted, gcerrors.Internal, gcerrors.DeadlineExceeded:
		return true
	}
	if errors.Is(err, ErrTruncated) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		// A connection closed before or during the response.
		return true
	}
	// Connection resets, unexpected EOFs in a body and dial failures
	// arrive as plain errors from net/http.
	msg := err.Error()
	for _, s := range []string{"connection reset", "unexpected EOF", "broken pipe", "connection refused", "i/o timeout", "TLS handshake timeout", "SlowDown", "Throttl", "RequestTimeout", "server closed idle connection", "http2: "} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

func unquote(etag string) string {
	etag = strings.TrimPrefix(etag, "W/")
	return strings.Trim(etag, `"`)
}
