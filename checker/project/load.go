package project

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"gopkg.in/yaml.v3"

	"github.com/driftgate/driftgate/checker/drift"
	"github.com/driftgate/driftgate/contracts/yamlpos"
)

// schemaJSON is the JSON Schema of driftgate.yaml without the drift
// thresholds, which schema adds from drift.Settings: the table that the
// driftgate.drift.* customProperties and --threshold read too, so the
// three accept the same values.
//
//go:embed schema.json
var schemaJSON []byte

var schema = sync.OnceValues(func() ([]byte, error) {
	var doc map[string]any
	if err := json.Unmarshal(schemaJSON, &doc); err != nil {
		return nil, fmt.Errorf("embedded config schema: %w", err)
	}
	props, ok := yamlpos.Lookup(doc, "/$defs/dataset/properties/drift/properties").(map[string]any)
	if !ok {
		return nil, errors.New("embedded config schema: no drift properties")
	}
	for _, s := range drift.Settings() {
		if s.Threshold() {
			props[s.Key] = s.JSONSchema()
		}
	}
	return json.MarshalIndent(doc, "", "  ")
})

// Schema returns the JSON Schema of driftgate.yaml, for `driftgate config
// schema` and editors: a copy, so callers cannot change the one Load
// validates with.
func Schema() ([]byte, error) {
	b, err := schema()
	return bytes.Clone(b), err
}

const schemaURL = "https://driftgate.dev/schema/driftgate-config.json"

// compiled compiles the embedded schema once; the compiled schema is
// immutable and safe to share between goroutines.
var compiled = sync.OnceValues(func() (*yamlpos.Schema, error) {
	data, err := schema()
	if err != nil {
		return nil, err
	}
	s, err := yamlpos.Compile(schemaURL, data, jsonschema.Draft2020)
	if err != nil {
		return nil, fmt.Errorf("embedded config schema: %w", err)
	}
	s.Explain = explain
	return s, nil
})

// explain names what a bad key of a severity map is: a rule ID.
func explain(_ *yamlpos.Schema, d *yamlpos.Document, e *jsonschema.ValidationError, pe *Error) {
	if !strings.Contains(e.KeywordLocation, "/propertyNames/") {
		return
	}
	key := yamlpos.UnescapeToken(yamlpos.LastToken(e.InstanceLocation))
	p := d.KeyPos(e.InstanceLocation)
	pe.Line, pe.Column = p.Line, p.Column
	pe.Msg = fmt.Sprintf("%q is not a rule ID (SCREAMING_SNAKE_CASE, see driftgate rules)", key)
}

// Error is one problem at a position in a config file: driftgate's one
// positioned error, as for contracts.
type Error = yamlpos.Error

// Errors is every problem of one file, sorted by position. errors.As finds
// each *Error through Unwrap.
type Errors = yamlpos.Errors

// Pos is a 1-based position in the config file.
type Pos = yamlpos.Pos

// ErrNotFound is wrapped when the config file does not exist, so the CLI
// can suggest driftgate init.
var ErrNotFound = errors.New("config file not found")

// Limits of the file: a real config is a few kilobytes, and the bounds
// keep an alias bomb or a mistaken path from eating the machine.
const (
	maxSize  = 4 << 20
	maxNodes = 1 << 16
	maxDepth = 64
)

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
func Parse(path string, data []byte) (*Config, error) {
	if len(data) > maxSize {
		return nil, Errors{{File: path, Msg: fmt.Sprintf("file is %d bytes; a config is at most %d", len(data), maxSize)}}
	}
	doc, errs := yamlpos.Decode(path, data, yamlpos.Limits{Nodes: maxNodes, Depth: maxDepth, What: "a driftgate.yaml (run driftgate init to write one)"})
	if len(errs) > 0 {
		return nil, errs
	}
	s, err := compiled()
	if err != nil {
		return nil, err
	}
	if errs := s.Validate(doc); len(errs) > 0 {
		return nil, errs
	}
	// The schema admits only what the struct holds, so an error here
	// means the two disagree: a bug, reported rather than hidden.
	cfg := &Config{}
	if err := yaml.Unmarshal(data, cfg); err != nil {
		return nil, fmt.Errorf("decode config %q: %w", path, err)
	}
	cfg.Path = path
	cfg.Dir = filepath.Dir(path)
	cfg.doc = doc
	for i := range cfg.Datasets {
		cfg.Datasets[i].index = i
	}
	if errs := cfg.check(); len(errs) > 0 {
		return nil, errs
	}
	return cfg, nil
}

// check finds what the schema cannot express: duplicate dataset names and
// impossible dates.
func (c *Config) check() Errors {
	var errs Errors
	at := func(ptr, msg string) { errs = append(errs, c.doc.At(ptr, "%s", msg)) }
	seen := map[string]int{}
	for i, d := range c.Datasets {
		ptr := "/datasets/" + strconv.Itoa(i)
		if j, dup := seen[d.Name]; dup {
			at(ptr+"/name", fmt.Sprintf("dataset %q is already declared at line %d", d.Name, c.doc.ValPos("/datasets/"+strconv.Itoa(j)+"/name").Line))
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
				errs = append(errs, c.doc.AtKey(ptr+"/severity/"+yamlpos.EscapeToken(id), "no rule %s (see driftgate rules and driftgate diff --rules)", id))
			}
		}
		for k, e := range d.Exceptions {
			if !known(e.Rule) {
				errs = append(errs, c.doc.At(fmt.Sprintf("%s/exceptions/%d/rule", ptr, k), "no rule %s (see driftgate rules and driftgate diff --rules)", e.Rule))
			}
		}
	}
	if len(errs) == 0 {
		return nil
	}
	return errs
}
