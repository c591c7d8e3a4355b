package checker

import (
	"path/filepath"
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

// The widening table itself is contracts.Type.Holds (contracts/types_test.go
// holds its cases); these tests hold the engine to it end to end.

func TestCSVColumnTypes(t *testing.T) {
	tests := []struct {
		dialect           contracts.Dialect
		logical, physical string
		want              string
	}{
		{contracts.BigQuery, "number", "FLOAT", "float64"},
		{contracts.Postgres, "integer", "int8", "int64"},
		{contracts.ClickHouse, "integer", "Int8", "int8"},
		{contracts.SQLServer, "integer", "tinyint", "uint8"},
		{contracts.Snowflake, "number", "NUMBER(10,2)", "decimal(10, 2)"},
		{"", "integer", "", "int64"},
		{"", "integer", "int", "int32"},
		{"", "integer", "uint16", "uint16"},
		{"", "number", "", "float64"},
		{"", "number", "float", "float32"},
		{"", "number", "decimal(12,2)", "decimal(12, 2)"},
		{"", "number", "decimal", "decimal(38, 9)"},
		{"", "number", "numeric(40,4)", "decimal256(40, 4)"},
		{"", "timestamp", "", "timestamp[us]"},
		{"", "timestamp", "timestamptz", "timestamp[us, tz=UTC]"},
		{"", "timestamp", "timestamp[ms, tz=Europe/Paris]", "timestamp[ms, tz=Europe/Paris]"},
		{"", "date", "", "date32"},
		{"", "time", "", "time64[us]"},
		{"", "boolean", "", "bool"},
		{"", "string", "varchar(10)", "utf8"},
	}
	for _, tt := range tests {
		t.Run(string(tt.dialect)+" "+tt.logical+" "+tt.physical+" is read from CSV as "+tt.want, func(t *testing.T) {
			p := &contracts.Property{Name: "c", LogicalType: tt.logical, PhysicalType: tt.physical}
			e := expect(p, tt.dialect)
			if got := e.arrowType().String(); got != tt.want {
				t.Errorf("arrowType() = %s, want %s", got, tt.want)
			}
			// What a CSV column is parsed into must pass its own check.
			if ok, why := e.compatible(e.arrowType()); !ok {
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
			name:  "int64 data fails a double column: doubles round int64 values beyond 2^53",
			props: "- name: n\n  logicalType: number\n  physicalType: double",
			cols:  []col{{"n", arrow.PrimitiveTypes.Int64, []string{"9007199254740993"}}},
			want: []want{{rule: rules.ColumnType.ID, column: "n", count: 1,
				msg: []string{"expected number (double), found int64: int64 values beyond 2^53 are rounded in float64"}, line: "physicalType: double"}},
		},
		{
			name:  "int32 data passes a double column",
			props: "- name: n\n  logicalType: number\n  physicalType: double",
			cols:  []col{{"n", arrow.PrimitiveTypes.Int32, []string{"7"}}},
		},
		{
			name:  "a decimal128 declaration checks decimals",
			props: "- name: n\n  logicalType: number\n  physicalType: decimal128(10,2)",
			cols:  []col{{"n", dec(12, 2), []string{"1.00"}}},
			want:  []want{{rule: rules.ColumnType.ID, column: "n", msg: []string{"10 integer digits exceed the 8 of decimal(10,2)"}, line: "physicalType: decimal128(10,2)"}},
		},
		{
			name:  "an nchar declaration checks strings",
			props: "- name: s\n  physicalType: nchar(2)",
			cols:  []col{{"s", arrow.PrimitiveTypes.Int64, []string{"1"}}},
			want:  []want{{rule: rules.ColumnType.ID, column: "s", msg: []string{"not a string type"}, line: "physicalType: nchar(2)"}},
		},
		{
			name:  "a uint declaration refuses signed data",
			props: "- name: n\n  physicalType: uint",
			cols:  []col{{"n", arrow.PrimitiveTypes.Int32, []string{"1"}}},
			want:  []want{{rule: rules.ColumnType.ID, column: "n", msg: []string{"values may not fit in uint"}, line: "physicalType: uint"}},
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

// TestDialectFromServers reads physicalTypes in the dialect of the
// contract's server: int8 is a bigint in PostgreSQL, FLOAT is 64-bit in
// BigQuery, while the generic vocabulary reads both narrower.
func TestDialectFromServers(t *testing.T) {
	servers := map[string]string{
		"postgres": "servers:\n  - server: db\n    type: postgres\n    host: localhost\n    port: 5432\n    database: shop\n    schema: public\n",
		"bigquery": "servers:\n  - server: bq\n    type: bigquery\n    project: p\n    dataset: d\n",
		"none":     "",
	}
	tests := []struct {
		name, server, props string
		cols                []col
		want                []want
	}{
		{"int8 holds int64 data under a postgres server", "postgres",
			"- name: n\n  logicalType: integer\n  physicalType: int8", []col{{"n", arrow.PrimitiveTypes.Int64, []string{"9000000000"}}}, nil},
		{"int8 is 8 bits without a server", "none",
			"- name: n\n  logicalType: integer\n  physicalType: int8", []col{{"n", arrow.PrimitiveTypes.Int64, []string{"9000000000"}}},
			[]want{{rule: rules.ColumnType.ID, column: "n", msg: []string{"values may not fit in int8"}, line: "physicalType: int8"}}},
		{"FLOAT holds float64 data under a bigquery server", "bigquery",
			"- name: x\n  logicalType: number\n  physicalType: FLOAT", []col{floats("x", "1.5")}, nil},
		{"FLOAT is 32-bit without a server", "none",
			"- name: x\n  logicalType: number\n  physicalType: FLOAT", []col{floats("x", "1.5")},
			[]want{{rule: rules.ColumnType.ID, column: "x", msg: []string{"float64 narrows to float32"}, line: "physicalType: FLOAT"}}},
		{"an unknown physicalType leaves the logicalType to decide", "postgres",
			"- name: flag\n  logicalType: string\n  physicalType: Flag", []col{strs("flag", "y")}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			contract := doc(tt.props) + servers[tt.server]
			path := writeParquet(t, filepath.Join(t.TempDir(), "t.parquet"), tt.cols)
			rep := mustCheck(t, contract, path)
			assertFindings(t, contract, rep, tt.want...)
		})
	}
}

// TestUnreadableDateFormatIsNotChecked: a date format driftgate cannot read
// is an info finding that says the values were not checked, not a contract
// error that stops the run.
func TestUnreadableDateFormatIsNotChecked(t *testing.T) {
	contract := doc("- name: d\n  logicalType: date\n  physicalType: varchar\n  logicalTypeOptions:\n    format: \"yyyy-ww\"")
	path := writeParquet(t, filepath.Join(t.TempDir(), "t.parquet"), []col{strs("d", "2020-01")})
	rep := mustCheck(t, contract, path)
	assertFindings(t, contract, rep, want{rule: rules.ValueFormat.ID, severity: report.SeverityInfo, column: "d", msg: []string{`format "yyyy-ww" is not one driftgate checks`}, line: "format:"})
}
