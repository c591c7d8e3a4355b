package infer

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/driftgate/driftgate/checker/profile"
)

// column is what is proposed for one column.
type column struct {
	name     string
	logical  string
	physical string
	format   string // a date format, or email, uuid, uri, ipv4, ipv6
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

var (
	intShape   = regexp.MustCompile(`^-?9+$`)
	numShape   = regexp.MustCompile(`^-?9+\.9+$`)
	tsShape    = regexp.MustCompile(`^9999-99-99[A ]99:99(:99)?`)
	emailShape = regexp.MustCompile(`^[^@ ]+@[^@ ]+\.[^@ ]+$`)
	uuidShape  = regexp.MustCompile(`^[9aA]+-[9aA]+-[9aA]+-[9aA]+-`)
	ipv4Shape  = regexp.MustCompile(`^9{1,3}\.9{1,3}\.9{1,3}\.9{1,3}$`)
	ipv6Shape  = regexp.MustCompile(`^[9aA:]*:[9aA:]*:[9aA:]*$`)
	uriShape   = regexp.MustCompile(`^[aA][aA9+.-]*://`)
	// plainScalar is text YAML reads back as the same string unquoted.
	plainScalar = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_.:/-]*$`)
)

// dateShapes are the date formats recognised in text, by value shape.
// 99/99/9999 is day-first or month-first: the values decide (dayFirst).
var dateShapes = []struct {
	shape  *regexp.Regexp
	format string
}{
	{regexp.MustCompile(`^9999-99-99$`), "yyyy-MM-dd"},
	{regexp.MustCompile(`^9999/99/99$`), "yyyy/MM/dd"},
	{regexp.MustCompile(`^99\.99\.9999$`), "dd.MM.yyyy"},
	{regexp.MustCompile(`^99/99/9999$`), "dd/MM/yyyy"},
}

// sentinels are the texts that commonly stand for a missing value.
var sentinels = map[string]bool{"n/a": true, "na": true, "null": true, "none": true, "-": true, "?": true, "unknown": true, "-999": true, "-9999": true, "-200": true}

// propose decides a column's type and rules from its raw profile.
func propose(pc profile.Column, rows int64, p policy) *column {
	c := &column{name: pc.Name, notes: map[string]string{}, dropped: map[string]bool{}}
	c.evidence = fmt.Sprintf("%s rows, %s nulls", group(rows), group(pc.Nulls))
	if c.logical = logicalOf(pc, c); c.logical == "object" {
		return c
	}
	if p.loose {
		// Types and nulls only; a date's format is part of its type.
		if c.logical != "date" {
			c.format = ""
		}
	}
	if pc.Nulls == 0 && rows > 0 {
		c.required = true
		c.notes["required"] = "no nulls in " + group(rows) + " rows" + p.scope
	}
	if p.loose {
		return c
	}
	distinct := int64(0)
	if pc.Distinct != nil {
		distinct = pc.Distinct.Estimate
	}
	nonNull := rows - pc.Nulls
	if nonNull > 1 && float64(distinct) >= 0.98*float64(nonNull) && c.logical != "boolean" && c.logical != "number" {
		c.unique = true
		c.notes["unique"] = "every value distinct (checked exactly)" + p.scope
	}
	if c.logical == "string" && pc.Lengths != nil && nonNull > 0 && c.format == "" {
		lengths(c, pc, p)
	}
	if v := pc.Values; v != nil && v.Exact && c.logical == "string" && len(v.Items) <= p.maxValid && nonNull >= int64(p.repeats*len(v.Items)) && !c.unique {
		for _, it := range v.Items {
			if sentinels[strings.ToLower(it.Value)] {
				c.missing = append(c.missing, it.Value)
				continue
			}
			c.valid = append(c.valid, it.Value)
		}
		slices.Sort(c.valid)
		c.notes["valid"] = fmt.Sprintf("%d distinct values%s", len(v.Items)-len(c.missing), p.scope)
		if len(c.missing) > 0 {
			c.notes["missing"] = "values that stand for missing data"
		}
	}
	return c
}

// logicalOf is the logicalType of a profiled column: from its Arrow type,
// or for text from the shapes of its values.
func logicalOf(pc profile.Column, c *column) string {
	switch {
	case strings.HasPrefix(pc.Type, "int"), strings.HasPrefix(pc.Type, "uint"):
		return "integer"
	case strings.HasPrefix(pc.Type, "float"), strings.HasPrefix(pc.Type, "double"), strings.HasPrefix(pc.Type, "halffloat"):
		return "number"
	case strings.HasPrefix(pc.Type, "decimal"):
		c.physical = pc.Type
		return "number"
	case strings.HasPrefix(pc.Type, "date"):
		return "date"
	case strings.HasPrefix(pc.Type, "timestamp"):
		return "timestamp"
	case strings.HasPrefix(pc.Type, "time"):
		return "time"
	case pc.Kind == profile.Boolean:
		return "boolean"
	case pc.Kind == profile.String:
		return textType(pc, c)
	}
	return "object"
}

// lengths proposes a string column's length bounds, and a pattern where
// every value has one short shape.
func lengths(c *column, pc profile.Column, p policy) {
	minL, maxL := pc.Lengths.Min, pc.Lengths.Max
	note := fmt.Sprintf("lengths %d–%d as seen%s", minL, maxL, p.scope)
	if !p.strict && minL != maxL {
		// Widened: not empty where no value was, and room up to a
		// round length; a fixed length (a code) stays exact.
		minL, maxL = min(minL, 1), int64(niceCeil(float64(maxL)))
		note += ", widened"
	}
	c.minLen, c.maxLen = &minL, &maxL
	c.notes["length"] = note
	if pat := stablePattern(pc, pc.Lengths.Min, pc.Lengths.Max); pat != "" && (p.strict || pc.Lengths.Min == pc.Lengths.Max) {
		c.pattern = pat
		c.notes["pattern"] = "every value has this shape" + p.scope
	}
}

// textType types a text (CSV) column by the shapes of its values: a type
// only when every value's shape says so. A format is only proposed: the
// proof drops it where a value breaks it.
func textType(pc profile.Column, c *column) string {
	sh := pc.Shapes
	if sh == nil || len(sh.Items) == 0 {
		// Too many shapes to list (every UUID has its own): a column of
		// 36 characters is proposed as UUIDs, for the proof to settle.
		if l := pc.Lengths; l != nil && l.Min == 36 && l.Max == 36 {
			c.format, c.notes["format"] = "uuid", "every value is a UUID"
		}
		return "string"
	}
	all := func(res ...*regexp.Regexp) bool {
		for _, it := range sh.Items {
			if !slices.ContainsFunc(res, func(re *regexp.Regexp) bool { return re.MatchString(it.Value) }) {
				return false
			}
		}
		return true
	}
	if sh.Exact {
		if isBoolean(pc.Values) {
			return "boolean"
		}
		switch {
		case all(intShape):
			return "integer"
		case all(intShape, numShape):
			return "number"
		case all(tsShape):
			return "timestamp"
		}
		for _, d := range dateShapes {
			if all(d.shape) {
				c.format = d.format
				if d.format == "dd/MM/yyyy" && !dayFirst(pc.Values) {
					c.format = "MM/dd/yyyy"
				}
				c.notes["format"] = "every value is a date written " + c.format
				return "date"
			}
		}
	}
	formats := []struct {
		shape      *regexp.Regexp
		name, what string
		ok         func() bool
	}{
		{emailShape, "email", "an email address", func() bool { return true }},
		{uuidShape, "uuid", "a UUID", func() bool { return pc.Lengths != nil && pc.Lengths.Min == 36 && pc.Lengths.Max == 36 }},
		{ipv4Shape, "ipv4", "an IPv4 address", func() bool { return true }},
		{ipv6Shape, "ipv6", "an IPv6 address", func() bool { return ipv6Like(sh) }},
		{uriShape, "uri", "an absolute URI", func() bool { return true }},
	}
	for _, f := range formats {
		if all(f.shape) && f.ok() {
			c.format = f.name
			c.notes["format"] = "every value is " + f.what
			break
		}
	}
	return "string"
}

func isBoolean(v *profile.Values) bool {
	if v == nil || !v.Exact || len(v.Items) > 2 {
		return false
	}
	for _, it := range v.Items {
		if l := strings.ToLower(it.Value); l != "true" && l != "false" {
			return false
		}
	}
	return true
}

// ipv6Like tells IPv6 addresses from times (99:99:99), which share their
// characters: an address has "::" or at least five colons.
func ipv6Like(sh *profile.Values) bool {
	for _, it := range sh.Items {
		if !strings.Contains(it.Value, "::") && strings.Count(it.Value, ":") < 5 {
			return false
		}
	}
	return true
}

// dayFirst says whether 99/99/9999 dates are day first: none of the
// values seen has a first part above 12 that would refute it, and one
// does (else month first, the US order, is as likely and wins).
func dayFirst(v *profile.Values) bool {
	if v == nil {
		return true
	}
	for _, it := range v.Items {
		if d, err := strconv.Atoi(strings.SplitN(it.Value, "/", 2)[0]); err == nil && d > 12 {
			return true
		}
	}
	return false
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
			if fixed := int(minL) - (len(s) - 1); letters == 1 && minL == maxL && fixed > 0 {
				b.WriteString(class)
				if fixed > 1 {
					fmt.Fprintf(&b, "{%d}", fixed)
				}
				i++
				continue
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

// bounds sets a numeric column's range from its typed profile. The policy:
// --strict states exactly the values seen; by default the range is widened
// to round numbers (0 for data that was never negative, the next round
// number of the same magnitude above: 987 → 1000, 12.5 → 20), so tomorrow's
// slightly larger value passes while a sign flip or a jump by an order of
// magnitude fails.
func bounds(c *column, pc *profile.Column, p policy) {
	if p.loose || (c.logical != "integer" && c.logical != "number") || pc.Numeric == nil || pc.Numeric.Count == 0 {
		return
	}
	lo, hi := pc.Numeric.Min, pc.Numeric.Max
	note := fmt.Sprintf("%s–%s as seen in %s values%s", num(lo), num(hi), group(pc.Numeric.Count), p.scope)
	if !p.strict {
		lo, hi = niceFloor(lo), niceCeil(hi)
		note += ", widened to round bounds"
	}
	c.min, c.max = &lo, &hi
	c.notes["range"] = note
}

// niceCeil is the smallest round number at or above x: its leading digit
// raised by one at its magnitude (987 → 1000, 12.5 → 20, 1000 → 1000);
// 0 and below go to niceFloor's mirror.
func niceCeil(x float64) float64 {
	if x <= 0 {
		return -niceFloor(-x)
	}
	step := math.Pow(10, math.Floor(math.Log10(x)))
	q := x / step
	if q-math.Floor(q) < 1e-9 { // x is round already (0.3 / 0.1 is 2.9999…)
		q = math.Floor(q)
	}
	// Through 12 significant digits, so 3 × 0.1 is written 0.3.
	r, _ := strconv.ParseFloat(strconv.FormatFloat(math.Ceil(q)*step, 'g', 12, 64), 64)
	return r
}

// niceFloor is the largest round number at or below x: 0 for x ≥ 0, so
// non-negative data keeps a non-negative bound.
func niceFloor(x float64) float64 {
	if x >= 0 {
		return 0
	}
	return -niceCeil(-x)
}
