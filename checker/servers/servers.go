// Package servers turns a contract's servers entry into what driftgate
// reads: the data locations and the reader options the entry declares. It
// is how `driftgate check -c C` with no data arguments finds the data, as
// datacontract-cli's `datacontract test` does.
//
// Each server type is one resolver in Resolve's switch. File-based types
// (local) and object stores (s3, gcs, azure) resolve to locations; the SQL
// types are added by their own readers, and until then a contract naming
// one fails clearly.
package servers

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/checker/source/objstore"
	"github.com/driftgate/driftgate/contracts"
)

// Target is what one server entry says to read.
type Target struct {
	Server *contracts.Server
	// Locations are what to expand into files, as DATA arguments are:
	// paths, directories and globs for a local server. Relative paths are
	// relative to the working directory, as datacontract-cli resolves them
	// (it hands them to DuckDB unchanged).
	Locations []string
	// Format is the declared file format; files whose extension names no
	// format are read as it.
	Format source.Format
	// CSVDelimiter is the declared CSV delimiter, 0 when not declared.
	CSVDelimiter rune
	// JSONLayout is how the declared JSON records are delimited.
	JSONLayout source.JSONLayout
	// S3Endpoint is an S3-compatible endpoint (endpointUrl), read with
	// path-style addressing; empty means AWS or AWS_ENDPOINT_URL_S3.
	S3Endpoint string
}

// Resolve picks the server (the one given by name, or the only one) and
// resolves it for the schema object schemaName (which fills a {model}
// placeholder in the path, as datacontract-cli does). Every error is a
// problem with the contract or the command line (exit 2): an unknown
// server name lists the names the contract has, a server type driftgate
// cannot read yet is named, a missing or malformed key points at its line.
func Resolve(c *contracts.Contract, name, schemaName string) (*Target, error) {
	s, err := c.SelectServer(name)
	if err != nil {
		return nil, err
	}
	t := &Target{Server: s}
	switch s.Type {
	case "local":
		err = t.local(c, schemaName)
	case "s3", "gcs", "azure":
		err = t.objectStore(c, schemaName)
	default:
		err = t.errorf(c, "type", "server %q has type %q, which driftgate cannot read yet (it reads types local, s3, gcs and azure; SQL engines come with their own readers)", s.Name, s.Type)
	}
	if err != nil {
		return nil, err
	}
	return t, nil
}

func (t *Target) local(c *contracts.Contract, schemaName string) error {
	s := t.Server
	if s.Path == "" {
		return t.errorf(c, "", "server %q (type local) has no path", s.Name)
	}
	if err := t.format(c); err != nil {
		return err
	}
	t.Locations = []string{strings.ReplaceAll(s.Path, "{model}", schemaName)}
	return nil
}

// objectStore resolves a server of type s3, gcs or azure: its location (an
// object, a prefix or a glob, with {model}), format and delimiter, and for
// s3 an endpointUrl.
func (t *Target) objectStore(c *contracts.Contract, schemaName string) error {
	s := t.Server
	if s.Location == "" {
		return t.errorf(c, "", "server %q (type %s) has no location", s.Name, s.Type)
	}
	loc, err := objstore.Parse(s.Location)
	want := map[string]objstore.Scheme{"s3": objstore.S3, "gcs": objstore.GCS, "azure": objstore.Azure}[s.Type]
	switch {
	case err != nil:
		return t.errorf(c, "location", "server %q: %v", s.Name, err)
	case loc.Scheme != want:
		return t.errorf(c, "location", "server %q has type %s, and its location %q is not a %s:// URL", s.Name, s.Type, s.Location, want)
	}
	if err := t.format(c); err != nil {
		return err
	}
	if s.EndpointURL != "" {
		if s.Type != "s3" {
			return t.errorf(c, "endpointUrl", "server %q: endpointUrl is for type s3 (an S3-compatible store)", s.Name)
		}
		t.S3Endpoint = s.EndpointURL
	}
	t.Locations = []string{strings.ReplaceAll(s.Location, "{model}", schemaName)}
	return nil
}

// format reads format and delimiter, which every file-based type shares.
func (t *Target) format(c *contracts.Contract) error {
	s := t.Server
	switch strings.ToLower(s.Format) {
	case "":
	case "parquet":
		t.Format = source.Parquet
	case "csv":
		t.Format = source.CSV
	case "json":
		t.Format = source.JSON
	case "delta":
		return t.errorf(c, "format", "server %q: format delta is not supported yet (a Delta table's log decides which Parquet files are live, and driftgate does not read it); point a server of format parquet at the files, or give them as arguments", s.Name)
	default:
		return t.errorf(c, "format", "server %q: format %q is not one driftgate reads; want parquet, csv or json", s.Name, s.Format)
	}
	if s.Delimiter == "" {
		return nil
	}
	switch t.Format {
	case source.JSON:
		switch s.Delimiter {
		case "new_line":
			t.JSONLayout = source.JSONLines
		case "array":
			t.JSONLayout = source.JSONArray
		default:
			return t.errorf(c, "delimiter", "server %q: JSON delimiter %q; want new_line or array", s.Name, s.Delimiter)
		}
	case source.Parquet:
		// Meaningless for Parquet; datacontract-cli ignores it too.
	default:
		d := s.Delimiter
		if d == `\t` || d == "tab" {
			d = "\t"
		}
		if utf8.RuneCountInString(d) != 1 {
			return t.errorf(c, "delimiter", "server %q: CSV delimiter %q; want one character", s.Name, s.Delimiter)
		}
		t.CSVDelimiter, _ = utf8.DecodeRuneInString(d)
	}
	return nil
}

// Apply sets the reader options the server declares; options the command
// line set explicitly (csvDelimiterSet) win.
func (t *Target) Apply(opts *source.Options, csvDelimiterSet bool) {
	if t.Format != "" {
		opts.Format = t.Format
	}
	if t.CSVDelimiter != 0 && !csvDelimiterSet {
		opts.CSV.Delimiter = t.CSVDelimiter
	}
	if t.JSONLayout != "" {
		opts.JSON.Layout = t.JSONLayout
	}
	if t.S3Endpoint != "" {
		opts.Remote = objstore.New(objstore.Config{S3Endpoint: t.S3Endpoint})
	}
}

func (t *Target) errorf(c *contracts.Contract, key, format string, args ...any) error {
	pos := t.Server.Pos
	if key != "" {
		pos = t.Server.PosOf(key)
	}
	return &contracts.ParseError{File: c.Path, Line: pos.Line, Column: pos.Column, Msg: fmt.Sprintf(format, args...)}
}

// Data decides what a command reads: the DATA arguments when there are
// any, else the locations of the contract's server (the one called server,
// or the only one). A server named explicitly also sets its reader options
// when arguments override its locations. schema is the schema object being
// checked ("" when the contract has only one), for {model} in a path. The
// Target is nil when no server is involved.
func Data(c *contracts.Contract, server, schema string, args []string) (*Target, []string, error) {
	if len(args) > 0 && server == "" {
		return nil, args, nil
	}
	if schema == "" && len(c.Schemas) == 1 {
		schema = c.Schemas[0].Name
	}
	if len(args) == 0 && len(c.Servers) == 0 {
		return nil, nil, &contracts.ServerNotFoundError{File: c.Path, Want: server}
	}
	t, err := Resolve(c, server, schema)
	if err != nil {
		return nil, nil, err
	}
	if len(args) > 0 {
		return t, args, nil
	}
	for _, l := range t.Locations {
		if strings.Contains(t.Server.Path, "{model}") && schema == "" {
			return nil, nil, t.errorf(c, "path", "server %q: path %q names {model}, and the contract has %d schema objects; choose one with --schema", t.Server.Name, l, len(c.Schemas))
		}
	}
	return t, t.Locations, nil
}
