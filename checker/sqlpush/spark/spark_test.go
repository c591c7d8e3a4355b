package spark

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/checker/sqlpush"
	"github.com/driftgate/driftgate/checker/sqlpush/duckdb"
	"github.com/driftgate/driftgate/checker/sqlpush/sqlpushtest"
	"github.com/driftgate/driftgate/fixtures/testenv"
)

// testEngine connects to the test Spark Connect server .ci/services/spark.sh
// starts.
func testEngine(t *testing.T) *Engine {
	t.Helper()
	url := testenv.Service(t, "DRIFTGATE_TEST_SPARK_CONNECT")
	e, err := Open(context.Background(), url, "the test Spark")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// arrowType is the Arrow type an orders column is loaded into Spark as.
func arrowType(k sqlpushtest.Kind) arrow.DataType {
	switch k {
	case sqlpushtest.BigInt:
		return arrow.PrimitiveTypes.Int64
	case sqlpushtest.Decimal:
		return &arrow.Decimal128Type{Precision: 10, Scale: 2}
	case sqlpushtest.Integer:
		return arrow.PrimitiveTypes.Int32
	case sqlpushtest.Date:
		return arrow.FixedWidthTypes.Date32
	case sqlpushtest.Timestamp:
		return &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	case sqlpushtest.Boolean:
		return arrow.FixedWidthTypes.Boolean
	}
	return arrow.BinaryTypes.String
}

// loadOrders registers the shipped orders.csv, planted problems and all,
// as the temporary view orders_src, in file order, and returns its
// DataFrame's engine.
func loadOrders(t *testing.T, e *Engine) {
	t.Helper()
	ctx := context.Background()
	fields := make([]arrow.Field, len(sqlpushtest.OrdersColumns))
	for i, c := range sqlpushtest.OrdersColumns {
		fields[i] = arrow.Field{Name: c.Name, Type: arrowType(c.Kind), Nullable: true}
	}
	b := array.NewRecordBuilder(memory.NewGoAllocator(), arrow.NewSchema(fields, nil))
	defer b.Release()
	for _, row := range sqlpushtest.Orders(t) {
		for i, v := range row {
			appendValue(t, b.Field(i), v)
		}
	}
	rec := b.NewRecordBatch()
	defer rec.Release()
	tbl := array.NewTableFromRecords(rec.Schema(), []arrow.RecordBatch{rec})
	defer tbl.Release()
	df, err := e.s.CreateDataFrameFromArrow(ctx, tbl)
	if err != nil {
		t.Fatal(err)
	}
	if err := df.CreateOrReplaceTempView(ctx, "orders_src"); err != nil {
		t.Fatal(err)
	}
}

func appendValue(t *testing.T, b array.Builder, v any) {
	if v == nil {
		b.AppendNull()
		return
	}
	switch b := b.(type) {
	case *array.Int64Builder:
		b.Append(v.(int64))
	case *array.Int32Builder:
		b.Append(v.(int32))
	case *array.StringBuilder:
		b.Append(v.(string))
	case *array.BooleanBuilder:
		b.Append(v.(bool))
	case *array.Date32Builder:
		b.Append(arrow.Date32FromTime(v.(time.Time)))
	case *array.TimestampBuilder:
		b.Append(arrow.Timestamp(v.(time.Time).UnixMicro()))
	case *array.Decimal128Builder:
		n, err := decimal128.FromString(v.(string), 10, 2)
		if err != nil {
			t.Fatal(err)
		}
		b.Append(n)
	default:
		t.Fatalf("no loader for %T", b)
	}
}

// exec runs a statement of the test's own set-up.
func exec(t *testing.T, e *Engine, query string) {
	t.Helper()
	if _, err := e.Rows(context.Background(), query, nil); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// TestAgreesWithArrowEngine: the planted orders fixture, loaded into Spark
// as a table and as a Parquet dataset Spark wrote, checked through Spark
// Connect gives the Arrow engine's findings on the same CSV, count by
// count and example row by example row.
func TestAgreesWithArrowEngine(t *testing.T) {
	e := testEngine(t)
	loadOrders(t, e)
	ctx := context.Background()
	t.Run("a table", func(t *testing.T) {
		db := fmt.Sprintf("driftgate_%d", time.Now().UnixNano())
		exec(t, e, "CREATE DATABASE "+db)
		t.Cleanup(func() { e.Rows(ctx, "DROP DATABASE "+db+" CASCADE", nil) })
		// One file, written in the view's order.
		exec(t, e, "CREATE TABLE "+db+".orders USING parquet AS SELECT /*+ COALESCE(1) */ * FROM orders_src")
		rep := sqlpushtest.Agree(t, e, sqlpush.Options{DBSchema: db, Input: "spark orders"}, duckdb.Files{})
		if rep.Inputs[0].Format != "spark" {
			t.Errorf("input format %q, want spark", rep.Inputs[0].Format)
		}
	})
	t.Run("a Parquet dataset", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "orders")
		df, err := e.s.Sql(ctx, "SELECT /*+ COALESCE(1) */ * FROM orders_src")
		if err != nil {
			t.Fatal(err)
		}
		if err := df.Write().Format("parquet").Mode("overwrite").Save(ctx, dir); err != nil {
			t.Fatal(err)
		}
		ds := testEngine(t)
		ds.Dataset("parquet", dir)
		sqlpushtest.Agree(t, ds, sqlpush.Options{Input: "parquet " + dir}, duckdb.Files{})
		if ds.RowOrder() == "" || ds.RowNumber() == "" {
			t.Errorf("a Parquet dataset of one file has row order %q and row number %q: examples would not be the file's rows, or would sort the whole table",
				ds.RowOrder(), ds.RowNumber())
		}
	})
}

// TestArguments: every kind of value a rule binds reaches Spark typed, so
// that it compares as the Arrow engine compares: a decimal bound with an
// integer column exactly (never as a string, which ANSI mode refuses), a
// timestamp as an instant, a pattern as text.
func TestArguments(t *testing.T) {
	e := testEngine(t)
	d := e.Dialect()
	q := &rules.Query{Dialect: d}
	text := "SELECT count_if(id < " + q.Bind(rules.Decimal("100.5")) + "), count_if(id >= " + q.Bind(rules.Decimal("1e2")) +
		"), count_if(cast(id AS string) RLIKE " + q.Bind("^1[0-9]$") + "), count_if(timestamp_seconds(id) < " +
		q.Bind(time.Unix(50, 0)) + "), count_if(length(cast(id AS string)) = " + q.Bind(int64(3)) + ") FROM range(200)"
	row, err := e.Row(context.Background(), text, q.Args)
	if err != nil {
		t.Fatal(err)
	}
	want := []any{int64(101), int64(100), int64(10), int64(50), int64(100)}
	if fmt.Sprint(row) != fmt.Sprint(want) {
		t.Errorf("counts %v, want %v\n%s", row, want, text)
	}
	if strings.Contains(text, "100.5") {
		t.Errorf("a value was spliced into the query: %s", text)
	}
}

func TestDecimalOf(t *testing.T) {
	tests := []struct {
		text        string
		unscaled    string
		prec, scale int32
		err         bool
	}{
		{"0", "0", 1, 0, false},
		{"100.5", "1005", 4, 1, false},
		{"-0.25", "-25", 3, 2, false},
		{"1e3", "1000", 4, 0, false},
		{"1.5e-3", "15", 5, 4, false},
		{"123456789012345678901234567890123456789", "", 0, 0, true},
		{"abc", "", 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			n, prec, scale, err := decimalOf(tt.text)
			if (err != nil) != tt.err {
				t.Fatalf("error %v, want error %v", err, tt.err)
			}
			if tt.err {
				return
			}
			want, _ := new(big.Int).SetString(tt.unscaled, 10)
			if n.BigInt().Cmp(want) != 0 || prec != tt.prec || scale != tt.scale {
				t.Errorf("%s (%d,%d), want %s (%d,%d)", n.BigInt(), prec, scale, tt.unscaled, tt.prec, tt.scale)
			}
		})
	}
}

// TestSQLIsReadOnly: a contract's sql rule that is not a query fails to
// parse inside the subquery it runs as, and does nothing.
func TestSQLIsReadOnly(t *testing.T) {
	e := testEngine(t)
	ctx := context.Background()
	db := fmt.Sprintf("driftgate_ro_%d", time.Now().UnixNano())
	if _, err := e.SQL(ctx, "CREATE DATABASE "+db); err == nil {
		t.Fatal("CREATE DATABASE ran as a sql rule")
	}
	rows, err := e.Rows(ctx, "SHOW DATABASES LIKE '"+db+"'", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 0 {
		t.Errorf("the sql rule created database %s", db)
	}
	row, err := e.SQL(ctx, "SELECT count(*) FROM range(7);")
	if err != nil || fmt.Sprint(row) != "[7]" {
		t.Errorf("a query as a sql rule: %v, %v", row, err)
	}
}

// TestPatternsMatchAsRE2: every pattern of sqlpushtest.Patterns, as
// rules.Pattern writes it for Java, matches in Spark's RLIKE exactly the
// values Go's RE2 matches.
func TestPatternsMatchAsRE2(t *testing.T) {
	e := testEngine(t)
	ctx := context.Background()
	cases := sqlpushtest.PatternCases(t, e.Dialect())
	vals, pats := array.NewStringBuilder(memory.NewGoAllocator()), array.NewStringBuilder(memory.NewGoAllocator())
	defer vals.Release()
	defer pats.Release()
	for _, c := range cases {
		vals.Append(c.Value)
		pats.Append(c.Engine)
	}
	va, pa := vals.NewArray(), pats.NewArray()
	defer va.Release()
	defer pa.Release()
	schema := arrow.NewSchema([]arrow.Field{{Name: "v", Type: arrow.BinaryTypes.String}, {Name: "p", Type: arrow.BinaryTypes.String}}, nil)
	rec := array.NewRecordBatch(schema, []arrow.Array{va, pa}, int64(len(cases)))
	defer rec.Release()
	tbl := array.NewTableFromRecords(schema, []arrow.RecordBatch{rec})
	defer tbl.Release()
	df, err := e.s.CreateDataFrameFromArrow(ctx, tbl)
	if err != nil {
		t.Fatal(err)
	}
	if err := df.CreateOrReplaceTempView(ctx, "driftgate_patterns"); err != nil {
		t.Fatal(err)
	}
	rows, err := e.Rows(ctx, "SELECT v RLIKE p FROM driftgate_patterns", nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(cases) {
		t.Fatalf("%d rows for %d cases", len(rows), len(cases))
	}
	for i, c := range cases {
		if rows[i][0] != c.Want {
			t.Errorf("%q RLIKE %q (for RE2 %q) is %v, RE2 says %v", c.Value, c.Engine, c.Pattern, rows[i][0], c.Want)
		}
	}
}

// TestArrayRulesAgreeWithArrowEngine: minItems, maxItems and uniqueItems
// pushed down to Spark (size, array_distinct) over a Parquet dataset give
// the Arrow engine's findings on the same file.
func TestArrayRulesAgreeWithArrowEngine(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "arrays")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	sqlpushtest.ArraysParquet(t, dir)
	ds := testEngine(t)
	ds.Dataset("parquet", dir)
	sqlpushtest.AgreeOnArrays(t, ds, sqlpush.Options{Input: "parquet " + dir})
}
