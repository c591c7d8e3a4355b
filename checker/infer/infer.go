// Package infer writes an ODCS contract for data that has none: the types
// and the rules the data keeps, each with the evidence it rests on, so a
// team starts from a contract that passes on today's data instead of an
// empty file.
//
// It proposes, then proves. The first pass profiles the files as they are
// (Parquet with its types, CSV as text, typed from its value shapes); a
// second pass profiles them typed by the candidate contract, for the
// numeric bounds; then the candidate is checked against the same data and
// every rule that finds anything is dropped (uniqueness is proved exactly
// this way, not guessed from a distinct-count sketch). The contract it
// returns therefore passes on the data it was inferred from.
package infer

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/profile"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/contracts"
)

// Options say what to infer from.
type Options struct {
	// Files are the data files, already expanded.
	Files []string
	// Name is the contract's and schema object's name; empty takes the
	// first file's base name. ID and Version default to
	// urn:driftgate:inferred:NAME and 0.1.0.
	Name, ID, Version string
	// Source configures the readers.
	Source      source.Options
	ToolVersion string
	// Level is how tight the rules are: Default, Strict or Loose.
	Level Level
	// Sample, when above 0, infers from the first Sample rows only (in
	// file order); the evidence of every claim says it rests on a sample.
	Sample int64
	// RowCount adds a schema-level rowCount bound.
	RowCount bool
}

// Level is how tight the inferred rules are.
type Level int

// The levels.
const (
	// Default proposes every rule, numeric ranges and lengths widened to
	// round bounds, allowed values for columns of at most 10 values.
	Default Level = iota
	// Strict states exactly what was seen: exact ranges and lengths,
	// patterns for every one-shape column, allowed values up to 20.
	Strict
	// Loose proposes types and nulls only.
	Loose
)

// policy is what a Level and a sample mean for the proposals.
type policy struct {
	strict, loose bool
	// maxValid is the most distinct values an allowed-values rule lists;
	// repeats is how often each must occur on average to count as a
	// category rather than a coincidence.
	maxValid, repeats int
	// scope is appended to evidence that rests on a sample.
	scope string
}

func policyOf(o Options) policy {
	p := policy{maxValid: 10, repeats: 5}
	switch o.Level {
	case Strict:
		p.strict, p.maxValid, p.repeats = true, 20, 2
	case Loose:
		p.loose = true
	}
	if o.Sample > 0 {
		p.scope = fmt.Sprintf(" (in a sample: the first %s rows)", group(o.Sample))
	}
	return p
}

// Result is an inferred contract.
type Result struct {
	// YAML is the contract, with a comment of evidence on every rule.
	YAML []byte
	// Contract is YAML loaded.
	Contract *contracts.Contract
	// Dropped lists the proposed rules the data broke, as "column: rule".
	Dropped []string
	Rows    int64
}

// Infer profiles the files and returns a contract they pass.
func Infer(ctx context.Context, o Options) (*Result, error) {
	if len(o.Files) == 0 {
		return nil, &checker.InputError{Msg: "no data files to infer from"}
	}
	if o.Name == "" {
		base := filepath.Base(strings.TrimRight(o.Files[0], "/"))
		o.Name = strings.SplitN(base, ".", 2)[0]
	}
	o.ID = cmp.Or(o.ID, "urn:driftgate:inferred:"+o.Name)
	o.Version = cmp.Or(o.Version, "0.1.0")
	p := policyOf(o)
	raw, err := profile.Run(ctx, profile.Options{Files: o.Files, Source: o.sampled(), ToolVersion: o.ToolVersion})
	if err != nil {
		return nil, err
	}
	cols := make([]*column, 0, len(raw.Columns))
	for _, pc := range raw.Columns {
		cols = append(cols, propose(pc, raw.Rows, p))
	}
	if !p.loose {
		guessPrimaryKey(cols)
		if err := typedBounds(ctx, o, p, cols, raw.Rows); err != nil {
			return nil, err
		}
	}
	return prove(ctx, o, p, cols, raw.Rows)
}

// sampled are the source options of one pass: with a fresh row budget
// when inferring from a sample.
func (o Options) sampled() source.Options {
	s := o.Source
	if o.Sample > 0 {
		s.Budget = source.NewRowBudget(o.Sample)
	}
	return s
}

// typedBounds is the second pass: the data profiled as the candidate types
// it (CSV columns read as check reads them), for the numeric bounds.
func typedBounds(ctx context.Context, o Options, p policy, cols []*column, rows int64) error {
	_, c, err := build(o, p, cols, rows)
	if err != nil {
		return err
	}
	typedOpts := profile.Options{Contract: c, Schema: &c.Schemas[0], Files: o.Files, Source: o.sampled(), ToolVersion: o.ToolVersion}
	if typedOpts.Source.CSV.Types, typedOpts.Source.CSV.TimeLayouts, err = checker.CSVTypes(c, typedOpts.Schema); err != nil {
		return err
	}
	typed, err := profile.Run(ctx, typedOpts)
	if err != nil {
		return err
	}
	for _, col := range cols {
		if pc, ok := typed.Column(col.name); ok {
			bounds(col, pc, p)
		}
	}
	return nil
}

// prove checks the candidate against the data and drops what the data
// breaks, until it passes. Each round drops at least one rule, so it ends.
func prove(ctx context.Context, o Options, p policy, cols []*column, rows int64) (*Result, error) {
	res := &Result{Rows: rows}
	for round := 0; ; round++ {
		yml, c, err := build(o, p, cols, rows)
		if err != nil {
			return nil, err
		}
		rep, err := checker.Check(ctx, checker.Options{Contract: c, Files: o.Files, Source: o.sampled(), FailOn: "info", ToolVersion: o.ToolVersion})
		if err != nil {
			return nil, err
		}
		broke := false
		for _, f := range rep.Findings {
			if f.Severity == report.SeverityInfo {
				continue
			}
			col := byName(cols, f.Column)
			key := ruleKey(f.Rule)
			if col == nil || key == "" || col.dropped[key] {
				continue
			}
			col.dropped[key] = true
			res.Dropped = append(res.Dropped, col.name+": "+f.Rule)
			broke = true
		}
		if !broke || round > 8 {
			res.YAML, res.Contract = yml, c
			return res, nil
		}
	}
}

func byName(cols []*column, name string) *column {
	for _, c := range cols {
		if c.name == name {
			return c
		}
	}
	return nil
}

// ruleKey maps a finding's rule to the proposal it refutes.
func ruleKey(rule string) string {
	switch rule {
	case "VALUE_NULL":
		return "required"
	case "VALUE_UNIQUE":
		return "unique"
	case "VALUE_TYPE", "COLUMN_TYPE":
		return "type"
	case "VALUE_RANGE":
		return "range"
	case "VALUE_LENGTH":
		return "length"
	case "VALUE_PATTERN":
		return "pattern"
	case "VALUE_FORMAT":
		return "format"
	case "QUALITY_INVALID_VALUES":
		return "valid"
	}
	return ""
}

// guessPrimaryKey marks the first required, unique integer or string
// column, preferring one whose name says it is an id.
func guessPrimaryKey(cols []*column) {
	var pick *column
	for _, c := range cols {
		if !c.required || !c.unique || (c.logical != "integer" && c.logical != "string") {
			continue
		}
		n := strings.ToLower(c.name)
		if n == "id" || strings.HasSuffix(n, "_id") || strings.HasSuffix(n, "id") {
			pick = c
			break
		}
		if pick == nil {
			pick = c
		}
	}
	if pick != nil {
		pick.pk = true
	}
}
