// Package objstore reads data objects from S3 (and S3-compatible stores),
// Google Cloud Storage, Azure Blob Storage (and ADLS Gen2) and plain HTTPS.
//
// It lists prefixes and globs into sorted object lists, opens objects for
// random access (ranged GETs, coalesced, a few in flight, a bounded cache:
// what a Parquet reader needs) or as a stream (CSV, JSON), and records each
// object's identity (size, ETag, version, last-modified time, the store's
// checksum) without downloading it. Every request is retried with backoff
// on throttling and transient failures, within a bounded total time.
//
// The stores are reached through gocloud.dev/blob, one abstraction over the
// providers' own SDKs, so credentials come from each cloud's standard
// chain. This package never prints or returns a credential.
package objstore

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"gocloud.dev/blob"
)

// Sentinel errors; test with errors.Is. Every error this package returns
// wraps one of them or a provider error, and says what was being done.
var (
	// ErrNotFound: the object, bucket or container does not exist.
	ErrNotFound = errors.New("not found")
	// ErrAccessDenied: the credentials do not allow the request (or there
	// are none).
	ErrAccessDenied = errors.New("access denied")
	// ErrNoObjects: a prefix or glob matched no data objects.
	ErrNoObjects = errors.New("no data objects")
	// ErrTruncated: the store returned fewer bytes than the object holds.
	ErrTruncated = errors.New("truncated read")
	// ErrChanged: the object was replaced while it was being read.
	ErrChanged = errors.New("object changed while it was read")
)

// Config configures a Client. The zero value reads each cloud's standard
// configuration from the environment.
type Config struct {
	// S3Endpoint is a custom S3-compatible endpoint (an ODCS server's
	// endpointUrl), used with path-style addressing. Empty means
	// AWS_ENDPOINT_URL_S3, then AWS_ENDPOINT_URL, then AWS itself.
	S3Endpoint string
	// S3Region overrides the region of the AWS configuration.
	S3Region string
	// RetryBudget bounds the time spent retrying one request; 0 means
	// DefaultRetryBudget.
	RetryBudget time.Duration
	// HTTPClient serves https:// locations; nil means a client with
	// sensible timeouts.
	HTTPClient *http.Client
}

// DefaultRetryBudget is how long one request is retried on throttling or
// transient failures before the run gives up (exit 3).
const DefaultRetryBudget = 2 * time.Minute

// Client opens remote locations. Buckets are opened once per client and
// shared by every object read through it; a Client is safe for concurrent
// use.
type Client struct {
	cfg Config

	mu      sync.Mutex
	buckets map[string]*bucketEntry
	// seen records every object opened through the client, by URL, with
	// the readers that read it: the audit trail reports are built from.
	seen map[string]*seenEntry
}

type seenEntry struct {
	obj     Object
	files   []*File
	streams []*Stream
}

type bucketEntry struct {
	once sync.Once
	b    store
	err  error
}

// New returns a Client. It does not contact any store.
func New(cfg Config) *Client {
	if cfg.RetryBudget <= 0 {
		cfg.RetryBudget = DefaultRetryBudget
	}
	return &Client{cfg: cfg, buckets: map[string]*bucketEntry{}, seen: map[string]*seenEntry{}}
}

// Close closes every bucket the client opened.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for k, e := range c.buckets {
		if e.b != nil {
			errs = append(errs, e.b.close())
		}
		delete(c.buckets, k)
	}
	return errors.Join(errs...)
}

// Object is one object in a store and what identifies its content.
type Object struct {
	// URL names the object (s3://bucket/key and so on).
	URL  string
	Key  string
	Size int64
	// ETag is the store's entity tag, quotes removed.
	ETag string
	// VersionID is the S3 or Azure version id, or the GCS generation.
	VersionID    string
	LastModified time.Time
	// Checksum is a content checksum the store keeps (S3 x-amz-checksum-*,
	// GCS CRC32C, Azure Content-MD5), empty when it has none.
	Checksum *Checksum

	// BytesRead is how many bytes of the object the client fetched (Seen).
	BytesRead int64
	// SHA256 is the hex SHA-256 of the content, set by Seen only when a
	// stream read every byte of the object anyway.
	SHA256 string
}

// Seen returns the identity of an object opened through the client, with
// the bytes fetched of it so far and, when a stream read it to the end,
// its SHA-256. ok is false when the client never opened url.
func (c *Client) Seen(url string) (obj Object, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.seen[url]
	if e == nil {
		return Object{}, false
	}
	obj = e.obj
	for _, f := range e.files {
		obj.BytesRead += f.Fetched()
	}
	for _, s := range e.streams {
		obj.BytesRead += s.Offset()
		if sum := s.SHA256(); sum != "" {
			obj.SHA256 = sum
		}
	}
	return obj, true
}

// record adds a reader of obj to the audit trail.
func (c *Client) record(obj Object, f *File, s *Stream) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.seen[obj.URL]
	if e == nil {
		e = &seenEntry{}
		c.seen[obj.URL] = e
	}
	e.obj = obj
	if f != nil {
		e.files = append(e.files, f)
	}
	if s != nil {
		e.streams = append(e.streams, s)
	}
}

// Checksum is a provider-side checksum: its algorithm (crc32c, crc32,
// crc64nvme, sha1, sha256, md5) and its value as the store gives it
// (base64 for S3, GCS and Azure).
type Checksum struct {
	Algorithm string
	Value     string
}

// store is one bucket (or one https host) behind the operations this
// package needs. Errors come back raw; callers classify them.
type store interface {
	// list returns one page of the keys under prefix, and the token of the
	// next page (nil after the last).
	list(ctx context.Context, prefix string, token []byte) ([]Object, []byte, error)
	// stat returns the identity of one object.
	stat(ctx context.Context, key string) (Object, error)
	// read returns length bytes from offset (length < 0: to the end) of
	// the object version obj identifies.
	read(ctx context.Context, obj Object, offset, length int64) (ReadCloser, error)
	// classify maps a provider error to a sentinel, or nil when it has no
	// meaning to this package.
	classify(err error) error
	close() error
}

// ReadCloser is a body being read.
type ReadCloser interface {
	Read(p []byte) (int, error)
	Close() error
}

// bucket returns the store for loc, opening it on first use.
func (c *Client) bucket(ctx context.Context, loc Location) (store, error) {
	k := string(loc.Scheme) + "\x00" + loc.Account + "\x00" + loc.Bucket
	if loc.Insecure {
		k += "\x00http"
	}
	c.mu.Lock()
	e := c.buckets[k]
	if e == nil {
		e = &bucketEntry{}
		c.buckets[k] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.b, e.err = c.open(ctx, loc) })
	return e.b, e.err
}

func (c *Client) open(ctx context.Context, loc Location) (store, error) {
	switch loc.Scheme {
	case S3:
		return c.openS3(ctx, loc)
	case GCS:
		return c.openGCS(ctx, loc)
	case Azure:
		return c.openAzure(ctx, loc)
	case HTTPS:
		return c.openHTTP(loc), nil
	}
	return nil, fmt.Errorf("unknown scheme %q", loc.Scheme)
}

// blobStore is a gocloud.dev bucket; the providers differ only in how
// their objects' identities are read.
type blobStore struct {
	b *blob.Bucket
	// statFn reads an object's identity with provider-specific fields.
	statFn func(ctx context.Context, key string) (Object, error)
	// pin makes a ranged read fail when the object is no longer the
	// version obj identifies (If-Match or a generation condition).
	pin func(obj Object) func(as func(any) bool) error
	// code extracts the HTTP status of a provider error.
	status func(err error) int
}
