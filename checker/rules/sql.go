package rules

import (
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
)

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

type spark struct{}

func (spark) Name() string                      { return "spark" }
func (spark) Ident(name string) string          { return "`" + strings.ReplaceAll(name, "`", "``") + "`" }
func (spark) Placeholder(int) string            { return "?" }
func (spark) CountIf(pred string) string        { return "count_if(" + pred + ")" }
func (spark) Matches(expr, param string) string { return expr + " RLIKE " + param }
func (spark) Length(expr string) string         { return "char_length(" + expr + ")" }
func (spark) Cast(expr string, to CastType) string {
	return castAs(expr, [...]string{CastText: "string", CastDouble: "double", CastBigInt: "bigint"}[to])
}

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
