package rules

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/decimal256"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/contracts"
)

// Column is what a rule's compile step sees of one contract column.
type Column struct {
	// File is the contract's path, for errors.
	File string
	// Name is the column's name in the data.
	Name string
	Prop *contracts.Property
	// Time says the column holds dates, timestamps or times: its bounds are
	// dates or times, and its format a date pattern.
	Time bool
	// Layout is the Go layout of a time column's format, "" without one.
	Layout string
	// TextLayout is set for a date, timestamp or time column stored as
	// text: the layout its values are parsed with.
	TextLayout string
	// CellLayout is set for a date, timestamp or time column with a format
	// read from CSV: the layout its cells are parsed with.
	CellLayout string
	// Private says the column's values must not reach a finding
	// (contracts.Property.Private): messages quote none.
	Private bool
}

// Errorf is a contract error at the key of the column that declares it.
func (c *Column) Errorf(key, format string, args ...any) error {
	return &ContractError{File: c.File, Pos: c.Prop.PosOf(key), Msg: "column " + quote(c.Name) + ": " + sprintf(format, args...)}
}

// Outcome is an observer's verdict on one value: Pass, or which of the
// rule's violations it is (1 for the first, 2 for the second: below and
// above the range). The engine keeps one Tally per violation.
type Outcome uint8

// Pass is a value that breaks nothing.
const Pass Outcome = 0

// MaxOutcomes is the most violations an observer distinguishes; the engine
// packs a dictionary entry's outcomes in two bits per observer.
const MaxOutcomes = 3

// Observer is a compiled rule for one column. The engine streams each
// batch once; for every non-null value it calls the observer's typed
// method for the value's Arrow type (Int64Observer and the others below),
// counts what it returns, and at the end asks the observer for its
// findings. An observer has no typed method for values it does not judge
// (a length rule has no Int64), and those values pass it.
//
// Observers do no I/O, keep no per-row state, and are pure in their
// values: the same value always gets the same outcome, which lets the
// engine judge each distinct value of a dictionary column once.
type Observer interface {
	// Outcomes is how many violations the observer distinguishes (1 to
	// MaxOutcomes).
	Outcomes() int
	// Findings reports the rule's checks and findings from the tallies,
	// one per violation, in Outcome order.
	Findings(s Sink, t []Tally)
}

// Preparer is an observer that adapts to an array's type before its values
// arrive: a decimal bound at the array's scale, a date bound in the
// array's ticks. Prepare runs once per array, never per value.
type Preparer interface {
	Prepare(dt arrow.DataType)
}

// The typed observer methods. The engine's per-Arrow-type loops call them:
// signed integers as Int64, unsigned as Uint64, float16/32/64 as Float64,
// decimal32/64/128 as Decimal128, decimal256 as Decimal256 (scale given to
// Prepare), dates, timestamps and times as integer Ticks of the array's
// unit (given to Prepare), text as String, booleans as Bool.
type (
	Int64Observer      interface{ Int64(v int64) Outcome }
	Uint64Observer     interface{ Uint64(v uint64) Outcome }
	Float64Observer    interface{ Float64(v float64) Outcome }
	Decimal128Observer interface {
		Decimal128(v decimal128.Num) Outcome
	}
	Decimal256Observer interface {
		Decimal256(v decimal256.Num) Outcome
	}
	TicksObserver  interface{ Ticks(v int64) Outcome }
	StringObserver interface{ String(s string) Outcome }
	BoolObserver   interface{ Bool(b bool) Outcome }
	// ItemsObserver judges one array value (a list) by its items.
	ItemsObserver interface{ Items(v Items) Outcome }
	// ObjectObserver judges one object value (a struct) by its properties.
	ObjectObserver interface{ Object(v Object) Outcome }
)

// Object is one object value as the engine shows it to an ObjectObserver.
// Its properties are its fields that hold a value: Arrow and Parquet hold a
// key a record left out as null, so null is absent.
type Object interface {
	// Len is the number of properties.
	Len() int
	// Has says the property is there.
	Has(name string) bool
}

// Items is one array value as the engine shows it to an ItemsObserver:
// the engine's list loop owns the items and answers for them, so a rule
// never touches Arrow's list layout.
type Items interface {
	// Len is the number of items.
	Len() int
	// Repeats says two items are equal (by value, as JSON Schema's
	// uniqueItems compares them; two nulls are equal).
	Repeats() bool
}

// Sink receives a rule's checks and findings. Only a rule value makes a
// finding: the sink stamps the rule's ID and default severity.
type Sink interface {
	// Check records that the rule ran on the column.
	Check(r *Rule, column string)
	// Add records a finding of the rule.
	Add(r *Rule, f report.Finding)
	// Loc is a location in the contract, for findings.
	Loc(p contracts.Pos) *report.Location
}

// ContractError is a contract that cannot be executed as written: an
// unknown schema object, an invalid regular expression, a bound that does
// not parse. The CLI exits 2 on it.
type ContractError struct {
	File string
	Pos  contracts.Pos
	Msg  string
}

func (e *ContractError) Error() string {
	if e.Pos.Line > 0 {
		return sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Column, e.Msg)
	}
	return sprintf("%s: %s", e.File, e.Msg)
}

// wrap turns the contract package's positioned error into a ContractError
// that names the column.
func (c *Column) wrap(err error) error {
	if pe, ok := err.(*contracts.ParseError); ok {
		return &ContractError{File: c.File, Pos: contracts.Pos{Line: pe.Line, Column: pe.Column}, Msg: "column " + quote(c.Name) + ": " + pe.Msg}
	}
	return &ContractError{File: c.File, Pos: c.Prop.Pos, Msg: "column " + quote(c.Name) + ": " + err.Error()}
}

// Footer is what a Parquet footer says of a column over every file, as far
// as the writers are trusted.
type Footer struct {
	// IsTime says Min and Max are Unix nanoseconds.
	IsTime   bool
	Min, Max float64
	// Float says the column is FLOAT or DOUBLE, whose statistics leave
	// NaN out.
	Float bool
}

// FooterObserver is a compiled rule that footer statistics can decide
// (--metadata-only). Footer reports its checks and findings and returns
// true, or returns false, having reported nothing, when the footer cannot
// decide it.
type FooterObserver interface {
	Footer(s Sink, f *Footer) bool
}

// Prover is a compiled rule that trusted footer statistics can prove
// passes on every value of a column, so that a full check skips decoding
// it (checker.run.proven). Proves must never say true for a column that
// could hold a value the rule's typed methods reject: a proof stands in
// for every row.
type Prover interface {
	Proves(f *Footer) bool
}
