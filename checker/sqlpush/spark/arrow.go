package spark

import (
	"fmt"
	"math/big"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/driftgate/driftgate/checker/rules"
)

// argsTable is the one-row Arrow table of a query's arguments, column pN
// holding argument N, each typed as Spark should compare it.
func argsTable(args []any) (arrow.Table, error) {
	mem := memory.NewGoAllocator()
	fields := make([]arrow.Field, len(args))
	cols := make([]arrow.Array, len(args))
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, v := range args {
		a, err := argArray(mem, v)
		if err != nil {
			return nil, fmt.Errorf("argument %d: %w", i+1, err)
		}
		cols[i] = a
		fields[i] = arrow.Field{Name: argColumn(i + 1), Type: a.DataType(), Nullable: true}
	}
	rec := array.NewRecordBatch(arrow.NewSchema(fields, nil), cols, 1)
	defer rec.Release()
	return array.NewTableFromRecords(rec.Schema(), []arrow.RecordBatch{rec}), nil
}

func argArray(mem memory.Allocator, v any) (arrow.Array, error) {
	switch x := v.(type) {
	case nil:
		b := array.NewStringBuilder(mem)
		defer b.Release()
		b.AppendNull()
		return b.NewArray(), nil
	case rules.Decimal:
		n, prec, scale, err := decimalOf(string(x))
		if err != nil {
			return nil, err
		}
		b := array.NewDecimal128Builder(mem, &arrow.Decimal128Type{Precision: prec, Scale: scale})
		defer b.Release()
		b.Append(n)
		return b.NewArray(), nil
	case string:
		b := array.NewStringBuilder(mem)
		defer b.Release()
		b.Append(x)
		return b.NewArray(), nil
	case []byte:
		b := array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary)
		defer b.Release()
		b.Append(x)
		return b.NewArray(), nil
	case bool:
		b := array.NewBooleanBuilder(mem)
		defer b.Release()
		b.Append(x)
		return b.NewArray(), nil
	case int:
		return argArray(mem, int64(x))
	case int64:
		b := array.NewInt64Builder(mem)
		defer b.Release()
		b.Append(x)
		return b.NewArray(), nil
	case float64:
		b := array.NewFloat64Builder(mem)
		defer b.Release()
		b.Append(x)
		return b.NewArray(), nil
	case time.Time:
		b := array.NewTimestampBuilder(mem, &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"})
		defer b.Release()
		b.Append(arrow.Timestamp(x.UnixMicro()))
		return b.NewArray(), nil
	}
	return nil, fmt.Errorf("no Spark type for a bound value of Go type %T", v)
}

// decimalOf reads a number's exact text ("100.5", "-3", "1e3") as a
// decimal: its unscaled value, precision and scale. Spark's decimals hold
// 38 digits; a number that needs more is an error, never rounded.
func decimalOf(text string) (decimal128.Num, int32, int32, error) {
	r, ok := new(big.Rat).SetString(text)
	if !ok {
		return decimal128.Num{}, 0, 0, fmt.Errorf("%q is not a number", text)
	}
	// The scale is the power of ten that makes the number whole: a
	// decimal text's denominator divides 10^scale.
	scale := int32(0)
	ten := big.NewInt(10)
	unscaled := new(big.Rat).Set(r)
	for !unscaled.IsInt() {
		if scale == 38 {
			return decimal128.Num{}, 0, 0, fmt.Errorf("%q has more than 38 decimal places", text)
		}
		unscaled.Mul(unscaled, new(big.Rat).SetInt(ten))
		scale++
	}
	n := unscaled.Num()
	digits := int32(len(new(big.Int).Abs(n).String()))
	prec := max(digits, scale+1)
	if prec > 38 {
		return decimal128.Num{}, 0, 0, fmt.Errorf("%q has more than 38 digits", text)
	}
	return decimal128.FromBigInt(n), prec, scale, nil
}

// rowsOf reads every row of a result, each value as sqlpush's engines
// return them: int64, float64, string, []byte, bool, time.Time or nil
// (decimals as their exact text).
func rowsOf(t arrow.Table) ([][]any, error) {
	var out [][]any
	tr := array.NewTableReader(t, 1024)
	defer tr.Release()
	for tr.Next() {
		rec := tr.RecordBatch()
		for i := 0; i < int(rec.NumRows()); i++ {
			row := make([]any, rec.NumCols())
			for j, col := range rec.Columns() {
				v, err := valueAt(col, i)
				if err != nil {
					return nil, fmt.Errorf("column %q: %w", rec.ColumnName(j), err)
				}
				row[j] = v
			}
			out = append(out, row)
		}
	}
	return out, tr.Err()
}

func valueAt(a arrow.Array, i int) (any, error) {
	if a.IsNull(i) {
		return nil, nil
	}
	switch c := a.(type) {
	case *array.Int8:
		return int64(c.Value(i)), nil
	case *array.Int16:
		return int64(c.Value(i)), nil
	case *array.Int32:
		return int64(c.Value(i)), nil
	case *array.Int64:
		return c.Value(i), nil
	case *array.Float32:
		return float64(c.Value(i)), nil
	case *array.Float64:
		return c.Value(i), nil
	case *array.Boolean:
		return c.Value(i), nil
	case *array.String:
		return c.Value(i), nil
	case *array.LargeString:
		return c.Value(i), nil
	case *array.Binary:
		return c.Value(i), nil
	case *array.Decimal128:
		return c.Value(i).ToString(c.DataType().(*arrow.Decimal128Type).Scale), nil
	case *array.Date32:
		return c.Value(i).ToTime(), nil
	case *array.Timestamp:
		unit := c.DataType().(*arrow.TimestampType).Unit
		return c.Value(i).ToTime(unit).UTC(), nil
	}
	return nil, fmt.Errorf("a value of Arrow type %s, which the pushdown does not read", a.DataType())
}
