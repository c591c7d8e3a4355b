package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/driftgate/driftgate/checker/pqtest"
	"github.com/driftgate/driftgate/checker/profile"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/fixtures/testenv"
)

const driftContract = `apiVersion: v3.1.0
kind: DataContract
id: urn:datacontract:shop:orders
name: orders
version: 2.0.0
status: active
schema:
  - name: orders
    physicalName: orders
    logicalType: object
    properties:
      - name: order_id
        logicalType: integer
        physicalType: int64
        required: true
        customProperties:
          - property: driftgate.drift.exclude
            value: true
      - name: amount
        logicalType: number
        physicalType: double
      - name: quantity
        logicalType: integer
        physicalType: int64
      - name: country
        logicalType: string
      - name: note
        logicalType: string
        quality:
          - metric: missingValues
            arguments:
              missingValues: [null, 'N/A']
            mustBeLessThan: 100
            unit: percent
      - name: order_date
        logicalType: date
        logicalTypeOptions:
          format: yyyy-MM-dd
      - name: is_gift
        logicalType: boolean
`

// driftRows describes one generated batch.
type driftRows struct {
	seed     uint64
	n        int
	amountX  float64 // multiplies the amount
	newQty   bool    // quantities 4 and 5 appear
	nullNote float64 // share of notes that are N/A
	layout   string  // order_date layout
	channel  bool    // an added column
}

func (d driftRows) table() (header []string, rows [][]string) {
	r := rand.New(rand.NewPCG(d.seed, 99))
	header = []string{"order_id", "amount", "quantity", "country", "note", "order_date", "is_gift"}
	if d.channel {
		header = append(header, "channel")
	}
	countries := []string{"DE", "DE", "DE", "FR", "FR", "NL", "BE", "IT"}
	notes := []string{"gift wrap", "express", "leave at door", "call first"}
	layout, amountX := "2006-01-02", 1.0
	if d.layout != "" {
		layout = d.layout
	}
	if d.amountX != 0 {
		amountX = d.amountX
	}
	for i := 0; i < d.n; i++ {
		qty := 1 + r.IntN(3)
		if d.newQty && r.IntN(5) == 0 {
			qty = 4 + r.IntN(2)
		}
		note := notes[r.IntN(len(notes))]
		if r.Float64() < d.nullNote+0.01 {
			note = "N/A"
		}
		day := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(31))
		row := []string{
			fmt.Sprint(int(d.seed)*100000 + i),
			fmt.Sprintf("%.2f", math.Max(1, 143.8+r.NormFloat64()*30)*amountX),
			fmt.Sprint(qty),
			countries[r.IntN(len(countries))],
			note,
			day.Format(layout),
			fmt.Sprint(r.IntN(10) == 0),
		}
		if d.channel {
			row = append(row, "web")
		}
		rows = append(rows, row)
	}
	return header, rows
}

func (d driftRows) writeCSV(t *testing.T, path string) {
	t.Helper()
	h, rows := d.table()
	var b strings.Builder
	b.WriteString(strings.Join(h, ",") + "\n")
	for _, r := range rows {
		b.WriteString(strings.Join(r, ",") + "\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeParquet writes the batch as Parquet with typed columns; dates stay
// strings only when the layout is not ISO (a producer that flipped the
// format writes text).
func (d driftRows) writeParquet(t *testing.T, path string) {
	t.Helper()
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	_, rows := d.table()
	schema := arrow.NewSchema([]arrow.Field{
		{Name: "order_id", Type: arrow.PrimitiveTypes.Int64},
		{Name: "amount", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "quantity", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
		{Name: "country", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "note", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "order_date", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		{Name: "is_gift", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(mem, schema)
	defer b.Release()
	for _, r := range rows {
		var id, qty int64
		var amount float64
		fmt.Sscan(r[0], &id)
		fmt.Sscan(r[1], &amount)
		fmt.Sscan(r[2], &qty)
		day, _ := time.Parse("2006-01-02", r[5])
		b.Field(0).(*array.Int64Builder).Append(id)
		b.Field(1).(*array.Float64Builder).Append(amount)
		b.Field(2).(*array.Int64Builder).Append(qty)
		b.Field(3).(*array.StringBuilder).Append(r[3])
		b.Field(4).(*array.StringBuilder).Append(r[4])
		b.Field(5).(*array.Date32Builder).Append(arrow.Date32FromTime(day))
		b.Field(6).(*array.BooleanBuilder).Append(r[6] == "true")
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	pqtest.Write(t, path, pqtest.Options{Mem: mem}, rec)
}

// driftCase lays out a working directory: a contract, two baseline days
// and four batches, and returns to it for relative paths in reports.
func driftCase(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll("base", 0o755))
	must(os.WriteFile("orders.odcs.yaml", []byte(driftContract), 0o644))
	driftRows{seed: 1, n: 1500}.writeCSV(t, "base/day1.csv")
	driftRows{seed: 2, n: 1500}.writeCSV(t, "base/day2.csv")
	driftRows{seed: 3, n: 1500}.writeCSV(t, "clean.csv")
	driftRows{seed: 4, n: 1500, amountX: 1.632, newQty: true, nullNote: 0.3, layout: "02/01/2006", channel: true}.writeCSV(t, "drifted.csv")
	driftRows{seed: 1, n: 1500}.writeParquet(t, "base.parquet")
	driftRows{seed: 5, n: 1500, amountX: 1.632}.writeParquet(t, "drifted.parquet")
}

func goldenDrift(t *testing.T, name string, got []byte) {
	t.Helper()
	golden(t, filepath.Join(goldenDir, name), got)
}

// goldenDir is absolute because the drift tests run in a temporary
// directory.
var goldenDir = func() string {
	d, _ := filepath.Abs(filepath.Join("testdata", "drift"))
	return d
}()

func TestProfileAndDriftOnCSV(t *testing.T) {
	driftCase(t)
	c := "orders.odcs.yaml"
	for _, day := range []string{"day1", "day2"} {
		if _, stderr, code := cli(t, nil, "profile", "-c", c, "base/"+day+".csv", "--output", "base/"+day+".profile.json"); code != 0 {
			t.Fatalf("profile %s: exit %d: %s", day, code, stderr)
		}
	}
	stdout, stderr, code := cli(t, nil, "profile", "merge", "base/day1.profile.json", "base/day2.profile.json", "-o", "baseline.profile.json")
	if code != 0 || !strings.Contains(stdout, "merged 2 profiles (3000 rows)") {
		t.Fatalf("merge: exit %d: %s%s", code, stdout, stderr)
	}
	t.Run("merging the days' profiles equals profiling both days at once", func(t *testing.T) {
		if _, stderr, code := cli(t, nil, "profile", "-c", c, "base/", "-o", "whole.profile.json"); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		merged, err := profile.Load("baseline.profile.json")
		if err != nil {
			t.Fatal(err)
		}
		whole, err := profile.Load("whole.profile.json")
		if err != nil {
			t.Fatal(err)
		}
		if merged.Rows != whole.Rows || len(merged.Columns) != len(whole.Columns) || merged.Batches != 2 {
			t.Fatalf("rows %d/%d, columns %d/%d, batches %d", merged.Rows, whole.Rows, len(merged.Columns), len(whole.Columns), merged.Batches)
		}
		for i, w := range whole.Columns {
			m := merged.Columns[i]
			if m.Nulls != w.Nulls || m.Rows != w.Rows {
				t.Errorf("%s: nulls %d, want %d", w.Name, m.Nulls, w.Nulls)
			}
			if w.Numeric != nil && (m.Numeric.Mean != w.Numeric.Mean || m.Numeric.StdDev != w.Numeric.StdDev || m.Numeric.Min != w.Numeric.Min || m.Numeric.Max != w.Numeric.Max) {
				t.Errorf("%s: mean/std/min/max %v %v %v %v, want %v %v %v %v", w.Name, m.Numeric.Mean, m.Numeric.StdDev, m.Numeric.Min, m.Numeric.Max, w.Numeric.Mean, w.Numeric.StdDev, w.Numeric.Min, w.Numeric.Max)
			}
		}
		if len(whole.Sources) != 2 || whole.Sources[0].SHA256 == "" || whole.Sources[0].Size == 0 || whole.Contract.ID != "urn:datacontract:shop:orders" || whole.Contract.Version != "2.0.0" {
			t.Errorf("sources or contract not recorded: %+v %+v", whole.Sources, whole.Contract)
		}
		note, _ := whole.Column("note")
		if note.Nulls == 0 {
			t.Error("missingValues N/A not counted as nulls")
		}
	})
	t.Run("a batch from the same distribution passes with exit 0", func(t *testing.T) {
		stdout, stderr, code := cli(t, nil, "drift", "-b", "baseline.profile.json", "-c", c, "clean.csv")
		if code != exitPass {
			t.Errorf("exit %d, want 0:\n%s%s", code, stdout, stderr)
		}
	})
	t.Run("a drifted batch fails with exit 1 and golden reports in every format", func(t *testing.T) {
		stdout, stderr, code := cli(t, nil, "drift", "-b", "baseline.profile.json", "-c", c, "drifted.csv",
			"--format", "text", "--format", "json=out/drift.json", "--format", "markdown=out/drift.md", "--format", "html=out/drift.html")
		if code != exitFailed {
			t.Fatalf("exit %d, want 1: %s", code, stderr)
		}
		goldenDrift(t, "drifted.txt", []byte(stdout))
		for _, f := range []string{"drift.json", "drift.md", "drift.html"} {
			data, err := os.ReadFile(filepath.Join("out", f))
			if err != nil {
				t.Fatal(err)
			}
			goldenDrift(t, strings.Replace(f, "drift.", "drifted.", 1), data)
		}
		var r report.Report
		data, _ := os.ReadFile(filepath.Join("out", "drift.json"))
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatal(err)
		}
		var msgs []string
		for _, f := range r.Findings {
			msgs = append(msgs, f.Rule+" "+f.Message)
		}
		all := strings.Join(msgs, "\n")
		for _, want := range []string{
			`DRIFT_DISTRIBUTION column "amount": mean 144.7 → 234.5 (+62%)`,
			"DRIFT_CATEGORIES column \"quantity\": new values: `5` (11.5%), `4` (9.1%)",
			`DRIFT_NULL_RATE column "note": nulls 1.1% → 30.0% (+28.9 points)`,
			"DRIFT_FORMAT column \"order_date\": value shapes changed: `9999-99-99` 100% → 0.0%, `99/99/9999` 0.0% → 100%; 1,500 values no longer parse as date32",
			`DRIFT_SCHEMA column "channel" was added since the baseline (utf8)`,
		} {
			if !strings.Contains(all, want) {
				t.Errorf("findings lack %q:\n%s", want, all)
			}
		}
		if len(r.Findings) != 5 {
			t.Errorf("%d findings, want 5 (no row count drift: the baseline is two batches of 1500 rows)", len(r.Findings))
		}
		if strings.Contains(stdout, "order_id") {
			t.Error("order_id is excluded by its customProperty but was reported")
		}
	})
	t.Run("--fail-on never reports drift but exits 0", func(t *testing.T) {
		if _, _, code := cli(t, nil, "drift", "-b", "baseline.profile.json", "-c", c, "--fail-on", "never", "drifted.csv"); code != exitPass {
			t.Errorf("exit %d", code)
		}
	})
	t.Run("--exclude and --threshold silence what they name", func(t *testing.T) {
		stdout, _, _ := cli(t, nil, "drift", "-b", "baseline.profile.json", "-c", c, "--exclude", "amount", "--threshold", "nullRate=0.5", "drifted.csv")
		if strings.Contains(stdout, "DRIFT_DISTRIBUTION") || strings.Contains(stdout, "DRIFT_NULL_RATE") {
			t.Errorf("excluded or relaxed drift reported:\n%s", stdout)
		}
	})
}

func TestDriftOnParquet(t *testing.T) {
	driftCase(t)
	if _, stderr, code := cli(t, nil, "profile", "-c", "orders.odcs.yaml", "base.parquet", "-o", "p.json"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	stdout, stderr, code := cli(t, nil, "drift", "-b", "p.json", "-c", "orders.odcs.yaml", "drifted.parquet", "--format", "json")
	if code != exitFailed {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var r report.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatal(err)
	}
	var rules []string
	for _, f := range r.Findings {
		rules = append(rules, f.Rule+" "+f.Column)
	}
	if strings.Join(rules, ";") != "DRIFT_DISTRIBUTION amount" {
		t.Errorf("findings %v, want only DRIFT_DISTRIBUTION on amount", rules)
	}
	if r.Baseline == nil || r.Baseline.Rows != 1500 || len(r.Drift) != 7 {
		t.Errorf("baseline %+v, %d drift columns", r.Baseline, len(r.Drift))
	}
	t.Run("a CSV batch compares with a Parquet baseline without schema drift", func(t *testing.T) {
		stdout, _, code := cli(t, nil, "drift", "-b", "p.json", "-c", "orders.odcs.yaml", "clean.csv")
		if code != exitPass {
			t.Errorf("exit %d:\n%s", code, stdout)
		}
	})
}

func TestDriftUsageErrors(t *testing.T) {
	driftCase(t)
	if _, stderr, code := cli(t, nil, "profile", "-c", "orders.odcs.yaml", "base/day1.csv", "-o", "p.json"); code != 0 {
		t.Fatal(stderr)
	}
	other := strings.Replace(driftContract, "urn:datacontract:shop:orders", "urn:other", 1)
	if err := os.WriteFile("other.odcs.yaml", []byte(other), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("bad.json", []byte(`{"profileVersion": 7}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"a baseline of another contract exits 2", []string{"drift", "-b", "p.json", "-c", "other.odcs.yaml", "clean.csv"}, exitUsage, "profiled for contract urn:datacontract:shop:orders"},
		{"a corrupt baseline exits 2", []string{"drift", "-b", "bad.json", "-c", "orders.odcs.yaml", "clean.csv"}, exitUsage, "bad.json"},
		{"a missing baseline exits 2", []string{"drift", "-b", "nope.json", "-c", "orders.odcs.yaml", "clean.csv"}, exitUsage, "nope.json"},
		{"an unknown threshold exits 2", []string{"drift", "-b", "p.json", "-c", "orders.odcs.yaml", "--threshold", "pvalue=3", "clean.csv"}, exitUsage, "unknown customProperty driftgate.drift.pvalue"},
		{"missing data exits 3", []string{"drift", "-b", "p.json", "-c", "orders.odcs.yaml", "nope.csv"}, exitUnreadable, "nope.csv"},
		{"profile of missing data exits 3", []string{"profile", "nope.csv", "-o", "x.json"}, exitUnreadable, "nope.csv"},
		{"merging a corrupt profile exits 2", []string{"profile", "merge", "p.json", "bad.json", "-o", "x.json"}, exitUsage, "bad.json"},
		{"a webhook that is not a URL exits 2", []string{"drift", "-b", "p.json", "-c", "orders.odcs.yaml", "--alert-webhook", "slack", "clean.csv"}, exitUsage, "--alert-webhook"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := cli(t, nil, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tc.code, tc.stderr)
			}
		})
	}
}

func TestAlertWebhook(t *testing.T) {
	driftCase(t)
	for _, day := range []string{"day1", "day2"} {
		if _, stderr, code := cli(t, nil, "profile", "-c", "orders.odcs.yaml", "base/"+day+".csv", "-o", day+".json"); code != 0 {
			t.Fatal(stderr)
		}
	}
	if _, stderr, code := cli(t, nil, "profile", "merge", "day1.json", "day2.json", "-o", "p.json"); code != 0 {
		t.Fatal(stderr)
	}
	drift := func(t *testing.T, url string, extra ...string) (report.Report, string, int) {
		t.Helper()
		args := append([]string{"drift", "-b", "p.json", "-c", "orders.odcs.yaml", "--alert-webhook", url, "--alert-backoff", "5ms", "--format", "json=out.json"}, extra...)
		_, stderr, code := cli(t, nil, append(args, "drifted.csv")...)
		var r report.Report
		data, err := os.ReadFile("out.json")
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatal(err)
		}
		return r, stderr, code
	}
	t.Run("drift posts a JSON summary with a text field", func(t *testing.T) {
		var got []byte
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got, _ = io.ReadAll(r.Body)
			if r.Header.Get("Content-Type") != "application/json" {
				w.WriteHeader(http.StatusUnsupportedMediaType)
			}
		}))
		defer srv.Close()
		r, _, code := drift(t, srv.URL+"/services/T000/B000/secret")
		if code != exitFailed {
			t.Errorf("exit %d, want 1", code)
		}
		var p struct {
			Text     string `json:"text"`
			Status   string `json:"status"`
			Findings []any  `json:"findings"`
		}
		if err := json.Unmarshal(got, &p); err != nil {
			t.Fatalf("payload %q: %v", got, err)
		}
		if !strings.HasPrefix(p.Text, "driftgate drift FAIL: orders 2.0.0 / orders, 1500 rows in 1 files; 5 findings: amount (DRIFT_DISTRIBUTION)") || p.Status != "fail" || len(p.Findings) != 5 {
			t.Errorf("payload %s", got)
		}
		if len(r.Alerts) != 1 || !r.Alerts[0].Delivered || r.Alerts[0].Attempts != 1 || strings.Contains(r.Alerts[0].Target, "secret") {
			t.Errorf("alerts %+v", r.Alerts)
		}
	})
	t.Run("a failing server is retried, reported, and the verdict stands", func(t *testing.T) {
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			http.Error(w, "down", http.StatusServiceUnavailable)
		}))
		defer srv.Close()
		r, stderr, code := drift(t, srv.URL+"/hook/secret")
		if code != exitFailed {
			t.Errorf("exit %d, want 1 (the verdict of the data)", code)
		}
		if calls.Load() != 3 || len(r.Alerts) != 1 || r.Alerts[0].Delivered || r.Alerts[0].Attempts != 3 || !strings.Contains(r.Alerts[0].Error, "503") {
			t.Errorf("calls %d, alerts %+v", calls.Load(), r.Alerts)
		}
		if !strings.Contains(stderr, "alert to http://127.0.0.1") || strings.Contains(stderr, "secret") {
			t.Errorf("stderr %q", stderr)
		}
	})
	t.Run("a client error is not retried", func(t *testing.T) {
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			http.Error(w, "gone", http.StatusGone)
		}))
		defer srv.Close()
		r, _, _ := drift(t, srv.URL)
		if calls.Load() != 1 || r.Alerts[0].Delivered {
			t.Errorf("calls %d, alerts %+v", calls.Load(), r.Alerts)
		}
	})
	t.Run("a slow server times out without holding the run", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}))
		defer srv.Close()
		defer close(release)
		start := time.Now()
		r, _, code := drift(t, srv.URL, "--alert-timeout", "100ms")
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("took %s", took)
		}
		if code != exitFailed || r.Alerts[0].Delivered || !strings.Contains(r.Alerts[0].Error, "no response within 100ms") {
			t.Errorf("exit %d, alerts %+v", code, r.Alerts)
		}
	})
	t.Run("a clean batch posts nothing", func(t *testing.T) {
		var calls atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { calls.Add(1) }))
		defer srv.Close()
		_, _, code := cli(t, nil, "drift", "-b", "p.json", "-c", "orders.odcs.yaml", "--alert-webhook", srv.URL, "clean.csv")
		if code != exitPass || calls.Load() != 0 {
			t.Errorf("exit %d, %d posts", code, calls.Load())
		}
	})
}

// TestHTMLReportInABrowser renders the drift report in headless Chromium
// (Debian's chromium package): the page must load without console errors
// and a screenshot must show the charts.
func TestHTMLReportInABrowser(t *testing.T) {
	chromium := testenv.NewChromium(t)
	page, err := filepath.Abs(filepath.Join(goldenDir, "drifted.html"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(page); err != nil {
		t.Fatal("golden HTML report missing: run go test -update")
	}
	shot := filepath.Join(t.TempDir(), "drift.png")
	browse := chromium.Run
	dom, logs := browse("--enable-logging=stderr", "--v=0", "--dump-dom", "file://"+page)
	if !strings.Contains(dom, "<svg") || !strings.Contains(dom, "DRIFT_DISTRIBUTION") {
		t.Fatalf("the page did not render: %.400s\n%s", dom, logs)
	}
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, "CONSOLE") || strings.Contains(line, "Uncaught") || strings.Contains(line, "Refused to") {
			t.Errorf("console error: %s", line)
		}
	}
	// What the browser built must show the report's drift presentation:
	// drifted columns before the folded stable ones, the null share charted
	// for the column whose null rate drifted, the histogram's axis ending at
	// the real maximum, a line on what each test measures, and quoted
	// values as code, never raw backticks.
	order := []string{`id="col-amount"`, `id="col-note"`, `<details class="steady"`, `id="col-country"`}
	last := -1
	for _, marker := range order {
		i := strings.Index(dom, marker)
		if i < 0 || i < last {
			t.Errorf("the rendered page does not have %s after %v", marker, order)
		}
		last = i
	}
	for _, want := range []string{
		`aria-label="null share of note, baseline against current"`,
		`<text class="axis-max" x="488" y="142" font-size="11" fill="#555" text-anchor="end">404.41</text>`,
		`<th>What it measures</th>`,
		`Population stability index`,
		`<code>9999-99-99</code>`,
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("the rendered page lacks %s", want)
		}
	}
	if strings.Contains(dom, "`") {
		t.Error("the rendered page shows raw backticks")
	}
	browse("--screenshot="+shot, "--window-size=1200,2000", "file://"+page)
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// The charts' baseline blue and current orange must both be on it.
	var blue, orange int
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y += 2 {
		for x := bounds.Min.X; x < bounds.Max.X; x += 2 {
			r, g, b, _ := img.At(x, y).RGBA()
			r, g, b = r>>8, g>>8, b>>8
			switch {
			case near(r, 0x4e) && near(g, 0x79) && near(b, 0xa7):
				blue++
			case near(r, 0xf2) && near(g, 0x8e) && near(b, 0x2b):
				orange++
			}
		}
	}
	t.Logf("screenshot %s: %dx%d, %d baseline and %d current chart pixels (sampled)", shot, bounds.Dx(), bounds.Dy(), blue, orange)
	if blue < 500 || orange < 500 {
		t.Errorf("the screenshot shows no charts: %d blue, %d orange pixels", blue, orange)
	}
	if keep := os.Getenv("DRIFTGATE_KEEP_SCREENSHOT"); keep != "" {
		data, _ := os.ReadFile(shot)
		_ = os.WriteFile(keep, data, 0o644)
	}
}

func near(a, b uint32) bool { return a+6 >= b && b+6 >= a }

func TestDriftJSONReportMatchesTheSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	schema, err := c.Compile(filepath.Join("..", "..", "reporters", "json_schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(goldenDir, "drifted.json"))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(v); err != nil {
		t.Errorf("the drift JSON report does not validate: %#v", err)
	}
}
