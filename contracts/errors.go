package contracts

import "github.com/driftgate/driftgate/contracts/yamlpos"

// ParseError is one problem at a position in a contract file: a YAML syntax
// error, a JSON Schema violation or a semantic (lint) problem. It is the
// one positioned error of driftgate (yamlpos.Error): driftgate.yaml's
// problems are the same type.
type ParseError = yamlpos.Error

// ParseErrors is returned when a document has several problems. Its Error
// lists them one per line; errors.As finds each *ParseError through Unwrap.
type ParseErrors = yamlpos.Errors

// The severities of lint findings that are not errors.
const (
	SeverityWarning = yamlpos.SeverityWarning
	SeverityInfo    = yamlpos.SeverityInfo
)

// pathString renders a JSON pointer as the dotted path users read.
func pathString(ptr string) string { return yamlpos.PathString(ptr) }
