package checker_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/parquet/file"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/checker/source/objstore/objstoretest"
	"github.com/driftgate/driftgate/contracts"
)

// BenchmarkRemoteParquet checks 2 of the 11 columns of the benchmark
// Parquet file (../shared/bench/gen; DRIFTGATE_BENCH_PARQUET names it)
// stored in the S3-compatible test server, and reports the bytes the server
// served per byte of footer plus those columns' chunks (fetch-ratio) and
// the remote time per local time (time-ratio).
//
//	DRIFTGATE_BENCH_PARQUET=/tmp/bench/events.parquet go test -run '^$' -bench RemoteParquet -benchtime 3x ./checker/
func BenchmarkRemoteParquet(b *testing.B) {
	path := os.Getenv("DRIFTGATE_BENCH_PARQUET")
	if path == "" {
		b.Skip("DRIFTGATE_BENCH_PARQUET names the benchmark Parquet file (../shared/bench/gen)")
	}
	c, err := contracts.Load(filepath.Join("testdata", "events-2col.odcs.yaml"))
	if err != nil {
		b.Fatal(err)
	}
	needed := neededBytes(b, path, "amount", "category")
	st := objstoretest.S3(b)
	st.PutFile(b, "bench/events.parquet", path)
	ctx := context.Background()
	var local, remote time.Duration
	var served int64
	for b.Loop() {
		start := time.Now()
		if _, err := checker.Check(ctx, checker.Options{Contract: c, Files: []string{path}}); err != nil {
			b.Fatal(err)
		}
		local += time.Since(start)
		st.Reset()
		start = time.Now()
		rep, err := checker.Check(ctx, checker.Options{Contract: c, Files: []string{st.URL("bench/events.parquet")}, Source: source.Options{Remote: st.NewClient(b)}})
		if err != nil {
			b.Fatal(err)
		}
		remote += time.Since(start)
		served += st.Served.Load()
		if rep.Summary.Rows == 0 {
			b.Fatal("no rows checked")
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(served)/n/float64(needed), "fetch-ratio")
	b.ReportMetric(float64(served)/n/1e6, "MB-served/op")
	b.ReportMetric(float64(needed)/1e6, "MB-needed")
	b.ReportMetric(local.Seconds()/n, "s-local/op")
	b.ReportMetric(remote.Seconds()/n, "s-remote/op")
	b.ReportMetric(remote.Seconds()/local.Seconds(), "time-ratio")
}

// neededBytes is the footer (with its 8-byte trailer) plus every chunk of
// the named columns: what a ranged read cannot do without.
func neededBytes(b *testing.B, path string, cols ...string) int64 {
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		b.Fatal(err)
	}
	defer pf.Close()
	md := pf.MetaData()
	st, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	var n int64
	for rg := range md.NumRowGroups() {
		for _, name := range cols {
			i := md.Schema.ColumnIndexByName(name)
			cc, err := md.RowGroup(rg).ColumnChunk(i)
			if err != nil {
				b.Fatal(err)
			}
			n += cc.TotalCompressedSize()
		}
	}
	footer := int64(md.Size()) + 8
	b.Logf("file %d bytes, %d row groups, footer %d bytes, columns %v %d bytes", st.Size(), md.NumRowGroups(), footer, cols, n)
	return n + footer
}
