package contracts

import (
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
)

func tsType(unit arrow.TimeUnit, tz string) arrow.DataType {
	return &arrow.TimestampType{Unit: unit, TimeZone: tz}
}

func dec128(p, s int32) arrow.DataType { return &arrow.Decimal128Type{Precision: p, Scale: s} }

var (
	i8, i16, i32, i64 = arrow.PrimitiveTypes.Int8, arrow.PrimitiveTypes.Int16, arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Int64
	u8, u16, u32, u64 = arrow.PrimitiveTypes.Uint8, arrow.PrimitiveTypes.Uint16, arrow.PrimitiveTypes.Uint32, arrow.PrimitiveTypes.Uint64
	f16, f32, f64     = arrow.FixedWidthTypes.Float16, arrow.PrimitiveTypes.Float32, arrow.PrimitiveTypes.Float64
	utf8, bytesType   = arrow.BinaryTypes.String, arrow.BinaryTypes.Binary
)

// TestHolds is the widening table in the generic dialect: what data
// each declaration accepts, and why it refuses the rest.
func TestHolds(t *testing.T) {
	yes, no := true, false
	tests := []struct {
		name              string
		logical, physical string
		timezone          *bool
		data              arrow.DataType
		ok                bool
		why               string
	}{
		{"int32 data passes for int64", "integer", "int64", nil, i32, true, ""},
		{"int64 data fails for int32", "integer", "int32", nil, i64, false, "values may not fit in int32"},
		{"uint32 data passes for int64", "integer", "int64", nil, u32, true, ""},
		{"uint64 data fails for int64", "integer", "int64", nil, u64, false, "values may not fit in int64"},
		{"int32 data fails for uint32", "integer", "uint32", nil, i32, false, "values may not fit in uint32"},
		{"uint data of any width passes for uint", "integer", "uint", nil, u64, true, ""},
		{"decimal(9,0) data passes for int32", "integer", "int32", nil, dec128(9, 0), true, ""},
		{"float64 data fails for an integer", "integer", "", nil, f64, false, "not an integer type"},
		{"int16 data passes for float", "number", "float", nil, i16, true, ""},
		{"uint16 data passes for float", "number", "float", nil, u16, true, ""},
		{"int32 data fails for float (24-bit mantissa)", "number", "float", nil, i32, false, "int32 values beyond 2^24 are rounded in float32"},
		{"int32 data passes for double", "number", "double", nil, i32, true, ""},
		{"uint32 data passes for double", "number", "double", nil, u32, true, ""},
		{"int64 data fails for double (53-bit mantissa)", "number", "double", nil, i64, false, "int64 values beyond 2^53 are rounded in float64"},
		{"int8 data passes for float16", "number", "float16", nil, i8, true, ""},
		{"float32 data passes for double", "number", "double", nil, f32, true, ""},
		{"float64 data fails for float", "number", "float", nil, f64, false, "float64 narrows to float32"},
		{"float16 data passes for float", "number", "float", nil, f16, true, ""},
		{"int64 data passes for a logical number", "number", "", nil, i64, true, ""},
		{"a string fails for a logical number", "number", "", nil, utf8, false, "not a numeric type"},
		{"decimal(10,2) data passes for decimal(12,2)", "number", "decimal(12,2)", nil, dec128(10, 2), true, ""},
		{"decimal(12,3) data fails for decimal(12,2)", "number", "decimal(12,2)", nil, dec128(12, 3), false, "scale 3 is larger than 2"},
		{"decimal(14,2) data fails for decimal(12,2)", "number", "decimal(12,2)", nil, dec128(14, 2), false, "12 integer digits exceed the 10 of decimal(12,2)"},
		{"int64 data fails for decimal(12,2)", "number", "decimal(12,2)", nil, i64, false, "int64 needs 20 integer digits"},
		{"decimal256 data passes for decimal256(40,2)", "number", "decimal256(40, 2)", nil, &arrow.Decimal256Type{Precision: 40, Scale: 2}, true, ""},
		{"a decimal128 declaration is a decimal", "number", "decimal128(10,2)", nil, dec128(10, 2), true, ""},
		{"the physical number is any numeric type", "number", "number", nil, f64, true, ""},
		{"timestamp ms data passes for timestamp[us]", "timestamp", "timestamp[us]", nil, tsType(arrow.Millisecond, ""), true, ""},
		{"timestamp ns data fails for timestamp[us]", "timestamp", "timestamp[us]", nil, tsType(arrow.Nanosecond, ""), false, "unit ns is finer than us"},
		{"a UTC timestamp fails for timestamp[us] without a zone", "timestamp", "timestamp[us]", nil, tsType(arrow.Microsecond, "UTC"), false, `has time zone "UTC", want none`},
		{"Etc/UTC passes for tz=UTC", "timestamp", "timestamp[us, tz=UTC]", nil, tsType(arrow.Microsecond, "Etc/UTC"), true, ""},
		{"Europe/Paris fails for tz=UTC", "timestamp", "timestamp[us, tz=UTC]", nil, tsType(arrow.Microsecond, "Europe/Paris"), false, `time zone "Europe/Paris", want "UTC"`},
		{"zone names keep their case", "timestamp", "timestamp[ms, tz=Europe/Paris]", nil, tsType(arrow.Millisecond, "Europe/Paris"), true, ""},
		{"timestamptz needs a zone", "timestamp", "timestamptz", nil, tsType(arrow.Microsecond, ""), false, "has no time zone"},
		{"timestamp_ntz refuses a zone", "timestamp", "timestamp_ntz", nil, tsType(arrow.Microsecond, "UTC"), false, "want none"},
		{"timezone true needs a zone", "timestamp", "", &yes, tsType(arrow.Microsecond, ""), false, "has no time zone"},
		{"timezone false refuses a zone", "timestamp", "", &no, tsType(arrow.Microsecond, "UTC"), false, "want none"},
		{"a bare timestamp takes any unit and zone", "timestamp", "timestamp", nil, tsType(arrow.Nanosecond, "Asia/Tokyo"), true, ""},
		{"timestamp(3) reads the fractional digits as the unit", "timestamp", "timestamp(3)", nil, tsType(arrow.Microsecond, ""), false, "unit us is finer than ms"},
		{"date32 passes for date", "date", "", nil, arrow.FixedWidthTypes.Date32, true, ""},
		{"a timestamp passes for a date declared as a timestamp", "date", "timestamp", nil, tsType(arrow.Microsecond, ""), true, ""},
		{"a dictionary of strings passes for string", "string", "", nil, &arrow.DictionaryType{IndexType: i32, ValueType: utf8}, true, ""},
		{"large_string passes for varchar(18)", "string", "varchar(18)", nil, arrow.BinaryTypes.LargeString, true, ""},
		{"int64 fails for string", "string", "", nil, i64, false, "not a string type"},
		{"16 bytes pass for uuid", "string", "uuid", nil, &arrow.FixedSizeBinaryType{ByteWidth: 16}, true, ""},
		{"text passes for binary", "", "bytes", nil, utf8, true, ""},
		{"a struct passes for object", "object", "", nil, arrow.StructOf(arrow.Field{Name: "a", Type: utf8}), true, ""},
		{"a list passes for array<string>", "array", "array<string>", nil, arrow.ListOf(i64), true, ""},
		{"text passes for json", "object", "jsonb", nil, utf8, true, ""},
		{"a struct passes for json", "object", "json", nil, arrow.StructOf(arrow.Field{Name: "a", Type: utf8}), true, ""},
		{"anything passes when no type is declared", "", "", nil, arrow.FixedWidthTypes.Boolean, true, ""},
		{"an unknown physical type leaves the logical type to decide", "integer", "Flag", nil, utf8, false, "not an integer type"},
		{"an opaque physical type leaves the logical type to decide", "string", "interval", nil, utf8, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Property{Name: "c", LogicalType: tt.logical, PhysicalType: tt.physical, Options: TypeOptions{Timezone: tt.timezone}}
			ok, why := p.Type(Generic).Holds(tt.data)
			if ok != tt.ok || !strings.Contains(why, tt.why) {
				t.Errorf("Holds(%s) = %v %q, want %v %q", tt.data, ok, why, tt.ok, tt.why)
			}
		})
	}
}

// TestDialects reads each engine's own spellings in its dialect: the
// same name can be another type elsewhere.
func TestDialects(t *testing.T) {
	paris := tsType(arrow.Millisecond, "Europe/Paris")
	tests := []struct {
		dialect  Dialect
		logical  string
		physical string
		data     arrow.DataType
		ok       bool
	}{
		{Postgres, "integer", "int8", i64, true},
		{Generic, "integer", "int8", i64, false},
		{Postgres, "integer", "int4", i32, true},
		{Postgres, "integer", "int2", i32, false},
		{Postgres, "number", "serial", i32, true},
		{Postgres, "number", "serial", i64, false},
		{Postgres, "number", "bigserial", i64, true},
		{Postgres, "string", "bpchar", utf8, true},
		{Postgres, "string", "varchar(50)", utf8, true},
		{Postgres, "string", "character varying(255)", utf8, true},
		{Postgres, "number", "numeric(10,2)", dec128(10, 2), true},
		{Postgres, "number", "numeric(10,2)", dec128(12, 2), false},
		{Postgres, "number", "numeric", dec128(38, 9), true},
		{Postgres, "number", "float", f64, true},
		{Postgres, "number", "float(24)", f64, false},
		{Postgres, "timestamp", "timestamptz", tsType(arrow.Microsecond, "UTC"), true},
		{Postgres, "timestamp", "timestamp(3) with time zone", tsType(arrow.Millisecond, "UTC"), true},
		{Postgres, "timestamp", "timestamp without time zone", tsType(arrow.Microsecond, "UTC"), false},
		{Postgres, "array", "int4[]", arrow.ListOf(i32), true},
		{Postgres, "string", "uuid", utf8, true},
		{Postgres, "object", "jsonb", utf8, true},
		{MySQL, "integer", "int(11) unsigned", u32, true},
		{MySQL, "integer", "int(11) unsigned", i32, false},
		{MySQL, "integer", "bigint(20)", i64, true},
		{MySQL, "number", "float", f64, false},
		{MySQL, "number", "double", f64, true},
		{MySQL, "number", "decimal", dec128(10, 0), true},
		{MySQL, "number", "decimal", dec128(10, 2), false},
		{MySQL, "string", "enum('a','b')", utf8, true},
		{MySQL, "timestamp", "datetime(6)", tsType(arrow.Microsecond, ""), true},
		{SQLServer, "integer", "tinyint", u8, true},
		{SQLServer, "integer", "tinyint", i8, false},
		{SQLServer, "boolean", "bit", arrow.FixedWidthTypes.Boolean, true},
		{SQLServer, "number", "float", f64, true},
		{SQLServer, "number", "real", f64, false},
		{SQLServer, "number", "money", dec128(19, 4), true},
		{SQLServer, "string", "nvarchar(max)", utf8, true},
		{SQLServer, "string", "uniqueidentifier", &arrow.FixedSizeBinaryType{ByteWidth: 16}, true},
		{SQLServer, "timestamp", "datetime2(3)", tsType(arrow.Millisecond, ""), true},
		{SQLServer, "timestamp", "datetime2(3)", tsType(arrow.Nanosecond, ""), false},
		{SQLServer, "timestamp", "datetimeoffset", tsType(arrow.Microsecond, "UTC"), true},
		{Oracle, "integer", "NUMBER(10)", dec128(10, 0), true},
		{Oracle, "integer", "NUMBER(10)", i32, true},
		{Oracle, "number", "NUMBER", f64, true},
		{Oracle, "number", "NUMBER(*,2)", dec128(38, 2), true},
		{Oracle, "string", "VARCHAR2(50 CHAR)", utf8, true},
		{Oracle, "string", "LONG", utf8, true},
		{Oracle, "date", "DATE", arrow.FixedWidthTypes.Date32, true},
		{Oracle, "timestamp", "DATE", tsType(arrow.Second, ""), true},
		{Oracle, "number", "BINARY_DOUBLE", f64, true},
		{Snowflake, "integer", "NUMBER", dec128(38, 0), true},
		{Snowflake, "integer", "NUMBER", i64, true},
		{Snowflake, "integer", "INT", dec128(38, 0), true},
		{Snowflake, "number", "NUMBER(10,2)", dec128(10, 2), true},
		{Snowflake, "number", "FLOAT", f64, true},
		{Snowflake, "timestamp", "TIMESTAMP_NTZ(9)", tsType(arrow.Nanosecond, ""), true},
		{Snowflake, "timestamp", "TIMESTAMP_TZ", tsType(arrow.Nanosecond, ""), false},
		{Snowflake, "object", "VARIANT", utf8, true},
		{Snowflake, "object", "OBJECT", arrow.StructOf(arrow.Field{Name: "a", Type: utf8}), true},
		{Snowflake, "string", "GEOGRAPHY", utf8, true},
		{BigQuery, "integer", "INT64", i64, true},
		{BigQuery, "integer", "INTEGER", i64, true},
		{BigQuery, "number", "FLOAT", f64, true},
		{Generic, "number", "FLOAT", f64, false},
		{BigQuery, "number", "FLOAT64", f64, true},
		{BigQuery, "number", "NUMERIC", dec128(38, 9), true},
		{BigQuery, "number", "NUMERIC", dec128(38, 10), false},
		{BigQuery, "number", "BIGNUMERIC", &arrow.Decimal256Type{Precision: 76, Scale: 38}, true},
		{BigQuery, "number", "BIGNUMERIC(20,2)", dec128(20, 2), true},
		{BigQuery, "string", "GEOGRAPHY", utf8, true},
		{BigQuery, "string", "GEOGRAPHY", bytesType, true},
		{BigQuery, "object", "RANGE<TIMESTAMP>", arrow.StructOf(arrow.Field{Name: "start", Type: tsType(arrow.Microsecond, "UTC")}, arrow.Field{Name: "end", Type: tsType(arrow.Microsecond, "UTC")}), true},
		{BigQuery, "timestamp", "TIMESTAMP", tsType(arrow.Microsecond, "UTC"), true},
		{BigQuery, "timestamp", "TIMESTAMP", tsType(arrow.Microsecond, ""), false},
		{BigQuery, "timestamp", "DATETIME", tsType(arrow.Microsecond, ""), true},
		{BigQuery, "timestamp", "DATETIME", tsType(arrow.Microsecond, "UTC"), false},
		{BigQuery, "string", "STRING(10)", utf8, true},
		{BigQuery, "array", "ARRAY<STRUCT<a INT64>>", arrow.ListOf(i64), true},
		{Databricks, "number", "FLOAT", f64, false},
		{Databricks, "number", "DOUBLE", f64, true},
		{Databricks, "number", "DECIMAL", dec128(10, 0), true},
		{Databricks, "timestamp", "TIMESTAMP_NTZ", tsType(arrow.Microsecond, ""), true},
		{Databricks, "object", "struct<a:int,b:string>", arrow.StructOf(arrow.Field{Name: "a", Type: i32}), true},
		{Databricks, "array", "array<string>", arrow.ListOf(utf8), true},
		{Databricks, "integer", "BIGINT NOT NULL", i64, true},
		{Trino, "number", "real", f64, false},
		{Trino, "number", "double", f64, true},
		{Trino, "timestamp", "timestamp(3) with time zone", tsType(arrow.Millisecond, "UTC"), true},
		{Trino, "timestamp", "timestamp(3) with time zone", tsType(arrow.Millisecond, ""), false},
		{Trino, "object", "row(a integer, b varchar)", arrow.StructOf(arrow.Field{Name: "a", Type: i32}), true},
		{Trino, "array", "array(varchar)", arrow.ListOf(utf8), true},
		{Trino, "object", "map(varchar, integer)", arrow.MapOf(utf8, i32), true},
		{Trino, "object", "map(varchar, integer)", arrow.StructOf(arrow.Field{Name: "a", Type: i32}), false},
		{Redshift, "integer", "INT8", i64, true},
		{Redshift, "number", "FLOAT", f64, true},
		{Redshift, "object", "SUPER", utf8, true},
		{ClickHouse, "integer", "Int8", i8, true},
		{ClickHouse, "integer", "Int8", i64, false},
		{ClickHouse, "integer", "UInt64", u64, true},
		{ClickHouse, "integer", "Int128", i64, true},
		{ClickHouse, "number", "Decimal32(2)", dec128(9, 2), true},
		{ClickHouse, "number", "Decimal32(2)", dec128(10, 2), false},
		{ClickHouse, "timestamp", "DateTime64(3, 'Europe/Paris')", paris, true},
		{ClickHouse, "timestamp", "DateTime64(3, 'Europe/Paris')", tsType(arrow.Millisecond, "UTC"), false},
		{ClickHouse, "string", "LowCardinality(Nullable(String))", utf8, true},
		{ClickHouse, "array", "Array(Int32)", arrow.ListOf(i32), true},
		{ClickHouse, "string", "FixedString(16)", utf8, true},
		{DuckDB, "integer", "INT8", i64, true},
		{DuckDB, "integer", "HUGEINT", i64, true},
		{DuckDB, "integer", "UBIGINT", u64, true},
		{DuckDB, "number", "DECIMAL", dec128(18, 3), true},
		{DuckDB, "number", "DECIMAL", dec128(18, 4), false},
		{DuckDB, "timestamp", "TIMESTAMP_MS", tsType(arrow.Nanosecond, ""), false},
		{DuckDB, "array", "INTEGER[3]", arrow.ListOf(i32), true},
		{DuckDB, "timestamp", "TIMESTAMPTZ", tsType(arrow.Microsecond, "UTC"), true},
	}
	for _, tt := range tests {
		verdict := "holds"
		if !tt.ok {
			verdict = "does not hold"
		}
		t.Run(string(tt.dialect)+" "+tt.physical+" "+verdict+" "+tt.data.String(), func(t *testing.T) {
			p := &Property{Name: "c", LogicalType: tt.logical, PhysicalType: tt.physical}
			ty := p.Type(tt.dialect)
			if !ty.PhysicalKnown {
				t.Fatalf("%s does not know %q", tt.dialect, tt.physical)
			}
			if ty.Conflict != "" && ty.ConflictSeverity == "" {
				t.Errorf("conflict with logicalType %s: %s", tt.logical, ty.Conflict)
			}
			if ok, why := ty.Holds(tt.data); ok != tt.ok {
				t.Errorf("Holds(%s) = %v (%s), want %v", tt.data, ok, why, tt.ok)
			}
		})
	}
}

func TestDialectFor(t *testing.T) {
	for server, want := range map[string]Dialect{
		"postgres": Postgres, "postgresql": Postgres, "bigquery": BigQuery, "snowflake": Snowflake,
		"databricks": Databricks, "trino": Trino, "athena": Trino, "sqlserver": SQLServer, "mysql": MySQL,
		"oracle": Oracle, "redshift": Redshift, "clickhouse": ClickHouse, "duckdb": DuckDB,
		"local": Generic, "s3": Generic, "kafka": Generic, "": Generic,
	} {
		if got := DialectFor(server); got != want {
			t.Errorf("DialectFor(%q) = %s, want %s", server, got, want)
		}
	}
}

// TestPhysicalTypeVocabulary lists what the generic dialect knows and
// what it does not.
func TestPhysicalTypeVocabulary(t *testing.T) {
	known := []string{"int", "INTEGER", "int64", "uint8", "bigint", "smallint", "tinyint", "long", "short", "double", "Float",
		"float32", "float(3,2)", "real", "decimal(12,2)", "NUMERIC(10, 0)", "number", "decimal128", "nchar", "character varying",
		"uint", "string", "varchar(255)", "varchar", "char(2)", "text", "utf8", "large_string", "binary", "bool", "boolean",
		"date", "date32", "date64", "timestamp", "timestamp[us, tz=UTC]", "timestamp[ns]", "timestamptz", "timestamp_ntz",
		"timestamp with time zone", "datetime", "time", "time64[us]", "object", "struct", "struct<a: int>", "array",
		"array<string>", "list", "map", "json", "uuid", "VARIANT", "int4", "serial", "bpchar", "varchar[15]", "BIGNUMERIC",
		"GEOGRAPHY", "RANGE<TIMESTAMP>", "str", "xml", "interval day to second", "fixed_size_binary[16]",
		"list<item: int64, nullable>", "dictionary<values=string, indices=int32>", "decimal256(40, 4)", "map<utf8, int64>"}
	for _, s := range known {
		if _, ok := ParsePhysicalType(s, Generic); !ok {
			t.Errorf("%q is not known", s)
		}
	}
	unknown := []string{"", "geographie", "varchar(x)", "varchar(10", "timestamp[weeks]", "decimal(1,2,3)", "table", "array<>",
		"9", "Name", "Flag", "int(", "varchar(-1)", "decimal(0)"}
	for _, s := range unknown {
		if _, ok := ParsePhysicalType(s, Generic); ok {
			t.Errorf("%q is known; want unknown", s)
		}
	}
}

// TestCheckAndDiffAgree holds the promise that there is one table: a
// declaration contains another exactly when it holds the data the other
// is read into, for every pair of sample declarations.
func TestCheckAndDiffAgree(t *testing.T) {
	// float16 is left out: CSV text is never read into float16 (the
	// sources parse float32 at the narrowest).
	decls := []string{"int8", "int16", "int32", "int64", "uint8", "uint32", "uint64", "float", "double",
		"decimal(10,2)", "decimal(12,2)", "decimal(38,0)", "string", "bool", "date", "timestamp[ms]", "timestamp[us]",
		"timestamp[us, tz=UTC]", "time"}
	for _, a := range decls {
		for _, b := range decls {
			pa := &Property{PhysicalType: a}
			pb := &Property{PhysicalType: b}
			dt, ok := pb.Type(Generic).ArrowType()
			if !ok {
				t.Fatalf("%s has no Arrow type", b)
			}
			byDecl, _ := pa.Type(Generic).Domain.Contains(pb.Type(Generic).Domain)
			byData, why := pa.Type(Generic).Holds(dt)
			if byDecl != byData {
				t.Errorf("%s ⊇ %s is %v, but %s holds %s data is %v (%s)", a, b, byDecl, a, dt, byData, why)
			}
		}
	}
}

func TestTextEncodedDates(t *testing.T) {
	p := &Property{LogicalType: "date", PhysicalType: "varchar(10)"}
	ty := p.Type(Generic)
	if !ty.TextEncoded {
		t.Fatal("a date stored as varchar is not text-encoded")
	}
	if _, ok := ty.ArrowType(); ok {
		t.Error("a text date has a CSV type other than text")
	}
	if ok, _ := ty.Holds(utf8); !ok {
		t.Error("a text date does not hold strings")
	}
}

// FuzzParsePhysicalType: whatever the text, in every dialect, the parser
// answers without panicking, and a known type's domain is well formed.
func FuzzParsePhysicalType(f *testing.F) {
	for _, s := range []string{"int8", "varchar(50)", "timestamp(3) with time zone", "timestamp[us, tz=UTC]", "array<struct<a:int>>",
		"Nullable(LowCardinality(String))", "DateTime64(3, 'Europe/Paris')", "NUMBER(*,2)", "bigint(20) unsigned", "RANGE<TIMESTAMP>",
		"dictionary<values=string, indices=int32>", "INTEGER[3]", "varchar[15]", "VARCHAR2(50 CHAR)", "float(53)", "Decimal32(4)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, d := range Dialects() {
			dom, ok := ParsePhysicalType(s, d)
			if !ok {
				continue
			}
			// A scale beyond the precision is a real type, not a malformed
			// one: PostgreSQL 15+ and Oracle take NUMERIC(1,2) (values
			// below 0.01), as they take a negative scale.
			if dom.Kind == KindDecimal && dom.Precision < 0 {
				t.Fatalf("%s %q: decimal(%d,%d)", d, s, dom.Precision, dom.Scale)
			}
			p := &Property{PhysicalType: s, LogicalType: "string"}
			ty := p.Type(d)
			if dt, ok := ty.ArrowType(); ok {
				if held, why := ty.Holds(dt); !held {
					t.Fatalf("%s %q: its own Arrow type %s fails: %s", d, s, dt, why)
				}
			}
		}
	})
}

// TestContains is the widening table between two declarations, the order
// diff reads: a length, a UUID, a zone or a width that the narrower side
// does not promise makes the pair not contained, with the reason.
func TestContains(t *testing.T) {
	tests := []struct {
		name     string
		new, old string // physicalTypes: does new contain old?
		ok       bool
		why      string
	}{
		{"varchar(50) contains varchar(20)", "varchar(50)", "varchar(20)", true, ""},
		{"varchar(20) does not contain varchar(50)", "varchar(20)", "varchar(50)", false, "strings longer than 20"},
		{"varchar(20) does not contain unbounded text", "varchar(20)", "text", false, "strings longer than 20"},
		{"text contains varchar(20)", "text", "varchar(20)", true, ""},
		{"a uuid does not contain any string", "uuid", "varchar(36)", false, "not every string is a UUID"},
		{"a uuid contains a uuid", "uuid", "uniqueidentifier", true, ""},
		{"a uuid contains 16 bytes", "uuid", "binary(16)", true, ""},
		{"a uuid does not contain 8 bytes", "uuid", "binary(8)", false, "not a string type"},
		{"a string does not contain bytes", "varchar", "bytea", false, "not a string type"},
		{"varbinary(8) does not contain varbinary(16)", "varbinary(8)", "varbinary(16)", false, "values longer than 8 bytes"},
		{"bytes contain text", "bytea", "text", true, ""},
		{"binary does not contain an integer", "bytea", "int", false, "not a binary type"},
		{"numeric(12,2) contains numeric(10,2)", "numeric(12,2)", "numeric(10,2)", true, ""},
		{"numeric(10,2) does not contain numeric(10,3)", "numeric(10,2)", "numeric(10,3)", false, "scale 3 is larger than 2"},
		{"numeric(10,2) does not contain numeric(12,2)", "numeric(10,2)", "numeric(12,2)", false, "10 integer digits exceed the 8 of decimal(10,2)"},
		{"numeric(10,2) does not contain a numeric of any precision", "numeric(10,2)", "numeric", false, "a decimal of any precision may not fit decimal(10,2)"},
		{"numeric(12,0) contains int32", "numeric(12,0)", "int", true, ""},
		{"numeric(12,0) does not contain int64", "numeric(12,0)", "bigint", false, "int64 needs 20 integer digits, decimal(12,0) has 12"},
		{"bigint contains numeric(18,0)", "bigint", "numeric(18,0)", true, ""},
		{"int does not contain numeric(10,2)", "int", "numeric(10,2)", false, "not an integer type"},
		{"int does not contain text", "int", "text", false, "not an integer type"},
		{"float does not contain double", "float4", "float8", false, "float64 narrows to float32"},
		{"double contains int32", "double", "int", true, ""},
		{"double does not contain int64", "double", "bigint", false, "int64 values beyond 2^53 are rounded in float64"},
		{"number contains every numeric type", "number", "float8", true, ""},
		{"number does not contain a boolean", "number", "boolean", false, "not a numeric type"},
		{"timestamp(6) contains timestamp(3)", "timestamp(6)", "timestamp(3)", true, ""},
		{"timestamp(3) does not contain timestamp(6)", "timestamp(3)", "timestamp(6)", false, "unit us is finer than ms"},
		{"timestamptz does not contain a local timestamp", "timestamptz", "timestamp_ntz", false, "has no time zone"},
		{"timestamptz does not contain a timestamp that may lack a zone", "timestamptz", "timestamp", false, "may have no time zone"},
		{"a local timestamp does not contain timestamptz", "timestamp_ntz", "timestamptz", false, "may have a time zone, want none"},
		{"a local timestamp does not contain a UTC one", "timestamp_ntz", "timestamp[us, tz=UTC]", false, `has time zone "UTC", want none`},
		{"a Paris timestamp does not contain any zone", "timestamp[us, tz=Europe/Paris]", "timestamptz(6)", false, `any time zone, want "Europe/Paris"`},
		{"a UTC timestamp contains Z", "timestamp[us, tz=UTC]", "timestamp[us, tz=Z]", true, ""},
		{"a UTC timestamp does not contain Paris", "timestamp[us, tz=UTC]", "timestamp[us, tz=Europe/Paris]", false, `time zone "Europe/Paris", want "UTC"`},
		{"json contains a struct", "jsonb", "struct<a:int>", true, ""},
		{"json does not contain a date", "json", "date", false, "not a JSON document (text, bytes or nested)"},
		{"a list does not contain a map", "array<int>", "map<string,int>", false, "not a list"},
		{"a date does not contain a timestamp", "date", "timestamp", false, "not a date type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, aok := ParsePhysicalType(tt.new, Generic)
			b, bok := ParsePhysicalType(tt.old, Generic)
			if !aok || !bok {
				t.Fatalf("ParsePhysicalType(%q) known %v, (%q) known %v", tt.new, aok, tt.old, bok)
			}
			ok, why := a.Contains(b)
			if ok != tt.ok || why != tt.why {
				t.Errorf("%s contains %s = %v %q, want %v %q", tt.new, tt.old, ok, why, tt.ok, tt.why)
			}
		})
	}
}
