package checker_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/checker/source/objstore"
	"github.com/driftgate/driftgate/checker/source/objstore/objstoretest"
	"github.com/driftgate/driftgate/contracts"
)

// remoteFixtures are the fixture files each store holds, under the same
// relative names.
var remoteFixtures = []string{
	"orders/orders.parquet", "orders/orders.csv",
	"multi-file/data/part-0001.parquet", "multi-file/data/part-0002.parquet", "multi-file/data/nested/part-0003.csv.gz",
}

// verdict is what a user sees of a report, with the data's location
// written as $DATA so that a local and a remote run compare equal.
func verdict(t *testing.T, rep *report.Report, contract, base string) string {
	t.Helper()
	b, err := json.Marshal(struct {
		Status   report.Status
		Summary  report.Summary
		Checks   []report.Check
		Findings []report.Finding
	}{rep.Status, rep.Summary, rep.Checks, rep.Findings})
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(strings.ReplaceAll(string(b), contract, "$CONTRACT"), base, "$DATA/")
}

// TestRemoteDataGivesTheLocalFindings checks the same fixtures read from
// disk and from every store: the same findings and counts, and inputs that
// record what the store says of each object.
func TestRemoteDataGivesTheLocalFindings(t *testing.T) {
	root := filepath.Join("..", "fixtures")
	for _, st := range objstoretest.All(t) {
		t.Run(st.Name, func(t *testing.T) {
			for _, f := range remoteFixtures {
				st.PutFile(t, f, filepath.Join(root, f))
			}
			for _, tc := range []struct {
				name, contract string
				local, remote  []string
			}{
				{"a Parquet object", "orders/contract.odcs.yaml", []string{"orders/orders.parquet"}, []string{"orders/orders.parquet"}},
				{"a CSV object", "orders/contract.odcs.yaml", []string{"orders/orders.csv"}, []string{"orders/orders.csv"}},
				{"a prefix of Parquet and gzipped CSV", "multi-file/contract.odcs.yaml", []string{"multi-file/data"}, []string{"multi-file/data/"}},
				{"a glob", "multi-file/contract.odcs.yaml", []string{"multi-file/data/*.parquet"}, []string{"multi-file/data/*.parquet"}},
				{"a ** glob", "multi-file/contract.odcs.yaml", []string{"multi-file/data"}, []string{"multi-file/**/part-*"}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					c, err := contracts.Load(filepath.Join(root, tc.contract))
					if err != nil {
						t.Fatal(err)
					}
					var local, remote []string
					for _, a := range tc.local {
						local = append(local, filepath.Join(root, a))
					}
					for _, a := range tc.remote {
						remote = append(remote, st.URL(a))
					}
					lfiles, err := checker.ExpandInputs(local)
					if err != nil {
						t.Fatal(err)
					}
					lrep, err := checker.Check(context.Background(), checker.Options{Contract: c, Files: lfiles})
					if err != nil {
						t.Fatal(err)
					}
					rin, err := checker.ExpandRemote(context.Background(), remote, "", st.Client)
					if err != nil {
						t.Fatal(err)
					}
					st.Reset()
					client := st.NewClient(t)
					rrep, err := checker.Check(context.Background(), checker.Options{Contract: c, Files: rin.Files, Source: source.Options{Remote: client}})
					if err != nil {
						t.Fatal(err)
					}
					if got, want := verdict(t, rrep, c.Path, st.Base), verdict(t, lrep, c.Path, root+"/"); got != want {
						t.Errorf("remote verdict differs from the local one:\nremote %s\nlocal  %s", got, want)
					}
					if len(rrep.Inputs) != len(lrep.Inputs) {
						t.Fatalf("%d remote inputs, %d local", len(rrep.Inputs), len(lrep.Inputs))
					}
					var fetched int64
					for i, in := range rrep.Inputs {
						l := lrep.Inputs[i]
						if in.Object == nil || in.Object.URL != in.Path || in.Object.ETag == "" || in.Object.LastModified == "" {
							t.Errorf("input %s records no object identity: %+v", in.Path, in.Object)
							continue
						}
						if in.Size != l.Size || in.Rows != l.Rows {
							t.Errorf("input %s: size %d rows %d, local %d %d", in.Path, in.Size, in.Rows, l.Size, l.Rows)
						}
						switch in.Format {
						case "parquet":
							if in.SHA256 != "" {
								t.Errorf("a Parquet object read by ranges has a SHA-256: %s", in.SHA256)
							}
						default:
							if in.SHA256 != l.SHA256 {
								t.Errorf("a streamed object hashes to %s, the local file to %s", in.SHA256, l.SHA256)
							}
						}
						fetched += in.Object.BytesRead
					}
					// The server also serves metadata (GCS answers a stat
					// with JSON); the data bytes are what the report counts.
					if served := st.Served.Load(); fetched > served || served-fetched > 4<<10*int64(len(rrep.Inputs)) {
						t.Errorf("the report says %d bytes were read, the server served %d", fetched, served)
					}
				})
			}
		})
	}
}

// TestRemoteErrorsAreReadErrors checks that data a store cannot give is a
// read error naming the location (exit 3), never a pass.
func TestRemoteErrorsAreReadErrors(t *testing.T) {
	root := filepath.Join("..", "fixtures")
	c, err := contracts.Load(filepath.Join(root, "orders/contract.odcs.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	st := objstoretest.S3(t)
	st.PutFile(t, "orders/orders.parquet", filepath.Join(root, "orders/orders.parquet"))
	st.Put(t, "orders/cut.parquet", []byte("PAR1 not a parquet file PAR1"))
	for _, tc := range []struct {
		name, loc string
		want      error
	}{
		{"a missing object", st.URL("orders/missing.parquet"), objstore.ErrNotFound},
		{"a missing bucket", st.Missing(), objstore.ErrNotFound},
		{"a prefix with no data", st.URL("nothing/"), objstore.ErrNoObjects},
		{"a name that is neither object nor prefix", st.URL("nothing"), objstore.ErrNotFound},
		{"a glob matching nothing", st.URL("orders/*.csv"), objstore.ErrNoObjects},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := checker.ExpandRemote(context.Background(), []string{tc.loc}, "", st.Client)
			var re *source.ReadError
			if !errors.As(err, &re) || !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.loc) {
				t.Errorf("expand %s = %v, want a ReadError naming it, wrapping %v", tc.loc, err, tc.want)
			}
		})
	}
	t.Run("a corrupt object", func(t *testing.T) {
		rep, err := checker.Check(context.Background(), checker.Options{Contract: c, Files: []string{st.URL("orders/cut.parquet")}, Source: source.Options{Remote: st.Client}})
		var re *source.ReadError
		if !errors.As(err, &re) || rep == nil || rep.Status != report.StatusError || !strings.Contains(err.Error(), st.URL("orders/cut.parquet")) {
			t.Errorf("check = %v (report %v), want a ReadError naming the URL", err, rep)
		}
	})
	t.Run("a read cut off every time", func(t *testing.T) {
		st.Truncate = func(r *http.Request) int64 {
			if r.Method == http.MethodGet {
				return 100
			}
			return -1
		}
		defer func() { st.Truncate = nil }()
		url := st.URL("orders/orders.parquet")
		rep, err := checker.Check(context.Background(), checker.Options{Contract: c, Files: []string{url}, Source: source.Options{Remote: st.Client}})
		var re *source.ReadError
		if !errors.As(err, &re) || !errors.Is(err, objstore.ErrTruncated) || rep == nil || rep.Status != report.StatusError || !strings.Contains(err.Error(), url) {
			t.Errorf("check = %v, want a truncated read naming %s", err, url)
		}
	})
}
