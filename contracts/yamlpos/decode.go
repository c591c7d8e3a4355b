package yamlpos

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Limits bound what a document may expand to. Real documents are far
// below both; alias bombs and self-containing merges are not.
type Limits struct {
	// Nodes is the most nodes after expanding aliases; Depth the deepest
	// nesting.
	Nodes, Depth int
	// What names the document in messages ("an ODCS contract").
	What string
}

// Document is a decoded YAML document: the plain tree a JSON Schema
// validator wants (nil, bool, int64, float64, json.Number for integers
// beyond int64, string, []any, map[string]any), plus the position of every
// value and every mapping key, by JSON pointer.
type Document struct {
	File string
	Root any
	Val  map[string]Pos
	Key  map[string]Pos
	// Lit holds the text of every number scalar, so callers can read
	// bounds exactly rather than through float64.
	Lit map[string]string

	lim   Limits
	nodes int
	stop  bool // a size limit was hit; convert no further
	errs  Errors
}

// ValPos is the position of the value at ptr.
func (d *Document) ValPos(ptr string) Pos { return d.Val[ptr] }

// KeyPos is the position of the key of the value at ptr, or of the value
// when it has no key (an array element, the root).
func (d *Document) KeyPos(ptr string) Pos {
	if p, ok := d.Key[ptr]; ok {
		return p
	}
	return d.Val[ptr]
}

// At makes an error at the value of ptr.
func (d *Document) At(ptr, format string, args ...any) *Error {
	p := d.Val[ptr]
	return &Error{File: d.File, Line: p.Line, Column: p.Column, Path: PathString(ptr), Msg: fmt.Sprintf(format, args...)}
}

// AtKey makes an error at the key of ptr.
func (d *Document) AtKey(ptr, format string, args ...any) *Error {
	p := d.KeyPos(ptr)
	return &Error{File: d.File, Line: p.Line, Column: p.Column, Path: PathString(ptr), Msg: fmt.Sprintf(format, args...)}
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// yamlError turns a yaml.v3 error into an Error, keeping the line the
// message names.
func yamlError(file string, err error) *Error {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{File: file, Line: line, Msg: "invalid YAML: " + m[2]}
	}
	return &Error{File: file, Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// Decode parses exactly one YAML document (JSON is a subset) whose root is
// a mapping. Every problem comes back positioned; Decode never panics.
func Decode(file string, data []byte, lim Limits) (d *Document, errs Errors) {
	defer func() {
		// yaml.v3 has panicked on malformed input in the past; a loader
		// must answer with an error, never crash the gate.
		if r := recover(); r != nil {
			d, errs = nil, Errors{{File: file, Msg: fmt.Sprintf("invalid YAML: %v", r)}}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var n yaml.Node
	if err := dec.Decode(&n); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, Errors{{File: file, Msg: "empty document; want " + lim.What}}
		}
		return nil, Errors{yamlError(file, err)}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, Errors{yamlError(file, err)}
		}
		return nil, Errors{{File: file, Line: extra.Line, Column: extra.Column,
			Msg: "several YAML documents in one file; want exactly one, " + lim.What}}
	}
	root := &n
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return nil, Errors{{File: file, Line: root.Line, Column: root.Column,
			Msg: fmt.Sprintf("document root is %s; want a mapping (%s)", kindName(root), lim.What)}}
	}
	d = &Document{File: file, Val: map[string]Pos{}, Key: map[string]Pos{}, Lit: map[string]string{}, lim: lim}
	d.Root = d.convert(root, "", 0)
	if len(d.errs) > 0 {
		d.errs.Sort()
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

func (d *Document) fail(n *yaml.Node, ptr, format string, args ...any) {
	d.errs = append(d.errs, &Error{File: d.File, Line: n.Line, Column: n.Column,
		Path: PathString(ptr), Msg: fmt.Sprintf(format, args...)})
}

// convert builds the plain value of n, recording positions under ptr. It
// stops descending after the first budget error so an alias bomb costs
// little.
func (d *Document) convert(n *yaml.Node, ptr string, depth int) any {
	if d.limited(n, ptr, depth) {
		return nil
	}
	if _, ok := d.Val[ptr]; !ok {
		d.Val[ptr] = Pos{Line: n.Line, Column: n.Column}
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
func (d *Document) limited(n *yaml.Node, ptr string, depth int) bool {
	if d.stop {
		return true
	}
	d.nodes++
	switch {
	case d.nodes > d.lim.Nodes:
		d.fail(n, ptr, "document too large (more than %d nodes after expanding aliases)", d.lim.Nodes)
	case depth > d.lim.Depth:
		d.fail(n, "", "document nested deeper than %d levels (an alias that contains itself?)", d.lim.Depth)
	default:
		return false
	}
	d.stop = true
	return true
}

// mapping adds the pairs of n to out. Explicit keys win over merged ones
// (<<), as YAML specifies; a key written twice is an error.
func (d *Document) mapping(n *yaml.Node, ptr string, depth int, out map[string]any, seen map[string]int) {
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
			d.fail(k, ptr+"/"+EscapeToken(key), "duplicate key %s (first at line %d)", key, first)
			continue
		}
		seen[key] = k.Line
		cp := ptr + "/" + EscapeToken(key)
		d.Key[cp] = Pos{Line: k.Line, Column: k.Column}
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
func (d *Document) scalar(n *yaml.Node, ptr string) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool", "!!int", "!!float":
		if n.ShortTag() != "!!bool" {
			d.Lit[ptr] = n.Value
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
