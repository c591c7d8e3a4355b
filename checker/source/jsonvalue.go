package source

import (
	"encoding/json"
	"slices"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
)

// The helpers below walk a record that validateJSON has accepted, so they
// can assume well-formed JSON; they still check bounds so that no input can
// make them panic.

func jsonSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\r' || b == '\n' }

func skipJSONSpace(b []byte, i int) int {
	for i < len(b) && jsonSpace(b[i]) {
		i++
	}
	return i
}

// skipJSONValue returns the index just past the value starting at b[i].
func skipJSONValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		return skipJSONString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipJSONString(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return i
	}
	for i < len(b) {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return i
		}
		i++
	}
	return i
}

// skipJSONString returns the index just past the string starting at b[i].
func skipJSONString(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return i
}

// jsonMembers calls fn with each key and raw value of the object b.
func jsonMembers(b []byte, fn func(key string, val []byte)) {
	i := skipJSONSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return
	}
	i++
	for {
		i = skipJSONSpace(b, i)
		if i >= len(b) || b[i] == '}' {
			return
		}
		if b[i] == ',' {
			i++
			continue
		}
		if b[i] != '"' {
			return
		}
		end := skipJSONString(b, i)
		key := jsonText(b[i:end])
		i = skipJSONSpace(b, end)
		if i >= len(b) || b[i] != ':' {
			return
		}
		i = skipJSONSpace(b, i+1)
		vend := skipJSONValue(b, i)
		fn(key, b[i:vend])
		i = vend
	}
}

// jsonElements calls fn with each raw element of the array b.
func jsonElements(b []byte, fn func(val []byte)) {
	i := skipJSONSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return
	}
	i++
	for {
		i = skipJSONSpace(b, i)
		if i >= len(b) || b[i] == ']' {
			return
		}
		if b[i] == ',' {
			i++
			continue
		}
		end := skipJSONValue(b, i)
		if end == i {
			return
		}
		fn(b[i:end])
		i = end
	}
}

// jsonText decodes a JSON string literal; the common case without escapes
// costs one allocation.
func jsonText(lit []byte) string {
	if len(lit) < 2 {
		return ""
	}
	inner := lit[1 : len(lit)-1]
	plain := true
	for _, c := range inner {
		if c == '\\' {
			plain = false
			break
		}
	}
	if plain {
		return string(inner)
	}
	var s string
	if err := json.Unmarshal(lit, &s); err != nil {
		return string(inner)
	}
	return s
}

// jsonIsNumber says v is a JSON number literal.
func jsonIsNumber(v []byte) bool {
	return len(v) > 0 && (v[0] == '-' || (v[0] >= '0' && v[0] <= '9'))
}

// jsonShown is a value as a finding quotes it: the text of a string, the
// literal otherwise, cut to a readable length.
func jsonShown(v []byte) string {
	s := string(v)
	if len(v) > 0 && v[0] == '"' {
		s = jsonText(v)
	}
	const max = 120
	if len(s) > max {
		s = s[:max] + "..."
	}
	return s
}

// inferJSONType is the Arrow type of an undeclared member, from its first
// non-null value: a struct or list is inferred field by field.
func inferJSONType(v []byte, depth int) (dt arrow.DataType, ok bool) {
	if len(v) == 0 || depth > 32 {
		return nil, false
	}
	switch v[0] {
	case '"':
		return arrow.BinaryTypes.String, true
	case 't', 'f':
		return arrow.FixedWidthTypes.Boolean, true
	case 'n':
		return nil, false
	case '{':
		var fields []arrow.Field
		seen := map[string]bool{}
		jsonMembers(v, func(k string, val []byte) {
			if seen[k] {
				return
			}
			seen[k] = true
			t, ok := inferJSONType(val, depth+1)
			if !ok {
				t = arrow.BinaryTypes.String
			}
			fields = append(fields, arrow.Field{Name: k, Type: t, Nullable: true})
		})
		return arrow.StructOf(fields...), true
	case '[':
		var elem arrow.DataType
		jsonElements(v, func(val []byte) {
			if elem == nil {
				if t, ok := inferJSONType(val, depth+1); ok {
					elem = t
				}
			}
		})
		if elem == nil {
			elem = arrow.BinaryTypes.String
		}
		return arrow.ListOf(elem), true
	}
	for _, c := range v {
		if c == '.' || c == 'e' || c == 'E' {
			return arrow.PrimitiveTypes.Float64, true
		}
	}
	if _, err := strconv.ParseInt(string(v), 10, 64); err == nil {
		return arrow.PrimitiveTypes.Int64, true
	}
	return arrow.PrimitiveTypes.Float64, true
}

// Holes. A contract may leave part of a nested type open: an object
// without properties, an array without items, a value of any type, inside
// an object or array it does declare. The declared type (JSONOptions.Types)
// marks such a part as a hole, to be typed from the sampled data as an
// undeclared member is: an empty struct for an object, null for any value
// (a list of null for an array without items). A hole no sampled value
// fills stays an empty struct (any object, its members not read) or
// becomes text, as a member null in every sampled record does.

// hasHole says t has a part the data is to type.
func hasHole(t arrow.DataType) bool {
	switch t := t.(type) {
	case *arrow.NullType:
		return true
	case *arrow.StructType:
		if t.NumFields() == 0 {
			return true
		}
		for _, f := range t.Fields() {
			if hasHole(f.Type) {
				return true
			}
		}
	case *arrow.ListType:
		return hasHole(t.Elem())
	}
	return false
}

// fillHoles types the holes of t that JSON value v has a value for.
func fillHoles(t arrow.DataType, v []byte, depth int) arrow.DataType {
	if len(v) == 0 || depth > 32 || !hasHole(t) {
		return t
	}
	switch t := t.(type) {
	case *arrow.NullType:
		if it, ok := inferJSONType(v, depth); ok {
			return it
		}
	case *arrow.StructType:
		if v[0] != '{' {
			return t
		}
		if t.NumFields() == 0 {
			it, _ := inferJSONType(v, depth)
			return it
		}
		fields := slices.Clone(t.Fields())
		seen := map[string]bool{}
		jsonMembers(v, func(k string, val []byte) {
			if seen[k] {
				return // the first value counts, as in a record
			}
			seen[k] = true
			for i := range fields {
				if fields[i].Name == k {
					fields[i].Type = fillHoles(fields[i].Type, val, depth+1)
				}
			}
		})
		return arrow.StructOf(fields...)
	case *arrow.ListType:
		if v[0] != '[' {
			return t
		}
		elem := t.Elem()
		jsonElements(v, func(val []byte) { elem = fillHoles(elem, val, depth+1) })
		return arrow.ListOf(elem)
	}
	return t
}

// closeHoles makes text of the holes of t no sampled value filled; an
// object's stays an empty struct.
func closeHoles(t arrow.DataType) arrow.DataType {
	switch tt := t.(type) {
	case *arrow.NullType:
		return arrow.BinaryTypes.String
	case *arrow.StructType:
		if tt.NumFields() == 0 || !hasHole(tt) {
			return t
		}
		fields := slices.Clone(tt.Fields())
		for i := range fields {
			fields[i].Type = closeHoles(fields[i].Type)
		}
		return arrow.StructOf(fields...)
	case *arrow.ListType:
		if !hasHole(tt) {
			return t
		}
		return arrow.ListOf(closeHoles(tt.Elem()))
	}
	return t
}
