// Package objstoretest connects tests to the real object stores .ci/test
// starts on loopback (SeaweedFS for S3, Azurite, fake-gcs-server): a fresh
// bucket per test, objects put into it, and a counting proxy in front of
// the store that proves how many bytes a read really fetched. Only tests
// import it.
package objstoretest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/bloberror"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"gocloud.dev/blob"
	"gocloud.dev/blob/azureblob"
	"gocloud.dev/blob/gcsblob"
	"gocloud.dev/blob/s3blob"
	"gocloud.dev/gcp"

	"github.com/driftgate/driftgate/checker/source/objstore"
	"github.com/driftgate/driftgate/fixtures/testenv"
)

// RetryBudget is the retry budget of the test clients: long enough to
// ride out a few injected failures, short enough for a test that retries
// until it gives up.
const RetryBudget = 3 * time.Second

// Store is one bucket in one test server, empty at the start of the test.
type Store struct {
	// Name is s3, azure or gcs.
	Name string
	// Base is the URL of the bucket's root, ending in /: s3://bucket/.
	Base string
	// Client reads through the counting proxy.
	Client *objstore.Client
	// Served counts the response body bytes the proxy passed on, and
	// Requests the requests.
	Served, Requests *atomic.Int64
	// Fail, when it returns a status, makes the proxy answer a request
	// with it instead of passing it on (throttling and outage tests).
	Fail func(r *http.Request) int
	// Truncate, when it returns n >= 0, makes the proxy cut the response
	// body after n bytes.
	Truncate func(r *http.Request) int64

	bucket *blob.Bucket
	cfg    objstore.Config
}

// URL is the URL of key in the bucket.
func (s *Store) URL(key string) string { return s.Base + key }

// Put stores data under key.
func (s *Store) Put(t testing.TB, key string, data []byte) {
	t.Helper()
	if err := s.bucket.WriteAll(context.Background(), key, data, nil); err != nil {
		t.Fatalf("put %s%s: %v", s.Base, key, err)
	}
}

// PutFile stores a local file under key.
func (s *Store) PutFile(t testing.TB, key, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Put(t, key, data)
}

// Reset zeroes the counters.
func (s *Store) Reset() { s.Served.Store(0); s.Requests.Store(0) }

// All returns a fresh bucket in every store, failing under CI when a
// server is not running.
func All(t *testing.T) []*Store {
	return []*Store{S3(t), Azure(t), GCS(t)}
}

// Bucket is the bucket (container) every test shares; each Store is a
// fresh prefix in it. SeaweedFS gives every bucket volumes of its own, so
// a bucket per test would exhaust them.
const Bucket = "driftgate-tests"

func randomName() string {
	var b [6]byte
	rand.Read(b[:])
	return "t-" + hex.EncodeToString(b[:])
}

// Missing is the URL of a prefix in a bucket that does not exist, in the
// store's scheme.
func (s *Store) Missing() string {
	scheme, _, _ := strings.Cut(s.Base, "://")
	return scheme + "://driftgate-missing-" + randomName() + "/data/"
}

// proxy starts a counting reverse proxy to target and returns its URL.
// With keepHost the Host header is passed on unchanged, so that S3
// signatures (which cover it) stay valid; fake-gcs-server instead wants
// its own host name.
func (s *Store) proxy(t testing.TB, target string, keepHost bool) *url.URL {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	s.Served, s.Requests = new(atomic.Int64), new(atomic.Int64)
	rp := &httputil.ReverseProxy{Rewrite: func(pr *httputil.ProxyRequest) {
		pr.SetURL(u)
		if keepHost {
			pr.Out.Host = pr.In.Host
		}
	}}
	// Headers go out with the first bytes, so that a body cut off by
	// Truncate reaches the client as a short body, not as no response.
	rp.FlushInterval = -1
	rp.ErrorLog = log.New(io.Discard, "", 0)
	rp.ModifyResponse = func(resp *http.Response) error {
		limit := int64(-1)
		if s.Truncate != nil {
			limit = s.Truncate(resp.Request)
		}
		resp.Body = &countingBody{rc: resp.Body, n: s.Served, limit: limit}
		return nil
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Requests.Add(1)
		if s.Fail != nil {
			if code := s.Fail(r); code != 0 {
				w.WriteHeader(code)
				return
			}
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	pu, _ := url.Parse(srv.URL)
	return pu
}

type countingBody struct {
	rc    io.ReadCloser
	n     *atomic.Int64
	limit int64
	sent  int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	if b.limit >= 0 {
		if b.sent >= b.limit {
			return 0, io.ErrUnexpectedEOF
		}
		p = p[:min(int64(len(p)), b.limit-b.sent)]
	}
	n, err := b.rc.Read(p)
	b.sent += int64(n)
	b.n.Add(int64(n))
	return n, err
}

func (b *countingBody) Close() error { return b.rc.Close() }

// S3 returns a fresh bucket in the S3-compatible test server, reached
// through AWS_* environment credentials and a custom endpoint, as a user
// of an S3-compatible store sets them.
func S3(t testing.TB) *Store {
	endpoint := testenv.Service(t, "DRIFTGATE_TEST_S3_ENDPOINT")
	S3Credentials(t, os.Getenv("DRIFTGATE_TEST_S3_ACCESS_KEY"), os.Getenv("DRIFTGATE_TEST_S3_SECRET_KEY"))
	s := &Store{Name: "s3"}
	pu := s.proxy(t, endpoint, true)
	name := randomName()
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		t.Fatal(err)
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) {
		o.BaseEndpoint = aws.String(endpoint)
		o.UsePathStyle = true
		o.RequestChecksumCalculation = aws.RequestChecksumCalculationWhenRequired
	})
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(Bucket)}); err != nil {
		var owned *s3types.BucketAlreadyOwnedByYou
		var exists *s3types.BucketAlreadyExists
		if !errors.As(err, &owned) && !errors.As(err, &exists) {
			t.Fatalf("create bucket %s at %s: %v", Bucket, endpoint, err)
		}
	}
	b, err := s3blob.OpenBucket(ctx, client, Bucket, &s3blob.Options{RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired})
	if err != nil {
		t.Fatal(err)
	}
	// Clients made elsewhere (the CLI's) find the server the way a user's
	// would: through the environment.
	t.Setenv("AWS_ENDPOINT_URL_S3", pu.String())
	s.finish(t, "s3", b, name, objstore.Config{S3Endpoint: pu.String()})
	return s
}

// finish points the store at its prefix in the shared bucket and makes
// its client.
func (s *Store) finish(t testing.TB, scheme string, b *blob.Bucket, prefix string, cfg objstore.Config) {
	s.bucket = blob.PrefixedBucket(b, prefix+"/")
	s.Base = scheme + "://" + Bucket + "/" + prefix + "/"
	cfg.RetryBudget = RetryBudget
	s.cfg = cfg
	s.Client = s.NewClient(t)
}

// NewClient returns a client of its own that reaches the store through the
// proxy, for a test that counts what one run read.
func (s *Store) NewClient(t testing.TB) *objstore.Client {
	c := objstore.New(s.cfg)
	t.Cleanup(func() { c.Close() })
	return c
}

// S3Credentials sets the AWS environment of the test to these keys alone:
// no shared config, no profile, no instance metadata.
func S3Credentials(t testing.TB, key, secret string) {
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": key, "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": "",
		"AWS_REGION": "us-east-1", "AWS_PROFILE": "", "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_CONFIG_FILE": filepath.Join(dir, "config"), "AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_ENDPOINT_URL": "", "AWS_ENDPOINT_URL_S3": "",
	} {
		t.Setenv(k, v)
	}
}

// Azurite's well-known development account.
const (
	AzuriteAccount = "devstoreaccount1"
	AzuriteKey     = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)

// Azure returns a fresh container in Azurite, reached with the account
// key from the environment, as the Azure tools read it.
func Azure(t testing.TB) *Store {
	endpoint := testenv.Service(t, "DRIFTGATE_TEST_AZURITE_BLOB")
	s := &Store{Name: "azure"}
	pu := s.proxy(t, endpoint, true)
	for k, v := range map[string]string{
		"AZURE_STORAGE_ACCOUNT": AzuriteAccount, "AZURE_STORAGE_KEY": AzuriteKey,
		"AZURE_STORAGE_DOMAIN": pu.Host, "AZURE_STORAGE_PROTOCOL": "http",
		"AZURE_STORAGE_IS_LOCAL_EMULATOR": "true", "AZURE_STORAGE_SAS_TOKEN": "",
		"AZURE_STORAGE_CONNECTION_STRING": "",
	} {
		t.Setenv(k, v)
	}
	name := randomName()
	cred, err := azblob.NewSharedKeyCredential(AzuriteAccount, AzuriteKey)
	if err != nil {
		t.Fatal(err)
	}
	cc, err := container.NewClientWithSharedKeyCredential(strings.TrimSuffix(endpoint, "/")+"/"+AzuriteAccount+"/"+Bucket, cred, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := cc.Create(ctx, nil); err != nil && !bloberror.HasCode(err, bloberror.ContainerAlreadyExists) {
		t.Fatalf("create container %s at %s: %v", Bucket, endpoint, err)
	}
	b, err := azureblob.OpenBucket(ctx, cc, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.finish(t, "az", b, name, objstore.Config{})
	return s
}

// GCS returns a fresh bucket in fake-gcs-server, reached through
// STORAGE_EMULATOR_HOST as Google's libraries read it.
func GCS(t testing.TB) *Store {
	endpoint := testenv.Service(t, "DRIFTGATE_TEST_GCS_ENDPOINT")
	s := &Store{Name: "gcs"}
	pu := s.proxy(t, endpoint, false)
	t.Setenv("STORAGE_EMULATOR_HOST", pu.Host)
	name := randomName()
	ctx := context.Background()
	// Buckets are created straight at the server, objects through the
	// proxy (uploads are not counted: only response bodies are).
	req, _ := http.NewRequest(http.MethodPost, strings.TrimSuffix(endpoint, "/")+"/storage/v1/b", strings.NewReader(`{"name":"`+Bucket+`"}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("create bucket %s at %s: %v", Bucket, endpoint, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusConflict {
		t.Fatalf("create bucket %s at %s: %s", Bucket, endpoint, resp.Status)
	}
	b, err := gcsblob.OpenBucket(ctx, gcp.NewAnonymousHTTPClient(gcp.DefaultTransport()), Bucket, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.finish(t, "gs", b, name, objstore.Config{})
	return s
}

// S3Endpoint is the test S3 server's endpoint (no counting proxy).
func S3Endpoint(t testing.TB) string {
	return testenv.Service(t, "DRIFTGATE_TEST_S3_ENDPOINT")
}
