package rules

import (
	"database/sql/driver"
	"strconv"
	"strings"
)

// Dialect is what differs between the SQL engines a contract can be pushed
// down to: identifier quoting, placeholders and a few functions. The
// rules' SQL forms are written once against it.
type Dialect interface {
	// Name is the engine: postgres, duckdb, spark.
	Name() string
	// Ident quotes an identifier.
	Ident(name string) string
	// Placeholder is the n-th (1-based) bind parameter.
	Placeholder(n int) string
	// CountIf is the aggregate counting the rows where pred holds.
	CountIf(pred string) string
	// Matches is the predicate that expr matches the regular expression in
	// param.
	Matches(expr, param string) string
	// Length is expr's length in characters.
	Length(expr string) string
	// Cast converts expr to one of the few types the pushdown needs.
	Cast(expr string, to CastType) string
	// Items are the number of items of the array expr and the number of
	// its distinct items (nulls equal to one another); "" for what the
	// dialect has no form of here, so that the rule is not executed
	// rather than guessed.
	Items(array string) (n, distinct string)
}

// CastType is a type Dialect.Cast converts to.
type CastType uint8

// The cast targets: text (to show a value, or compare it as the contract
// writes it), double (to compare a number with the contract's values as
// the Arrow engine does) and a 64-bit integer (a count).
const (
	CastText CastType = iota
	CastDouble
	CastBigInt
)

// castNames spells each CastType: standard SQL, which the dialects
// override where they differ.
var castNames = [...]string{CastText: "varchar", CastDouble: "double precision", CastBigInt: "bigint"}

func castAs(expr, name string) string { return "CAST(" + expr + " AS " + name + ")" }

// The dialects.
var (
	Postgres Dialect = postgres{}
	DuckDB   Dialect = duckdb{}
	Spark    Dialect = spark{}
	// The dialects of engines with no local server here: their SQL is
	// generated and parsed (sqlglot, in CI), not executed.
	Trino      Dialect = trino{}
	Snowflake  Dialect = snowflake{}
	BigQuery   Dialect = bigquery{}
	Databricks Dialect = databricks{}
	Redshift   Dialect = redshift{}
)

// Dialects lists every dialect, the engines tested here first.
func Dialects() []Dialect {
	return []Dialect{Postgres, DuckDB, Spark, Trino, Snowflake, BigQuery, Databricks, Redshift}
}

type postgres struct{}

func (postgres) Name() string                      { return "postgres" }
func (postgres) Ident(name string) string          { return doubleQuoted(name) }
func (postgres) Placeholder(n int) string          { return "$" + strconv.Itoa(n) }
func (postgres) CountIf(pred string) string        { return "count(*) FILTER (WHERE " + pred + ")" }
func (postgres) Matches(expr, param string) string { return expr + " ~ " + param }
func (postgres) Length(expr string) string         { return "char_length(" + expr + ")" }
func (postgres) Cast(expr string, to CastType) string {
	if to == CastText {
		return castAs(expr, "text")
	}
	return castAs(expr, castNames[to])
}

// Items: cardinality counts every item of a (one-dimensional) array;
// DISTINCT over unnest keeps one null.
func (postgres) Items(a string) (string, string) {
	return "cardinality(" + a + ")", "(SELECT count(*) FROM (SELECT DISTINCT u.v FROM unnest(" + a + ") AS u(v)) AS d)"
}

type duckdb struct{}

func (duckdb) Name() string               { return "duckdb" }
func (duckdb) Ident(name string) string   { return doubleQuoted(name) }
func (duckdb) Placeholder(n int) string   { return "$" + strconv.Itoa(n) }
func (duckdb) CountIf(pred string) string { return "count(*) FILTER (WHERE " + pred + ")" }
func (duckdb) Matches(expr, param string) string {
	return "regexp_matches(" + expr + ", " + param + ")"
}
func (duckdb) Length(expr string) string { return "length(" + expr + ")" }
func (duckdb) Cast(expr string, to CastType) string {
	if to == CastDouble {
		return castAs(expr, "double")
	}
	return castAs(expr, castNames[to])
}

// Items: list_distinct drops nulls, so one is added back when the list
// holds any (list_count counts the non-null items).
func (duckdb) Items(a string) (string, string) {
	return "len(" + a + ")", "(len(list_distinct(" + a + ")) + CASE WHEN list_count(" + a + ") < len(" + a + ") THEN 1 ELSE 0 END)"
}

type spark struct{}

func (spark) Name() string                      { return "spark" }
func (spark) Ident(name string) string          { return backquoted(name) }
func (spark) Placeholder(int) string            { return "?" }
func (spark) CountIf(pred string) string        { return "count_if(" + pred + ")" }
func (spark) Matches(expr, param string) string { return expr + " RLIKE " + param }
func (spark) Length(expr string) string         { return "char_length(" + expr + ")" }
func (spark) Cast(expr string, to CastType) string {
	return castAs(expr, [...]string{CastText: "string", CastDouble: "double", CastBigInt: "bigint"}[to])
}

// Items: array_distinct keeps one null.
func (spark) Items(a string) (string, string) {
	return "size(" + a + ")", "size(array_distinct(" + a + "))"
}

// Trino's regexp_like finds the pattern anywhere in the value (Joni, a
// Java-like syntax).
type trino struct{}

func (trino) Name() string               { return "trino" }
func (trino) Ident(name string) string   { return doubleQuoted(name) }
func (trino) Placeholder(int) string     { return "?" }
func (trino) CountIf(pred string) string { return "count_if(" + pred + ")" }
func (trino) Matches(expr, param string) string {
	return "regexp_like(" + expr + ", " + param + ")"
}
func (trino) Length(expr string) string { return "length(" + expr + ")" }
func (trino) Cast(expr string, to CastType) string {
	if to == CastDouble {
		return castAs(expr, "double")
	}
	return castAs(expr, castNames[to])
}

// Items: not executed on Trino here (no server to test its null handling
// in array_distinct against).
func (trino) Items(string) (string, string) { return "", "" }

// Snowflake's REGEXP_LIKE anchors the pattern at both ends; REGEXP_INSTR
// finds it anywhere, as the Arrow engine's regexp does (POSIX extended
// syntax).
type snowflake struct{}

func (snowflake) Name() string               { return "snowflake" }
func (snowflake) Ident(name string) string   { return doubleQuoted(name) }
func (snowflake) Placeholder(int) string     { return "?" }
func (snowflake) CountIf(pred string) string { return "count_if(" + pred + ")" }
func (snowflake) Matches(expr, param string) string {
	return "regexp_instr(" + expr + ", " + param + ") > 0"
}
func (snowflake) Length(expr string) string { return "length(" + expr + ")" }
func (snowflake) Cast(expr string, to CastType) string {
	if to == CastDouble {
		return castAs(expr, "double")
	}
	return castAs(expr, castNames[to])
}

// Items: not executed on Snowflake here (ARRAY_SIZE is untested against a
// server, and VARIANT arrays need their own form).
func (snowflake) Items(string) (string, string) { return "", "" }

// BigQuery's REGEXP_CONTAINS is RE2, the Arrow engine's syntax.
type bigquery struct{}

func (bigquery) Name() string { return "bigquery" }
func (bigquery) Ident(name string) string {
	// BigQuery escapes inside a quoted identifier with a backslash.
	return "`" + strings.NewReplacer(`\`, `\\`, "`", "\\`").Replace(name) + "`"
}
func (bigquery) Placeholder(int) string     { return "?" }
func (bigquery) CountIf(pred string) string { return "countif(" + pred + ")" }
func (bigquery) Matches(expr, param string) string {
	return "regexp_contains(" + expr + ", " + param + ")"
}
func (bigquery) Length(expr string) string { return "char_length(" + expr + ")" }
func (bigquery) Cast(expr string, to CastType) string {
	return castAs(expr, [...]string{CastText: "STRING", CastDouble: "FLOAT64", CastBigInt: "INT64"}[to])
}

// Items: not executed on BigQuery here (untested against a server).
func (bigquery) Items(string) (string, string) { return "", "" }

// Databricks SQL is Spark SQL; its Statement Execution API binds named
// parameters (:p1) only.
type databricks struct{ spark }

func (databricks) Name() string             { return "databricks" }
func (databricks) Placeholder(n int) string { return ":p" + strconv.Itoa(n) }

// Redshift has no FILTER clause; ~ is a POSIX regular expression, found
// anywhere in the value.
type redshift struct{}

func (redshift) Name() string                         { return "redshift" }
func (redshift) Ident(name string) string             { return doubleQuoted(name) }
func (redshift) Placeholder(n int) string             { return "$" + strconv.Itoa(n) }
func (redshift) CountIf(pred string) string           { return "count(CASE WHEN " + pred + " THEN 1 END)" }
func (redshift) Matches(expr, param string) string    { return expr + " ~ " + param }
func (redshift) Length(expr string) string            { return "char_length(" + expr + ")" }
func (redshift) Cast(expr string, to CastType) string { return castAs(expr, castNames[to]) }

// Items: Redshift arrays are SUPER values with no distinct form.
func (redshift) Items(string) (string, string) { return "", "" }

func backquoted(name string) string { return "`" + strings.ReplaceAll(name, "`", "``") + "`" }

func doubleQuoted(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// Query collects the bind parameters of one aggregate query while rules
// write their parts of it: values are always bound, never spliced into the
// text.
type Query struct {
	Dialect Dialect
	Args    []any
}

// Bind adds a parameter and returns its placeholder.
func (q *Query) Bind(v any) string {
	q.Args = append(q.Args, v)
	return q.Dialect.Placeholder(len(q.Args))
}

// Decimal is a number bound in its exact text ("100.5"), which an engine
// reads in the type of the column it is compared with (PostgreSQL and
// DuckDB infer a parameter's type so). An engine whose parameters carry
// their own type (Spark) binds it as a decimal of the text's precision,
// so that an integer column is not compared with a string. Through
// database/sql it is the text.
type Decimal string

// Value is the text, for database/sql drivers.
func (d Decimal) Value() (driver.Value, error) { return string(d), nil }

// Aggregate is a SQL expression counting the rows that break a rule one
// way: its Outcome is the tally it fills, as if the observer had seen them.
type Aggregate struct {
	Outcome Outcome
	SQL     string
}

// SQLObserver is a compiled rule that can also be pushed down: SQL returns
// one count per violation for the column (none when the rule has no SQL
// form for this column). Nulls are never counted: SQL comparisons with
// NULL are not true, as the observers never see nulls.
type SQLObserver interface {
	SQL(q *Query) []Aggregate
}
