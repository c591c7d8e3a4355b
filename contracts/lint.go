package contracts

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Lint runs semantic checks beyond the JSON Schema: duplicate columns,
// regular expressions Go cannot run, empty ranges, quality rules that name
// unknown columns or compare nothing, physical types and date formats
// driftgate does not understand. It returns the problems sorted by
// position, or nil when the contract is clean. Lint does no I/O.
func Lint(c *Contract) []*ParseError {
	l := &linter{file: c.Path}
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
	file string
	errs []*ParseError
}

func (l *linter) add(pos Pos, path, format string, args ...any) {
	l.errs = append(l.errs, &ParseError{File: l.file, Line: pos.Line, Column: pos.Column,
		Path: path, Msg: fmt.Sprintf(format, args...)})
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
			l.add(p.Pos, pp, "duplicate column %q (also properties[%d], line %d)", name, j, ps[j].Pos.Line)
		} else if name != "" {
			first[name] = i
		}
		l.property(p, pp)
	}
}

func (l *linter) property(p *Property, path string) {
	if p.PhysicalType != "" && !SupportedPhysicalType(p.PhysicalType) {
		l.add(p.PosOf("physicalType"), path+".physicalType", "physicalType %q is not a type driftgate knows; it cannot compare it with the data", p.PhysicalType)
	}
	o := &p.Options
	if o.Pattern != "" {
		if msg := regexProblem(o.Pattern); msg != "" {
			l.add(p.PosOf("pattern"), path+".logicalTypeOptions.pattern", "%s", msg)
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

func (l *linter) lengths(p *Property, path, minKey, maxKey string, lo, hi *int64) {
	if lo != nil && hi != nil && *lo > *hi {
		l.add(p.PosOf(minKey), path+".logicalTypeOptions."+minKey, "%s %d is greater than %s %d; no value can pass", minKey, *lo, maxKey, *hi)
	}
}

var temporal = map[string]bool{"date": true, "timestamp": true, "time": true}

// defaultLayouts parse bounds of date, timestamp and time columns that give
// no format. They are the ISO 8601 forms the ODCS examples use.
var defaultLayouts = map[string][]string{
	"date":      {"2006-01-02"},
	"timestamp": {time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05"},
	"time":      {"15:04:05Z07:00", "15:04:05"},
}

// bounds checks that the lower bound is not above the upper bound and, for
// temporal columns, that the format converts and the bounds parse with it.
func (l *linter) bounds(p *Property, path string) {
	o := &p.Options
	type end struct {
		key string
		v   any
	}
	var lo, hi *end
	for _, e := range []end{{"minimum", o.Minimum}, {"exclusiveMinimum", o.ExclusiveMinimum}} {
		if e.v != nil {
			lo = &e
			break
		}
	}
	for _, e := range []end{{"maximum", o.Maximum}, {"exclusiveMaximum", o.ExclusiveMaximum}} {
		if e.v != nil {
			hi = &e
			break
		}
	}
	if temporal[p.LogicalType] {
		layouts := defaultLayouts[p.LogicalType]
		if o.Format != "" {
			layout, err := GoTimeLayout(o.Format)
			if err != nil {
				l.add(p.PosOf("format"), path+".logicalTypeOptions.format", "driftgate cannot read this format: %v", err)
				return
			}
			layouts = zoneVariants(layout)
		}
		parse := func(e *end) (time.Time, bool) {
			s, _ := e.v.(string)
			for _, layout := range layouts {
				if t, err := time.Parse(layout, s); err == nil {
					return t, true
				}
			}
			want := "ISO 8601"
			if o.Format != "" {
				want = "format " + strconv.Quote(o.Format)
			}
			l.add(p.PosOf(e.key), path+".logicalTypeOptions."+e.key, "%s %q does not match %s", e.key, s, want)
			return time.Time{}, false
		}
		var tlo, thi time.Time
		okLo, okHi := false, false
		if lo != nil {
			tlo, okLo = parse(lo)
		}
		if hi != nil {
			thi, okHi = parse(hi)
		}
		if okLo && okHi && tlo.After(thi) {
			l.add(p.PosOf(lo.key), path+".logicalTypeOptions."+lo.key, "%s %v is after %s %v; no value can pass", lo.key, lo.v, hi.key, hi.v)
		}
		return
	}
	if lo == nil || hi == nil {
		return
	}
	a, okA := floatOf(lo.v)
	b, okB := floatOf(hi.v)
	if okA && okB && a > b {
		l.add(p.PosOf(lo.key), path+".logicalTypeOptions."+lo.key, "%s %v is greater than %s %v; no value can pass", lo.key, lo.v, hi.key, hi.v)
	}
}

// zoneVariants returns layout plus the same layout with the other offset
// spelling. JDK's Z means +1000, yet the ODCS all-data-types example pairs
// "yyyy-MM-dd HH:mm:ssZ" with "+10:00"; accept both rather than flag the
// standard's own example.
func zoneVariants(layout string) []string {
	out := []string{layout}
	for _, r := range [][2]string{{"-0700", "-07:00"}, {"Z0700", "Z07:00"}} {
		if strings.Contains(layout, r[0]) {
			out = append(out, strings.ReplaceAll(layout, r[0], r[1]))
		}
	}
	return out
}

// quality checks one rule. s is the schema object for schema-level rules
// and nil for property-level ones.
func (l *linter) quality(s *Schema, q *Quality, path string) {
	if q.Arguments.Pattern != "" {
		if msg := regexProblem(q.Arguments.Pattern); msg != "" {
			l.add(q.Pos, path+".arguments.pattern", "%s", msg)
		}
	}
	if q.Type == "library" && q.Operator.Kind == "" {
		l.add(q.Pos, path, "library rule %s has no operator (mustBe, mustBeLessThan, ...), so there is nothing to compare", firstNonEmpty(q.Metric, q.Rule, "(no metric)"))
	}
	if s != nil && len(q.Arguments.Properties) > 0 {
		known := map[string]bool{}
		for _, p := range s.Properties {
			known[p.Name] = true
			known[p.DataName()] = true
		}
		for i, name := range q.Arguments.Properties {
			if !known[name] {
				l.add(q.Pos, fmt.Sprintf("%s.arguments.properties[%d]", path, i), "column %q is not a property of %s", name, s.Name)
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

// physicalTypes are the base names SupportedPhysicalType accepts, lower
// case, covering SQL, Spark, Parquet, Arrow and Python spellings.
var physicalTypes = map[string]bool{
	"int": true, "integer": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true,
	"bigint": true, "smallint": true, "tinyint": true, "long": true, "short": true, "byte": true,
	"double": true, "double precision": true, "float": true, "float16": true, "float32": true, "float64": true,
	"real": true, "decimal": true, "decimal128": true, "decimal256": true, "numeric": true, "number": true,
	"string": true, "varchar": true, "char": true, "character": true, "character varying": true,
	"nvarchar": true, "nchar": true, "text": true, "utf8": true, "large_string": true, "large_utf8": true,
	"binary": true, "varbinary": true, "large_binary": true, "blob": true, "bytes": true, "bytea": true,
	"bool": true, "boolean": true,
	"date": true, "date32": true, "date64": true,
	"timestamp": true, "timestamptz": true, "timestamp_ntz": true, "timestamp_ltz": true, "timestamp_tz": true,
	"timestamp with time zone": true, "timestamp without time zone": true, "datetime": true, "datetime2": true,
	"time": true, "time32": true, "time64": true, "time with time zone": true, "time without time zone": true,
	"object": true, "struct": true, "record": true, "array": true, "list": true, "large_list": true,
	"map": true, "json": true, "jsonb": true, "uuid": true, "variant": true,
}

var (
	sizeParamsRE  = regexp.MustCompile(`^\s*\d+\s*(,\s*\d+\s*)?$`)
	arrowParamsRE = regexp.MustCompile(`^\s*(s|ms|us|ns)\s*(,\s*tz\s*=\s*[^\]]+)?$`)
)

// SupportedPhysicalType reports whether driftgate understands a physicalType
// well enough to compare it with the type found in the data. It is lenient
// and case-insensitive: int64, BIGINT, varchar(18), decimal(12,2),
// timestamp[us, tz=UTC], array<string> and the like all pass.
func SupportedPhysicalType(s string) bool {
	t := strings.ToLower(strings.TrimSpace(s))
	t = strings.Join(strings.Fields(t), " ")
	if t == "" {
		return false
	}
	base, params, closer := t, "", byte(0)
	if i := strings.IndexAny(t, "([<"); i >= 0 {
		base, params = strings.TrimSpace(t[:i]), t[i+1:]
		closer = map[byte]byte{'(': ')', '[': ']', '<': '>'}[t[i]]
		if !strings.HasSuffix(params, string(closer)) {
			return false
		}
		params = params[:len(params)-1]
	}
	if !physicalTypes[base] {
		return false
	}
	switch closer {
	case ')':
		return sizeParamsRE.MatchString(params)
	case ']':
		return arrowParamsRE.MatchString(params)
	case '>':
		return strings.TrimSpace(params) != ""
	}
	return true
}
