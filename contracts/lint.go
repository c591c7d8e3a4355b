package contracts

import (
	"errors"
	"fmt"
	"regexp"
)

// Lint runs semantic checks beyond the JSON Schema (see LintAll) and
// returns the errors among them: the problems that make the contract
// unusable, sorted by position, or nil when there are none. Warnings and
// info findings are left out; LintAll has them.
func Lint(c *Contract) []*ParseError {
	var errs []*ParseError
	for _, e := range LintAll(c) {
		if e.IsError() {
			errs = append(errs, e)
		}
	}
	return errs
}

// LintAll runs semantic checks beyond the JSON Schema: duplicate columns,
// regular expressions Go cannot run, empty ranges, quality rules that name
// unknown columns or compare nothing, physical types that contradict the
// logical type (errors), and physical types or formats driftgate does not
// know (info: the logical type decides). It returns every finding sorted
// by position, or nil when the contract is clean. LintAll does no I/O.
func LintAll(c *Contract) []*ParseError {
	return LintIn(c, c.Dialect(""))
}

// LintIn is LintAll with physicalTypes read in dialect d (see DialectFor
// and Contract.Dialect); LintAll reads them in the dialect of the
// contract's servers.
func LintIn(c *Contract, d Dialect) []*ParseError {
	l := &linter{file: c.Path, dialect: d}
	l.errs = append(l.errs, c.notes...)
	for i := range c.Schemas {
		s := &c.Schemas[i]
		path := fmt.Sprintf("schema[%d]", i)
		l.properties(s.Properties, path)
		for j := range s.Quality {
			l.quality(s, &s.Quality[j], fmt.Sprintf("%s.quality[%d]", path, j))
		}
	}
	if len(l.errs) == 0 {
		return nil
	}
	sortErrors(l.errs)
	return l.errs
}

type linter struct {
	file    string
	dialect Dialect
	errs    []*ParseError
}

func (l *linter) add(rule string, pos Pos, path, format string, args ...any) {
	l.addAt(rule, "", pos, path, format, args...)
}

func (l *linter) addAt(rule, severity string, pos Pos, path, format string, args ...any) {
	l.errs = append(l.errs, &ParseError{File: l.file, Line: pos.Line, Column: pos.Column,
		Path: path, Msg: fmt.Sprintf(format, args...), Severity: severity, Rule: rule})
}

// properties checks one list of sibling properties (the columns of a schema
// object, or the fields of an object property) and everything below them.
func (l *linter) properties(ps []Property, path string) {
	first := map[string]int{}
	for i := range ps {
		p := &ps[i]
		pp := fmt.Sprintf("%s.properties[%d]", path, i)
		name := p.DataName()
		if j, dup := first[name]; dup {
			l.add(LintDuplicateColumn, p.Pos, pp, "duplicate column %q (also properties[%d], line %d)", name, j, ps[j].Pos.Line)
		} else if name != "" {
			first[name] = i
		}
		l.property(p, pp)
	}
}

func (l *linter) property(p *Property, path string) {
	l.physicalType(p, path)
	o := &p.Options
	if p.IsTemporal() && o.Format != "" {
		if _, err := TimeFormatLayout(o.Format); err != nil {
			l.addAt(LintFormat, SeverityInfo, p.PosOf("format"), path+".logicalTypeOptions.format", "driftgate cannot read this format (%v); values are not checked against it and bounds are read as ISO 8601", err)
		}
	}
	if o.Pattern != "" {
		if msg := regexProblem(o.Pattern); msg != "" {
			l.add(LintPattern, p.PosOf("pattern"), path+".logicalTypeOptions.pattern", "%s", msg)
		}
	}
	l.lengths(p, path, "minLength", "maxLength", o.MinLength, o.MaxLength)
	l.lengths(p, path, "minItems", "maxItems", o.MinItems, o.MaxItems)
	l.lengths(p, path, "minProperties", "maxProperties", o.MinProperties, o.MaxProperties)
	l.bounds(p, path)
	for j := range p.Quality {
		l.quality(nil, &p.Quality[j], fmt.Sprintf("%s.quality[%d]", path, j))
	}
	if p.Items != nil {
		l.property(p.Items, path+".items")
	}
	l.properties(p.Properties, path)
}

// physicalType reports a physicalType the dialect does not know (info
// when the logicalType decides instead, a warning when nothing does) and
// one that contradicts the logicalType.
func (l *linter) physicalType(p *Property, path string) {
	if p.PhysicalType == "" {
		return
	}
	t := p.Type(l.dialect)
	pos, at := p.PosOf("physicalType"), path+".physicalType"
	switch {
	case !t.PhysicalKnown && p.LogicalType != "":
		l.addAt(LintPhysicalType, SeverityInfo, pos, at, "physicalType %q is not a type driftgate knows in the %s dialect; logicalType %s decides what the data must be", p.PhysicalType, l.dialect, p.LogicalType)
	case !t.PhysicalKnown:
		l.addAt(LintPhysicalType, SeverityWarning, pos, at, "physicalType %q is not a type driftgate knows in the %s dialect and there is no logicalType; the column's type is not checked", p.PhysicalType, l.dialect)
	case t.Conflict != "":
		l.addAt(LintTypeConflict, t.ConflictSeverity, pos, at, "physicalType %q %s", p.PhysicalType, t.Conflict)
	}
}

func (l *linter) lengths(p *Property, path, minKey, maxKey string, lo, hi *int64) {
	if lo != nil && hi != nil && *lo > *hi {
		l.add(LintEmptyRange, p.PosOf(minKey), path+".logicalTypeOptions."+minKey, "%s %d is greater than %s %d; no value can pass", minKey, *lo, maxKey, *hi)
	}
}

// bounds checks that the bounds parse (dates and times with the column's
// format) and that the lower one is not above the upper one.
func (l *linter) bounds(p *Property, path string) {
	lo, hi, err := p.Range(l.file)
	if err != nil {
		var pe *ParseError
		if errors.As(err, &pe) {
			pe.Path = path + "." + pe.Path
			if pe.Rule == "" {
				pe.Rule = LintBound
			}
			l.errs = append(l.errs, pe)
		}
		return
	}
	if Empty(lo, hi) {
		verb := "greater than"
		if lo.IsTime {
			verb = "after"
		}
		if c, _ := lo.Compare(hi); c == 0 {
			verb = "equal to"
		}
		l.add(LintEmptyRange, lo.Pos, path+".logicalTypeOptions."+lo.Key, "%s %s is %s %s %s; no value can pass", lo.Key, lo.Text, verb, hi.Key, hi.Text)
	}
}

// quality checks one rule. s is the schema object for schema-level rules
// and nil for property-level ones.
func (l *linter) quality(s *Schema, q *Quality, path string) {
	if q.Arguments.Pattern != "" {
		if msg := regexProblem(q.Arguments.Pattern); msg != "" {
			l.add(LintPattern, q.Pos, path+".arguments.pattern", "%s", msg)
		}
	}
	if q.Type == "library" && q.Operator.Kind == "" {
		l.add(LintQuality, q.Pos, path, "library rule %s has no operator (mustBe, mustBeLessThan, ...), so there is nothing to compare", firstNonEmpty(q.Metric, q.Rule, "(no metric)"))
	}
	if s != nil && len(q.Arguments.Properties) > 0 {
		known := map[string]bool{}
		for _, p := range s.Properties {
			known[p.Name] = true
			known[p.DataName()] = true
		}
		for i, name := range q.Arguments.Properties {
			if !known[name] {
				l.add(LintQuality, q.Pos, fmt.Sprintf("%s.arguments.properties[%d]", path, i), "column %q is not a property of %s", name, s.Name)
			}
		}
	}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// lookaroundRE finds the ECMA-262 features RE2 lacks: lookahead,
// lookbehind, backreferences and named backreferences.
var lookaroundRE = regexp.MustCompile(`\(\?<?[=!]|\\[1-9]|\\k<`)

// regexProblem returns why Go cannot compile pattern, or "".
func regexProblem(pattern string) string {
	_, err := regexp.Compile(pattern)
	if err == nil {
		return ""
	}
	if lookaroundRE.MatchString(pattern) {
		return fmt.Sprintf("pattern %q uses lookaround or backreferences, which Go's RE2 engine does not support", pattern)
	}
	return fmt.Sprintf("invalid pattern %q: %v", pattern, err)
}
