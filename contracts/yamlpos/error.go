// Package yamlpos reads YAML documents that a JSON Schema validates and
// reports every problem as file:line:column: path: message. It is the one
// loader of contracts (package contracts) and of driftgate.yaml (package
// checker/project): the plain tree the validator wants, the position of
// every value and key by JSON pointer, the size limits that keep a hostile
// file from eating the machine, and the rendering of the validator's error
// tree into one readable, positioned error per problem.
package yamlpos

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Pos is a 1-based position in a file; zero when unknown.
type Pos struct {
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
}

// Error is one problem at a position in a file: a YAML syntax error, a
// JSON Schema violation or a semantic problem found later.
type Error struct {
	File   string // the path as given
	Line   int    // 1-based; 0 when unknown
	Column int    // 1-based; 0 when unknown
	// Path is the JSON path of the offending node, for example
	// schema[0].properties[2].logicalType; empty for the whole document.
	Path string
	Msg  string
	// Severity is empty for an error (the document cannot be used as it
	// is), or SeverityWarning or SeverityInfo for a finding that leaves it
	// usable.
	Severity string
	// Rule is the stable ID of the kind of problem (for contracts, one of
	// contracts.LintRules), empty when the caller did not classify it.
	// Error leaves it out; reports print it.
	Rule string
}

// The severities of problems that are not errors.
const (
	SeverityWarning = "warning"
	SeverityInfo    = "info"
)

// IsError reports whether the problem makes the document unusable.
func (e *Error) IsError() bool { return e.Severity == "" }

// Error renders the error as file:line:column: path: message, leaving out
// the parts that are unknown.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Column > 0 {
			fmt.Fprintf(&b, ":%d", e.Column)
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Severity != "" {
		b.WriteString(e.Severity)
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Classify sets rule on every error that has none and returns es.
func (es Errors) Classify(rule string) Errors {
	for _, e := range es {
		if e.Rule == "" {
			e.Rule = rule
		}
	}
	return es
}

// Errors is every problem of a document. Its Error lists them one per
// line; errors.As finds each *Error through Unwrap.
type Errors []*Error

// Error joins the errors, one per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the individual errors, for errors.Is and errors.As.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// Err returns nil for no errors, the single error itself for one (so
// callers that expect one *Error see one), or the list.
func (es Errors) Err() error {
	switch len(es) {
	case 0:
		return nil
	case 1:
		return es[0]
	}
	return es
}

// Sort orders errors by position, then path.
func (es Errors) Sort() {
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

// PathString renders a JSON pointer (/schema/0/properties/2/logicalType)
// as the dotted path people read (schema[0].properties[2].logicalType).
func PathString(ptr string) string {
	if ptr == "" || ptr == "/" {
		return ""
	}
	var b strings.Builder
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = UnescapeToken(tok)
		if isIndex(tok) {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// EscapeToken escapes a key for use in a JSON pointer.
func EscapeToken(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// UnescapeToken undoes EscapeToken.
func UnescapeToken(tok string) string {
	return strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
}

// LastToken is the last token of a JSON pointer, still escaped.
func LastToken(ptr string) string {
	return ptr[strings.LastIndex(ptr, "/")+1:]
}

// ParentPtr is the pointer of the node that contains ptr.
func ParentPtr(ptr string) string {
	if i := strings.LastIndex(ptr, "/"); i >= 0 {
		return ptr[:i]
	}
	return ""
}

// Lookup resolves a JSON pointer in a decoded tree; nil when absent.
func Lookup(root any, ptr string) any {
	cur := root
	if ptr == "" {
		return cur
	}
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = UnescapeToken(tok)
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
