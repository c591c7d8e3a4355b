package objstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// httpStore reads single objects from an HTTPS server with HEAD and ranged
// GETs. There is no listing: a URL names one object.
type httpStore struct {
	loc    Location
	client *http.Client
}

// statusError is an HTTP response that was not a success.
type statusError struct {
	code   int
	status string
}

func (e *statusError) Error() string { return "HTTP " + e.status }

func (c *Client) openHTTP(loc Location) store {
	hc := c.cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			MaxIdleConnsPerHost:   16,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   10 * time.Second,
			ResponseHeaderTimeout: 60 * time.Second,
			// Content is read by byte ranges, so the transport must not
			// ask for gzip: offsets would shift.
			DisableCompression: true,
		}}
	}
	return &httpStore{loc: loc, client: hc}
}

func (s *httpStore) url(key string) string { return s.loc.URL(key) }

func (s *httpStore) list(context.Context, string, []byte) ([]Object, []byte, error) {
	return nil, nil, errors.New("an https location names one object; it cannot be listed")
}

func (s *httpStore) stat(ctx context.Context, key string) (Object, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, s.url(key), nil)
	if err != nil {
		return Object{}, err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return Object{}, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Object{}, &statusError{code: resp.StatusCode, status: resp.Status}
	}
	o := Object{Key: key, Size: resp.ContentLength, ETag: unquote(resp.Header.Get("ETag"))}
	if n, err := strconv.ParseInt(resp.Header.Get("Content-Length"), 10, 64); o.Size < 0 && err == nil {
		o.Size = n
	}
	if o.Size < 0 {
		return Object{}, errors.New("server states no Content-Length")
	}
	if t, err := http.ParseTime(resp.Header.Get("Last-Modified")); err == nil {
		o.LastModified = t
	}
	// GCS and S3 behind HTTPS name their checksums in headers.
	if v := resp.Header.Get("x-amz-checksum-sha256"); v != "" {
		o.Checksum = &Checksum{Algorithm: "sha256", Value: v}
	} else if v := resp.Header.Get("x-amz-checksum-crc32c"); v != "" {
		o.Checksum = &Checksum{Algorithm: "crc32c", Value: v}
	} else if v := resp.Header.Get("Content-MD5"); v != "" {
		o.Checksum = &Checksum{Algorithm: "md5", Value: v}
	} else {
		for _, h := range resp.Header.Values("x-goog-hash") {
			for part := range strings.SplitSeq(h, ",") {
				if v, ok := strings.CutPrefix(strings.TrimSpace(part), "crc32c="); ok {
					o.Checksum = &Checksum{Algorithm: "crc32c", Value: v}
				}
			}
		}
	}
	return o, nil
}

func (s *httpStore) read(ctx context.Context, obj Object, offset, length int64) (ReadCloser, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url(obj.Key), nil)
	if err != nil {
		return nil, err
	}
	whole := offset == 0 && (length < 0 || length >= obj.Size)
	if !whole {
		end := ""
		if length >= 0 {
			end = strconv.FormatInt(offset+length-1, 10)
		}
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-%s", offset, end))
	}
	if obj.ETag != "" {
		req.Header.Set("If-Match", `"`+obj.ETag+`"`)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	switch {
	case resp.StatusCode == http.StatusPartialContent:
	case resp.StatusCode == http.StatusOK && whole:
	case resp.StatusCode == http.StatusOK:
		resp.Body.Close()
		return nil, errors.New("server does not answer range requests (no 206 Partial Content)")
	default:
		io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		resp.Body.Close()
		return nil, &statusError{code: resp.StatusCode, status: resp.Status}
	}
	return resp.Body, nil
}

func (s *httpStore) classify(err error) error {
	var se *statusError
	if errors.As(err, &se) {
		return classifyStatus(se.code, 0)
	}
	return nil
}

func (s *httpStore) close() error { return nil }

// statusOf returns the HTTP status a store error carries, 0 when none.
func statusOf(s store, err error) int {
	switch s := s.(type) {
	case *blobStore:
		return s.status(err)
	case *httpStore:
		var se *statusError
		if errors.As(err, &se) {
			return se.code
		}
	}
	return 0
}
