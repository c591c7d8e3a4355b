package yamlpos

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Schema is a compiled JSON Schema plus its decoded JSON, which the error
// renderer reads to name the allowed values of an enum or the fields of a
// required list. It is immutable and safe to share between goroutines.
type Schema struct {
	schema *jsonschema.Schema
	doc    any
	// Explain, when set, may rewrite the message of one error: it gets the
	// error already rendered and the validator's leaf. Documents have
	// knowledge a generic renderer lacks (which options a type allows).
	Explain func(s *Schema, d *Document, e *jsonschema.ValidationError, pe *Error)
}

// Compile compiles a schema document published under url.
func Compile(url string, data []byte, draft *jsonschema.Draft) (*Schema, error) {
	c := jsonschema.NewCompiler()
	c.Draft = draft
	if err := c.AddResource(url, bytes.NewReader(data)); err != nil {
		return nil, fmt.Errorf("load schema %s: %w", url, err)
	}
	s, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("compile schema %s: %w", url, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("decode schema %s: %w", url, err)
	}
	return &Schema{schema: s, doc: doc}, nil
}

// At resolves the fragment of an absolute keyword location in the schema
// document.
func (s *Schema) At(absLoc string) any {
	_, frag, _ := strings.Cut(absLoc, "#")
	return Lookup(s.doc, frag)
}

// Validate checks the document and turns the validator's error tree into
// positioned errors, one per problem, sorted by position.
func (s *Schema) Validate(d *Document) Errors {
	err := s.schema.Validate(d.Root)
	if err == nil {
		return nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return Errors{{File: d.File, Msg: fmt.Sprintf("validate: %v", err)}}
	}
	leaves := usefulCauses(ve)
	var out Errors
	seen := map[string]bool{}
	add := func(pe *Error) {
		if k := pe.Path + "\x00" + pe.Msg; !seen[k] {
			seen[k] = true
			out = append(out, pe)
		}
	}
	for _, leaf := range leaves {
		if s.cascaded(leaf, leaves) {
			continue
		}
		if LastToken(leaf.KeywordLocation) == "additionalProperties" {
			if keys := unknownKeys(leaf.Message); len(keys) > 0 {
				for _, k := range keys {
					add(d.AtKey(leaf.InstanceLocation+"/"+EscapeToken(k), "unknown field %s", k))
				}
				continue
			}
		}
		pe := s.render(d, leaf)
		if s.Explain != nil {
			s.Explain(s, d, leaf, pe)
		}
		add(pe)
	}
	out.Sort()
	return out
}

// unknownKeys extracts the property names from jsonschema v5's
// "additionalProperties 'a', 'b' not allowed"; the library offers them
// only in the message.
func unknownKeys(msg string) []string {
	var ks []string
	for rest := msg; ; {
		i := strings.IndexByte(rest, '\'')
		if i < 0 {
			return ks
		}
		j := strings.IndexByte(rest[i+1:], '\'')
		if j < 0 {
			return ks
		}
		ks = append(ks, rest[i+1:i+1+j])
		rest = rest[i+j+2:]
	}
}

// cascaded reports whether e is an "unknown field" error that only exists
// because another error in the same object failed the subschema that
// declares the field: a failing $ref or then contributes no evaluated
// properties, so draft 2019-09 calls every key it declares unevaluated.
func (s *Schema) cascaded(e *jsonschema.ValidationError, all []*jsonschema.ValidationError) bool {
	if LastToken(e.KeywordLocation) != "unevaluatedProperties" {
		return false
	}
	obj := ParentPtr(e.InstanceLocation)
	other := false
	for _, o := range all {
		if LastToken(o.KeywordLocation) == "unevaluatedProperties" && ParentPtr(o.InstanceLocation) == obj {
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
	_, frag, _ := strings.Cut(ParentPtr(e.AbsoluteKeywordLocation), "#")
	return s.declares(frag, UnescapeToken(LastToken(e.InstanceLocation)), map[string]bool{})
}

// declares reports whether the schema at ptr, or a schema it applies in
// place ($ref, allOf, then, else), declares key under properties.
func (s *Schema) declares(ptr, key string, visited map[string]bool) bool {
	if visited[ptr] {
		return false
	}
	visited[ptr] = true
	m, _ := Lookup(s.doc, ptr).(map[string]any)
	if props, ok := m["properties"].(map[string]any); ok {
		if _, ok := props[key]; ok {
			return true
		}
	}
	if ref, ok := m["$ref"].(string); ok && strings.HasPrefix(ref, "#") {
		if s.declares(strings.TrimPrefix(ref, "#"), key, visited) {
			return true
		}
	}
	for _, kw := range []string{"then", "else"} {
		if _, ok := m[kw]; ok && s.declares(ptr+"/"+kw, key, visited) {
			return true
		}
	}
	all, _ := m["allOf"].([]any)
	for i := range all {
		if s.declares(ptr+"/allOf/"+strconv.Itoa(i), key, visited) {
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
	switch LastToken(e.KeywordLocation) {
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

// comparisons are the messages of keywords that compare a value with the
// schema's.
var comparisons = map[string]string{
	"minItems":         "want at least %s items, got %d",
	"maxItems":         "want at most %s items, got %d",
	"minimum":          "%s is below the minimum %s",
	"maximum":          "%s is above the maximum %s",
	"exclusiveMinimum": "%s must be greater than %s",
	"exclusiveMaximum": "%s must be less than %s",
	"pattern":          "%s does not match %s",
}

// render turns one jsonschema error into a positioned, readable error.
func (s *Schema) render(d *Document, e *jsonschema.ValidationError) *Error {
	inst := e.InstanceLocation
	val := Lookup(d.Root, inst)
	pe := d.At(inst, "%s", e.Message)
	kw := LastToken(e.KeywordLocation)
	sch := s.At(e.AbsoluteKeywordLocation)
	switch kw {
	case "enum":
		pe.Msg = fmt.Sprintf("%s is not one of %s", ShowValue(val), joinValues(sch))
	case "const":
		pe.Msg = fmt.Sprintf("%s is not %s", ShowValue(val), ShowValue(sch))
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
	case "unevaluatedProperties":
		if inst != "" {
			p := d.KeyPos(inst)
			pe.Line, pe.Column = p.Line, p.Column
			pe.Msg = "unknown field " + UnescapeToken(LastToken(inst))
		}
	case "minItems", "maxItems":
		arr, _ := val.([]any)
		pe.Msg = fmt.Sprintf(comparisons[kw], ShowValue(sch), len(arr))
	case "uniqueItems":
		pe.Msg = "items must be distinct"
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "pattern":
		pe.Msg = fmt.Sprintf(comparisons[kw], ShowValue(val), ShowValue(sch))
	}
	return pe
}

// ShowValue renders a decoded value as it would read in JSON.
func ShowValue(v any) string {
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
			parts[i] = ShowValue(x)
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
	return ShowValue(v)
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

// Keys lists the keys of a decoded mapping in order, for messages.
func Keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
