package checker

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/file"

	"github.com/driftgate/driftgate/checker/pqtest"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/checker/source/objstore"
	"github.com/driftgate/driftgate/checker/source/objstore/objstoretest"
)

// TestFullCheckSkipsColumnsTheFooterProves checks Parquet files whose
// trusted statistics prove some columns' rules and not others': a proven
// column is listed in the input's provenByStatistics and its checks pass;
// a column with a value on or past a bound, a null where required, a
// NaN-capable minimum, a uniqueness rule or an untrusted writer is read
// and checked value by value, with the same findings as without proofs.
func TestFullCheckSkipsColumnsTheFooterProves(t *testing.T) {
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "amount", Type: &arrow.Decimal128Type{Precision: 10, Scale: 2}, Nullable: true},
		{Name: "qty", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "rate", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "at", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
		{Name: "id", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	}, nil)
	contract := doc(`- name: amount
  logicalType: number
  physicalType: decimal(10,2)
  required: true
  logicalTypeOptions:
    minimum: 0
    maximum: 1000
- name: qty
  logicalType: integer
  quality:
    - metric: nullValues
      mustBeLessThan: 10
- name: rate
  logicalType: number
  logicalTypeOptions:
    maximum: 1
- name: at
  logicalType: timestamp
  physicalType: timestamptz
  required: true
  logicalTypeOptions:
    minimum: "2020-01-01T00:00:00Z"
- name: id
  logicalType: integer
  unique: true
  logicalTypeOptions:
    minimum: 0`)
	good := `[
{"amount": "1.50", "qty": 3, "rate": 0.5, "at": "2024-01-02T00:00:00Z", "id": 1},
{"amount": "999.99", "qty": null, "rate": null, "at": "2024-01-03T00:00:00Z", "id": 2},
{"amount": "12.00", "qty": null, "rate": -7, "at": "2025-06-01T00:00:00Z", "id": 3}
]`
	tests := []struct {
		name, rows, createdBy string
		trust                 bool
		proven                []string
		failing               map[string]int64 // rule:column -> count
	}{
		{name: "bounds inside the range and no nulls where required are proven",
			rows: good, proven: []string{"amount", "qty", "rate", "at"}},
		{name: "a value on a bound is read, not proven, and passes",
			rows: strings.Replace(good, `"1.50"`, `"0"`, 1), proven: []string{"qty", "rate", "at"}},
		{name: "a value past a bound is read and counted",
			rows: strings.Replace(good, `"1.50"`, `"-0.01"`, 1), proven: []string{"qty", "rate", "at"},
			failing: map[string]int64{"VALUE_RANGE:amount": 1}},
		{name: "a null where required is read and counted",
			rows: strings.Replace(good, `"at": "2024-01-03T00:00:00Z"`, `"at": null`, 1), proven: []string{"amount", "qty", "rate"},
			failing: map[string]int64{"VALUE_NULL:at": 1}},
		{name: "an untrusted writer's statistics prove nothing",
			rows: good, createdBy: "some-writer 1.0"},
		{name: "--trust-statistics trusts any writer",
			rows: good, createdBy: "some-writer 1.0", trust: true, proven: []string{"amount", "qty", "rate", "at"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.parquet")
			writeWithCreatedBy(t, path, sc, tt.rows, tt.createdBy)
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			rep, err := Check(context.Background(), Options{Contract: parseContract(t, contract), Files: []string{path},
				Source: source.Options{Mem: mem}, TrustStatistics: tt.trust})
			mem.AssertSize(t, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got := rep.Inputs[0].ProvenByStatistics; !slices.Equal(got, tt.proven) {
				t.Errorf("proven by statistics %v, want %v", got, tt.proven)
			}
			got := map[string]int64{}
			for _, f := range rep.Findings {
				if f.Severity == report.SeverityError {
					got[f.Rule+":"+f.Column] += f.Count
				}
			}
			if len(got) != len(tt.failing) {
				t.Errorf("failing %v, want %v:\n%s", got, tt.failing, dump(rep.Findings))
			}
			for k, n := range tt.failing {
				if got[k] != n {
					t.Errorf("%s counts %d, want %d:\n%s", k, got[k], n, dump(rep.Findings))
				}
			}
			// Every check ran, proven or read: none is left out.
			checks := map[string]bool{}
			for _, c := range rep.Checks {
				checks[c.Rule+":"+c.Column] = true
			}
			for _, k := range []string{"VALUE_RANGE:amount", "VALUE_NULL:amount", "QUALITY_NULL_VALUES:qty", "VALUE_RANGE:rate",
				"VALUE_RANGE:at", "VALUE_NULL:at", "VALUE_UNIQUE:id", "VALUE_RANGE:id"} {
				if !checks[k] {
					t.Errorf("check %s not listed", k)
				}
			}
		})
	}
}

// TestAProvenNullMetricCountsTheFootersNulls: qty's two nulls come from
// the footer's null count, and fail a metric that allows one.
func TestAProvenNullMetricCountsTheFootersNulls(t *testing.T) {
	sc := arrow.NewSchema([]arrow.Field{{Name: "qty", Type: arrow.PrimitiveTypes.Int64, Nullable: true}}, nil)
	path := filepath.Join(t.TempDir(), "t.parquet")
	writeWithCreatedBy(t, path, sc, `[{"qty": 1}, {"qty": null}, {"qty": null}, {"qty": 4}]`, "")
	rep, err := Check(context.Background(), Options{Contract: parseContract(t, doc(`- name: qty
  logicalType: integer
  quality:
    - metric: nullValues
      mustBeLessThan: 2`)), Files: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Inputs[0].ProvenByStatistics; !slices.Equal(got, []string{"qty"}) {
		t.Fatalf("proven by statistics %v, want [qty]", got)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Rule != "QUALITY_NULL_VALUES" || rep.Findings[0].Count != 2 {
		t.Errorf("findings:\n%s\nwant one QUALITY_NULL_VALUES counting 2", dump(rep.Findings))
	}
}

// writeWithCreatedBy writes JSON rows as Parquet, naming the writer
// createdBy (empty: arrow-go's own name, a trusted writer).
func writeWithCreatedBy(t *testing.T, path string, sc *arrow.Schema, rows, createdBy string) {
	t.Helper()
	rec, _, err := array.RecordFromJSON(memory.NewGoAllocator(), sc, strings.NewReader(rows))
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Release()
	pqtest.Write(t, path, pqtest.Options{Schema: sc, StoreSchema: true, CreatedBy: createdBy}, rec)
}

// TestAFloatMinimumIsNeverProven: writers leave NaN out of a double
// column's statistics, and NaN is below every minimum, so the column is
// read and its NaN counted although the footer's minimum is in range.
func TestAFloatMinimumIsNeverProven(t *testing.T) {
	sc := arrow.NewSchema([]arrow.Field{{Name: "score", Type: arrow.PrimitiveTypes.Float64}}, nil)
	b := array.NewFloat64Builder(memory.NewGoAllocator())
	b.AppendValues([]float64{1, math.NaN(), 2}, nil)
	col := b.NewArray()
	defer col.Release()
	rec := array.NewRecordBatch(sc, []arrow.Array{col}, 3)
	defer rec.Release()
	path := filepath.Join(t.TempDir(), "t.parquet")
	writeRecords(t, path, sc, 10, rec)
	rep, err := Check(context.Background(), Options{Contract: parseContract(t, doc(`- name: score
  logicalType: number
  logicalTypeOptions:
    minimum: 0`)), Files: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	if got := rep.Inputs[0].ProvenByStatistics; len(got) != 0 {
		t.Errorf("proven by statistics %v, want none", got)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Rule != "VALUE_RANGE" || rep.Findings[0].Count != 1 {
		t.Errorf("findings:\n%s\nwant one VALUE_RANGE counting the NaN", dump(rep.Findings))
	}
}

// rowGroupSchema and rowGroupContract are the data of the row-group proof
// tests: amount, qty and at have rules statistics decide (bounds, nulls
// where required, a nullValues metric); id has a uniqueness rule, so it is
// always read.
var rowGroupSchema = arrow.NewSchema([]arrow.Field{
	{Name: "amount", Type: &arrow.Decimal128Type{Precision: 10, Scale: 2}, Nullable: true},
	{Name: "qty", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "at", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
	{Name: "id", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
}, nil)

var rowGroupContract = doc(`- name: amount
  logicalType: number
  physicalType: decimal(10,2)
  required: true
  logicalTypeOptions:
    minimum: 0
    maximum: 1000
- name: qty
  logicalType: integer
  logicalTypeOptions:
    maximum: 50
  quality:
    - metric: nullValues
      mustBeLessThan: 30
- name: at
  logicalType: timestamp
  physicalType: timestamptz
  required: true
  logicalTypeOptions:
    minimum: "2020-01-01T00:00:00Z"
- name: id
  logicalType: integer
  unique: true`)

const (
	rowGroupRows = 1000
	rowGroupsN   = 6
)

// rowGroupRecord holds six row groups of 1,000 rows. In row group 1 two
// amounts lie below the minimum; in 2 an amount sits on the maximum (a
// bound is read, and passes); in 3 at has a null although required; in 4
// a qty of bad passes the maximum; every tenth qty is null (600, and
// the contract allows fewer than 30). Every other
// chunk of amount, qty and at is proven by its statistics.
func rowGroupRecord(t testing.TB, bad int64) arrow.RecordBatch {
	t.Helper()
	b := array.NewRecordBuilder(memory.NewGoAllocator(), rowGroupSchema)
	defer b.Release()
	amount := b.Field(0).(*array.Decimal128Builder)
	qty := b.Field(1).(*array.Int64Builder)
	at := b.Field(2).(*array.TimestampBuilder)
	id := b.Field(3).(*array.Int64Builder)
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	for i := range int64(rowGroupRows * rowGroupsN) {
		rg, row := i/rowGroupRows, i%rowGroupRows
		switch {
		case rg == 1 && (row == 17 || row == 800):
			amount.Append(decimal128.FromI64(-450))
		case rg == 2 && row == 5:
			amount.Append(decimal128.FromI64(100_000))
		default:
			amount.Append(decimal128.FromI64(100 + i%90_000))
		}
		switch {
		case i%10 == 3:
			qty.AppendNull()
		case rg == 4 && row == 321:
			qty.Append(bad)
		default:
			qty.Append(i % 50)
		}
		if rg == 3 && row == 42 {
			at.AppendNull()
		} else {
			at.Append(arrow.Timestamp(start + i*1_000_000))
		}
		id.Append(i + 1)
	}
	return b.NewRecordBatch()
}

// writeRowGroups writes rowGroupRecord in its six row groups, naming the
// writer createdBy (empty: arrow-go's own name, a trusted writer).
func writeRowGroups(t testing.TB, path, createdBy string, bad int64) {
	t.Helper()
	rec := rowGroupRecord(t, bad)
	defer rec.Release()
	pqtest.Write(t, path, pqtest.Options{Schema: rowGroupSchema, RowGroup: rowGroupRows, NoDictionary: true, StoreSchema: true, CreatedBy: createdBy}, rec)
}

// checkCounted checks path with the row-group contract and returns the
// report and the bytes read from the file beyond its size (the hash reads
// each byte once): what decoding read.
func checkCounted(t *testing.T, path string, opts Options) (*report.Report, int64) {
	t.Helper()
	var n atomic.Int64
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	opts.Contract = parseContract(t, rowGroupContract)
	opts.Files = []string{path}
	opts.Source = source.Options{Mem: mem, BatchSize: 384, Open: func(ctx context.Context, name string) (source.Input, error) {
		in, err := source.OpenFile(name)
		return countedInput{Input: in, n: &n}, err
	}}
	rep, err := Check(context.Background(), opts)
	mem.AssertSize(t, 0)
	if err != nil {
		t.Fatal(err)
	}
	return rep, n.Load() - rep.Inputs[0].Size
}

// verdictOf is what a user sees of a report, with the data's path written
// as $DATA so that reports of two files compare equal.
func verdictOf(t *testing.T, rep *report.Report) string {
	t.Helper()
	b, err := json.MarshalIndent(struct {
		Status   report.Status
		Summary  report.Summary
		Checks   []report.Check
		Findings []report.Finding
	}{rep.Status, rep.Summary, rep.Checks, rep.Findings}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(b), rep.Inputs[0].Path, "$DATA")
}

// skippedBytes is the compressed size of the named chunks of path.
func skippedBytes(t *testing.T, path string, chunks map[string][]int) int64 {
	t.Helper()
	pf, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	md := pf.MetaData()
	var n int64
	for name, rgs := range chunks {
		for _, rg := range rgs {
			cc, err := md.RowGroup(rg).ColumnChunk(md.Schema.ColumnIndexByName(name))
			if err != nil {
				t.Fatal(err)
			}
			n += cc.TotalCompressedSize()
		}
	}
	return n
}

// TestFullCheckSkipsTheRowGroupsStatisticsProve checks a file whose
// statistics prove some row groups of a column and not others: the proven
// chunks are not read, the report says how many row groups of which
// column were proven, and every count, finding and example is the one a
// run that distrusts the statistics gives.
func TestFullCheckSkipsTheRowGroupsStatisticsProve(t *testing.T) {
	dir := t.TempDir()
	trusted, distrusted := filepath.Join(dir, "trusted.parquet"), filepath.Join(dir, "distrusted.parquet")
	writeRowGroups(t, trusted, "", 99)
	writeRowGroups(t, distrusted, "some-writer 1.0", 99)

	got, read := checkCounted(t, trusted, Options{})
	want, readAll := checkCounted(t, distrusted, Options{})
	if g, w := verdictOf(t, got), verdictOf(t, want); g != w {
		t.Errorf("the verdict with row groups proven differs from the one read in full:\nproven %s\nread   %s", g, w)
	}
	wantProven := []report.ProvenRowGroups{{Column: "amount", Proven: 4, RowGroups: 6}, {Column: "qty", Proven: 5, RowGroups: 6},
		{Column: "at", Proven: 5, RowGroups: 6}}
	if g := got.Inputs[0].ProvenRowGroups; !slices.Equal(g, wantProven) {
		t.Errorf("proven row groups %+v, want %+v", g, wantProven)
	}
	if g := want.Inputs[0].ProvenRowGroups; len(g) != 0 {
		t.Errorf("an untrusted writer's statistics proved row groups: %+v", g)
	}
	// The findings are the planted ones, with their rows.
	failing := map[string]string{}
	for _, f := range got.Findings {
		if f.Severity == report.SeverityError {
			var rows []string
			for _, e := range f.Examples {
				rows = append(rows, strconv.FormatInt(e.Row, 10))
			}
			failing[f.Rule+":"+f.Column] = fmt.Sprintf("%d at %s", f.Count, strings.Join(rows, ","))
		}
	}
	// qty's 600 nulls are counted from the statistics in five row groups.
	wantFailing := map[string]string{"VALUE_RANGE:amount": "2 at 1018,1801", "VALUE_RANGE:qty": "1 at 4322", "VALUE_NULL:at": "1 at 3043",
		"QUALITY_NULL_VALUES:qty": "600 at "}
	if !maps.Equal(failing, wantFailing) {
		t.Errorf("failing %v, want %v:\n%s", failing, wantFailing, dump(got.Findings))
	}
	if got.Inputs[0].Rows != rowGroupRows*rowGroupsN {
		t.Errorf("%d rows, want %d", got.Inputs[0].Rows, rowGroupRows*rowGroupsN)
	}
	skipped := skippedBytes(t, trusted, map[string][]int{"amount": {0, 3, 4, 5}, "qty": {0, 1, 2, 3, 5}, "at": {0, 1, 2, 4, 5}})
	if saved := readAll - read; saved < skipped*9/10 {
		t.Errorf("decoding read %d bytes with proofs, %d without: %d fewer, want at least the proven chunks' %d", read, readAll, saved, skipped)
	}
	t.Logf("decoding read %d bytes with proofs, %d without; proven chunks %d bytes", read, readAll, skipped)
}

// TestARowGroupProofTrustsOnlyTrustedStatistics: statistics that lie (a
// footer whose maximum of qty hides a value past the contract's maximum)
// are believed when the writer is one whose statistics are trusted, or
// --trust-statistics says so; from any other writer the chunk is read and
// the value found.
func TestARowGroupProofTrustsOnlyTrustedStatistics(t *testing.T) {
	const bad = 7777
	tests := []struct {
		name, createdBy string
		trust           bool
		found           bool
	}{
		{name: "a trusted writer's statistics are believed", createdBy: ""},
		{name: "an untrusted writer's statistics are not", createdBy: "some-writer 1.0", found: true},
		{name: "--trust-statistics believes any writer", createdBy: "some-writer 1.0", trust: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "t.parquet")
			writeRowGroups(t, path, tt.createdBy, bad)
			lieInFooter(t, path, bad, 40)
			rep, _ := checkCounted(t, path, Options{TrustStatistics: tt.trust})
			var found bool
			for _, f := range rep.Findings {
				found = found || f.Rule == "VALUE_RANGE" && f.Column == "qty" && f.Count == 1 && f.Examples[0].Value == "7777"
			}
			if found != tt.found {
				t.Errorf("the qty of %d past the maximum found: %v, want %v:\n%s", bad, found, tt.found, dump(rep.Findings))
			}
			proven := slices.ContainsFunc(rep.Inputs[0].ProvenRowGroups, func(p report.ProvenRowGroups) bool {
				return p.Column == "qty" && p.Proven == 6
			}) || slices.Contains(rep.Inputs[0].ProvenByStatistics, "qty")
			if proven == tt.found {
				t.Errorf("qty proven in every row group: %v; inputs %+v", proven, rep.Inputs[0])
			}
		})
	}
}

// lieInFooter rewrites every int64 statistic of value was in the footer of
// the Parquet file at path as is: a writer that lies.
func lieInFooter(t *testing.T, path string, was, is int64) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	size := len(data)
	footer := int(binary.LittleEndian.Uint32(data[size-8:]))
	from, to := binary.LittleEndian.AppendUint64(nil, uint64(was)), binary.LittleEndian.AppendUint64(nil, uint64(is))
	md := data[size-8-footer : size-8]
	if bytes.Count(md, from) == 0 {
		t.Fatalf("the footer holds no statistic %d", was)
	}
	copy(md, bytes.ReplaceAll(md, from, to))
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// valueTap is a Tap that reads one column, as a profile does, and counts
// the values it is handed.
type valueTap struct {
	column string
	values int
}

func (v *valueTap) Open(string, source.Format, *arrow.Schema) ([]string, error) {
	return []string{v.column}, nil
}

func (v *valueTap) Batch(rec arrow.RecordBatch, _ []source.CellError) error {
	col := rec.Column(0)
	if col.DataType().ID() == arrow.NULL {
		return fmt.Errorf("column %s handed over undecoded", v.column)
	}
	v.values += col.Len() - col.NullN()
	return nil
}

// TestATapReadsEveryRowGroupOfItsColumns: a profile needs every value, so
// a column a tap reads is decoded in every row group, and the others are
// still proven where they can be.
func TestATapReadsEveryRowGroupOfItsColumns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.parquet")
	writeRowGroups(t, path, "", 99)
	tap := &valueTap{column: "amount"}
	rep, _ := checkCounted(t, path, Options{Taps: []Tap{tap}})
	if tap.values != rowGroupRows*rowGroupsN {
		t.Errorf("the tap saw %d amounts, want %d", tap.values, rowGroupRows*rowGroupsN)
	}
	want := []report.ProvenRowGroups{{Column: "qty", Proven: 5, RowGroups: 6}, {Column: "at", Proven: 5, RowGroups: 6}}
	if g := rep.Inputs[0].ProvenRowGroups; !slices.Equal(g, want) {
		t.Errorf("proven row groups %+v, want %+v", g, want)
	}
}

// TestAProvenChunkIsNotFetched checks the half-proven file (its chunks
// larger than the gap the object store client bridges) from a loopback
// HTTP server and from the S3 test server: the bytes fetched drop by at
// least the proven chunks', and the verdict is the one of a file from a
// writer whose statistics are not trusted, read whole.
func TestAProvenChunkIsNotFetched(t *testing.T) {
	dir := t.TempDir()
	trusted, distrusted := filepath.Join(dir, "trusted.parquet"), filepath.Join(dir, "distrusted.parquet")
	writeHalfProven(t, trusted, "")
	writeHalfProven(t, distrusted, "some-writer 1.0")
	proven := map[string][]int{}
	for _, name := range []string{"amount", "qty", "customer_id", "at"} {
		for rg := 0; rg < halfProvenGroups; rg += 2 {
			proven[name] = append(proven[name], rg)
		}
	}
	skipped := skippedBytes(t, trusted, proven)
	c := parseContract(t, halfProvenContract)
	compare := func(t *testing.T, fetch func(name string) (*report.Report, int64)) {
		got, fetched := fetch("trusted.parquet")
		want, fetchedAll := fetch("distrusted.parquet")
		if g, w := verdictOf(t, got), verdictOf(t, want); g != w {
			t.Errorf("the verdict with row groups proven differs from the one read in full:\nproven %s\nread   %s", g, w)
		}
		var wantProven []report.ProvenRowGroups
		for _, name := range []string{"amount", "qty", "customer_id", "at"} {
			wantProven = append(wantProven, report.ProvenRowGroups{Column: name, Proven: halfProvenGroups / 2, RowGroups: halfProvenGroups})
		}
		if g := got.Inputs[0].ProvenRowGroups; !slices.Equal(g, wantProven) {
			t.Errorf("proven row groups %+v, want %+v", g, wantProven)
		}
		if saved := fetchedAll - fetched; saved < skipped*9/10 {
			t.Errorf("fetched %d bytes with proofs, %d without: %d fewer, want at least the proven chunks' %d", fetched, fetchedAll, saved, skipped)
		}
		if got.Inputs[0].Object.BytesRead != fetched {
			t.Errorf("the report says %d bytes were fetched, the server served %d", got.Inputs[0].Object.BytesRead, fetched)
		}
		t.Logf("fetched %d bytes with proofs, %d without; proven chunks %d bytes", fetched, fetchedAll, skipped)
	}
	check := func(t *testing.T, url string, remote *objstore.Client) *report.Report {
		rep, err := Check(context.Background(), Options{Contract: c, Files: []string{url}, Source: source.Options{Remote: remote}})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}

	t.Run("from a web server", func(t *testing.T) {
		var served atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.ServeFile(countingWriter{w, &served}, r, filepath.Join(dir, filepath.Base(r.URL.Path)))
		}))
		defer srv.Close()
		compare(t, func(name string) (*report.Report, int64) {
			served.Store(0)
			rep := check(t, srv.URL+"/"+name, objstore.New(objstore.Config{HTTPClient: srv.Client()}))
			return rep, served.Load()
		})
	})
	t.Run("from S3", func(t *testing.T) {
		st := objstoretest.S3(t)
		st.PutFile(t, "half/trusted.parquet", trusted)
		st.PutFile(t, "half/distrusted.parquet", distrusted)
		compare(t, func(name string) (*report.Report, int64) {
			st.Reset()
			rep := check(t, st.URL("half/"+name), st.NewClient(t))
			return rep, rep.Inputs[0].Object.BytesRead
		})
	})
}

// countingWriter counts the body bytes a handler writes.
type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

// Write counts p before it is sent: counted after, a last write's bytes
// could reach the client, and the check end, before the handler's Add
// ran (the test then read 5,400 bytes fewer than the client had). A short
// write takes back what it did not send.
func (w countingWriter) Write(p []byte) (int, error) {
	w.n.Add(int64(len(p)))
	n, err := w.ResponseWriter.Write(p)
	w.n.Add(int64(n - len(p)))
	return n, err
}

// TestEachKindOfBoundIsProvenPerRowGroup: integers, a float's maximum,
// dates, millisecond timestamps and decimals are each proven in the row
// group inside their bounds and read, with the value found, in the one
// past them. (at stays a day clear of its bound: the rounding margin of a
// nanosecond instant in 2030 is about 2 s, and a chunk within it is read.)
func TestEachKindOfBoundIsProvenPerRowGroup(t *testing.T) {
	sc := arrow.NewSchema([]arrow.Field{
		{Name: "small", Type: arrow.PrimitiveTypes.Int32},
		{Name: "ratio", Type: arrow.PrimitiveTypes.Float64},
		{Name: "day", Type: arrow.FixedWidthTypes.Date32},
		{Name: "at", Type: &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}},
		{Name: "price", Type: &arrow.Decimal128Type{Precision: 18, Scale: 3}},
	}, nil)
	contract := doc(`- name: small
  logicalType: integer
  logicalTypeOptions:
    exclusiveMaximum: 100
- name: ratio
  logicalType: number
  logicalTypeOptions:
    maximum: 1
- name: day
  logicalType: date
  logicalTypeOptions:
    minimum: "2020-01-01"
- name: at
  logicalType: timestamp
  physicalType: timestamptz
  logicalTypeOptions:
    maximum: "2030-01-01T00:00:00Z"
- name: price
  logicalType: number
  physicalType: decimal(18,3)
  logicalTypeOptions:
    minimum: -5`)
	inside := `[{"small": 1, "ratio": 0.5, "day": "2024-01-01", "at": "2024-01-01T00:00:00Z", "price": "-4.999"},
{"small": 99, "ratio": -7, "day": "2020-01-02", "at": "2029-12-31T00:00:00Z", "price": "12.5"}]`
	past := `[{"small": 100, "ratio": 1.5, "day": "2019-12-31", "at": "2030-01-01T00:00:00.001Z", "price": "-5.001"},
{"small": 3, "ratio": 0, "day": "2021-01-01", "at": "2021-01-01T00:00:00Z", "price": "0"}]`
	var recs []arrow.RecordBatch
	for _, rows := range []string{inside, past} {
		rec, _, err := array.RecordFromJSON(memory.NewGoAllocator(), sc, strings.NewReader(rows))
		if err != nil {
			t.Fatal(err)
		}
		defer rec.Release()
		recs = append(recs, rec)
	}
	path := filepath.Join(t.TempDir(), "t.parquet")
	pqtest.Write(t, path, pqtest.Options{Schema: sc, StoreSchema: true}, recs...)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	rep, err := Check(context.Background(), Options{Contract: parseContract(t, contract), Files: []string{path}, Source: source.Options{Mem: mem}})
	mem.AssertSize(t, 0)
	if err != nil {
		t.Fatal(err)
	}
	var want []report.ProvenRowGroups
	for _, name := range []string{"small", "ratio", "day", "at", "price"} {
		want = append(want, report.ProvenRowGroups{Column: name, Proven: 1, RowGroups: 2})
	}
	if got := rep.Inputs[0].ProvenRowGroups; !slices.Equal(got, want) {
		t.Errorf("proven row groups %+v, want %+v", got, want)
	}
	found := map[string]string{}
	for _, f := range rep.Findings {
		if f.Rule == "VALUE_RANGE" && f.Count == 1 && len(f.Examples) == 1 && f.Examples[0].Row == 3 {
			found[f.Column] = f.Examples[0].Value
		}
	}
	if len(found) != 5 || len(rep.Findings) != 5 {
		t.Errorf("want one VALUE_RANGE at row 3 for each column, found %v:\n%s", found, dump(rep.Findings))
	}
}
