package source

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
)

func TestCSVConversion(t *testing.T) {
	ts := func(u arrow.TimeUnit, tz string) arrow.DataType { return &arrow.TimestampType{Unit: u, TimeZone: tz} }
	dec := func(p, s int32) arrow.DataType { return &arrow.Decimal128Type{Precision: p, Scale: s} }
	sec := func(s string) int64 {
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			panic(err)
		}
		return t.Unix()
	}
	const bad = "invalid"
	tests := []struct {
		name   string
		typ    arrow.DataType
		layout string
		cell   string
		want   any // bad: a CellError
	}{
		{"an int64 parses", arrow.PrimitiveTypes.Int64, "", "-42", int64(-42)},
		{"blanks around a number are ignored", arrow.PrimitiveTypes.Int32, "", " 7 ", int64(7)},
		{"an int8 out of range is invalid", arrow.PrimitiveTypes.Int8, "", "128", bad},
		{"an int16 at its minimum parses", arrow.PrimitiveTypes.Int16, "", "-32768", int64(-32768)},
		{"a decimal point in an int is invalid", arrow.PrimitiveTypes.Int64, "", "1.0", bad},
		{"a negative uint is invalid", arrow.PrimitiveTypes.Uint32, "", "-1", bad},
		{"a uint64 at its maximum parses", arrow.PrimitiveTypes.Uint64, "", "18446744073709551615", uint64(18446744073709551615)},
		{"a float parses with an exponent", arrow.PrimitiveTypes.Float64, "", "1.5e3", 1500.0},
		{"a float32 out of range is invalid", arrow.PrimitiveTypes.Float32, "", "1e39", bad},
		{"a decimal comma is not a float", arrow.PrimitiveTypes.Float64, "", "0,5", bad},
		{"a decimal parses at its scale", dec(5, 2), "", "-123.45", "-123.45"},
		{"a decimal with fewer fraction digits is padded", dec(5, 2), "", "1.5", "1.50"},
		{"trailing zeros beyond the scale are not significant", dec(5, 2), "", "1.500", "1.50"},
		{"a decimal beyond its scale is invalid, not rounded", dec(5, 2), "", "1.234", bad},
		{"a decimal beyond its precision is invalid", dec(5, 2), "", "1234.5", bad},
		{"a decimal exponent counts", dec(5, 2), "", "1.5e2", "150.00"},
		{"an 18-digit decimal padded past int64 falls back exactly", dec(18, 10), "", "12345678", "12345678.0000000000"},
		{"an 18-digit decimal beyond its precision is invalid", dec(18, 10), "", "123456789", bad},
		{"leading zeros do not count against precision", dec(3, 1), "", "-0001.5", "-1.5"},
		{"text is not a decimal", dec(5, 2), "", "1.2.3", bad},
		{"a decimal256 holds 40 digits", &arrow.Decimal256Type{Precision: 40, Scale: 0}, "", "1234567890123456789012345678901234567890", "1234567890123456789012345678901234567890"},
		{"yes is true", arrow.FixedWidthTypes.Boolean, "", "YES", true},
		{"f is false", arrow.FixedWidthTypes.Boolean, "", "f", false},
		{"2 is not a bool", arrow.FixedWidthTypes.Boolean, "", "2", bad},
		{"an ISO date parses", arrow.FixedWidthTypes.Date32, "", "1970-01-02", int64(1)},
		{"a date before 1970 is negative", arrow.FixedWidthTypes.Date32, "", "1969-12-31", int64(-1)},
		{"February 30 is invalid", arrow.FixedWidthTypes.Date32, "", "2023-02-30", bad},
		{"a date in a layout parses", arrow.FixedWidthTypes.Date32, "02/01/2006", "02/01/1970", int64(1)},
		{"a date64 is milliseconds at midnight", arrow.FixedWidthTypes.Date64, "", "1970-01-02", int64(86_400_000)},
		{"a UTC timestamp parses", ts(arrow.Second, "UTC"), "", "2020-01-01T15:00:00Z", sec("2020-01-01T15:00:00Z")},
		{"a zone offset converts to UTC", ts(arrow.Second, "UTC"), "", "2020-01-01T15:00:00+03:00", sec("2020-01-01T12:00:00Z")},
		{"a compact zone offset converts to UTC", ts(arrow.Second, "UTC"), "", "2020-01-01T15:00:00-0130", sec("2020-01-01T16:30:00Z")},
		{"no zone in a zoned column is UTC", ts(arrow.Second, "Europe/Amsterdam"), "", "2020-01-01 15:00:00", sec("2020-01-01T15:00:00Z")},
		{"a space separator and no seconds parse", ts(arrow.Second, ""), "", "2020-01-01 15:00", sec("2020-01-01T15:00:00Z")},
		{"a date alone is midnight", ts(arrow.Second, ""), "", "2020-01-01", sec("2020-01-01T00:00:00Z")},
		{"microseconds keep every digit", ts(arrow.Microsecond, "UTC"), "", "2020-01-01T00:00:00.123456Z", sec("2020-01-01T00:00:00Z")*1e6 + 123456},
		{"nanoseconds keep every digit", ts(arrow.Nanosecond, "UTC"), "", "2020-01-01T00:00:00.123456789Z", sec("2020-01-01T00:00:00Z")*1e9 + 123456789},
		{"digits finer than the unit are invalid", ts(arrow.Millisecond, "UTC"), "", "2020-01-01T00:00:00.1234Z", bad},
		{"a year beyond nanoseconds is invalid", ts(arrow.Nanosecond, "UTC"), "", "2300-01-01T00:00:00Z", bad},
		{"an hour 25 is invalid", ts(arrow.Second, "UTC"), "", "2020-01-01T25:00:00Z", bad},
		{"a timestamp in a layout parses", ts(arrow.Second, ""), "02.01.2006 15h04", "01.01.2020 15h00", sec("2020-01-01T15:00:00Z")},
		{"a time32 in seconds parses", arrow.FixedWidthTypes.Time32s, "", "01:02:03", int64(3723)},
		{"a time without seconds parses", arrow.FixedWidthTypes.Time32ms, "", "01:02", int64(3_720_000)},
		{"a time64 keeps nanoseconds", arrow.FixedWidthTypes.Time64ns, "", "00:00:01.000000001", int64(1_000_000_001)},
		{"a time at 24:00 is invalid", arrow.FixedWidthTypes.Time64us, "", "24:00:00", bad},
		{"a string keeps its blanks", arrow.BinaryTypes.String, "", " x ", " x "},
		{"a large string reads", arrow.BinaryTypes.LargeString, "", "x", "x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mem := checkedMem(t)
			path := writeFile(t, "d.csv", "v\n\""+tt.cell+"\"\n")
			opts := Options{Mem: mem, CSV: CSVOptions{Types: map[string]arrow.DataType{"v": tt.typ}}}
			if tt.layout != "" {
				opts.CSV.TimeLayouts = map[string]string{"v": tt.layout}
			}
			r, err := Open(context.Background(), path, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			if got := r.Schema().Field(0).Type; !arrow.TypeEqual(got, tt.typ) {
				t.Errorf("Schema type %v, want %v", got, tt.typ)
			}
			b, err := r.Next(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			defer b.Record.Release()
			got := raw(b.Record.Column(0), 0)
			if tt.want == bad {
				want := []CellError{{Row: 1, Column: 0, Raw: tt.cell, Want: tt.typ.String()}}
				if got != nil || !reflect.DeepEqual(b.Invalid, want) {
					t.Errorf("got %v %v, want null and %v", got, b.Invalid, want)
				}
				return
			}
			if got != tt.want || len(b.Invalid) != 0 {
				t.Errorf("got %v (%T) %v, want %v (%T)", got, got, b.Invalid, tt.want, tt.want)
			}
		})
	}
}
