package contracts

import (
	"regexp"
	"strconv"
	"strings"
)

// Dialect is the type vocabulary physicalType is written in: the engine
// named by the contract's server type. The same spelling means different
// types in different engines (int8 is a bigint in PostgreSQL and an
// 8-bit integer in Arrow and ClickHouse; FLOAT is 64-bit in BigQuery,
// Snowflake and SQL Server and 32-bit in Spark and MySQL), so a
// physicalType is read in its server's dialect.
type Dialect string

// The dialects. Generic reads the spellings of files and libraries
// (Parquet, Arrow, Spark, Avro, Python) and the SQL names that mean the
// same everywhere; each engine's dialect adds or overrides its own names
// and falls back to Generic for the rest.
const (
	Generic    Dialect = "generic"
	Postgres   Dialect = "postgres"
	MySQL      Dialect = "mysql"
	SQLServer  Dialect = "sqlserver"
	Oracle     Dialect = "oracle"
	Snowflake  Dialect = "snowflake"
	BigQuery   Dialect = "bigquery"
	Databricks Dialect = "databricks"
	Trino      Dialect = "trino"
	Redshift   Dialect = "redshift"
	ClickHouse Dialect = "clickhouse"
	DuckDB     Dialect = "duckdb"
)

// Dialects lists every dialect, Generic first.
func Dialects() []Dialect {
	return []Dialect{Generic, Postgres, MySQL, SQLServer, Oracle, Snowflake, BigQuery, Databricks, Trino, Redshift, ClickHouse, DuckDB}
}

// DialectFor maps an ODCS server type to the dialect its physicalTypes
// are written in. Types without an engine of their own (local files,
// object stores, Kafka, custom) read the generic vocabulary.
func DialectFor(serverType string) Dialect {
	switch strings.ToLower(strings.TrimSpace(serverType)) {
	case "postgres", "postgresql", "cloudsql":
		return Postgres
	case "mysql":
		return MySQL
	case "sqlserver", "synapse", "fabric":
		return SQLServer
	case "oracle":
		return Oracle
	case "snowflake":
		return Snowflake
	case "bigquery":
		return BigQuery
	case "databricks", "spark", "hive", "glue", "impala":
		return Databricks
	case "trino", "presto", "athena":
		return Trino
	case "redshift":
		return Redshift
	case "clickhouse":
		return ClickHouse
	case "duckdb":
		return DuckDB
	}
	return Generic
}

// param says how a type reads its parenthesised parameters.
type param uint8

const (
	pNone     param = iota // no parameters
	pIgnore                // parameters that do not change the domain (MySQL's int(11) display width)
	pLength                // (n), (max), (n char): a length
	pDecimal               // (p), (p,s), (*,s): precision and scale
	pFracSec               // (n): digits of fractional seconds, the unit
	pFloat                 // (p): binary digits of mantissa, 32 or 64 bits
	pScale                 // ClickHouse Decimal32(S): the scale, precision fixed by the name
	pDateTime              // ClickHouse DateTime('zone'), DateTime64(p, 'zone')
)

// spec is one vocabulary entry.
type spec struct {
	d Domain
	p param
}

func mk(f Kind) spec       { return spec{d: anyDomain(f)} }
func sInt(bits int) spec   { s := mk(KindInt); s.d.Bits = bits; return s }
func sUint(bits int) spec  { s := mk(KindUint); s.d.Bits = bits; return s }
func sFloat(bits int) spec { s := mk(KindFloat); s.d.Bits = bits; return s }
func dec(p, s int32) spec {
	x := mk(KindDecimal)
	x.d.Precision, x.d.Scale, x.p = p, s, pDecimal
	return x
}
func text() spec         { s := mk(KindString); s.p = pLength; return s }
func bin() spec          { s := mk(KindBinary); s.p = pLength; return s }
func ts(z ZoneRule) spec { s := mk(KindTimestamp); s.d.ZoneRule, s.p = z, pFracSec; return s }
func tsUnit(u TimeUnit, z ZoneRule) spec {
	s := mk(KindTimestamp)
	s.d.Unit, s.d.ZoneRule = u, z
	return s
}
func timeOf() spec               { s := mk(KindTime); s.p = pFracSec; return s }
func with(s spec, p param) spec  { s.p = p; return s }
func opaque() spec               { return spec{d: anyDomain(KindAny), p: pIgnore} }
func uuidText() spec             { s := mk(KindString); s.d.UUID = true; return s }
func chDec(p int32) spec         { s := dec(p, 0); s.p = pScale; return s }
func chDateTime(u TimeUnit) spec { s := tsUnit(u, ZoneEither); s.p = pDateTime; return s }

// generic is the vocabulary of files and libraries, and of SQL names that
// mean one thing everywhere.
var genericTypes = map[string]spec{
	// integers
	"tinyint": sInt(8), "int8": sInt(8), "byte": sInt(8), "int1": sInt(8),
	"smallint": sInt(16), "int16": sInt(16), "short": sInt(16), "int2": sInt(16), "smallserial": sInt(16), "serial2": sInt(16),
	"int": with(sInt(32), pIgnore), "integer": with(sInt(32), pIgnore), "int32": sInt(32), "int4": sInt(32), "serial": sInt(32), "serial4": sInt(32), "mediumint": with(sInt(32), pIgnore),
	"bigint": with(sInt(64), pIgnore), "int64": sInt(64), "long": sInt(64), "bigserial": sInt(64), "serial8": sInt(64),
	"uint8": sUint(8), "uint16": sUint(16), "uint32": sUint(32), "uint64": sUint(64), "uint": sUint(0),
	"utinyint": sUint(8), "usmallint": sUint(16), "uinteger": sUint(32), "ubigint": sUint(64),
	"hugeint": sInt(128), "int128": sInt(128), "uhugeint": sUint(128), "uint128": sUint(128),
	"int256": sInt(256), "uint256": sUint(256),
	// floating point
	"float16": sFloat(16), "halffloat": sFloat(16), "half": sFloat(16),
	"float": with(sFloat(32), pFloat), "float32": sFloat(32), "real": sFloat(32), "float4": sFloat(32),
	"double": sFloat(64), "float64": sFloat(64), "double precision": sFloat(64), "float8": sFloat(64),
	// exact numbers
	"decimal": dec(0, 0), "numeric": dec(0, 0), "dec": dec(0, 0), "decimal128": dec(0, 0), "decimal256": dec(0, 0),
	"number": with(mk(KindNumber), pDecimal), "bignumeric": dec(76, 38), "bigdecimal": dec(76, 38),
	"money": mk(KindNumber), "smallmoney": mk(KindNumber),
	// text
	"string": text(), "varchar": text(), "char": text(), "character": text(), "character varying": text(),
	"nvarchar": text(), "nchar": text(), "national character varying": text(), "national character": text(),
	"text": text(), "ntext": text(), "tinytext": text(), "mediumtext": text(), "longtext": text(), "clob": text(), "nclob": text(),
	"varchar2": text(), "nvarchar2": text(), "bpchar": text(), "citext": text(), "str": text(),
	"utf8": text(), "large_string": text(), "large_utf8": text(), "string_view": text(), "utf8_view": text(),
	"enum": with(mk(KindString), pIgnore), "set": with(mk(KindString), pIgnore),
	"xml": text(), "xmltype": text(), "inet": text(), "cidr": text(), "macaddr": text(), "macaddr8": text(),
	"tsvector": text(), "tsquery": text(), "ipaddress": text(), "rowid": text(), "urowid": text(),
	"uuid": uuidText(), "uniqueidentifier": uuidText(),
	// binary
	"binary": bin(), "varbinary": bin(), "large_binary": bin(), "binary_view": bin(), "bytes": bin(), "blob": bin(), "bytea": bin(),
	"tinyblob": bin(), "mediumblob": bin(), "longblob": bin(), "image": bin(), "raw": bin(), "long raw": bin(), "varbyte": bin(),
	"binary varying": bin(), "fixed": bin(), "fixed_size_binary": bin(), "fixedstring": bin(), "rowversion": bin(), "bfile": bin(),
	"geography": with(mk(KindBinary), pIgnore), "geometry": with(mk(KindBinary), pIgnore), "hierarchyid": bin(),
	// boolean
	"bool": mk(KindBool), "boolean": mk(KindBool), "logical": mk(KindBool), "bit": with(mk(KindBool), pIgnore),
	// dates and times
	"date": mk(KindDate), "date32": mk(KindDate), "date64": mk(KindDate),
	"timestamp": ts(ZoneEither), "datetime": ts(ZoneEither), "datetime2": ts(ZoneNone), "smalldatetime": tsUnit(UnitSecond, ZoneNone),
	"timestamp without time zone": ts(ZoneNone), "timestamp_ntz": ts(ZoneNone),
	"timestamptz": ts(ZoneRequired), "timestamp with time zone": ts(ZoneRequired), "timestamp_tz": ts(ZoneRequired),
	"timestamp_ltz": ts(ZoneRequired), "timestamp with local time zone": ts(ZoneEither), "datetimeoffset": ts(ZoneRequired),
	"timestamp_s": tsUnit(UnitSecond, ZoneEither), "timestamp_ms": tsUnit(UnitMilli, ZoneEither), "timestamp_us": tsUnit(UnitMicro, ZoneEither), "timestamp_ns": tsUnit(UnitNano, ZoneEither),
	"time": timeOf(), "time32": with(mk(KindTime), pIgnore), "time64": with(mk(KindTime), pIgnore), "timetz": timeOf(),
	"time with time zone": timeOf(), "time without time zone": timeOf(),
	"year": sInt(16),
	// nested and semi-structured
	"struct": mk(KindObject), "object": mk(KindObject), "record": mk(KindObject), "row": mk(KindObject),
	"tuple": mk(KindObject), "message": mk(KindObject), "dict": mk(KindObject),
	"array": mk(KindArray), "list": mk(KindArray), "large_list": mk(KindArray), "nested": mk(KindArray),
	"map": mk(KindMap), "hstore": mk(KindMap),
	"json": mk(KindJSON), "jsonb": mk(KindJSON), "variant": mk(KindJSON), "super": mk(KindJSON),
	// types whose storage varies: known, the logical type decides
	"interval": opaque(), "sql_variant": opaque(), "point": opaque(), "line": opaque(), "lseg": opaque(), "box": opaque(),
	"path": opaque(), "polygon": opaque(), "circle": opaque(), "ipv4": opaque(), "ipv6": opaque(), "hllsketch": opaque(),
	"range": opaque(), "union": opaque(), "null": opaque(), "void": opaque(), "varbit": text(), "bit varying": text(),
}

// dialectTypes holds each engine's own names and the names it reads
// differently from Generic.
var dialectTypes = map[Dialect]map[string]spec{
	Postgres: {
		"int8": sInt(64), "int": sInt(32), "integer": sInt(32), "bigint": sInt(64),
		"float": with(sFloat(64), pFloat), "numeric": dec(0, 0), "decimal": dec(0, 0),
		"money": mk(KindNumber), "oid": sUint(32), "bit": text(), "name": text(),
	},
	Redshift: {
		"int8": sInt(64), "float": sFloat(64), "decimal": dec(18, 0), "numeric": dec(18, 0),
		"varbyte": bin(), "geometry": with(mk(KindBinary), pIgnore),
	},
	DuckDB: {
		"int8": sInt(64), "long": sInt(64), "signed": sInt(32), "float": sFloat(32),
		"decimal": dec(18, 3), "numeric": dec(18, 3), "bit": text(), "bitstring": text(), "bignum": sInt(0),
		"datetime": ts(ZoneEither),
	},
	MySQL: {
		"tinyint": with(sInt(8), pIgnore), "smallint": with(sInt(16), pIgnore), "serial": sUint(64),
		"decimal": dec(10, 0), "numeric": dec(10, 0), "dec": dec(10, 0), "fixed": dec(10, 0),
		"float": with(sFloat(32), pFloat), "double": with(sFloat(64), pIgnore), "real": sFloat(64),
		"datetime": ts(ZoneNone), "timestamp": ts(ZoneEither), "bit": opaque(), "year": with(sInt(16), pIgnore),
	},
	SQLServer: {
		"tinyint": sUint(8), "float": with(sFloat(64), pFloat), "decimal": dec(18, 0), "numeric": dec(18, 0),
		"money": dec(19, 4), "smallmoney": dec(10, 4), "bit": mk(KindBool),
		"datetime": tsUnit(UnitAny, ZoneNone), "datetime2": ts(ZoneNone), "datetimeoffset": ts(ZoneRequired),
		"timestamp": ts(ZoneEither), "rowversion": bin(),
	},
	Oracle: {
		"number": with(mk(KindNumber), pDecimal), "integer": sInt(0), "int": sInt(0), "smallint": sInt(0),
		"float": with(mk(KindNumber), pIgnore), "binary_float": sFloat(32), "binary_double": sFloat(64),
		"date": opaque(), "long": text(), "raw": bin(), "long raw": bin(), "pls_integer": sInt(32), "binary_integer": sInt(32),
		"timestamp with local time zone": ts(ZoneEither),
	},
	Snowflake: {
		"number": dec(38, 0), "decimal": dec(38, 0), "numeric": dec(38, 0),
		"int": sInt(0), "integer": sInt(0), "bigint": sInt(0), "smallint": sInt(0), "tinyint": sInt(0), "byteint": sInt(0),
		"float": sFloat(64), "float4": sFloat(64), "float8": sFloat(64), "double": sFloat(64), "double precision": sFloat(64), "real": sFloat(64),
		"datetime": ts(ZoneNone), "timestamp": ts(ZoneEither), "timestamp_ntz": ts(ZoneNone), "timestamp_ltz": ts(ZoneRequired), "timestamp_tz": ts(ZoneRequired),
		"variant": mk(KindJSON), "object": mk(KindJSON), "array": mk(KindJSON),
		"geography": with(mk(KindBinary), pIgnore), "geometry": with(mk(KindBinary), pIgnore), "vector": opaque(),
	},
	BigQuery: {
		"int64": sInt(64), "int": sInt(64), "integer": sInt(64), "smallint": sInt(64), "bigint": sInt(64), "tinyint": sInt(64), "byteint": sInt(64),
		"float64": sFloat(64), "float": sFloat(64),
		"numeric": dec(38, 9), "decimal": dec(38, 9), "bignumeric": dec(76, 38), "bigdecimal": dec(76, 38),
		"datetime": tsUnit(UnitAny, ZoneNone), "timestamp": tsUnit(UnitAny, ZoneRequired),
		"geography": with(mk(KindBinary), pIgnore), "struct": mk(KindObject), "record": mk(KindObject), "range": mk(KindObject),
	},
	Databricks: {
		"decimal": dec(10, 0), "numeric": dec(10, 0), "dec": dec(10, 0), "float": sFloat(32), "real": sFloat(32),
		"timestamp": ts(ZoneEither), "timestamp_ntz": ts(ZoneNone), "timestamp_ltz": ts(ZoneRequired), "variant": mk(KindJSON),
	},
	Trino: {
		"decimal": dec(38, 0), "numeric": dec(38, 0), "real": sFloat(32), "float": sFloat(64),
		"timestamp": ts(ZoneEither), "row": mk(KindObject), "ipaddress": text(),
	},
	ClickHouse: {
		"int8": sInt(8), "int16": sInt(16), "int32": sInt(32), "int64": sInt(64), "int128": sInt(128), "int256": sInt(256),
		"uint8": sUint(8), "uint16": sUint(16), "uint32": sUint(32), "uint64": sUint(64), "uint128": sUint(128), "uint256": sUint(256),
		"float32": sFloat(32), "float64": sFloat(64), "bfloat16": sFloat(16), "float": sFloat(32), "double": sFloat(64),
		"decimal": dec(10, 0), "decimal32": chDec(9), "decimal64": chDec(18), "decimal128": chDec(38), "decimal256": chDec(76),
		"string": mk(KindString), "fixedstring": bin(), "enum8": with(mk(KindString), pIgnore), "enum16": with(mk(KindString), pIgnore),
		"date": mk(KindDate), "date32": mk(KindDate), "datetime": chDateTime(UnitSecond), "datetime64": chDateTime(UnitAny),
		"tuple": mk(KindObject), "nested": mk(KindArray), "object": mk(KindJSON), "json": mk(KindJSON),
		"ipv4": opaque(), "ipv6": opaque(),
	},
}

// arrowTimestampRE matches Arrow's own spelling, timestamp[us, tz=UTC].
// It runs on the raw text: zone names are case-sensitive (Europe/Paris).
var arrowTimestampRE = regexp.MustCompile(`(?i)^timestamp\s*\[\s*(s|ms|us|ns)\s*(?:,\s*tz\s*=\s*([^\]]*))?\]$`)

var arrowUnits = map[string]TimeUnit{"s": UnitSecond, "ms": UnitMilli, "us": UnitMicro, "ns": UnitNano}

// maxTypeDepth bounds nesting in a physicalType (array<array<...>>), so a
// hostile contract cannot make the parser recurse without end.
const maxTypeDepth = 32

// ParsePhysicalType reads a physicalType in a dialect. known is false
// when the dialect does not know the type; a known type with an Any
// domain (INTERVAL, Oracle's DATE) leaves the logical type to decide.
// It is case-insensitive and lenient about spacing, wrappers (Nullable,
// LowCardinality, NOT NULL) and parameters: int4, BIGINT UNSIGNED,
// varchar(50), VARCHAR2(50 CHAR), numeric(10,2), timestamp(3) with time
// zone, timestamp[us, tz=UTC], array<string>, RANGE<TIMESTAMP> and
// DateTime64(3, 'Europe/Paris') all parse.
func ParsePhysicalType(s string, d Dialect) (Domain, bool) {
	return parsePhysical(strings.TrimSpace(s), d, 0)
}

func parsePhysical(raw string, d Dialect, depth int) (Domain, bool) {
	if raw == "" || depth > maxTypeDepth || len(raw) > 1000 {
		return Domain{}, false
	}
	if dom, ok := arrowTimestamp(raw); ok {
		return dom, true
	}
	// n keeps the case (zone names are case-sensitive); s is for matching.
	n := strings.Join(strings.Fields(raw), " ")
	if inner, ok := unwrapType(n); ok {
		return parsePhysical(inner, d, depth+1)
	}
	s := strings.ToLower(n)
	if strings.HasPrefix(s, "repeated ") || strings.HasSuffix(s, "[]") && len(s) > 2 {
		return anyDomain(KindArray), true
	}
	if i := strings.IndexByte(n, '<'); i > 0 && strings.HasSuffix(n, ">") {
		return angleType(strings.ToLower(strings.TrimSpace(n[:i])), strings.TrimSpace(n[i+1:len(n)-1]), d, depth)
	}
	return namedType(n, d)
}

// arrowTimestamp reads Arrow's own spelling, timestamp[us, tz=UTC].
func arrowTimestamp(raw string) (Domain, bool) {
	m := arrowTimestampRE.FindStringSubmatch(raw)
	if m == nil {
		return Domain{}, false
	}
	dom := anyDomain(KindTimestamp)
	dom.Unit = arrowUnits[strings.ToLower(m[1])]
	dom.ZoneRule = ZoneNone
	if tz := strings.TrimSpace(m[2]); tz != "" {
		dom.ZoneRule, dom.Zone = ZoneExact, tz
	}
	return dom, true
}

// typeWrappers say nothing about the values: the type inside decides.
// SimpleAggregateFunction(fn, T) holds T, its last argument.
var typeWrappers = []struct {
	prefix string
	last   bool
}{{"nullable(", false}, {"lowcardinality(", false}, {"simpleaggregatefunction(", true}}

// unwrapType returns the type inside a nullability suffix (NOT NULL,
// NULL) or a wrapper (Nullable(T), LowCardinality(T)).
func unwrapType(n string) (string, bool) {
	s := strings.ToLower(n)
	for _, suffix := range []string{" not null", " null"} {
		if strings.HasSuffix(s, suffix) {
			return n[:len(n)-len(suffix)], true
		}
	}
	for _, w := range typeWrappers {
		if strings.HasPrefix(s, w.prefix) && strings.HasSuffix(s, ")") {
			inner := n[len(w.prefix) : len(n)-1]
			if w.last {
				parts := splitTop(inner)
				inner = parts[len(parts)-1]
			}
			return strings.TrimSpace(inner), true
		}
	}
	return "", false
}

// parenNested are the nested types written with parentheses (Trino,
// ClickHouse, DuckDB); the element types are the items' business.
var parenNested = map[string]Kind{
	"array": KindArray, "list": KindArray, "nested": KindArray,
	"row": KindObject, "struct": KindObject, "tuple": KindObject,
	"map": KindMap,
}

// namedType reads a type name with its parameters and modifiers
// (varchar(50), numeric(10,2), timestamp(3) with time zone, BIGINT
// UNSIGNED) in the dialect's vocabulary.
func namedType(n string, d Dialect) (Domain, bool) {
	base, params, tail, bracket, ok := splitType(n)
	if !ok {
		return Domain{}, false
	}
	base, tail = strings.ToLower(base), strings.ToLower(tail)
	if k, nested := parenNested[base]; nested && params != nil {
		return anyDomain(k), true
	}
	if strings.HasPrefix(base, "interval") {
		return anyDomain(KindAny), true
	}
	name, unsigned := typeWords(base + " " + tail)
	sp, found := lookup(name, d)
	if !found {
		return Domain{}, false
	}
	if bracket && d == DuckDB && len(params) == 1 && isDigits(params[0]) {
		// INTEGER[3] is DuckDB's fixed-size array; elsewhere varchar[15]
		// is how some tools write a length, and time64[us] is Arrow's.
		return anyDomain(KindArray), true
	}
	dom, ok := sp.apply(params)
	if !ok {
		return Domain{}, false
	}
	if unsigned && dom.Kind == KindInt {
		dom.Kind = KindUint
	}
	return dom, true
}

// typeWords drops MySQL's integer modifiers from a type's words and says
// whether one of them was UNSIGNED.
func typeWords(words string) (name string, unsigned bool) {
	var kept []string
	for _, w := range strings.Fields(words) {
		switch w {
		case "unsigned":
			unsigned = true
		case "signed", "zerofill":
		default:
			kept = append(kept, w)
		}
	}
	return strings.Join(kept, " "), unsigned
}

// angleType reads base<inner>: Spark, BigQuery and Arrow nested types,
// BigQuery's RANGE<T>, Arrow's dictionary<values=T, ...>.
func angleType(base, inner string, d Dialect, depth int) (Domain, bool) {
	if inner == "" {
		return Domain{}, false
	}
	if k, nested := angleNested[base]; nested {
		return anyDomain(k), true
	}
	if base == "dictionary" {
		for _, part := range splitTop(inner) {
			if k, v, ok := strings.Cut(strings.TrimSpace(part), "="); ok && strings.TrimSpace(k) == "values" {
				return parsePhysical(strings.TrimSpace(v), d, depth+1)
			}
		}
	}
	return Domain{}, false
}

// angleNested are the nested types written base<inner>.
var angleNested = map[string]Kind{
	"array": KindArray, "list": KindArray, "large_list": KindArray, "fixed_size_list": KindArray, "list_view": KindArray, "large_list_view": KindArray,
	"struct": KindObject, "record": KindObject, "row": KindObject, "object": KindObject, "tuple": KindObject, "range": KindObject,
	"map": KindMap,
}

func lookup(key string, d Dialect) (spec, bool) {
	if sp, ok := dialectTypes[d][key]; ok {
		return sp, true
	}
	sp, ok := genericTypes[key]
	return sp, ok
}

// splitType splits "timestamp(3) with time zone" into the base words
// ("timestamp"), the parameters (["3"]) and the words after them ("with
// time zone"). params is nil when there are none. Square brackets are
// read as parentheses: varchar[15] is how some tools write a length.
func splitType(s string) (base string, params []string, tail string, bracket, ok bool) {
	i := strings.IndexAny(s, "([")
	if i < 0 {
		return s, nil, "", false, !strings.ContainsAny(s, ")]<>")
	}
	closer := byte(')')
	if s[i] == '[' {
		closer, bracket = ']', true
	}
	j := strings.LastIndexByte(s, closer)
	if j < i {
		return "", nil, "", false, false
	}
	base = strings.TrimSpace(s[:i])
	inner := s[i+1 : j]
	tail = strings.TrimSpace(s[j+1:])
	if base == "" || strings.ContainsAny(tail, "()[]<>") {
		return "", nil, "", false, false
	}
	params = []string{}
	for _, p := range splitTop(inner) {
		params = append(params, strings.TrimSpace(p))
	}
	return base, params, tail, bracket, true
}

// splitTop splits on commas outside parentheses and quotes.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '(' || c == '<' || c == '[':
			depth++
		case c == ')' || c == '>' || c == ']':
			depth--
		case c == ',' && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// apply reads the parameters into the spec's domain.
func (sp spec) apply(params []string) (Domain, bool) {
	if params == nil {
		return sp.d, true
	}
	if int(sp.p) >= len(paramReaders) || paramReaders[sp.p] == nil {
		return Domain{}, false // pNone: the type takes no parameters
	}
	return paramReaders[sp.p](sp.d, params)
}

// paramReaders reads each kind of parameter list into a domain.
var paramReaders = [...]func(Domain, []string) (Domain, bool){
	pIgnore:   func(dom Domain, _ []string) (Domain, bool) { return dom, true },
	pLength:   lengthParam,
	pDecimal:  decimalParams,
	pFracSec:  fracSecParam,
	pFloat:    floatParam,
	pScale:    scaleParam,
	pDateTime: dateTimeParams,
}

// lengthParam reads (n), (max) and (n char), (n byte).
func lengthParam(dom Domain, params []string) (Domain, bool) {
	if len(params) != 1 {
		return Domain{}, false
	}
	f := strings.Fields(strings.ToLower(params[0]))
	if len(f) == 0 || len(f) > 2 || len(f) == 2 && !lengthUnits[f[1]] {
		return Domain{}, false
	}
	if f[0] == "max" {
		return dom, true
	}
	n, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil || n < 0 {
		return Domain{}, false
	}
	dom.Length = n
	return dom, true
}

// lengthUnits are the words after a length: VARCHAR2(50 CHAR).
var lengthUnits = map[string]bool{"char": true, "byte": true, "bytes": true, "characters": true}

// fracSecParam reads (n), the digits of fractional seconds, into a unit.
func fracSecParam(dom Domain, params []string) (Domain, bool) {
	if len(params) != 1 {
		return Domain{}, false
	}
	n, err := strconv.Atoi(params[0])
	if err != nil || n < 0 || n > 12 {
		return Domain{}, false
	}
	dom.Unit = fracUnit(n)
	return dom, true
}

// floatParam reads FLOAT(p), p binary digits of mantissa: up to 24 is a
// float32, up to 126 a float64.
func floatParam(dom Domain, params []string) (Domain, bool) {
	if len(params) == 2 { // MySQL's deprecated float(m,d)
		return dom, true
	}
	n, err := strconv.Atoi(params[0])
	if err != nil || len(params) != 1 || n < 1 || n > 126 {
		return Domain{}, false
	}
	dom.Bits = 64
	if n <= 24 {
		dom.Bits = 32
	}
	return dom, true
}

// scaleParam reads ClickHouse's Decimal32(S): the scale, the precision
// fixed by the name.
func scaleParam(dom Domain, params []string) (Domain, bool) {
	if len(params) != 1 {
		return Domain{}, false
	}
	n, err := strconv.Atoi(params[0])
	if err != nil || n < 0 || int32(n) > dom.Precision {
		return Domain{}, false
	}
	dom.Scale = int32(n)
	return dom, true
}

// dateTimeParams reads ClickHouse's DateTime('zone') and DateTime64(p,
// 'zone').
func dateTimeParams(dom Domain, params []string) (Domain, bool) {
	for i, p := range params {
		if strings.HasPrefix(p, "'") && strings.HasSuffix(p, "'") && len(p) >= 2 {
			if z := strings.TrimSpace(p[1 : len(p)-1]); z != "" {
				dom.ZoneRule, dom.Zone = ZoneExact, z
			}
			continue
		}
		n, err := strconv.Atoi(p)
		if err != nil || i != 0 || n < 0 || n > 9 {
			return Domain{}, false
		}
		dom.Unit = fracUnit(n)
	}
	return dom, true
}

// fracUnit is the Arrow unit that holds n digits of fractional seconds.
func fracUnit(n int) TimeUnit {
	switch {
	case n == 0:
		return UnitSecond
	case n <= 3:
		return UnitMilli
	case n <= 6:
		return UnitMicro
	}
	return UnitNano
}

// decimalParams reads (p), (p,s) and Oracle's (*,s). An integer-only
// domain (NUMBER(10) in Oracle) is a decimal of scale 0.
func decimalParams(dom Domain, params []string) (Domain, bool) {
	if len(params) == 0 || len(params) > 2 {
		return Domain{}, false
	}
	p, s := int32(38), int32(0)
	if params[0] != "*" {
		n, err := strconv.Atoi(params[0])
		if err != nil || n < 1 || n > 1000 {
			return Domain{}, false
		}
		p = int32(n)
	}
	if len(params) == 2 {
		n, err := strconv.Atoi(params[1])
		if err != nil || n < -1000 || n > 1000 {
			return Domain{}, false
		}
		s = int32(n)
	}
	dom.Kind, dom.Precision, dom.Scale = KindDecimal, p, s
	return dom, true
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Dialect is the dialect the contract's physicalTypes are read in: that
// of the server called server, or of the only server when server is
// empty; with several servers and none named, their common dialect when
// they share one, else Generic. A contract without servers, or naming a
// server it does not have, reads Generic (choosing a missing server is an
// error elsewhere, where data is read).
func (c *Contract) Dialect(server string) Dialect {
	if s, err := c.SelectServer(server); err == nil {
		return DialectFor(s.Type)
	}
	if server != "" || len(c.Servers) == 0 {
		return Generic
	}
	d := DialectFor(c.Servers[0].Type)
	for _, s := range c.Servers[1:] {
		if DialectFor(s.Type) != d {
			return Generic
		}
	}
	return d
}

// HoldsColumn reports whether a table column whose catalog type name is
// typ, read in dialect d, fits the declared type, with the reason when it
// does not: Holds for a column an engine describes rather than Arrow data.
// known is false when the dialect does not know typ, or knows it only as a
// type whose storage varies, so nothing can be said.
func (t Type) HoldsColumn(typ string, d Dialect) (ok, known bool, why string) {
	dom, known := ParsePhysicalType(typ, d)
	if !known || dom.Kind == KindAny {
		return false, false, ""
	}
	if dom.Kind == KindTimestamp && dom.ZoneRule == ZoneRequired && dom.Zone == "" {
		// A zoned timestamp column (timestamptz, TIMESTAMP WITH TIME
		// ZONE) stores instants, which engines and their Arrow readers
		// return in UTC: as data it is a UTC timestamp.
		dom.ZoneRule, dom.Zone = ZoneExact, "UTC"
	}
	if (dom.Kind == KindTimestamp || dom.Kind == KindTime) && dom.Unit == UnitAny {
		// A catalog names a column of the engine's default precision
		// without one: microseconds in PostgreSQL, DuckDB and Spark.
		dom.Unit = UnitMicro
	}
	ok, why = t.Domain.holds(dom, true)
	return ok, true, why
}
