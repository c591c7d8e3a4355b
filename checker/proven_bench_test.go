package checker

import (
	"context"
	"io"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/driftgate/driftgate/checker/pqtest"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/checker/source/objstore/objstoretest"
)

// countedInput counts the bytes read from the file it wraps.
type countedInput struct {
	source.Input
	n *atomic.Int64
}

func (in countedInput) ReaderAt() io.ReaderAt { return in }

func (in countedInput) ReadAt(p []byte, off int64) (int, error) {
	n, err := in.Input.ReaderAt().ReadAt(p, off)
	in.n.Add(int64(n))
	return n, err
}

// halfProvenContract holds four columns to bounds only: rules statistics
// decide.
var halfProvenContract = doc(`- name: amount
  logicalType: number
  physicalType: decimal(12,2)
  required: true
  logicalTypeOptions:
    minimum: 0
    maximum: 100000
- name: qty
  logicalType: integer
  logicalTypeOptions:
    minimum: 0
    maximum: 1000
- name: customer_id
  logicalType: integer
  required: true
  logicalTypeOptions:
    minimum: 1
- name: at
  logicalType: timestamp
  physicalType: timestamptz
  required: true
  logicalTypeOptions:
    minimum: "2020-01-01T00:00:00Z"`)

const (
	halfProvenGroups   = 16
	halfProvenGroupLen = 1 << 16
)

// writeHalfProven writes 16 row groups of 65,536 rows in which every
// other row group holds, in each column, one value past a bound: half the
// chunks are proven by their statistics, half must be decoded. The
// writer is named createdBy (empty: arrow-go's own name, a trusted writer).
func writeHalfProven(b testing.TB, path, createdBy string) {
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "amount", Type: &arrow.Decimal128Type{Precision: 12, Scale: 2}},
		{Name: "qty", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "customer_id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "at", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}},
	}, nil)
	rb := array.NewRecordBuilder(memory.NewGoAllocator(), sc)
	defer rb.Release()
	amount := rb.Field(0).(*array.Decimal128Builder)
	qty := rb.Field(1).(*array.Int64Builder)
	cust := rb.Field(2).(*array.Int64Builder)
	at := rb.Field(3).(*array.TimestampBuilder)
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	for i := range int64(halfProvenGroups * halfProvenGroupLen) {
		bad := (i/halfProvenGroupLen)%2 == 1 && i%halfProvenGroupLen == 100
		if bad {
			amount.Append(decimal128.FromI64(-1))
			qty.Append(5000)
			cust.Append(0)
			at.Append(arrow.Timestamp(start - 5*365*86_400_000_000))
			continue
		}
		amount.Append(decimal128.FromI64(100 + i*7919%9_000_000))
		if i%13 == 0 {
			qty.AppendNull()
		} else {
			qty.Append(1 + i%997) // off the bounds: a value on one is read
		}
		cust.Append(2 + i*104_729%500_000)
		at.Append(arrow.Timestamp(start + i*1_000_000))
	}
	rec := rb.NewRecordBatch()
	defer rec.Release()
	pqtest.Write(b, path, pqtest.Options{Schema: sc, RowGroup: halfProvenGroupLen, NoDictionary: true, StoreSchema: true, CreatedBy: createdBy}, rec)
}

// BenchmarkCheckHalfProvenParquet checks a file half of whose row groups
// statistics prove (writeHalfProven) and reports, beside the time, the
// bytes decoding read from the file (the hash reads every byte once more).
func BenchmarkCheckHalfProvenParquet(b *testing.B) {
	path := filepath.Join(b.TempDir(), "half.parquet")
	writeHalfProven(b, path, "")
	var n atomic.Int64
	opts := Options{Contract: parseContract(b, halfProvenContract), Files: []string{path}, Source: source.Options{
		Mem: memory.NewGoAllocator(),
		Open: func(ctx context.Context, name string) (source.Input, error) {
			in, err := source.OpenFile(name)
			return countedInput{Input: in, n: &n}, err
		}}}
	const rows = halfProvenGroups * halfProvenGroupLen
	var decoded int64
	start := cpuTime(syscall.RUSAGE_SELF)
	for b.Loop() {
		n.Store(0)
		rep, err := Check(context.Background(), opts)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Summary.Rows != rows || len(rep.Findings) != 4 {
			b.Fatalf("rows %d, want %d; findings:\n%s", rep.Summary.Rows, rows, dump(rep.Findings))
		}
		for _, f := range rep.Findings {
			if f.Count != halfProvenGroups/2 {
				b.Fatalf("findings:\n%s\nwant each counting %d", dump(rep.Findings), halfProvenGroups/2)
			}
		}
		decoded += n.Load() - rep.Inputs[0].Size
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(cpuTime(syscall.RUSAGE_SELF)-start)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(decoded)/float64(b.N)/1e6, "MB-decoded/op")
}

// BenchmarkRemoteHalfProven checks the half-proven file from the S3 test
// server, as written by a trusted writer (half its chunks proven, not
// fetched) and by an untrusted one (every chunk fetched and decoded), and
// reports the time and the megabytes fetched of each.
//
//	go test -run '^$' -bench RemoteHalfProven ./checker/   (with the test servers of .ci/test)
func BenchmarkRemoteHalfProven(b *testing.B) {
	st := objstoretest.S3(b)
	dir := b.TempDir()
	for _, name := range []string{"trusted", "distrusted"} {
		path := filepath.Join(dir, name+".parquet")
		writeHalfProven(b, path, map[string]string{"distrusted": "some-writer 1.0"}[name])
		st.PutFile(b, "half/"+name+".parquet", path)
	}
	c := parseContract(b, halfProvenContract)
	var took [2]time.Duration
	var fetched [2]int64
	for b.Loop() {
		for i, name := range []string{"trusted", "distrusted"} {
			start := time.Now()
			rep, err := Check(context.Background(), Options{Contract: c, Files: []string{st.URL("half/" + name + ".parquet")},
				Source: source.Options{Remote: st.NewClient(b)}})
			if err != nil {
				b.Fatal(err)
			}
			took[i] += time.Since(start)
			fetched[i] += rep.Inputs[0].Object.BytesRead
		}
	}
	n := float64(b.N)
	b.ReportMetric(took[0].Seconds()/n, "s-proven/op")
	b.ReportMetric(took[1].Seconds()/n, "s-read/op")
	b.ReportMetric(float64(fetched[0])/n/1e6, "MB-fetched-proven/op")
	b.ReportMetric(float64(fetched[1])/n/1e6, "MB-fetched-read/op")
}
