package contracts

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// schemaJSON is driftgate's own JSON Schema for ODCS v3 contracts. It is
// written for the checker (see its $comment) rather than copied from the
// standard: the official schema is only read by the tests, to prove the two
// agree on the parts driftgate executes.
//
//go:embed schema/odcs-v3.json
var schemaJSON []byte

const schemaURL = "https://driftgate.dev/schema/odcs-v3.json"

// validator is the compiled contract schema plus its decoded JSON, which
// the error renderer reads to name the allowed values of an enum or the
// fields of a required list.
type validator struct {
	schema *jsonschema.Schema
	doc    any
}

// compiledValidator compiles the embedded schema once. The result is
// immutable, so sharing it between goroutines is safe.
var compiledValidator = sync.OnceValues(func() (*validator, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2019
	if err := c.AddResource(schemaURL, bytes.NewReader(schemaJSON)); err != nil {
		return nil, fmt.Errorf("load embedded contract schema: %w", err)
	}
	s, err := c.Compile(schemaURL)
	if err != nil {
		return nil, fmt.Errorf("compile embedded contract schema: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(schemaJSON))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("decode embedded contract schema: %w", err)
	}
	return &validator{schema: s, doc: doc}, nil
})

// validate checks the decoded document against the schema and turns the
// jsonschema error tree into positioned errors, one per problem.
func (v *validator) validate(d *document) ParseErrors {
	err := v.schema.Validate(d.root)
	if err == nil {
		return nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return ParseErrors{{File: d.file, Msg: fmt.Sprintf("validate contract: %v", err)}}
	}
	leaves := usefulCauses(ve)
	var out ParseErrors
	seen := map[string]bool{}
	for _, leaf := range leaves {
		if v.cascaded(leaf, leaves) {
			continue
		}
		pe := v.render(d, leaf)
		k := pe.Path + "\x00" + pe.Msg
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, pe)
	}
	sortErrors(out)
	return out
}

// cascaded reports whether e is an "unknown field" error that only exists
// because another error in the same object failed the subschema that
// declares the field: a failing $ref or then contributes no evaluated
// properties, so draft 2019-09 calls every key it declares unevaluated.
func (v *validator) cascaded(e *jsonschema.ValidationError, all []*jsonschema.ValidationError) bool {
	if lastToken(e.KeywordLocation) != "unevaluatedProperties" {
		return false
	}
	obj := parentPtr(e.InstanceLocation)
	other := false
	for _, o := range all {
		if lastToken(o.KeywordLocation) == "unevaluatedProperties" && parentPtr(o.InstanceLocation) == obj {
			continue
		}
		if o.InstanceLocation == obj || strings.HasPrefix(o.InstanceLocation, obj+"/") {
			other = true
			break
		}
	}
	if !other {
		return false
	}
	_, frag, _ := strings.Cut(parentPtr(e.AbsoluteKeywordLocation), "#")
	return v.declares(frag, unescapeToken(lastToken(e.InstanceLocation)), map[string]bool{})
}

// declares reports whether the schema at ptr, or a schema it applies in
// place ($ref, allOf, then, else), declares key under properties.
func (v *validator) declares(ptr, key string, visited map[string]bool) bool {
	if visited[ptr] {
		return false
	}
	visited[ptr] = true
	m, _ := lookupPtr(v.doc, ptr).(map[string]any)
	if props, ok := m["properties"].(map[string]any); ok {
		if _, ok := props[key]; ok {
			return true
		}
	}
	if ref, ok := m["$ref"].(string); ok && strings.HasPrefix(ref, "#") {
		if v.declares(strings.TrimPrefix(ref, "#"), key, visited) {
			return true
		}
	}
	for _, kw := range []string{"then", "else"} {
		if _, ok := m[kw]; ok && v.declares(ptr+"/"+kw, key, visited) {
			return true
		}
	}
	for i := range list(m["allOf"]) {
		if v.declares(ptr+"/allOf/"+strconv.Itoa(i), key, visited) {
			return true
		}
	}
	return false
}

// usefulCauses walks the error tree and returns the errors worth showing.
// Under allOf, properties and the like every failing branch is a separate
// problem. Under oneOf and anyOf only one branch was meant, so it keeps the
// branch that got deepest into the document, which is the one the author
// most likely intended.
func usefulCauses(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	switch lastToken(e.KeywordLocation) {
	case "oneOf", "anyOf":
		best, bestDepth := -1, -1
		for i, c := range e.Causes {
			d := deepestInstance(c)
			if d > bestDepth {
				best, bestDepth = i, d
			}
		}
		// When no branch got below the value itself, the branches are
		// alternatives for this value; report the choice, not each branch.
		if bestDepth <= depth(e.InstanceLocation) {
			return []*jsonschema.ValidationError{e}
		}
		return usefulCauses(e.Causes[best])
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, usefulCauses(c)...)
	}
	return out
}

func deepestInstance(e *jsonschema.ValidationError) int {
	d := depth(e.InstanceLocation)
	for _, c := range e.Causes {
		d = max(d, deepestInstance(c))
	}
	return d
}

func depth(ptr string) int { return strings.Count(ptr, "/") }

func lastToken(ptr string) string {
	return ptr[strings.LastIndex(ptr, "/")+1:]
}

func parentPtr(ptr string) string {
	if i := strings.LastIndex(ptr, "/"); i >= 0 {
		return ptr[:i]
	}
	return ""
}

func unescapeToken(tok string) string {
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
}

// schemaAt resolves the fragment of an absolute keyword location in the
// schema document.
func (v *validator) schemaAt(absLoc string) any {
	_, frag, _ := strings.Cut(absLoc, "#")
	return lookupPtr(v.doc, frag)
}

// lookupPtr resolves a JSON pointer in a decoded JSON tree.
func lookupPtr(root any, ptr string) any {
	cur := root
	if ptr == "" {
		return cur
	}
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = unescapeToken(tok)
		switch c := cur.(type) {
		case map[string]any:
			cur = c[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	return cur
}

// operatorKinds lists the ODCS operators in the order the loader tries them.
var operatorKinds = [...]OperatorKind{
	MustBe, MustNotBe, MustBeGreaterThan, MustBeGreaterOrEqualTo,
	MustBeLessThan, MustBeLessOrEqualTo, MustBeBetween, MustNotBeBetween,
}

// render turns one jsonschema error into a positioned, readable error.
func (v *validator) render(d *document, e *jsonschema.ValidationError) *ParseError {
	inst := e.InstanceLocation
	val := lookupPtr(d.root, inst)
	pe := &ParseError{File: d.file, Path: pathString(inst)}
	pe.Line, pe.Column = d.valPos(inst)
	kw := lastToken(e.KeywordLocation)
	sch := v.schemaAt(e.AbsoluteKeywordLocation)
	switch kw {
	case "enum":
		pe.Msg = fmt.Sprintf("%s is not one of %s", showValue(val), joinValues(sch))
	case "const":
		pe.Msg = fmt.Sprintf("%s is not %s", showValue(val), showValue(sch))
	case "type":
		pe.Msg = fmt.Sprintf("want %s, got %s", wantTypes(sch), typeName(val))
	case "required":
		m, _ := val.(map[string]any)
		var missing []string
		if req, ok := sch.([]any); ok {
			for _, r := range req {
				if s, ok := r.(string); ok {
					if _, present := m[s]; !present {
						missing = append(missing, s)
					}
				}
			}
		}
		if len(missing) == 1 {
			pe.Msg = "missing required field " + missing[0]
		} else {
			pe.Msg = "missing required fields " + strings.Join(missing, ", ")
		}
	case "unevaluatedProperties", "additionalProperties":
		if kw == "unevaluatedProperties" && inst != "" {
			pe.Line, pe.Column = d.keyPos(inst)
			pe.Msg = v.unknownField(d, e, inst)
		} else {
			pe.Msg = e.Message
		}
	case "oneOf":
		if strings.Contains(e.AbsoluteKeywordLocation, "/Operators/") {
			pe.Msg = operatorMessage(val)
		} else {
			pe.Msg = e.Message
		}
	case "minItems", "maxItems":
		arr, _ := val.([]any)
		if k := OperatorKind(lastToken(inst)); k == MustBeBetween || k == MustNotBeBetween {
			pe.Msg = fmt.Sprintf("want 2 numbers [low, high], got %d", len(arr))
		} else if kw == "minItems" {
			pe.Msg = fmt.Sprintf("want at least %s items, got %d", showValue(sch), len(arr))
		} else {
			pe.Msg = fmt.Sprintf("want at most %s items, got %d", showValue(sch), len(arr))
		}
	case "uniqueItems":
		if k := OperatorKind(lastToken(inst)); k == MustBeBetween || k == MustNotBeBetween {
			pe.Msg = "low and high must differ"
		} else {
			pe.Msg = "items must be distinct"
		}
	case "minimum":
		pe.Msg = fmt.Sprintf("%s is below the minimum %s", showValue(val), showValue(sch))
	case "exclusiveMinimum":
		pe.Msg = fmt.Sprintf("%s must be greater than %s", showValue(val), showValue(sch))
	case "pattern":
		pe.Msg = fmt.Sprintf("%s does not match %s", showValue(val), showValue(sch))
	default:
		pe.Msg = e.Message
	}
	return pe
}

// unknownField explains an unevaluated key. Keys of logicalTypeOptions get
// the list of options their logical type allows.
func (v *validator) unknownField(d *document, e *jsonschema.ValidationError, inst string) string {
	key := unescapeToken(lastToken(inst))
	parent := parentPtr(inst)
	if lastToken(parent) != "logicalTypeOptions" {
		return "unknown field " + key
	}
	lt, _ := lookupPtr(d.root, parentPtr(parent)+"/logicalType").(string)
	if lt == "" {
		return fmt.Sprintf("option %s needs a logicalType that allows it", key)
	}
	props, _ := v.schemaAt(parentPtr(e.AbsoluteKeywordLocation) + "/properties").(map[string]any)
	allowed := make([]string, 0, len(props))
	for k := range props {
		allowed = append(allowed, k)
	}
	sort.Strings(allowed)
	return fmt.Sprintf("option %s is not allowed for logicalType %s (allowed: %s)", key, lt, strings.Join(allowed, ", "))
}

func operatorMessage(val any) string {
	m, _ := val.(map[string]any)
	var have, all []string
	for _, k := range operatorKinds {
		all = append(all, string(k))
		if _, ok := m[string(k)]; ok {
			have = append(have, string(k))
		}
	}
	if len(have) == 0 {
		return "declares no operator; want exactly one of " + strings.Join(all, ", ")
	}
	return fmt.Sprintf("declares %d operators (%s); want exactly one", len(have), strings.Join(have, ", "))
}

func showValue(v any) string {
	switch v := v.(type) {
	case string:
		return strconv.Quote(v)
	case nil:
		return "null"
	case json.Number:
		return v.String()
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func joinValues(v any) string {
	arr, _ := v.([]any)
	parts := make([]string, len(arr))
	for i, x := range arr {
		if s, ok := x.(string); ok {
			parts[i] = s
		} else {
			parts[i] = showValue(x)
		}
	}
	return strings.Join(parts, ", ")
}

func wantTypes(v any) string {
	article := func(t string) string {
		switch t {
		case "array", "object", "integer":
			return "an " + t
		case "null":
			return "null"
		}
		return "a " + t
	}
	switch t := v.(type) {
	case string:
		return article(t)
	case []any:
		parts := make([]string, len(t))
		for i, x := range t {
			parts[i], _ = x.(string)
		}
		return strings.Join(parts, " or ")
	}
	return showValue(v)
}

func typeName(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case int64:
		return "integer"
	case float64:
		return "number " + strconv.FormatFloat(v, 'g', -1, 64)
	case json.Number:
		return "number " + v.String()
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func sortErrors(es []*ParseError) {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return a.Path < b.Path
	})
}
