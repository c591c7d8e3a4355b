package project

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"gopkg.in/yaml.v3"
)

//go:embed schema.json
var schemaJSON []byte

// Schema returns the JSON Schema of driftgate.yaml, for `driftgate config
// schema` and editors. It returns a copy so callers cannot change the one
// Load validates with.
func Schema() []byte { return bytes.Clone(schemaJSON) }

const schemaURL = "https://driftgate.dev/schema/driftgate-config.json"

// compiled compiles the embedded schema once; the compiled schema is
// immutable and safe to share between goroutines.
var compiled = sync.OnceValues(func() (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	if err := c.AddResource(schemaURL, bytes.NewReader(schemaJSON)); err != nil {
		return nil, fmt.Errorf("load embedded config schema: %w", err)
	}
	s, err := c.Compile(schemaURL)
	if err != nil {
		return nil, fmt.Errorf("compile embedded config schema: %w", err)
	}
	return s, nil
})

// Error is one problem at a position in a config file.
type Error struct {
	File         string
	Line, Column int // 1-based; 0 when unknown
	// Path is the JSON path of the offending value, such as
	// datasets[1].drift.psi; empty for the whole file.
	Path string
	Msg  string
}

// Error renders file:line:column: path: message, leaving out unknown parts.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem of one file, sorted by position. errors.As finds
// each *Error through Unwrap.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the individual errors.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// ErrNotFound is wrapped when the config file does not exist, so the CLI
// can suggest driftgate init.
var ErrNotFound = errors.New("config file not found")

// maxSize bounds the file read; a real config is a few kilobytes, and the
// bound keeps an alias bomb or a mistaken path from eating the machine.
const maxSize = 4 << 20

// Load reads, validates and decodes a config file. Problems with its
// content come back as Errors.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read config %q: %w", path, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("read config %q: %w", path, err)
	}
	return Parse(path, data)
}

// Parse validates and decodes a config from bytes; path names the file in
// errors and anchors relative paths.
func Parse(path string, data []byte) (cfg *Config, err error) {
	defer func() {
		// yaml.v3 has panicked on malformed input before; a config loader
		// answers with an error, never a crash.
		if r := recover(); r != nil {
			cfg, err = nil, Errors{{File: path, Msg: fmt.Sprintf("invalid YAML: %v", r)}}
		}
	}()
	if len(data) > maxSize {
		return nil, Errors{{File: path, Msg: fmt.Sprintf("file is %d bytes; a config is at most %d", len(data), maxSize)}}
	}
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, Errors{{File: path, Msg: "empty file; run driftgate init to write one"}}
		}
		return nil, Errors{yamlError(path, err)}
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, Errors{{File: path, Line: extra.Line, Msg: "more than one YAML document; a config is one"}}
	}
	t := &tree{file: path, pos: map[string]Pos{}}
	doc, err := t.convert(&root, "", 0)
	if err != nil {
		return nil, err
	}
	s, err := compiled()
	if err != nil {
		return nil, err
	}
	if err := s.Validate(doc); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return nil, fmt.Errorf("validate config %q: %w", path, err)
		}
		return nil, t.schemaErrors(ve)
	}
	cfg = &Config{}
	if err := root.Decode(cfg); err != nil {
		// The schema admits only what the struct holds, so this means the
		// two disagree: a bug, reported rather than hidden.
		return nil, fmt.Errorf("decode config %q: %w", path, err)
	}
	cfg.Path = path
	cfg.Dir = filepath.Dir(path)
	cfg.pos = t.pos
	for i := range cfg.Datasets {
		cfg.Datasets[i].index = i
	}
	if errs := cfg.check(); len(errs) > 0 {
		return nil, errs
	}
	return cfg, nil
}

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

func yamlError(file string, err error) *Error {
	msg := err.Error()
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{File: file, Line: line, Msg: "invalid YAML: " + m[2]}
	}
	return &Error{File: file, Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// tree converts a YAML node into the plain values the JSON Schema
// validator wants, remembering where each value is.
type tree struct {
	file  string
	pos   map[string]Pos
	nodes int
}

const (
	maxNodes = 1 << 16
	maxDepth = 64
)

func (t *tree) convert(n *yaml.Node, ptr string, depth int) (any, error) {
	t.nodes++
	if t.nodes > maxNodes || depth > maxDepth {
		return nil, Errors{{File: t.file, Line: n.Line, Column: n.Column, Msg: "document too large or too deeply nested"}}
	}
	t.pos[ptr] = Pos{n.Line, n.Column}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return t.convert(n.Content[0], ptr, depth+1)
	case yaml.AliasNode:
		return t.convert(n.Alias, ptr, depth+1)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return nil, Errors{{File: t.file, Line: k.Line, Column: k.Column, Path: pathString(ptr), Msg: "a key must be a plain string"}}
			}
			if k.Value == "<<" {
				return nil, Errors{{File: t.file, Line: k.Line, Column: k.Column, Path: pathString(ptr), Msg: "merge keys (<<) are not supported"}}
			}
			child := ptr + "/" + escapeToken(k.Value)
			if _, dup := m[k.Value]; dup {
				return nil, Errors{{File: t.file, Line: k.Line, Column: k.Column, Path: pathString(child), Msg: "duplicate key " + k.Value}}
			}
			val, err := t.convert(v, child, depth+1)
			if err != nil {
				return nil, err
			}
			m[k.Value] = val
			t.pos[child+"#key"] = Pos{k.Line, k.Column}
		}
		return m, nil
	case yaml.SequenceNode:
		a := make([]any, len(n.Content))
		for i, c := range n.Content {
			val, err := t.convert(c, ptr+"/"+strconv.Itoa(i), depth+1)
			if err != nil {
				return nil, err
			}
			a[i] = val
		}
		return a, nil
	}
	return scalar(n), nil
}

// scalar decodes a scalar the way yaml.v3 would into an interface, with
// numbers as json.Number so the validator compares them exactly.
func scalar(n *yaml.Node) any {
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if n.Decode(&b) == nil {
			return b
		}
	case "!!int", "!!float":
		var f float64
		if n.Decode(&f) == nil {
			if n.ShortTag() == "!!int" {
				var i int64
				if n.Decode(&i) == nil {
					return json.Number(strconv.FormatInt(i, 10))
				}
			}
			return json.Number(strconv.FormatFloat(f, 'g', -1, 64))
		}
	}
	return n.Value
}

func escapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

func unescapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}

// pathString turns /datasets/0/drift/psi into datasets[0].drift.psi.
func pathString(ptr string) string {
	if ptr == "" {
		return ""
	}
	var b strings.Builder
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		if _, err := strconv.Atoi(tok); err == nil {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(unescapeToken(tok))
	}
	return b.String()
}

// schemaErrors turns the validator's error tree into one positioned error
// per problem. Under oneOf/anyOf only the branch that got deepest is kept,
// which is the one the author meant.
func (t *tree) schemaErrors(ve *jsonschema.ValidationError) Errors {
	var out Errors
	seen := map[string]bool{}
	for _, leaf := range leaves(ve) {
		e := &Error{File: t.file, Path: pathString(leaf.InstanceLocation), Msg: message(leaf)}
		p := t.pos[leaf.InstanceLocation]
		kw := leaf.KeywordLocation[strings.LastIndex(leaf.KeywordLocation, "/")+1:]
		if strings.Contains(leaf.KeywordLocation, "/propertyNames/") {
			// The instance is the key itself; point at it.
			key := unescapeToken(leaf.InstanceLocation[strings.LastIndex(leaf.InstanceLocation, "/")+1:])
			if kp, ok := t.pos[leaf.InstanceLocation+"#key"]; ok {
				e.Line, e.Column = kp.Line, kp.Column
			}
			e.Msg = fmt.Sprintf("%q is not a rule ID (SCREAMING_SNAKE_CASE, see driftgate rules)", key)
			if k := e.Path + e.Msg; !seen[k] {
				seen[k] = true
				out = append(out, e)
			}
			continue
		}
		if kw == "additionalProperties" {
			// Point at the unknown key itself, not at its parent.
			for _, k := range unknownKeys(leaf.Message) {
				child := leaf.InstanceLocation + "/" + escapeToken(k)
				ke := *e
				ke.Path = pathString(child)
				if kp, ok := t.pos[child+"#key"]; ok {
					ke.Line, ke.Column = kp.Line, kp.Column
				} else {
					ke.Line, ke.Column = p.Line, p.Column
				}
				ke.Msg = "unknown field " + k
				if key := ke.Path + ke.Msg; !seen[key] {
					seen[key] = true
					out = append(out, &ke)
				}
			}
			if len(unknownKeys(leaf.Message)) > 0 {
				continue
			}
		}
		e.Line, e.Column = p.Line, p.Column
		if key := e.Path + e.Msg; !seen[key] {
			seen[key] = true
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Line != out[j].Line {
			return out[i].Line < out[j].Line
		}
		return out[i].Column < out[j].Column
	})
	return out
}

func leaves(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	kw := e.KeywordLocation[strings.LastIndex(e.KeywordLocation, "/")+1:]
	if kw == "oneOf" || kw == "anyOf" {
		best, depth := e.Causes[0], -1
		for _, c := range e.Causes {
			if d := strings.Count(c.InstanceLocation, "/"); d > depth {
				best, depth = c, d
			}
		}
		return leaves(best)
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, leaves(c)...)
	}
	return out
}

var quotedRE = regexp.MustCompile(`'([^']*)'`)

// unknownKeys extracts the property names from jsonschema v5's
// "additionalProperties 'a', 'b' not allowed" and "invalid propertyName
// 'x'" messages. The library offers them only in the message.
func unknownKeys(msg string) []string {
	var ks []string
	for _, m := range quotedRE.FindAllStringSubmatch(msg, -1) {
		ks = append(ks, m[1])
	}
	return ks
}

// message rewrites the library's messages where they are unclear to a
// person editing YAML.
func message(e *jsonschema.ValidationError) string {
	msg := e.Message
	switch {
	case strings.HasPrefix(msg, "missing properties: "):
		return "missing required field " + strings.ReplaceAll(strings.TrimPrefix(msg, "missing properties: "), "'", "")
	case strings.HasPrefix(msg, "value must be one of "):
		return "want one of " + strings.ReplaceAll(strings.TrimPrefix(msg, "value must be one of "), `"`, "")
	case strings.HasPrefix(msg, "value must be "):
		return "want " + strings.Trim(strings.TrimPrefix(msg, "value must be "), `"`)
	}
	return msg
}

// check finds what the schema cannot express: duplicate dataset names and
// impossible dates.
func (c *Config) check() Errors {
	var errs Errors
	at := func(ptr, msg string) {
		p := c.pos[ptr]
		errs = append(errs, &Error{File: c.Path, Line: p.Line, Column: p.Column, Path: pathString(ptr), Msg: msg})
	}
	seen := map[string]int{}
	for i, d := range c.Datasets {
		ptr := "/datasets/" + strconv.Itoa(i)
		if j, dup := seen[d.Name]; dup {
			at(ptr+"/name", fmt.Sprintf("dataset %q is already declared at line %d", d.Name, c.pos["/datasets/"+strconv.Itoa(j)+"/name"].Line))
		} else {
			seen[d.Name] = i
		}
		for k, e := range d.Exceptions {
			if e.Until == "" {
				continue
			}
			if _, err := time.Parse(time.DateOnly, e.Until); err != nil {
				at(fmt.Sprintf("%s/exceptions/%d/until", ptr, k), fmt.Sprintf("%q is not a date", e.Until))
			}
		}
		for _, p := range d.Data {
			if _, err := parsePattern(p); err != nil {
				at(ptr+"/data", err.Error())
			}
		}
	}
	seenReport := false
	for i, r := range c.Reports {
		if r.Path == "" {
			if seenReport {
				at("/reports/"+strconv.Itoa(i), "only one report may go to stdout; give this one a path")
			}
			seenReport = true
		}
	}
	return errs
}

// CheckRules reports every rule ID in severity overrides and exceptions
// that known does not recognise, at its line: a typo there would silently
// override nothing.
func (c *Config) CheckRules(known func(id string) bool) error {
	var errs Errors
	for i := range c.Datasets {
		d := &c.Datasets[i]
		ptr := "/datasets/" + strconv.Itoa(i)
		ids := make([]string, 0, len(d.Severity))
		for id := range d.Severity {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			if !known(id) {
				p := c.pos[ptr+"/severity/"+escapeToken(id)+"#key"]
				errs = append(errs, &Error{File: c.Path, Line: p.Line, Column: p.Column, Path: pathString(ptr + "/severity/" + escapeToken(id)), Msg: fmt.Sprintf("no rule %s (see driftgate rules and driftgate diff --rules)", id)})
			}
		}
		for k, e := range d.Exceptions {
			if !known(e.Rule) {
				q := fmt.Sprintf("%s/exceptions/%d/rule", ptr, k)
				p := c.pos[q]
				errs = append(errs, &Error{File: c.Path, Line: p.Line, Column: p.Column, Path: pathString(q), Msg: fmt.Sprintf("no rule %s (see driftgate rules and driftgate diff --rules)", e.Rule)})
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}
