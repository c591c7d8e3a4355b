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
	"context"
	"fmt"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
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
	// first file's base name.
	Name string
	// Source configures the readers.
	Source      source.Options
	ToolVersion string
	// MaxValidValues is the largest number of distinct values a column may
	// have to be given an allowed-values rule (default 10).
	MaxValidValues int
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

// column is what is proposed for one column.
type column struct {
	name     string
	logical  string
	physical string
	format   string // a date format, or email/uuid
	evidence string
	required bool
	unique   bool
	pk       bool
	minLen   *int64
	maxLen   *int64
	pattern  string
	min, max *float64
	valid    []string
	missing  []string // sentinels standing for missing data (N/A, -999)
	// notes are the evidence comments of each rule, by rule key.
	notes map[string]string
	// dropped are rule keys the data broke.
	dropped map[string]bool
}

// Infer profiles the files and returns a contract they pass.
func Infer(ctx context.Context, o Options) (*Result, error) {
	if len(o.Files) == 0 {
		return nil, &checker.InputError{Msg: "no data files to infer from"}
	}
	if o.Name == "" {
		base := filepath.Base(o.Files[0])
		o.Name = strings.SplitN(base, ".", 2)[0]
	}
	if o.MaxValidValues == 0 {
		o.MaxValidValues = 10
	}
	raw, err := profile.Run(ctx, profile.Options{Files: o.Files, Source: o.Source, ToolVersion: o.ToolVersion})
	if err != nil {
		return nil, err
	}
	cols := make([]*column, 0, len(raw.Columns))
	for _, pc := range raw.Columns {
		cols = append(cols, propose(pc, raw.Rows, o.MaxValidValues))
	}
	guessPrimaryKey(cols)
	// Second pass: typed by the candidate, for numeric bounds.
	_, c, err := build(o, cols, raw.Rows)
	if err != nil {
		return nil, err
	}
	// CSV columns are read as the candidate's types, as check reads them.
	typedOpts := profile.Options{Contract: c, Schema: &c.Schemas[0], Files: o.Files, Source: o.Source, ToolVersion: o.ToolVersion}
	if typedOpts.Source.CSV.Types, typedOpts.Source.CSV.TimeLayouts, err = checker.CSVTypes(c, typedOpts.Schema); err != nil {
		return nil, err
	}
	typed, err := profile.Run(ctx, typedOpts)
	if err != nil {
		return nil, err
	}
	for _, col := range cols {
		if pc, ok := typed.Column(col.name); ok {
			bounds(col, pc)
		}
	}
	res := &Result{Rows: raw.Rows}
	// Prove: check the candidate and drop what the data breaks, until it
	// passes. Each round drops at least one rule, so it ends.
	for round := 0; ; round++ {
		yml, c, err := build(o, cols, raw.Rows)
		if err != nil {
			return nil, err
		}
		rep, err := checker.Check(ctx, checker.Options{Contract: c, Files: o.Files, Source: o.Source, FailOn: "info", ToolVersion: o.ToolVersion})
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

var (
	intShape   = regexp.MustCompile(`^-?9+$`)
	numShape   = regexp.MustCompile(`^-?9+\.9+$`)
	dateShape  = regexp.MustCompile(`^9999-99-99$`)
	tsShape    = regexp.MustCompile(`^9999-99-99[A ]99:99(:99)?`)
	emailShape = regexp.MustCompile(`^[^@ ]+@[^@ ]+\.[^@ ]+$`)
	uuidShape  = regexp.MustCompile(`^[9a]+-[9a]+-[9a]+-[9a]+-[9a]+`)
	// plainScalar is text YAML reads back as the same string unquoted.
	plainScalar = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.:/-]*$`)
)

// sentinels are the texts that commonly stand for a missing value.
var sentinels = map[string]bool{"n/a": true, "na": true, "null": true, "none": true, "-": true, "?": true, "unknown": true, "-999": true, "-9999": true, "-200": true}

// propose decides a column's type and rules from its raw profile.
func propose(pc profile.Column, rows int64, maxValid int) *column {
	c := &column{name: pc.Name, notes: map[string]string{}, dropped: map[string]bool{}}
	c.evidence = fmt.Sprintf("%s rows, %s nulls", group(rows), group(pc.Nulls))
	switch {
	case strings.HasPrefix(pc.Type, "int"), strings.HasPrefix(pc.Type, "uint"):
		c.logical = "integer"
	case strings.HasPrefix(pc.Type, "float"), strings.HasPrefix(pc.Type, "double"), strings.HasPrefix(pc.Type, "halffloat"):
		c.logical = "number"
	case strings.HasPrefix(pc.Type, "decimal"):
		c.logical, c.physical = "number", pc.Type
	case strings.HasPrefix(pc.Type, "date"):
		c.logical = "date"
	case strings.HasPrefix(pc.Type, "timestamp"):
		c.logical = "timestamp"
	case strings.HasPrefix(pc.Type, "time"):
		c.logical = "time"
	case pc.Kind == profile.Boolean:
		c.logical = "boolean"
	case pc.Kind == profile.String:
		c.logical = textType(pc, c)
	default:
		c.logical = "object"
		return c
	}
	if pc.Nulls == 0 && rows > 0 {
		c.required = true
		c.notes["required"] = "no nulls in " + group(rows) + " rows"
	}
	distinct := int64(0)
	if pc.Distinct != nil {
		distinct = pc.Distinct.Estimate
	}
	nonNull := rows - pc.Nulls
	if nonNull > 1 && float64(distinct) >= 0.98*float64(nonNull) && c.logical != "boolean" && c.logical != "number" {
		c.unique = true
		c.notes["unique"] = "every value distinct (checked exactly)"
	}
	if c.logical == "string" && pc.Lengths != nil && nonNull > 0 && c.format == "" {
		minL, maxL := pc.Lengths.Min, pc.Lengths.Max
		c.minLen, c.maxLen = &minL, &maxL
		c.notes["length"] = fmt.Sprintf("lengths %d–%d as seen", minL, maxL)
		if p := stablePattern(pc, minL, maxL); p != "" {
			c.pattern = p
			c.notes["pattern"] = "every value has this shape"
		}
	}
	if v := pc.Values; v != nil && v.Exact && c.logical == "string" && len(v.Items) <= maxValid && nonNull >= int64(5*len(v.Items)) && !c.unique {
		for _, it := range v.Items {
			if sentinels[strings.ToLower(it.Value)] {
				c.missing = append(c.missing, it.Value)
				continue
			}
			c.valid = append(c.valid, it.Value)
		}
		slices.Sort(c.valid)
		c.notes["valid"] = fmt.Sprintf("%d distinct values", len(v.Items)-len(c.missing))
		if len(c.missing) > 0 {
			c.notes["missing"] = "values that stand for missing data"
		}
	}
	return c
}

// textType types a text (CSV) column by the shapes of its values: a type
// only when every value's shape says so.
func textType(pc profile.Column, c *column) string {
	sh := pc.Shapes
	if sh == nil || !sh.Exact || len(sh.Items) == 0 {
		return "string"
	}
	all := func(re *regexp.Regexp) bool {
		for _, it := range sh.Items {
			if !re.MatchString(it.Value) {
				return false
			}
		}
		return true
	}
	allOf := func(res ...*regexp.Regexp) bool {
		for _, it := range sh.Items {
			ok := false
			for _, re := range res {
				ok = ok || re.MatchString(it.Value)
			}
			if !ok {
				return false
			}
		}
		return true
	}
	if v := pc.Values; v != nil && v.Exact && len(v.Items) <= 2 {
		bools := true
		for _, it := range v.Items {
			l := strings.ToLower(it.Value)
			bools = bools && (l == "true" || l == "false")
		}
		if bools {
			return "boolean"
		}
	}
	switch {
	case all(intShape):
		return "integer"
	case allOf(intShape, numShape):
		return "number"
	case all(dateShape):
		c.format = "yyyy-MM-dd"
		return "date"
	case all(tsShape):
		return "timestamp"
	case all(emailShape):
		c.format = "email"
		c.notes["format"] = "every value is an email address"
	case all(uuidShape) && pc.Lengths != nil && pc.Lengths.Min == 36 && pc.Lengths.Max == 36:
		c.format = "uuid"
		c.notes["format"] = "every value is a UUID"
	}
	return "string"
}

// stablePattern is an anchored pattern for a column whose values all have
// one short shape of letters and digits (country codes, ids like C100089).
func stablePattern(pc profile.Column, minL, maxL int64) string {
	sh := pc.Shapes
	if sh == nil || !sh.Exact || len(sh.Items) != 1 {
		return ""
	}
	s := sh.Items[0].Value
	if len(s) > 16 || strings.ContainsAny(s, "…") {
		return ""
	}
	letters := strings.Count(s, "A") + strings.Count(s, "a")
	var b strings.Builder
	b.WriteByte('^')
	for i := 0; i < len(s); {
		r := s[i]
		switch r {
		case '9':
			n := 1
			for i+n < len(s) && s[i+n] == '9' {
				n++
			}
			fmt.Fprintf(&b, "[0-9]{%d}", n)
			i += n
			continue
		case 'A', 'a':
			class := "[A-Z]"
			if r == 'a' {
				class = "[a-z]"
			}
			if i+1 < len(s) && r == 'A' && s[i+1] == 'a' { // a capitalised word
				class, i = "[A-Za-z]", i+1
			}
			// One letter run in a value of fixed length: its length is
			// known (the digits and other characters are counted).
			if letters == 1 && minL == maxL {
				fixed := int(minL) - (len(s) - 1)
				if fixed > 0 {
					if fixed == 1 {
						b.WriteString(class)
					} else {
						fmt.Fprintf(&b, "%s{%d}", class, fixed)
					}
					i++
					continue
				}
			}
			b.WriteString(class + "+")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
		i++
	}
	b.WriteByte('$')
	return b.String()
}

// bounds sets a numeric column's range from its typed profile: exactly the
// values seen, the documented policy (a contract states what today's data
// holds; widen it by hand where the domain allows more).
func bounds(c *column, pc *profile.Column) {
	if (c.logical != "integer" && c.logical != "number") || pc.Numeric == nil || pc.Numeric.Count == 0 {
		return
	}
	lo, hi := pc.Numeric.Min, pc.Numeric.Max
	c.min, c.max = &lo, &hi
	c.notes["range"] = fmt.Sprintf("%s–%s as seen in %s values", num(lo), num(hi), group(pc.Numeric.Count))
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

// build writes the contract of the proposals that still stand and loads
// it.
func build(o Options, cols []*column, rows int64) ([]byte, *contracts.Contract, error) {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# Inferred by driftgate infer from %d file(s), %s rows: a starting point to review, not a promise.\n", len(o.Files), group(rows))
	w("# Every rule below held on that data; the comment beside it says what it rests on.\n")
	w("apiVersion: v3.1.0\nkind: DataContract\nid: %s\nname: %s\nversion: 0.1.0\nstatus: draft\n", yamlString("urn:driftgate:inferred:"+o.Name), yamlString(o.Name))
	w("schema:\n  - name: %s\n    logicalType: object\n    properties:\n", yamlString(o.Name))
	for _, c := range cols {
		w("      - name: %s  # %s\n", yamlString(c.name), c.evidence)
		logical := c.logical
		if c.dropped["type"] {
			logical = "string"
		}
		w("        logicalType: %s\n", logical)
		if c.physical != "" && !c.dropped["type"] {
			w("        physicalType: %s\n", yamlString(c.physical))
		}
		if c.required && !c.dropped["required"] {
			w("        required: true  # %s\n", c.notes["required"])
		}
		if c.pk && !c.dropped["unique"] && !c.dropped["required"] {
			w("        primaryKey: true  # guessed: required, unique and named like a key\n")
		} else if c.unique && !c.dropped["unique"] {
			w("        unique: true  # %s\n", c.notes["unique"])
		}
		var opts []string
		if logical == "string" || logical == c.logical {
			if c.format != "" && !c.dropped["format"] && logical == c.logical {
				note := c.notes["format"]
				if note == "" {
					note = "every value has this format"
				}
				opts = append(opts, fmt.Sprintf("format: %s  # %s", yamlString(c.format), note))
			}
			if c.minLen != nil && !c.dropped["length"] && logical == "string" {
				opts = append(opts, fmt.Sprintf("minLength: %d  # %s", *c.minLen, c.notes["length"]), fmt.Sprintf("maxLength: %d", *c.maxLen))
			}
			if c.pattern != "" && !c.dropped["pattern"] {
				opts = append(opts, fmt.Sprintf("pattern: %s  # %s", yamlString(c.pattern), c.notes["pattern"]))
			}
			if c.min != nil && !c.dropped["range"] && logical == c.logical {
				opts = append(opts, fmt.Sprintf("minimum: %s  # %s", num(*c.min), c.notes["range"]), fmt.Sprintf("maximum: %s", num(*c.max)))
			}
		}
		if len(opts) > 0 {
			w("        logicalTypeOptions:\n")
			for _, x := range opts {
				w("          %s\n", x)
			}
		}
		if len(c.valid) > 0 && !c.dropped["valid"] || len(c.missing) > 0 {
			w("        quality:\n")
		}
		if len(c.missing) > 0 {
			w("          - metric: missingValues  # %s\n            arguments:\n              missingValues: [%s]\n            mustBeLessOrEqualTo: %d\n",
				c.notes["missing"], quoteAll(c.missing), rows)
		}
		if len(c.valid) > 0 && !c.dropped["valid"] {
			w("          - metric: invalidValues  # %s\n            arguments:\n              validValues: [%s]\n            mustBe: 0\n",
				c.notes["valid"], quoteAll(c.valid))
		}
	}
	data := []byte(b.String())
	c, err := contracts.Parse(o.Name+".odcs.yaml", data)
	if err != nil {
		return nil, nil, fmt.Errorf("infer: the contract written does not load (a bug): %w", err)
	}
	return data, c, nil
}

func quoteAll(vs []string) string {
	quoted := make([]string, len(vs))
	for i, v := range vs {
		quoted[i] = yamlString(v)
	}
	return strings.Join(quoted, ", ")
}

// yamlString writes s as a YAML scalar, quoted when it could read as
// anything else.
func yamlString(s string) string {
	if plainScalar.MatchString(s) {
		switch strings.ToLower(s) {
		case "true", "false", "yes", "no", "on", "off", "null", "y", "n":
		default:
			return s
		}
	}
	return strconv.Quote(s)
}

func num(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// group writes n with thousands separators, for the evidence comments.
func group(n int64) string { return report.GroupDigits(strconv.FormatInt(n, 10)) }
