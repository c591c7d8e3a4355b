package checker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/driftgate/driftgate/checker/profile"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/source"
)

// lanesContract has a lane of every kind: columns with uniqueness, a
// format, a range, a required value and missing values, a composite key,
// fields nested in a struct, and two SLAs on a timestamp column.
const lanesContract = `apiVersion: v3.1.0
kind: DataContract
id: urn:test:lanes
name: lanes
version: 1.0.0
status: active
slaProperties:
  - property: latency
    value: 30
    unit: d
    element: t.ts
  - property: retention
    value: 35
    unit: d
    element: t.ts
schema:
  - name: t
    properties:
      - name: order_id
        logicalType: integer
        unique: true
      - name: a
        logicalType: integer
        primaryKey: true
        primaryKeyPosition: 1
      - name: b
        logicalType: string
        primaryKey: true
        primaryKeyPosition: 2
      - name: email
        logicalType: string
        required: true
        logicalTypeOptions:
          format: email
      - name: amount
        logicalType: number
        logicalTypeOptions:
          minimum: 0
        quality:
          - metric: missingValues
            arguments:
              missingValues: [-1]
            mustBe: 0
      - name: ts
        logicalType: timestamp
      - name: customer
        logicalType: object
        properties:
          - name: zip
            logicalType: string
            required: true
            logicalTypeOptions:
              pattern: "^[0-9]{5}$"
`

var lanesSchema = arrow.NewSchema([]arrow.Field{
	{Name: "order_id", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "a", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "b", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "email", Type: arrow.BinaryTypes.String, Nullable: true},
	{Name: "amount", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "ts", Type: &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, Nullable: true},
	{Name: "customer", Nullable: true, Type: arrow.StructOf(
		arrow.Field{Name: "zip", Type: arrow.BinaryTypes.String, Nullable: true})},
}, nil)

// lanesNow is the time the SLA is judged at: rows older than 30 days
// before it fail.
var lanesNow = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

// lanesRows are n records, with something wrong, every few hundred rows,
// in each lane; text formats also get cells of the wrong type.
func lanesRows(n int, text bool) []map[string]any {
	rows := make([]map[string]any, n)
	for i := range rows {
		b := []string{"x", "y"}[i%2]
		if i%700 == 1 {
			b = "x" // the key (i/2, x) of the row before
		}
		id := int64(i + 1)
		if i%500 == 499 {
			id = int64(i) // the row before's
		}
		row := map[string]any{
			"order_id": id, "a": i / 2, "b": b,
			"email":    fmt.Sprintf("user%d@example.com", i),
			"amount":   float64(i%1000) / 10,
			"ts":       lanesNow.Add(-time.Duration(i%40) * 24 * time.Hour).Format(time.RFC3339),
			"customer": map[string]any{"zip": fmt.Sprintf("%05d", i%100000)},
		}
		switch {
		case i%97 == 0:
			row["email"] = nil
		case i%131 == 0:
			row["email"] = "not an address"
		}
		switch {
		case i%113 == 0:
			row["amount"] = -2.5
		case i%89 == 0:
			row["amount"] = -1 // a missing value
		case text && i%257 == 0:
			row["amount"] = "oops"
		}
		switch {
		case i%61 == 0:
			row["customer"] = map[string]any{"zip": "12"}
		case i%67 == 0:
			row["customer"] = map[string]any{"zip": nil}
		}
		rows[i] = row
	}
	return rows
}

// writeLanes writes the rows as NDJSON, CSV (no nested column: CSV has
// none) or Parquet (row groups of 1,000), and returns the file.
func writeLanes(t *testing.T, format string, n int) string {
	t.Helper()
	rows := lanesRows(n, format != "parquet")
	path := filepath.Join(t.TempDir(), "orders."+format)
	switch format {
	case "json", "parquet":
		var b strings.Builder
		for _, row := range rows {
			line, err := json.Marshal(row)
			if err != nil {
				t.Fatal(err)
			}
			b.Write(line)
			b.WriteByte('\n')
		}
		if format == "json" {
			if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			return path
		}
		rec, _, err := array.RecordFromJSON(memory.NewGoAllocator(), lanesSchema, strings.NewReader(b.String()), array.WithMultipleDocs())
		if err != nil {
			t.Fatalf("build the record: %v", err)
		}
		defer rec.Release()
		writeRecords(t, path, lanesSchema, 1000, rec)
		return path
	}
	var b strings.Builder
	b.WriteString("order_id,a,b,email,amount,ts\n")
	for _, row := range rows {
		for j, name := range []string{"order_id", "a", "b", "email", "amount", "ts"} {
			if j > 0 {
				b.WriteByte(',')
			}
			if v := row[name]; v != nil {
				fmt.Fprint(&b, v)
			}
		}
		b.WriteByte('\n')
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// checkLanes checks path in batches of batchSize rows with a profile tap
// and a checked allocator, and returns the JSON report and profile.
func checkLanes(t *testing.T, path string, batchSize int) (string, string) {
	t.Helper()
	c := parseContract(t, lanesContract)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	tap := profile.NewTap(profile.Options{Contract: c, Schema: &c.Schemas[0]})
	rep, err := Check(context.Background(), Options{
		Contract: c, Files: []string{path}, Now: lanesNow, Taps: []Tap{tap},
		Source: source.Options{Mem: mem, BatchSize: batchSize},
	})
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	mem.AssertSize(t, 0)
	prof, err := tap.Profile([]profile.Source{{Path: path}})
	if err != nil {
		t.Fatalf("profile: %v", err)
	}
	rep.Inputs[0].Path = "" // the same file, whatever the batches
	out, err := json.MarshalIndent(struct {
		Findings []report.Finding
		Checks   []report.Check
		Rows     int64
	}{rep.Findings, rep.Checks, rep.Summary.Rows}, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	p, err := json.Marshal(prof.Columns)
	if err != nil {
		t.Fatal(err)
	}
	return string(out), string(p)
}

func TestLanesReportWhatOneBatchAtATimeReports(t *testing.T) {
	const rows = 5000
	for _, format := range []string{"csv", "json", "parquet"} {
		t.Run(format+": batches of 7, 100 and 64Ki rows give the same findings, examples, lines and profile", func(t *testing.T) {
			path := writeLanes(t, format, rows)
			want, wantProfile := checkLanes(t, path, 1<<16)
			for _, f := range []string{"VALUE_UNIQUE", "VALUE_FORMAT", "VALUE_NULL", "VALUE_RANGE", "QUALITY_MISSING_VALUES", "SLA_RETENTION"} {
				if !strings.Contains(want, f) {
					t.Errorf("no %s finding in the one-batch report:\n%s", f, want)
				}
			}
			if format != "parquet" && !strings.Contains(want, `"line": `) {
				t.Errorf("no example of a text file has a line:\n%s", want)
			}
			for _, batch := range []int{7, 100, 7} {
				got, gotProfile := checkLanes(t, path, batch)
				if got != want {
					t.Errorf("batches of %d: report differs from one batch's\n got: %s\nwant: %s", batch, got, want)
				}
				if gotProfile != wantProfile {
					t.Errorf("batches of %d: profile differs from one batch's", batch)
				}
			}
		})
	}
}

// panicTap panics on its nth batch; cancel, when set, is called on that
// batch instead.
type panicTap struct {
	nth     int64
	batches atomic.Int64
	cancel  func()
}

func (p *panicTap) Open(string, source.Format, *arrow.Schema) ([]string, error) {
	return []string{"order_id"}, nil
}

func (p *panicTap) Batch(arrow.RecordBatch, []source.CellError) error {
	if p.batches.Add(1) == p.nth {
		if p.cancel != nil {
			p.cancel()
			return nil
		}
		var a []int
		_ = a[3]
	}
	return nil
}

// goroutinesSettle waits for the goroutines of a run to end: the count
// before it, give or take none.
func goroutinesSettle(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines left running, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestALaneThatPanicsMakesTheFileUnreadable(t *testing.T) {
	for _, format := range []string{"csv", "parquet"} {
		t.Run(format+": the panic is a read error naming the batch, every lane stops, nothing leaks", func(t *testing.T) {
			path := writeLanes(t, format, 3000)
			before := runtime.NumGoroutine()
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			rep, err := Check(context.Background(), Options{
				Contract: parseContract(t, lanesContract), Files: []string{path}, Now: lanesNow,
				Taps:   []Tap{&panicTap{nth: 5}},
				Source: source.Options{Mem: mem, BatchSize: 100},
			})
			var re *source.ReadError
			if !errors.As(err, &re) || re.Path != path || !strings.Contains(err.Error(), "index out of range") {
				t.Fatalf("err = %v, want a read error of %s carrying the panic", err, path)
			}
			if re.Row != 401 {
				t.Errorf("read error at row %d, want 401 (the fifth batch of 100)", re.Row)
			}
			if rep == nil || rep.Status != report.StatusError {
				t.Fatalf("report %+v, want status error", rep)
			}
			mem.AssertSize(t, 0)
			goroutinesSettle(t, before)
		})
	}
}

func TestCancelStopsEveryLane(t *testing.T) {
	for _, format := range []string{"csv", "parquet"} {
		t.Run(format+": a run cancelled mid-file ends with the context's error and leaks nothing", func(t *testing.T) {
			path := writeLanes(t, format, 3000)
			before := runtime.NumGoroutine()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			_, err := Check(ctx, Options{
				Contract: parseContract(t, lanesContract), Files: []string{path}, Now: lanesNow,
				Taps:   []Tap{&panicTap{nth: 3, cancel: cancel}},
				Source: source.Options{Mem: mem, BatchSize: 100},
			})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			mem.AssertSize(t, 0)
			goroutinesSettle(t, before)
		})
	}
}

func TestAPanickingLaneFailsItsBatchAndTheOtherLanesFinish(t *testing.T) {
	var ran [3]atomic.Int64
	tasks := []func(*flight) error{
		func(*flight) error { ran[0].Add(1); return nil },
		func(f *flight) error {
			ran[1].Add(1)
			if f.FirstRow == 2 {
				var a []int
				_ = a[3]
			}
			return nil
		},
		func(*flight) error { ran[2].Add(1); return nil },
	}
	l := startLanes(tasks, 3)
	fs := sendRows(l, 3)
	for _, f := range fs {
		<-f.done // every batch is released, the failed one too
	}
	l.stop(false)
	if err := fs[1].failure(); err == nil || !strings.Contains(err.Error(), "index out of range") {
		t.Errorf("batch 2: err = %v, want the panic as an error", err)
	}
	if err := fs[0].failure(); err != nil {
		t.Errorf("batch 1: err = %v, want none", err)
	}
	if got := ran[1].Load(); got != 2 {
		t.Errorf("the panicking lane ran %d tasks, want 2 (none after its panic)", got)
	}
	// The other lanes stop their work once one failed; how far they got
	// before is up to the scheduler.
	for _, j := range []int{0, 2} {
		if got := ran[j].Load(); got > 3 {
			t.Errorf("lane %d ran %d tasks, want at most 3", j, got)
		}
	}
}

func TestInFlightBatchesFollowTheBatchSize(t *testing.T) {
	tests := []struct {
		rows, want int
	}{
		{0, 4}, {source.DefaultBatchSize, 4}, {1 << 20, 2}, {100, 8}, {128 << 10, 2},
	}
	for _, tt := range tests {
		if got := inFlight(tt.rows); got != tt.want {
			t.Errorf("inFlight(%d) = %d, want %d", tt.rows, got, tt.want)
		}
	}
}

func TestAFastLaneDoesNotWaitForASlowOne(t *testing.T) {
	// Lane 0 cannot finish batch 1 until lane 1 has finished batch 3: with a
	// barrier per batch this would never end.
	third := make(chan struct{})
	var order []int64 // lane 1's batches, in the order it took them
	tasks := []func(*flight) error{
		func(f *flight) error {
			if f.FirstRow == 1 {
				select {
				case <-third:
				case <-time.After(5 * time.Second):
					return errors.New("lane 1 never got to batch 3")
				}
			}
			return nil
		},
		func(f *flight) error {
			order = append(order, f.FirstRow)
			if f.FirstRow == 3 {
				close(third)
			}
			return nil
		},
	}
	l := startLanes(tasks, 3)
	fs := sendRows(l, 3)
	for _, f := range fs {
		<-f.done
		if err := f.failure(); err != nil {
			t.Fatalf("batch %d: %v", f.FirstRow, err)
		}
	}
	l.stop(false)
	if fmt.Sprint(order) != "[1 2 3]" {
		t.Errorf("lane 1 took the batches in the order %v, want [1 2 3]", order)
	}
}

// sendRows sends n one-row flights, rows 1 to n, and returns them.
func sendRows(l *lanes, n int64) []*flight {
	var fs []*flight
	for row := int64(1); row <= n; row++ {
		f := &flight{Batch: source.Batch{FirstRow: row}}
		l.send(f)
		fs = append(fs, f)
	}
	return fs
}
