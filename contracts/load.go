package contracts

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/driftgate/driftgate/contracts/yamlpos"
)

// Limits that keep hostile input (alias bombs, deep nesting) from eating the
// machine. Real contracts are far below both.
const (
	maxNodes   = 1 << 17
	maxNesting = 200
)

// Load reads and validates one contract file (.yaml, .yml or .json). JSON
// goes through the YAML decoder, which accepts it as a subset.
func Load(path string) (*Contract, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read contract %q: %w", path, err)
	}
	return Parse(path, data)
}

// Parse validates and decodes a contract from bytes; path is used in errors
// and stored in Contract.Path. Problems come back as a *ParseError, or as
// ParseErrors when there are several.
func Parse(path string, data []byte) (*Contract, error) {
	d, errs := decodeDocument(path, data)
	if len(errs) > 0 {
		return nil, errs.Classify(LintSyntax).Err()
	}
	v, err := compiledValidator()
	if err != nil {
		return nil, err
	}
	if errs := v.Validate(d.Document); len(errs) > 0 {
		return nil, errs.Classify(LintSchema).Err()
	}
	sum := sha256.Sum256(data)
	c := d.contract()
	c.Path = path
	c.SHA256 = hex.EncodeToString(sum[:])
	return c, nil
}

// document is a decoded contract: the positioned tree (yamlpos.Document)
// plus the notes the model builder makes on the way.
type document struct {
	*yamlpos.Document
	notes []*ParseError
}

// decodeDocument parses exactly one YAML document whose root is a mapping.
func decodeDocument(file string, data []byte) (*document, ParseErrors) {
	yd, errs := yamlpos.Decode(file, data, yamlpos.Limits{Nodes: maxNodes, Depth: maxNesting, What: "an ODCS contract"})
	if len(errs) > 0 {
		return nil, errs
	}
	return &document{Document: yd}, nil
}

func (d *document) valPos(ptr string) (int, int) {
	p := d.Val[ptr]
	return p.Line, p.Column
}

func escapeToken(s string) string { return yamlpos.EscapeToken(s) }

// Building the model. The document has passed the schema, so the types are
// known; the helpers still use checked assertions so that no input panics.

func (d *document) contract() *Contract {
	m, _ := d.Root.(map[string]any)
	c := &Contract{
		APIVersion:       str(m, "apiVersion"),
		Kind:             str(m, "kind"),
		ID:               str(m, "id"),
		Version:          str(m, "version"),
		Status:           str(m, "status"),
		Name:             str(m, "name"),
		CustomProperties: customProps(m["customProperties"]),
		Pos:              d.Val[""],
		KeyPos:           map[string]Pos{},
	}
	for k := range m {
		c.KeyPos[k] = d.Key["/"+escapeToken(k)]
	}
	for i, s := range list(m["schema"]) {
		c.Schemas = append(c.Schemas, d.schemaObject(s, "/schema/"+strconv.Itoa(i)))
	}
	c.Servers = d.servers(m["servers"], "/servers")
	c.SLA = d.slaProperties(m["slaProperties"], "/slaProperties")
	c.SLADefaultElement = str(m, "slaDefaultElement")
	c.notes = d.notes
	return c
}

func (d *document) schemaObject(v any, ptr string) Schema {
	m, _ := v.(map[string]any)
	s := Schema{
		Name:             str(m, "name"),
		PhysicalName:     str(m, "physicalName"),
		PhysicalType:     str(m, "physicalType"),
		Description:      str(m, "description"),
		CustomProperties: customProps(m["customProperties"]),
		Pos:              d.Val[ptr],
	}
	for i, p := range list(m["properties"]) {
		s.Properties = append(s.Properties, d.property(p, ptr+"/properties/"+strconv.Itoa(i)))
	}
	for i, q := range list(m["quality"]) {
		s.Quality = append(s.Quality, d.quality(q, ptr+"/quality/"+strconv.Itoa(i)))
	}
	return s
}

func (d *document) property(v any, ptr string) Property {
	m, _ := v.(map[string]any)
	p := Property{
		Name:               str(m, "name"),
		PhysicalName:       str(m, "physicalName"),
		LogicalType:        str(m, "logicalType"),
		PhysicalType:       str(m, "physicalType"),
		Description:        str(m, "description"),
		Classification:     str(m, "classification"),
		Tags:               stringList(m["tags"]),
		Required:           boolean(m, "required"),
		Unique:             boolean(m, "unique"),
		PrimaryKey:         boolean(m, "primaryKey"),
		PrimaryKeyPosition: -1,
		CustomProperties:   customProps(m["customProperties"]),
		Pos:                d.Val[ptr],
		FieldPos:           map[string]Pos{},
	}
	if n, ok := intOf(m["primaryKeyPosition"]); ok {
		p.PrimaryKeyPosition = int(n)
	}
	for k := range m {
		p.FieldPos[k] = d.Key[ptr+"/"+escapeToken(k)]
	}
	opts, _ := m["logicalTypeOptions"].(map[string]any)
	optPtr := ptr + "/logicalTypeOptions/"
	for k := range opts {
		pos := d.Key[optPtr+escapeToken(k)]
		p.FieldPos["logicalTypeOptions."+k] = pos
		if _, taken := p.FieldPos[k]; !taken {
			p.FieldPos[k] = pos
		}
	}
	p.Options = typeOptions(opts)
	d.exactNumbers(&p.Options, opts, optPtr)
	for i, q := range list(m["quality"]) {
		p.Quality = append(p.Quality, d.quality(q, ptr+"/quality/"+strconv.Itoa(i)))
	}
	if it, ok := m["items"].(map[string]any); ok {
		item := d.property(it, ptr+"/items")
		p.Items = &item
	}
	for i, c := range list(m["properties"]) {
		p.Properties = append(p.Properties, d.property(c, ptr+"/properties/"+strconv.Itoa(i)))
	}
	return p
}

func typeOptions(m map[string]any) TypeOptions {
	var o TypeOptions
	if m == nil {
		return o
	}
	o.MinLength = intPtr(m["minLength"])
	o.MaxLength = intPtr(m["maxLength"])
	o.Pattern = str(m, "pattern")
	o.Format = str(m, "format")
	o.Minimum = bound(m["minimum"])
	o.Maximum = bound(m["maximum"])
	o.ExclusiveMinimum = bound(m["exclusiveMinimum"])
	o.ExclusiveMaximum = bound(m["exclusiveMaximum"])
	// ODCS v3.0 wrote exclusive bounds as booleans that qualify minimum and
	// maximum; v3.1 writes the bound itself. The model holds the v3.1 form.
	if b, ok := m["exclusiveMinimum"].(bool); ok {
		o.ExclusiveMinimum = nil
		if b {
			o.ExclusiveMinimum, o.Minimum = o.Minimum, nil
		}
	}
	if b, ok := m["exclusiveMaximum"].(bool); ok {
		o.ExclusiveMaximum = nil
		if b {
			o.ExclusiveMaximum, o.Maximum = o.Maximum, nil
		}
	}
	if f, ok := floatOf(m["multipleOf"]); ok {
		o.MultipleOf = &f
	}
	if b, ok := m["timezone"].(bool); ok {
		o.Timezone = &b
	}
	o.DefaultTimezone = str(m, "defaultTimezone")
	o.MinItems = intPtr(m["minItems"])
	o.MaxItems = intPtr(m["maxItems"])
	if b, ok := m["uniqueItems"].(bool); ok {
		o.UniqueItems = &b
	}
	o.MinProperties = intPtr(m["minProperties"])
	o.MaxProperties = intPtr(m["maxProperties"])
	o.RequiredKeys = stringList(m["required"])
	return o
}

// exactNumbers keeps the text of the numeric bounds and multipleOf, and
// refuses lengths and counts beyond int64 at their line rather than
// dropping them: a constraint the contract states is enforced or the
// contract is refused.
func (d *document) exactNumbers(o *TypeOptions, opts map[string]any, optPtr string) {
	for _, k := range []string{KeyMinimum, KeyMaximum, KeyExclusiveMinimum, KeyExclusiveMaximum, "multipleOf"} {
		if lit, ok := d.Lit[optPtr+k]; ok {
			if _, err := ParseNumber(lit); err == nil {
				if o.Literals == nil {
					o.Literals = map[string]string{}
				}
				o.Literals[k] = lit
			}
		}
	}
	for _, k := range []string{"minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"} {
		v, ok := opts[k]
		if !ok || v == nil {
			continue
		}
		if _, isInt := intOf(v); isInt {
			continue
		}
		if n, isNum := NumberOf(v); isNum && n.IsInt() && n.Sign() >= 0 {
			d.note(optPtr+k, "%s %s is larger than driftgate can check (at most %d)", k, d.literal(optPtr+k, n), int64(math.MaxInt64))
		}
	}
}

func (d *document) literal(ptr string, n Number) string {
	if lit, ok := d.Lit[ptr]; ok {
		return lit
	}
	return n.String()
}

// v30Rules maps the v3.0 rule names to v3.1 metrics.
var v30Rules = map[string]string{
	"duplicateCount":  "duplicateValues",
	"duplicateValues": "duplicateValues",
	"validValues":     "invalidValues",
	"invalidValues":   "invalidValues",
	"nullValues":      "nullValues",
	"missingValues":   "missingValues",
	"rowCount":        "rowCount",
}

func (d *document) quality(v any, ptr string) Quality {
	m, _ := v.(map[string]any)
	q := Quality{
		ID:          str(m, "id"),
		Name:        str(m, "name"),
		Description: str(m, "description"),
		Type:        str(m, "type"),
		Metric:      str(m, "metric"),
		Rule:        str(m, "rule"),
		Unit:        str(m, "unit"),
		Severity:    str(m, "severity"),
		Dimension:   str(m, "dimension"),
		Tags:        stringList(m["tags"]),
		Query:       str(m, "query"),
		Engine:      str(m, "engine"),
		Pos:         d.Val[ptr],
		QueryPos:    d.Val[ptr+"/query"],
	}
	if q.Metric == "" && q.Rule != "" {
		q.Metric = v30Rules[q.Rule]
		if q.Metric == "" {
			d.note(ptr+"/rule", "rule %q is not one driftgate can run; want one of nullValues, missingValues, invalidValues (validValues), duplicateValues (duplicateCount), rowCount", q.Rule)
		}
	}
	if q.Type == "" && (q.Metric != "" || q.Rule != "") {
		q.Type = "library"
	}
	args, _ := m["arguments"].(map[string]any)
	// v3.0 rules had no arguments object and put the values inline.
	pick := func(k string) any {
		if x, ok := args[k]; ok {
			return x
		}
		return m[k]
	}
	q.Arguments = QualityArguments{
		ValidValues:   list(pick("validValues")),
		MissingValues: list(pick("missingValues")),
		Properties:    stringList(args["properties"]),
	}
	q.Arguments.Pattern, _ = pick("pattern").(string)
	var ops []string
	for _, k := range operatorKinds {
		if _, ok := m[string(k)]; ok {
			ops = append(ops, string(k))
		}
	}
	if len(ops) > 1 {
		// Only ODCS v3.0 allows this; the v3.1 schema already said no.
		d.note(ptr, "declares %d operators (%s); want exactly one, driftgate uses %s", len(ops), strings.Join(ops, ", "), ops[0])
	}
	for _, k := range operatorKinds {
		x, ok := m[string(k)]
		if !ok {
			continue
		}
		if _, isNum := floatOf(x); !isNum && k != MustBeBetween && k != MustNotBeBetween {
			d.note(ptr+"/"+string(k), "%s %s is not a number or boolean; driftgate compares numbers only", k, yamlpos.ShowValue(x))
		}
		q.Operator.Kind = k
		if k == MustBeBetween || k == MustNotBeBetween {
			pair := list(x)
			if len(pair) == 2 {
				q.Operator.Low, _ = floatOf(pair[0])
				q.Operator.High, _ = floatOf(pair[1])
			}
		} else {
			q.Operator.Value, _ = floatOf(x)
		}
		break
	}
	return q
}

func (d *document) note(ptr, format string, args ...any) {
	line, col := d.valPos(ptr)
	if k, ok := d.Key[ptr]; ok {
		line, col = k.Line, k.Column
	}
	d.notes = append(d.notes, &ParseError{File: d.File, Line: line, Column: col,
		Path: pathString(ptr), Msg: fmt.Sprintf(format, args...), Rule: LintValue})
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func boolean(m map[string]any, k string) bool {
	b, _ := m[k].(bool)
	return b
}

func list(v any) []any {
	l, _ := v.([]any)
	return l
}

func stringList(v any) []string {
	var out []string
	for _, x := range list(v) {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func intOf(v any) (int64, bool) {
	switch v := v.(type) {
	case int64:
		return v, true
	case float64:
		if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
			return int64(v), true
		}
	}
	return 0, false
}

func intPtr(v any) *int64 {
	if n, ok := intOf(v); ok {
		return &n
	}
	return nil
}

// floatOf reads a number; booleans count as 1 and 0 so that mustBe: true on
// an sql rule returning a boolean compares as intended.
func floatOf(v any) (float64, bool) {
	switch v := v.(type) {
	case int64:
		return float64(v), true
	case float64:
		return v, true
	case json.Number:
		f, err := v.Float64()
		return f, err == nil
	case bool:
		if v {
			return 1, true
		}
		return 0, true
	}
	return 0, false
}

// bound keeps a logicalTypeOptions bound as written: int64 for an integer,
// float64 for other numbers, string for dates and times.
func bound(v any) any {
	switch v := v.(type) {
	case int64, float64, string:
		return v
	case json.Number:
		f, _ := v.Float64()
		return f
	}
	return nil
}

// customProps turns the ODCS list of {property, value} into a map.
func customProps(v any) map[string]any {
	l := list(v)
	if len(l) == 0 {
		return nil
	}
	out := make(map[string]any, len(l))
	for _, x := range l {
		m, _ := x.(map[string]any)
		if name, ok := m["property"].(string); ok {
			out[name] = m["value"]
		}
	}
	return out
}
