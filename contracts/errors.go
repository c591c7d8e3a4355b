package contracts

import (
	"fmt"
	"strings"
)

// ParseError is one problem at a position in a contract file: a YAML syntax
// error, a JSON Schema violation or a semantic (lint) problem.
type ParseError struct {
	File   string // the contract path as given
	Line   int    // 1-based; 0 when unknown
	Column int    // 1-based; 0 when unknown
	// Path is the JSON path of the offending node, for example
	// schema[0].properties[2].logicalType; empty for the whole document.
	Path string
	Msg  string
	// Severity is empty for an error (the contract cannot be used as it
	// is), or SeverityWarning or SeverityInfo for a lint finding that
	// leaves it usable.
	Severity string
}

// The severities of lint findings that are not errors.
const (
	SeverityWarning = "warning"
	SeverityInfo    = "info"
)

// IsError reports whether the problem makes the contract unusable.
func (e *ParseError) IsError() bool { return e.Severity == "" }

// Error renders the error as file:line:column: path: message, leaving out
// the parts that are unknown.
func (e *ParseError) Error() string {
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

// ParseErrors is returned when a document has several problems. Its Error
// lists them one per line; errors.As finds each *ParseError through Unwrap.
type ParseErrors []*ParseError

// Error joins the errors, one per line.
func (es ParseErrors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the individual errors, for errors.Is and errors.As.
func (es ParseErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// pathString renders a JSON pointer (/schema/0/properties/2/logicalType) as
// the dotted path users read (schema[0].properties[2].logicalType).
func pathString(ptr string) string {
	if ptr == "" || ptr == "/" {
		return ""
	}
	var b strings.Builder
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
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
