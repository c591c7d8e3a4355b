package contracts

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
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
		return nil, errs.asError()
	}
	v, err := compiledValidator()
	if err != nil {
		return nil, err
	}
	if errs := v.validate(d); len(errs) > 0 {
		return nil, errs.asError()
	}
	sum := sha256.Sum256(data)
	c := d.contract()
	c.Path = path
	c.SHA256 = hex.EncodeToString(sum[:])
	return c, nil
}

// asError returns the single error itself, or the list when there are
// several, so callers that expect one *ParseError see one.
func (es ParseErrors) asError() error {
	if len(es) == 1 {
		return es[0]
	}
	return es
}

// document is a decoded contract: the plain tree the JSON Schema validator
// wants, plus the YAML position of every value and every mapping key, by
// JSON pointer.
type document struct {
	file string
	root any
	val  map[string]Pos
	key  map[string]Pos
	// lit holds the text of every number scalar, by JSON pointer, so
	// bounds and multipleOf are read exactly, not through float64.
	lit map[string]string

	nodes int
	stop  bool // a size limit was hit; convert no further
	errs  ParseErrors
	notes []*ParseError
}

func (d *document) valPos(ptr string) (int, int) {
	p := d.val[ptr]
	return p.Line, p.Column
}

func (d *document) keyPos(ptr string) (int, int) {
	if p, ok := d.key[ptr]; ok {
		return p.Line, p.Column
	}
	return d.valPos(ptr)
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a yaml.v3 error into a ParseError, keeping the line the
// message names.
func yamlError(file string, err error) *ParseError {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &ParseError{File: file, Line: line, Msg: "invalid YAML: " + m[2]}
	}
	return &ParseError{File: file, Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// decodeDocument parses exactly one YAML document whose root is a mapping.
func decodeDocument(file string, data []byte) (d *document, errs ParseErrors) {
	defer func() {
		// yaml.v3 has panicked on malformed input in the past; a contract
		// loader must answer with an error, never crash the gate.
		if r := recover(); r != nil {
			d, errs = nil, ParseErrors{{File: file, Msg: fmt.Sprintf("invalid YAML: %v", r)}}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var n yaml.Node
	if err := dec.Decode(&n); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, ParseErrors{{File: file, Msg: "empty document; want an ODCS contract"}}
		}
		return nil, ParseErrors{yamlError(file, err)}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, ParseErrors{yamlError(file, err)}
		}
		return nil, ParseErrors{{File: file, Line: extra.Line, Column: extra.Column,
			Msg: "several YAML documents in one file; want exactly one contract"}}
	}
	root := &n
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil, ParseErrors{{File: file, Line: root.Line, Column: root.Column,
			Msg: fmt.Sprintf("document root is %s; want a mapping (an ODCS contract)", kindName(root))}}
	}
	d = &document{file: file, val: map[string]Pos{}, key: map[string]Pos{}, lit: map[string]string{}}
	d.root = d.convert(root, "", 0)
	if len(d.errs) > 0 {
		sortErrors(d.errs)
		return nil, d.errs
	}
	return d, nil
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a sequence"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "empty"
		}
		return "a scalar"
	case yaml.AliasNode:
		return "an alias"
	}
	return "not a mapping"
}

func (d *document) fail(n *yaml.Node, ptr, format string, args ...any) {
	d.errs = append(d.errs, &ParseError{File: d.file, Line: n.Line, Column: n.Column,
		Path: pathString(ptr), Msg: fmt.Sprintf(format, args...)})
}

func escapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// convert builds the plain value of n, recording positions under ptr. It
// stops descending after the first budget error so an alias bomb costs
// little.
func (d *document) convert(n *yaml.Node, ptr string, depth int) any {
	if d.limited(n, ptr, depth) {
		return nil
	}
	if _, ok := d.val[ptr]; !ok {
		d.val[ptr] = Pos{Line: n.Line, Column: n.Column}
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return d.convert(n.Content[0], ptr, depth+1)
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil
		}
		return d.convert(n.Alias, ptr, depth+1)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for i, c := range n.Content {
			out = append(out, d.convert(c, ptr+"/"+strconv.Itoa(i), depth+1))
		}
		return out
	case yaml.MappingNode:
		out := map[string]any{}
		d.mapping(n, ptr, depth, out, map[string]int{})
		return out
	case yaml.ScalarNode:
		return d.scalar(n, ptr)
	}
	d.fail(n, ptr, "unsupported YAML node")
	return nil
}

// limited counts n against the size limits and reports whether conversion
// must stop. The first limit hit is the only error reported: the rest of
// the tree is not worth reading.
func (d *document) limited(n *yaml.Node, ptr string, depth int) bool {
	if d.stop {
		return true
	}
	d.nodes++
	switch {
	case d.nodes > maxNodes:
		d.fail(n, ptr, "document too large (more than %d nodes after expanding aliases)", maxNodes)
	case depth > maxNesting:
		d.fail(n, "", "document nested deeper than %d levels (an alias that contains itself?)", maxNesting)
	default:
		return false
	}
	d.stop = true
	return true
}

// mapping adds the pairs of n to out. Explicit keys win over merged ones
// (<<), as YAML specifies; a key written twice is an error.
func (d *document) mapping(n *yaml.Node, ptr string, depth int, out map[string]any, seen map[string]int) {
	// A merge can name the mapping that contains it; the depth limit ends
	// that loop like any other.
	if d.limited(n, ptr, depth) {
		return
	}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			merges = append(merges, v)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			d.fail(k, ptr, "mapping key is %s; want a string", kindName(k))
			continue
		}
		key := k.Value
		if first, dup := seen[key]; dup {
			d.fail(k, ptr+"/"+escapeToken(key), "duplicate key %s (first at line %d)", key, first)
			continue
		}
		seen[key] = k.Line
		cp := ptr + "/" + escapeToken(key)
		d.key[cp] = Pos{Line: k.Line, Column: k.Column}
		out[key] = d.convert(v, cp, depth+1)
	}
	for _, m := range merges {
		srcs := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			srcs = m.Content
		}
		for _, s := range srcs {
			for s.Kind == yaml.AliasNode && s.Alias != nil {
				s = s.Alias
			}
			if s.Kind != yaml.MappingNode {
				d.fail(s, ptr, "merge (<<) needs a mapping")
				continue
			}
			merged := map[string]any{}
			d.mapping(s, ptr, depth+1, merged, map[string]int{})
			for k, v := range merged {
				if _, ok := out[k]; !ok {
					out[k] = v
				}
			}
		}
	}
}

// scalar decodes a scalar into the types the JSON Schema validator accepts:
// nil, bool, int64, float64, json.Number (for integers beyond int64) or
// string. Timestamps and other tags stay strings, as in JSON.
func (d *document) scalar(n *yaml.Node, ptr string) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool", "!!int", "!!float":
		if n.ShortTag() != "!!bool" {
			d.lit[ptr] = n.Value
		}
		var x any
		if err := n.Decode(&x); err != nil {
			d.fail(n, ptr, "invalid %s %q", strings.TrimPrefix(n.ShortTag(), "!!"), n.Value)
			return nil
		}
		switch x := x.(type) {
		case bool:
			return x
		case int:
			return int64(x)
		case int64:
			return x
		case uint64:
			return json.Number(strconv.FormatUint(x, 10))
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				d.fail(n, ptr, "%s is not a JSON number", n.Value)
				return nil
			}
			return x
		}
		return n.Value
	}
	return n.Value
}

// Building the model. The document has passed the schema, so the types are
// known; the helpers still use checked assertions so that no input panics.

func (d *document) contract() *Contract {
	m, _ := d.root.(map[string]any)
	c := &Contract{
		APIVersion:       str(m, "apiVersion"),
		Kind:             str(m, "kind"),
		ID:               str(m, "id"),
		Version:          str(m, "version"),
		Status:           str(m, "status"),
		Name:             str(m, "name"),
		CustomProperties: customProps(m["customProperties"]),
		Pos:              d.val[""],
		KeyPos:           map[string]Pos{},
	}
	for k := range m {
		c.KeyPos[k] = d.key["/"+escapeToken(k)]
	}
	for i, s := range list(m["schema"]) {
		c.Schemas = append(c.Schemas, d.schemaObject(s, "/schema/"+strconv.Itoa(i)))
	}
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
		Pos:              d.val[ptr],
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
		Required:           boolean(m, "required"),
		Unique:             boolean(m, "unique"),
		PrimaryKey:         boolean(m, "primaryKey"),
		PrimaryKeyPosition: -1,
		CustomProperties:   customProps(m["customProperties"]),
		Pos:                d.val[ptr],
		FieldPos:           map[string]Pos{},
	}
	if n, ok := intOf(m["primaryKeyPosition"]); ok {
		p.PrimaryKeyPosition = int(n)
	}
	for k := range m {
		p.FieldPos[k] = d.key[ptr+"/"+escapeToken(k)]
	}
	opts, _ := m["logicalTypeOptions"].(map[string]any)
	optPtr := ptr + "/logicalTypeOptions/"
	for k := range opts {
		pos := d.key[optPtr+escapeToken(k)]
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
		if lit, ok := d.lit[optPtr+k]; ok {
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
	if lit, ok := d.lit[ptr]; ok {
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
		Query:       str(m, "query"),
		Engine:      str(m, "engine"),
		Pos:         d.val[ptr],
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
			d.note(ptr+"/"+string(k), "%s %s is not a number or boolean; driftgate compares numbers only", k, showValue(x))
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
	if k, ok := d.key[ptr]; ok {
		line, col = k.Line, k.Column
	}
	d.notes = append(d.notes, &ParseError{File: d.file, Line: line, Column: col,
		Path: pathString(ptr), Msg: fmt.Sprintf(format, args...)})
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
