package checker

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/contracts"
)

// VersionResult is how one contract version judges a batch's structure.
type VersionResult struct {
	Contract *contracts.Contract
	// Problems are the structural findings (COLUMN_MISSING, COLUMN_TYPE,
	// COLUMN_UNEXPECTED, or CONTRACT_INVALID when the version cannot be
	// planned), with the severities a check would give them.
	Problems []report.Finding
}

// Conforms reports whether no problem reaches the failOn severity.
func (v VersionResult) Conforms(failOn string) bool {
	threshold := 0
	if failOn != "never" {
		sev, ok := report.ParseSeverity(failOn)
		if !ok {
			sev = report.SeverityError
		}
		threshold = sev.Rank()
	}
	for _, p := range v.Problems {
		if threshold > 0 && p.Severity.Rank() >= threshold {
			return false
		}
	}
	return true
}

// fileShape is what conformance needs of one data file.
type fileShape struct {
	path    string
	format  source.Format
	schema  *arrow.Schema
	columns []string // CSV header names, whose types depend on the contract
}

// Conformance compares the structure of a batch with every given version
// of a contract: which columns each version misses, which have types it
// cannot hold, which it does not declare. Each file's schema is read once
// (a Parquet footer, a CSV header), however many versions there are; no
// values are decoded. schema names the schema object to use in every
// version ("" picks the only one). A CSV file's columns are parsed into
// whatever type a version asks for, so for CSV only presence is compared;
// values are judged by a full check.
func Conformance(ctx context.Context, versions []*contracts.Contract, schema string, files []string, opts source.Options) ([]VersionResult, error) {
	var shapes []fileShape
	for _, path := range files {
		sh, err := readShape(ctx, path, opts)
		if err != nil {
			return nil, err
		}
		shapes = append(shapes, sh)
	}
	return conformanceOf(versions, schema, shapes), nil
}

// Conformance compares the structure of the inputs the check read with
// every given version of a contract, as the function Conformance does, from
// what the check's one read of them recorded.
func (s *Shapes) Conformance(versions []*contracts.Contract, schema string) []VersionResult {
	return conformanceOf(versions, schema, s.shapes)
}

func conformanceOf(versions []*contracts.Contract, schema string, shapes []fileShape) []VersionResult {
	out := make([]VersionResult, 0, len(versions))
	for _, c := range versions {
		out = append(out, conformance(c, schema, shapes))
	}
	return out
}

// shapeOf is the structure of an input as its reader's schema gives it.
func shapeOf(path string, format source.Format, sch *arrow.Schema) fileShape {
	sh := fileShape{path: path, format: format, schema: sch}
	if format == source.CSV {
		for _, f := range sch.Fields() {
			sh.columns = append(sh.columns, f.Name)
		}
	}
	return sh
}

func readShape(ctx context.Context, path string, opts source.Options) (fileShape, error) {
	format, ok := source.DetectFormat(path)
	if !ok {
		return fileShape{}, &source.ReadError{Path: path, Err: fmt.Errorf("unknown file type: want .parquet, .csv, .csv.gz, .tsv or .tsv.gz")}
	}
	opts.CSV.Types, opts.CSV.TimeLayouts = nil, nil
	rd, err := source.Open(ctx, path, opts)
	if err != nil {
		return fileShape{}, asReadError(path, err)
	}
	sch := rd.Schema()
	if err := rd.Close(); err != nil {
		return fileShape{}, asReadError(path, err)
	}
	return shapeOf(path, format, sch), nil
}

func conformance(c *contracts.Contract, schema string, shapes []fileShape) VersionResult {
	res := VersionResult{Contract: c}
	invalid := func(msg string, pos contracts.Pos) VersionResult {
		res.Problems = append(res.Problems, rules.ContractInvalid.Finding(report.Finding{Schema: schema,
			Message: msg, Location: &report.Location{File: c.Path, Line: pos.Line, Column: pos.Column}}))
		return res
	}
	s, err := SelectSchema(c, schema)
	if err != nil {
		return invalid(err.Error(), c.Pos)
	}
	p, err := newPlan(c, s)
	if err != nil {
		return invalid(err.Error(), s.Pos)
	}
	st := newStructural()
	for _, sh := range shapes {
		sch := sh.schema
		if sh.format == source.CSV {
			// The reader would parse each column into this version's type;
			// a cell that does not parse is a value problem, not a shape one.
			types, _ := p.csvTypes()
			fields := make([]arrow.Field, len(sh.columns))
			for i, name := range sh.columns {
				t, ok := types[name]
				if !ok {
					t = arrow.BinaryTypes.String
				}
				fields[i] = arrow.Field{Name: name, Type: t, Nullable: true}
			}
			sch = arrow.NewSchema(fields, nil)
		}
		if sh.format == source.JSON {
			// A check reads the members a contract types as those types;
			// this version's types stand for them, the rest are as read.
			types, _ := p.jsonTypes()
			fields := slices.Clone(sch.Fields())
			for i := range fields {
				if t, ok := types[fields[i].Name]; ok {
					fields[i].Type = t
				}
			}
			sch = arrow.NewSchema(fields, nil)
		}
		st.compare(p, sh.path, sch, sh.format)
	}
	loc := func(pos contracts.Pos) *report.Location {
		return &report.Location{File: c.Path, Line: pos.Line, Column: pos.Column}
	}
	for _, name := range sortedKeys(st.missing) {
		prop := st.props[name]
		sev := report.SeverityWarning
		if prop != nil && prop.Required {
			sev = report.SeverityError
		}
		res.Problems = append(res.Problems, rules.ColumnMissing.Finding(report.Finding{Severity: sev, Schema: s.Name, Column: name,
			Message: fmt.Sprintf("column `%s` missing", name), Expected: "present", Actual: "missing",
			Count: int64(len(st.missing[name])), Location: loc(posOf(prop))}))
	}
	for _, name := range sortedKeys(st.retyped) {
		rt, prop := st.retyped[name], st.props[name]
		decl, pos := "", contracts.Pos{}
		if prop != nil {
			decl = expect(prop, p.dialect).text
			key := "physicalType"
			if prop.PhysicalType == "" {
				key = "logicalType"
			}
			pos = prop.PosOf(key)
		}
		res.Problems = append(res.Problems, rules.ColumnType.Finding(report.Finding{Severity: report.SeverityError, Schema: s.Name, Column: name,
			Message:  fmt.Sprintf("column `%s` is %s, want %s", name, strings.Join(rt.found, ", "), decl),
			Expected: decl, Actual: strings.Join(rt.found, ", "), Count: int64(len(rt.files)), Location: loc(pos)}))
	}
	for _, name := range sortedKeys(st.unexpected) {
		res.Problems = append(res.Problems, rules.ColumnUnexpected.Finding(report.Finding{Severity: report.SeverityWarning, Schema: s.Name, Column: name,
			Message: fmt.Sprintf("column `%s` not declared", name), Expected: "absent", Actual: "present",
			Count: int64(len(st.unexpected[name])), Location: loc(s.Pos)}))
	}
	return res
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ConformanceFindings turns conformance results into report findings: one
// VERSION_BROKEN per version the batch breaks, naming its first problems
// and pointing at the first one, and one VERSION_CONFORMANCE summary such
// as "conforms to 1.3.0 and 1.4.0; breaks 2.0.0: column `customer_id`
// missing". Both are info: they explain, the check of the selected version
// gates.
func ConformanceFindings(results []VersionResult, schema, failOn string) []report.Finding {
	var ok, broken []string
	var out []report.Finding
	var reasons []string
	for _, r := range results {
		v := r.Contract.Version
		if r.Conforms(failOn) {
			ok = append(ok, v)
			continue
		}
		broken = append(broken, v)
		var msgs []string
		var first *report.Location
		for _, p := range r.Problems {
			if p.Severity.Rank() < report.SeverityWarning.Rank() || !blocks(p, failOn) {
				continue
			}
			msgs = append(msgs, p.Message)
			if first == nil {
				first = p.Location
			}
		}
		reason := joinLimited(msgs, 3)
		reasons = append(reasons, v+": "+reason)
		out = append(out, rules.VersionBroken.Finding(report.Finding{Schema: schema,
			Message:  fmt.Sprintf("the batch breaks version %s (%s): %s", v, r.Contract.Path, reason),
			Expected: "conforms to " + v, Actual: reason, Count: int64(len(msgs)), Location: first}))
	}
	var parts []string
	if len(ok) > 0 {
		parts = append(parts, "conforms to "+andList(ok))
	} else {
		parts = append(parts, "conforms to no version")
	}
	if len(broken) > 0 {
		parts = append(parts, "breaks "+strings.Join(reasons, "; "))
	}
	out = append(out, rules.VersionConformance.Finding(report.Finding{Schema: schema,
		Message: strings.Join(parts, "; "), Expected: "versions " + andList(versionsOf(results)), Actual: cmpOr(andList(ok), "none"),
		Count: int64(len(ok))}))
	return out
}

func blocks(p report.Finding, failOn string) bool {
	return !(VersionResult{Problems: []report.Finding{p}}).Conforms(failOn)
}

func versionsOf(rs []VersionResult) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Contract.Version
	}
	return out
}

func cmpOr(a, b string) string {
	if a == "" {
		return b
	}
	return a
}

// andList renders "1.3.0", "1.3.0 and 1.4.0", "1.2.0, 1.3.0 and 1.4.0".
func andList(vs []string) string {
	switch len(vs) {
	case 0:
		return ""
	case 1:
		return vs[0]
	}
	return strings.Join(vs[:len(vs)-1], ", ") + " and " + vs[len(vs)-1]
}

func joinLimited(msgs []string, n int) string {
	if len(msgs) <= n {
		return strings.Join(msgs, ", ")
	}
	return strings.Join(msgs[:n], ", ") + fmt.Sprintf(" and %d more", len(msgs)-n)
}
