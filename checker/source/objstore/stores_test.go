package objstore_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/driftgate/driftgate/checker/source/objstore"
	"github.com/driftgate/driftgate/checker/source/objstore/objstoretest"
)

func isData(key string) bool {
	return strings.HasSuffix(key, ".csv") || strings.HasSuffix(key, ".parquet")
}

func keys(objs []objstore.Object, base string) []string {
	out := make([]string, len(objs))
	for i, o := range objs {
		out[i] = strings.TrimPrefix(o.URL, base)
	}
	return out
}

func randomBytes(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// TestStores runs the same listing, reading and error cases against every
// real store the test set-up runs.
func TestStores(t *testing.T) {
	for _, st := range objstoretest.All(t) {
		t.Run(st.Name, func(t *testing.T) {
			ctx := context.Background()
			for _, k := range []string{
				"orders/dt=2026-11-29/part-0.csv", "orders/dt=2026-11-30/part-0.csv", "orders/dt=2026-11-30/part-1.csv",
				"orders/dt=2026-11-30/_SUCCESS", "orders/dt=2026-11-30/_temporary/part-9.csv", "orders/dt=2026-11-30/.part-0.csv.crc",
				"orders/notes.txt", "orders/nested/deep/part-0.parquet", "other/x.csv", "empty/_SUCCESS", "empty/notes.txt",
			} {
				st.Put(t, k, []byte("id\n1\n"))
			}
			t.Run("a prefix lists every data object below it, sorted, hidden parts skipped", func(t *testing.T) {
				objs, err := st.Client.Expand(ctx, st.URL("orders/"), isData)
				if err != nil {
					t.Fatal(err)
				}
				want := []string{"orders/dt=2026-11-29/part-0.csv", "orders/dt=2026-11-30/part-0.csv", "orders/dt=2026-11-30/part-1.csv", "orders/nested/deep/part-0.parquet"}
				if got := keys(objs, st.Base); !slices.Equal(got, want) {
					t.Errorf("got %q, want %q", got, want)
				}
				if objs[0].Size != 5 {
					t.Errorf("size %d, want 5", objs[0].Size)
				}
			})
			t.Run("a prefix written without its slash is a prefix too", func(t *testing.T) {
				objs, err := st.Client.Expand(ctx, st.URL("orders/dt=2026-11-30"), isData)
				if err != nil {
					t.Fatal(err)
				}
				if got := keys(objs, st.Base); !slices.Equal(got, []string{"orders/dt=2026-11-30/part-0.csv", "orders/dt=2026-11-30/part-1.csv"}) {
					t.Errorf("got %q", got)
				}
			})
			t.Run("a glob matches within a segment, ** across segments", func(t *testing.T) {
				objs, err := st.Client.Expand(ctx, st.URL("orders/dt=*/part-1.csv"), isData)
				if err != nil {
					t.Fatal(err)
				}
				if got := keys(objs, st.Base); !slices.Equal(got, []string{"orders/dt=2026-11-30/part-1.csv"}) {
					t.Errorf("got %q", got)
				}
				objs, err = st.Client.Expand(ctx, st.URL("orders/**/*.parquet"), isData)
				if err != nil {
					t.Fatal(err)
				}
				if got := keys(objs, st.Base); !slices.Equal(got, []string{"orders/nested/deep/part-0.parquet"}) {
					t.Errorf("got %q", got)
				}
				objs, err = st.Client.Expand(ctx, st.URL("orders/dt=2026-11-2*"), isData)
				if err != nil {
					t.Fatal(err)
				}
				if got := keys(objs, st.Base); !slices.Equal(got, []string{"orders/dt=2026-11-29/part-0.csv"}) {
					t.Errorf("a glob naming partitions: got %q", got)
				}
			})
			t.Run("an object stands for itself with its identity", func(t *testing.T) {
				objs, err := st.Client.Expand(ctx, st.URL("other/x.csv"), isData)
				if err != nil {
					t.Fatal(err)
				}
				if len(objs) != 1 || objs[0].ETag == "" || objs[0].Size != 5 || objs[0].LastModified.IsZero() {
					t.Errorf("got %+v", objs)
				}
			})
			for _, tc := range []struct {
				name, loc string
				want      error
			}{
				{"a missing object is not found", st.URL("orders/none.csv"), objstore.ErrNotFound},
				{"a prefix with no data objects is an error", st.URL("empty/"), objstore.ErrNoObjects},
				{"a glob with no match is an error", st.URL("orders/*.parquet"), objstore.ErrNoObjects},
				{"a missing bucket is not found", st.Missing(), objstore.ErrNotFound},
			} {
				t.Run(tc.name, func(t *testing.T) {
					_, err := st.Client.Expand(ctx, tc.loc, isData)
					if !errors.Is(err, tc.want) {
						t.Errorf("Expand(%s) = %v, want %v", tc.loc, err, tc.want)
					}
				})
			}

			data := randomBytes(3<<20 + 12345)
			st.Put(t, "blob/big.bin", data)
			t.Run("ranged reads fetch the planned ranges and little else", func(t *testing.T) {
				f, err := st.Client.Open(ctx, st.URL("blob/big.bin"))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				ranges := []objstore.Range{{Offset: 100, Length: 700 << 10}, {Offset: 2 << 20, Length: 500 << 10}}
				f.Plan(ranges)
				st.Reset()
				for _, r := range ranges {
					// Small reads, as a buffered page reader makes them.
					for off := r.Offset; off < r.Offset+r.Length; off += 16 << 10 {
						n := min(16<<10, r.Offset+r.Length-off)
						buf := make([]byte, n)
						if _, err := f.ReadAt(buf, off); err != nil {
							t.Fatal(err)
						}
						if !bytes.Equal(buf, data[off:off+n]) {
							t.Fatalf("bytes at %d differ", off)
						}
					}
				}
				planned := int64(700<<10 + 500<<10)
				if got := st.Served.Load(); got < planned || got > planned+planned/10 {
					t.Errorf("served %d bytes for %d planned", got, planned)
				}
				if got := st.Requests.Load(); got > 4 {
					t.Errorf("%d requests for 2 ranges", got)
				}
				if f.Fetched() != st.Served.Load() {
					t.Errorf("the file counts %d bytes, the server served %d", f.Fetched(), st.Served.Load())
				}
			})
			t.Run("a stream reads every byte once and hashes it", func(t *testing.T) {
				s, err := st.Client.OpenStream(ctx, st.URL("blob/big.bin"))
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				st.Reset()
				got, err := io.ReadAll(s)
				if err != nil {
					t.Fatal(err)
				}
				sum := sha256.Sum256(data)
				if !bytes.Equal(got, data) || s.SHA256() != hex.EncodeToString(sum[:]) {
					t.Errorf("stream content or hash differ")
				}
				if st.Served.Load() != int64(len(data)) {
					t.Errorf("served %d bytes for an object of %d", st.Served.Load(), len(data))
				}
				seen, ok := st.Client.Seen(st.URL("blob/big.bin"))
				if !ok || seen.SHA256 != s.SHA256() || seen.BytesRead < int64(len(data)) {
					t.Errorf("Seen = %+v", seen)
				}
			})
			t.Run("a stream cut off resumes where it stopped", func(t *testing.T) {
				var cut atomic.Int64
				st.Truncate = func(r *http.Request) int64 {
					if r.Method == http.MethodGet && cut.Add(1) <= 2 {
						return 1 << 20
					}
					return -1
				}
				defer func() { st.Truncate = nil }()
				s, err := st.Client.OpenStream(ctx, st.URL("blob/big.bin"))
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				got, err := io.ReadAll(s)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, data) {
					t.Error("resumed stream content differs")
				}
			})
			t.Run("a store that keeps cutting reads off is a truncated read", func(t *testing.T) {
				st.Truncate = func(r *http.Request) int64 {
					if r.Method == http.MethodGet {
						return 1000
					}
					return -1
				}
				defer func() { st.Truncate = nil }()
				f, err := st.Client.Open(ctx, st.URL("blob/big.bin"))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				// Google's client resumes cut-off reads itself; then
				// the bytes must still be right.
				buf := make([]byte, 100<<10)
				_, err = f.ReadAt(buf, 0)
				if !errors.Is(err, objstore.ErrTruncated) && (err != nil || !bytes.Equal(buf, data[:len(buf)])) {
					t.Errorf("ReadAt = %v, want a truncated read", err)
				}
				s, err := st.Client.OpenStream(ctx, st.URL("blob/big.bin"))
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				got, err := io.ReadAll(s)
				if !errors.Is(err, objstore.ErrTruncated) && (err != nil || !bytes.Equal(got, data)) {
					t.Errorf("stream = %v, want a truncated read", err)
				}
			})
			t.Run("throttling is retried", func(t *testing.T) {
				var n atomic.Int64
				st.Fail = func(r *http.Request) int {
					if n.Add(1) <= 2 {
						return http.StatusServiceUnavailable
					}
					return 0
				}
				defer func() { st.Fail = nil }()
				f, err := st.Client.Open(ctx, st.URL("blob/big.bin"))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				buf := make([]byte, 10)
				if _, err := f.ReadAt(buf, 5); err != nil || !bytes.Equal(buf, data[5:15]) {
					t.Errorf("ReadAt after throttling = %v", err)
				}
			})
			t.Run("an outage gives up within the retry budget", func(t *testing.T) {
				st.Fail = func(*http.Request) int { return http.StatusServiceUnavailable }
				defer func() { st.Fail = nil }()
				start := time.Now()
				_, err := st.Client.Stat(ctx, st.URL("blob/big.bin"))
				if err == nil || !strings.Contains(err.Error(), "gave up") {
					t.Errorf("Stat during an outage = %v", err)
				}
				if d := time.Since(start); d > objstoretest.RetryBudget+5*time.Second {
					t.Errorf("gave up after %s, budget %s", d, objstoretest.RetryBudget)
				}
			})
			t.Run("an object replaced while it is read is an error", func(t *testing.T) {
				st.Put(t, "blob/changing.bin", data[:1<<20])
				f, err := st.Client.Open(ctx, st.URL("blob/changing.bin"))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				st.Put(t, "blob/changing.bin", data[1<<20:2<<20])
				_, err = f.ReadAt(make([]byte, 10), 0)
				if !errors.Is(err, objstore.ErrChanged) && !errors.Is(err, objstore.ErrNotFound) {
					t.Errorf("ReadAt of a replaced object = %v", err)
				}
			})
		})
	}
}

func TestS3AccessDenied(t *testing.T) {
	st := objstoretest.S3(t)
	st.Put(t, "x.csv", []byte("id\n1\n"))
	objstoretest.S3Credentials(t, "nobody", "nobody-test-secret")
	c := objstore.New(objstore.Config{S3Endpoint: testS3Endpoint(t), RetryBudget: time.Second})
	for _, loc := range []string{st.URL("x.csv"), st.Base} {
		_, err := c.Expand(context.Background(), loc, isData)
		if !errors.Is(err, objstore.ErrAccessDenied) {
			t.Errorf("Expand(%s) with a key that may do nothing = %v, want access denied", loc, err)
		}
		if err != nil && strings.Contains(err.Error(), "nobody-test-secret") {
			t.Errorf("the error shows the secret: %v", err)
		}
	}
}

func TestS3EndpointFromEnvironment(t *testing.T) {
	st := objstoretest.S3(t)
	st.Put(t, "x.csv", []byte("id\n1\n"))
	for _, v := range []string{"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"} {
		t.Run(v, func(t *testing.T) {
			t.Setenv(v, testS3Endpoint(t))
			objs, err := objstore.New(objstore.Config{}).Expand(context.Background(), st.URL("x.csv"), isData)
			if err != nil || len(objs) != 1 {
				t.Errorf("Expand with %s = %v, %v", v, objs, err)
			}
		})
	}
}

func testS3Endpoint(t *testing.T) string {
	return strings.TrimSpace(objstoretest.S3Endpoint(t))
}

// TestHTTPS reads single objects from a plain web server that answers
// range requests (net/http's file server).
func TestHTTPS(t *testing.T) {
	data := randomBytes(1 << 20)
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/data/x.parquet":
			w.Header().Set("ETag", `"v1"`)
			cw := &countingWriter{ResponseWriter: w, n: &served}
			http.ServeContent(cw, r, "x.parquet", time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), bytes.NewReader(data))
		case "/norange.csv":
			w.Header().Set("Content-Length", strconv.Itoa(len(data)))
			w.Write(data)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	c := objstore.New(objstore.Config{RetryBudget: time.Second})
	ctx := context.Background()
	f, err := c.Open(ctx, srv.URL+"/data/x.parquet")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if o := f.Object(); o.Size != int64(len(data)) || o.ETag != "v1" || o.LastModified.IsZero() {
		t.Errorf("object = %+v", o)
	}
	buf := make([]byte, 8)
	if _, err := f.ReadAt(buf, int64(len(data))-8); err != nil || !bytes.Equal(buf, data[len(data)-8:]) {
		t.Errorf("ReadAt of the tail = %v", err)
	}
	if got := served.Load(); got > 64<<10 {
		t.Errorf("a read of the tail fetched %d bytes", got)
	}
	if _, err := c.Expand(ctx, srv.URL+"/missing.csv", isData); !errors.Is(err, objstore.ErrNotFound) {
		t.Errorf("a missing URL = %v", err)
	}
	g, err := c.Open(ctx, srv.URL+"/norange.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if _, err := g.ReadAt(buf, 100); err == nil || !strings.Contains(err.Error(), "range") {
		t.Errorf("a server without ranges = %v", err)
	}
}

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w *countingWriter) Write(p []byte) (int, error) {
	w.n.Add(int64(len(p)))
	return w.ResponseWriter.Write(p)
}
