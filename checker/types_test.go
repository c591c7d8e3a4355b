package checker

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/contracts"
)

func ts(unit arrow.TimeUnit, tz string) arrow.DataType {
	return &arrow.TimestampType{Unit: unit, TimeZone: tz}
}

func dec(p, s int32) arrow.DataType { return &arrow.Decimal128Type{Precision: p, Scale: s} }

var dictString = &arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}

func TestWideningTable(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name              string
		logical, physical string
		timezone          *bool
		data              arrow.DataType
		ok                bool
		why               string // substring of the reason when not ok
	}{
		{"int32 data passes for int64", "integer", "int64", nil, arrow.PrimitiveTypes.Int32, true, ""},
		{"int8 data passes for bigint", "integer", "bigint", nil, arrow.PrimitiveTypes.Int8, true, ""},
		{"int64 data fails for int32", "integer", "int32", nil, arrow.PrimitiveTypes.Int64, false, "values may not fit in int32"},
		{"float64 data fails for an integer", "integer", "", nil, arrow.PrimitiveTypes.Float64, false, "not an integer type"},
		{"uint32 data passes for int64", "integer", "int64", nil, arrow.PrimitiveTypes.Uint32, true, ""},
		{"uint32 data fails for int32", "integer", "int32", nil, arrow.PrimitiveTypes.Uint32, false, "values may not fit in int32"},
		{"uint64 data fails for int64", "integer", "int64", nil, arrow.PrimitiveTypes.Uint64, false, "values may not fit in int64"},
		{"int32 data fails for uint32", "integer", "uint32", nil, arrow.PrimitiveTypes.Int32, false, "values may not fit in uint32"},
		{"decimal(9,0) data passes for int32", "integer", "int32", nil, dec(9, 0), true, ""},
		{"decimal(10,2) data passes for decimal(12,2)", "number", "decimal(12,2)", nil, dec(10, 2), true, ""},
		{"decimal(11,1) data passes for decimal(12,2)", "number", "decimal(12, 2)", nil, dec(11, 1), true, ""},
		{"decimal(12,3) data fails for decimal(12,2)", "number", "decimal(12,2)", nil, dec(12, 3), false, "scale 3 is larger than 2"},
		{"decimal(14,2) data fails for decimal(12,2)", "number", "decimal(12,2)", nil, dec(14, 2), false, "12 integer digits exceed the 10 of decimal(12,2)"},
		{"int32 data passes for decimal(12,2)", "number", "decimal(12,2)", nil, arrow.PrimitiveTypes.Int32, true, ""},
		{"int64 data fails for decimal(12,2)", "number", "decimal(12,2)", nil, arrow.PrimitiveTypes.Int64, false, "int64 needs 20 integer digits"},
		{"float64 data fails for a decimal", "number", "decimal(12,2)", nil, arrow.PrimitiveTypes.Float64, false, "not a decimal type"},
		{"float32 data passes for double", "number", "double", nil, arrow.PrimitiveTypes.Float32, true, ""},
		{"float64 data fails for float", "number", "float", nil, arrow.PrimitiveTypes.Float64, false, "float64 narrows to float32"},
		{"any numeric type passes for number", "number", "", nil, dec(38, 9), true, ""},
		{"a string fails for number", "number", "", nil, arrow.BinaryTypes.String, false, "not a numeric type"},
		{"timestamp ms data passes for timestamp[us]", "timestamp", "timestamp[us]", nil, ts(arrow.Millisecond, ""), true, ""},
		{"timestamp ns data fails for timestamp[us]", "timestamp", "timestamp[us]", nil, ts(arrow.Nanosecond, ""), false, "unit ns is finer than us"},
		{"a UTC timestamp fails for timestamp[us] without a zone", "timestamp", "timestamp[us]", nil, ts(arrow.Microsecond, "UTC"), false, `has time zone "UTC", want none`},
		{"a zoneless timestamp fails for timestamp[us, tz=UTC]", "timestamp", "timestamp[us, tz=UTC]", nil, ts(arrow.Microsecond, ""), false, "has no time zone"},
		{"Etc/UTC passes for tz=UTC", "timestamp", "timestamp[us, tz=UTC]", nil, ts(arrow.Microsecond, "Etc/UTC"), true, ""},
		{"Europe/Paris fails for tz=UTC", "timestamp", "timestamp[us, tz=UTC]", nil, ts(arrow.Microsecond, "Europe/Paris"), false, `time zone "Europe/Paris", want "UTC"`},
		{"timestamptz needs a zone", "timestamp", "timestamptz", nil, ts(arrow.Microsecond, ""), false, "has no time zone"},
		{"timestamptz takes any zone", "timestamp", "timestamptz", nil, ts(arrow.Microsecond, "Europe/Paris"), true, ""},
		{"timestamp_ntz refuses a zone", "timestamp", "timestamp_ntz", nil, ts(arrow.Microsecond, "UTC"), false, "want none"},
		{"timezone true needs a zone", "timestamp", "", &yes, ts(arrow.Microsecond, ""), false, "has no time zone"},
		{"timezone false refuses a zone", "timestamp", "", &no, ts(arrow.Microsecond, "UTC"), false, "want none"},
		{"timezone true on a timestamp physical type needs a zone", "timestamp", "timestamp", &yes, ts(arrow.Second, ""), false, "has no time zone"},
		{"a bare timestamp takes any unit and zone", "timestamp", "", nil, ts(arrow.Nanosecond, "Asia/Tokyo"), true, ""},
		{"a date fails for timestamp", "timestamp", "", nil, arrow.FixedWidthTypes.Date32, false, "not a timestamp type"},
		{"date32 passes for date", "date", "", nil, arrow.FixedWidthTypes.Date32, true, ""},
		{"a timestamp fails for date", "date", "", nil, ts(arrow.Second, ""), false, "not a date type"},
		{"dictionary<string> passes for string", "string", "", nil, dictString, true, ""},
		{"large_string passes for varchar(18)", "string", "varchar(18)", nil, arrow.BinaryTypes.LargeString, true, ""},
		{"int64 fails for string", "string", "", nil, arrow.PrimitiveTypes.Int64, false, "not a string type"},
		{"a struct passes for object", "object", "", nil, arrow.StructOf(arrow.Field{Name: "a", Type: arrow.BinaryTypes.String}), true, ""},
		{"a string fails for object", "object", "", nil, arrow.BinaryTypes.String, false, "not a struct"},
		{"a list passes for array", "array", "", nil, arrow.ListOf(arrow.PrimitiveTypes.Int64), true, ""},
		{"bool passes for boolean", "boolean", "", nil, arrow.FixedWidthTypes.Boolean, true, ""},
		{"a string fails for boolean", "boolean", "", nil, arrow.BinaryTypes.String, false, "not a boolean type"},
		{"anything passes when no type is declared", "", "", nil, arrow.FixedWidthTypes.Boolean, true, ""},
		{"the physical type wins over the logical type", "string", "int64", nil, arrow.PrimitiveTypes.Int32, true, ""},
		{"a date stored as text expects a string", "date", "string", nil, arrow.BinaryTypes.String, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &contracts.Property{Name: "c", LogicalType: tt.logical, PhysicalType: tt.physical, Options: contracts.TypeOptions{Timezone: tt.timezone}}
			ok, why := expect(p).compatible(tt.data)
			if ok != tt.ok || !strings.Contains(why, tt.why) {
				t.Errorf("compatible(%s) = %v %q, want %v %q", tt.data, ok, why, tt.ok, tt.why)
			}
		})
	}
}

func TestCSVColumnTypes(t *testing.T) {
	tests := []struct {
		logical, physical string
		want              string
	}{
		{"integer", "", "int64"},
		{"integer", "int", "int32"},
		{"integer", "uint16", "uint16"},
		{"number", "", "float64"},
		{"number", "float", "float32"},
		{"number", "decimal(12,2)", "decimal(12, 2)"},
		{"number", "decimal", "decimal(38, 9)"},
		{"number", "numeric(40,4)", "decimal256(40, 4)"},
		{"timestamp", "", "timestamp[us]"},
		{"timestamp", "timestamptz", "timestamp[us, tz=UTC]"},
		{"timestamp", "timestamp[ms, tz=Europe/Paris]", "timestamp[ms, tz=Europe/Paris]"},
		{"date", "", "date32"},
		{"time", "", "time64[us]"},
		{"boolean", "", "bool"},
		{"string", "varchar(10)", "utf8"},
	}
	for _, tt := range tests {
		t.Run(tt.logical+" "+tt.physical+" is read from CSV as "+tt.want, func(t *testing.T) {
			p := &contracts.Property{Name: "c", LogicalType: tt.logical, PhysicalType: tt.physical}
			if got := expect(p).arrowType().String(); got != tt.want {
				t.Errorf("arrowType() = %s, want %s", got, tt.want)
			}
			// What a CSV column is parsed into must pass its own check.
			if ok, why := expect(p).compatible(expect(p).arrowType()); !ok {
				t.Errorf("the CSV type fails its own contract: %s", why)
			}
		})
	}
}

// TestColumnTypeFindings checks COLUMN_TYPE end to end on Parquet files,
// whose types come from the file rather than from the contract.
func TestColumnTypeFindings(t *testing.T) {
	tests := []struct {
		name  string
		props string
		cols  []col
		want  []want
	}{
		{
			name:  "narrower integers pass and are value-checked",
			props: "- name: n\n  logicalType: integer\n  physicalType: bigint\n  logicalTypeOptions:\n    maximum: 5",
			cols:  []col{{"n", arrow.PrimitiveTypes.Int32, []string{"1", "6"}}},
			want:  []want{{rule: rules.ValueRange.ID, column: "n", count: 1, value: "6"}},
		},
		{
			name:  "a wider integer is a type error at the physicalType line, and its values are not checked",
			props: "- name: n\n  logicalType: integer\n  physicalType: int\n  required: true",
			cols:  []col{{"n", arrow.PrimitiveTypes.Int64, []string{"1", null}}},
			want: []want{{rule: rules.ColumnType.ID, severity: report.SeverityError, column: "n", count: 1,
				msg: []string{"expected integer (int), found int64: values may not fit in int32"}, line: "physicalType: int"}},
		},
		{
			name:  "floats for a logical integer point at the logicalType line",
			props: "- name: n\n  logicalType: integer",
			cols:  []col{floats("n", "1.5")},
			want: []want{{rule: rules.ColumnType.ID, column: "n", count: 1,
				msg: []string{"expected integer, found float64: not an integer type"}, line: "logicalType: integer"}},
		},
		{
			name:  "a finer decimal scale is a type error",
			props: "- name: amount\n  logicalType: number\n  physicalType: decimal(12,2)",
			cols:  []col{{"amount", dec(12, 3), []string{"1.234"}}},
			want:  []want{{rule: rules.ColumnType.ID, column: "amount", msg: []string{"decimal(12, 3)", "scale 3 is larger than 2"}, line: "physicalType: decimal(12,2)"}},
		},
		{
			name:  "nanosecond timestamps fail a microsecond contract",
			props: "- name: at\n  logicalType: timestamp\n  physicalType: timestamp[us]",
			cols:  []col{{"at", ts(arrow.Nanosecond, ""), []string{"2020-01-01T00:00:00"}}},
			want:  []want{{rule: rules.ColumnType.ID, column: "at", msg: []string{"unit ns is finer than us"}, line: "physicalType: timestamp[us]"}},
		},
		{
			name:  "a zone named with capitals matches the same zone in the data",
			props: "- name: at\n  logicalType: timestamp\n  physicalType: timestamp[ms, tz=Europe/Paris]",
			cols:  []col{{"at", ts(arrow.Millisecond, "Europe/Paris"), []string{"2020-01-01T00:00:00+01:00"}}},
		},
		{
			name:  "a dictionary-encoded string column is a string column",
			props: "- name: status\n  logicalType: string\n  logicalTypeOptions:\n    maxLength: 4",
			cols:  []col{{"status", dictString, []string{"open", "closed", "open", null, "closed"}}},
			want:  []want{{rule: rules.ValueLength.ID, column: "status", count: 2, row: 2, value: "closed"}},
		},
		{
			name: "a struct column holds an object and its declared fields",
			props: `- name: addr
  logicalType: object
  properties:
    - name: street
      logicalType: string
    - name: zip
      logicalType: string
      required: true`,
			cols: []col{{"addr", arrow.StructOf(arrow.Field{Name: "street", Type: arrow.BinaryTypes.String, Nullable: true}, arrow.Field{Name: "zip", Type: arrow.BinaryTypes.String, Nullable: true}),
				[]string{`{"street": "Main St", "zip": "1000"}`, null}}},
		},
		{
			name: "a nested field missing from the struct is reported at its own line",
			props: `- name: addr
  logicalType: object
  properties:
    - name: street
      logicalType: string
    - name: zip
      logicalType: string
      required: true`,
			cols: []col{{"addr", arrow.StructOf(arrow.Field{Name: "street", Type: arrow.BinaryTypes.String, Nullable: true}), []string{`{"street": "Main St"}`}}},
			want: []want{{rule: rules.ColumnMissing.ID, severity: report.SeverityError, column: "addr.zip", count: 1,
				msg: []string{"nested field is missing"}, line: "- name: zip"}},
		},
		{
			name: "a nested field of the wrong type is reported at its own line",
			props: `- name: addr
  logicalType: object
  properties:
    - name: street
      logicalType: string
    - name: zip
      logicalType: integer`,
			cols: []col{{"addr", arrow.StructOf(arrow.Field{Name: "street", Type: arrow.BinaryTypes.String, Nullable: true}, arrow.Field{Name: "zip", Type: arrow.BinaryTypes.String, Nullable: true}),
				[]string{`{"street": "Main St", "zip": "1000"}`}}},
			want: []want{{rule: rules.ColumnType.ID, column: "addr.zip", count: 1,
				msg: []string{"expected integer, found utf8: not an integer type"}, line: "logicalType: integer", lineAfter: "- name: zip"}},
		},
		{
			name:  "a string column fails an object contract",
			props: "- name: addr\n  logicalType: object",
			cols:  []col{strs("addr", `{"street": "Main St"}`)},
			want:  []want{{rule: rules.ColumnType.ID, column: "addr", msg: []string{"not a struct"}, line: "logicalType: object"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			contract := doc(tt.props)
			path := writeParquet(t, filepath.Join(t.TempDir(), "t.parquet"), tt.cols)
			rep := mustCheck(t, contract, path)
			assertFindings(t, contract, rep, tt.want...)
		})
	}
}
