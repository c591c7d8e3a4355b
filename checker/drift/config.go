package drift

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/contracts"
)

// Thresholds decide drift. Effect sizes decide; p-values only guard small
// samples, because with thousands of rows every p-value is tiny.
type Thresholds struct {
	// PSI is the population stability index on baseline deciles at which
	// a numeric column drifts (0.1 is a moderate shift, 0.2 a
	// significant one, by the industry rule of thumb).
	PSI float64
	// Wasserstein is the Wasserstein-1 distance divided by the baseline's
	// standard deviation at which a numeric column drifts (Evidently's
	// default 0.1: a tenth of a standard deviation of mass moved).
	Wasserstein float64
	// JensenShannon is the Jensen-Shannon distance (base 2, 0..1) of
	// category frequencies at which a categorical column drifts.
	JensenShannon float64
	// NewValues is the share of current values that are new (or of
	// baseline values that vanished) at which a categorical column drifts.
	NewValues float64
	// NullRate is the change of the null rate, as a fraction (0.05 = 5
	// percentage points), at which a column drifts.
	NullRate float64
	// Format is the Jensen-Shannon distance of value-shape frequencies at
	// which a column drifts.
	Format float64
	// RowCount is the relative change of the row count from the
	// baseline's rows per batch at which the batch drifts.
	RowCount float64
	// Alpha is the false discovery rate of the Benjamini-Hochberg
	// procedure over every test of the run.
	Alpha float64
	// MinRows is the fewest non-null values on each side for a
	// distribution, category or format test to run.
	MinRows int64
}

// Defaults are the thresholds used when nothing else is set.
func Defaults() Thresholds {
	return Thresholds{PSI: 0.2, Wasserstein: 0.1, JensenShannon: 0.1, NewValues: 0.01, NullRate: 0.05, Format: 0.2, RowCount: 0.5, Alpha: 0.01, MinRows: 30}
}

// ColumnConfig is the resolved configuration of one column.
type ColumnConfig struct {
	Thresholds
	// Exclude skips the column (ids, load dates, constant-per-year
	// fields).
	Exclude bool
	// Temporal enables distribution tests on a date or timestamp column;
	// off by default because such columns move with time by design.
	Temporal bool
	// Severity overrides every drift rule's default severity.
	Severity report.Severity
	// Location is the contract node that declares the column.
	Location *report.Location
}

// Config is what Compare needs besides the two profiles.
type Config struct {
	// Schema names the schema object in findings.
	Schema string
	// Default applies to every column without its own settings, and to
	// the row count.
	Default ColumnConfig
	// Columns holds per-column settings by data name.
	Columns map[string]ColumnConfig
}

// For returns the configuration of a column.
func (c *Config) For(column string) ColumnConfig {
	if cc, ok := c.Columns[column]; ok {
		return cc
	}
	return c.Default
}

// The customProperties keys driftgate reads, on a schema object (all its
// columns) or on a property (that column), start with keyPrefix.
const keyPrefix = "driftgate.drift."

// Setting is one drift setting: a driftgate.drift.* customProperty, and,
// for a threshold, also a --threshold KEY=VALUE flag and a key of
// driftgate.yaml's drift block. The table in Settings is the one
// description of each: its bounds are what all three accept, and the
// config's JSON Schema is generated from it.
type Setting struct {
	Key string
	Doc string
	// Kind is number, integer, boolean or severity.
	Kind string
	// A number or integer must be above Min (at or above, when
	// MinInclusive) and at most Max.
	Min, Max     float64
	MinInclusive bool
	set          func(cc *ColumnConfig, v any)
	get          func(cc ColumnConfig) any
}

// Default is the value the setting has when nothing sets it.
func (s Setting) Default() string {
	switch v := s.get(ColumnConfig{Thresholds: Defaults()}).(type) {
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case report.Severity:
		if v == "" {
			return "the rule's"
		}
		return string(v)
	default:
		return fmt.Sprint(v)
	}
}

// Accepts says in words which values the setting takes.
func (s Setting) Accepts() string {
	switch s.Kind {
	case "number", "integer":
		what, rel := "a number", "above"
		if s.Kind == "integer" {
			what = "an integer"
		}
		if s.MinInclusive {
			rel = "from"
		}
		return fmt.Sprintf("%s %s %g up to %g", what, rel, s.Min, s.Max)
	case "boolean":
		return "true or false"
	}
	return "error, warning or info"
}

// Threshold reports whether the setting is a number (a flag and a
// driftgate.yaml key as well as a customProperty).
func (s Setting) Threshold() bool { return s.Kind == "number" || s.Kind == "integer" }

// Settings lists every drift setting, in documentation order.
func Settings() []Setting {
	// num gives a threshold both accessors from the field's address.
	num := func(s Setting, field func(*Thresholds) *float64) Setting {
		s.Kind = "number"
		s.set = func(cc *ColumnConfig, v any) { *field(&cc.Thresholds) = v.(float64) }
		s.get = func(cc ColumnConfig) any { return *field(&cc.Thresholds) }
		return s
	}
	return []Setting{
		num(Setting{Key: "psi", Max: 100, Doc: "Population stability index on baseline deciles at which a numeric column drifts."}, func(t *Thresholds) *float64 { return &t.PSI }),
		num(Setting{Key: "wasserstein", Max: 100, Doc: "Wasserstein distance over the baseline's standard deviation at which a numeric column drifts."}, func(t *Thresholds) *float64 { return &t.Wasserstein }),
		num(Setting{Key: "jensenShannon", Max: 1, Doc: "Jensen-Shannon distance (0..1) of category frequencies at which a categorical column drifts."}, func(t *Thresholds) *float64 { return &t.JensenShannon }),
		num(Setting{Key: "newValues", Max: 1, Doc: "Share of new (or vanished) values at which a categorical column drifts."}, func(t *Thresholds) *float64 { return &t.NewValues }),
		num(Setting{Key: "nullRate", Max: 1, Doc: "Change of the null rate (0.05 = 5 percentage points) at which a column drifts."}, func(t *Thresholds) *float64 { return &t.NullRate }),
		num(Setting{Key: "format", Max: 1, Doc: "Jensen-Shannon distance of value shapes at which a column drifts."}, func(t *Thresholds) *float64 { return &t.Format }),
		num(Setting{Key: "rowCount", Max: 1e6, Doc: "Relative change of the row count from the baseline's rows per batch at which the batch drifts."}, func(t *Thresholds) *float64 { return &t.RowCount }),
		num(Setting{Key: "alpha", Max: 1, Doc: "False discovery rate across every test of the run."}, func(t *Thresholds) *float64 { return &t.Alpha }),
		{Key: "minRows", Kind: "integer", Min: 1, MinInclusive: true, Max: 1e12, Doc: "Fewest non-null values on each side for a distribution, category or format test to run.",
			set: func(cc *ColumnConfig, v any) { cc.MinRows = int64(v.(float64)) },
			get: func(cc ColumnConfig) any { return cc.MinRows }},
		{Key: "exclude", Kind: "boolean", Doc: "Leave the column out of drift (ids, load dates).",
			set: func(cc *ColumnConfig, v any) { cc.Exclude = v.(bool) },
			get: func(cc ColumnConfig) any { return cc.Exclude }},
		{Key: "temporal", Kind: "boolean", Doc: "Test the distribution of a date or timestamp column, which moves with time by design.",
			set: func(cc *ColumnConfig, v any) { cc.Temporal = v.(bool) },
			get: func(cc ColumnConfig) any { return cc.Temporal }},
		{Key: "severity", Kind: "severity", Doc: "Severity of every drift finding of the column: error, warning or info.",
			set: func(cc *ColumnConfig, v any) { cc.Severity = v.(report.Severity) },
			get: func(cc ColumnConfig) any { return cc.Severity }},
	}
}

// Keys lists the customProperties keys, for documentation and errors.
func Keys() []string {
	var out []string
	for _, s := range Settings() {
		out = append(out, s.Key)
	}
	return out
}

// ThresholdKeys lists the keys of the numeric settings: those --threshold
// and driftgate.yaml take.
func ThresholdKeys() []string {
	var out []string
	for _, s := range Settings() {
		if s.Threshold() {
			out = append(out, s.Key)
		}
	}
	return out
}

// JSONSchema is the JSON Schema of the setting's value.
func (s Setting) JSONSchema() map[string]any {
	m := map[string]any{"description": s.Doc}
	switch s.Kind {
	case "number", "integer":
		m["type"] = s.Kind
		if s.MinInclusive {
			m["minimum"] = s.Min
		} else {
			m["exclusiveMinimum"] = s.Min
		}
		m["maximum"] = s.Max
	case "boolean":
		m["type"] = "boolean"
	default:
		m["enum"] = []string{"error", "warning", "info"}
	}
	return m
}

// parse checks a value against the setting: a number in range (or its
// text, from a flag), a boolean, or a severity.
func (s Setting) parse(v any) (any, error) {
	key := keyPrefix + s.Key
	switch s.Kind {
	case "number", "integer":
		f, ok := toFloat(v)
		low := f > s.Min || (s.MinInclusive && f == s.Min)
		if !ok || !low || f > s.Max || (s.Kind == "integer" && f != math.Trunc(f)) {
			return nil, fmt.Errorf("customProperty %s: want %s, got %v", key, s.Accepts(), v)
		}
		return f, nil
	case "boolean":
		return toBool(key, v)
	}
	sv, _ := v.(string)
	sev, ok := report.ParseSeverity(sv)
	if !ok {
		return nil, fmt.Errorf("customProperty %s: want error, warning or info, got %v", key, v)
	}
	return sev, nil
}

// ConfigError is a customProperties value that cannot be used.
type ConfigError struct {
	File string
	Pos  contracts.Pos
	Msg  string
}

func (e *ConfigError) Error() string {
	if e.Pos.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Column, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// ConfigFromContract resolves the configuration of schema object s: base
// (defaults, with command-line thresholds applied) overridden by the
// schema's customProperties, overridden by each property's. exclude lists
// columns to skip in addition to those the contract excludes.
func ConfigFromContract(c *contracts.Contract, s *contracts.Schema, base ColumnConfig, exclude []string) (Config, error) {
	cfg := Config{Schema: s.Name, Columns: map[string]ColumnConfig{}}
	schemaCfg := base
	if err := apply(&schemaCfg, s.CustomProperties); err != nil {
		return cfg, &ConfigError{File: c.Path, Pos: s.Pos, Msg: fmt.Sprintf("schema %q: %v", s.Name, err)}
	}
	schemaCfg.Location = &report.Location{File: c.Path, Line: s.Pos.Line, Column: s.Pos.Column}
	cfg.Default = schemaCfg
	excluded := map[string]bool{}
	for _, e := range exclude {
		excluded[e] = true
	}
	for i := range s.Properties {
		p := &s.Properties[i]
		cc := schemaCfg
		if err := apply(&cc, p.CustomProperties); err != nil {
			return cfg, &ConfigError{File: c.Path, Pos: p.PosOf("customProperties"), Msg: fmt.Sprintf("column %q: %v", p.DataName(), err)}
		}
		if excluded[p.DataName()] || excluded[p.Name] {
			cc.Exclude = true
		}
		cc.Location = &report.Location{File: c.Path, Line: p.Pos.Line, Column: p.Pos.Column}
		cfg.Columns[p.DataName()] = cc
	}
	// Columns not in the contract can be excluded on the command line.
	for name := range excluded {
		if _, ok := cfg.Columns[name]; !ok {
			cc := schemaCfg
			cc.Exclude = true
			cfg.Columns[name] = cc
		}
	}
	return cfg, nil
}

// ApplyProperties sets the driftgate.drift.* keys of props (as in a
// customProperties list, values as decoded from YAML or as strings) on cc.
func ApplyProperties(cc *ColumnConfig, props map[string]any) error { return apply(cc, props) }

// apply sets the driftgate.drift.* keys of props on cc.
func apply(cc *ColumnConfig, props map[string]any) error {
	keys := make([]string, 0, len(props))
	for k := range props {
		if strings.HasPrefix(k, keyPrefix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	settings := Settings()
	for _, k := range keys {
		name := strings.TrimPrefix(k, keyPrefix)
		i := slices.IndexFunc(settings, func(s Setting) bool { return s.Key == name })
		if i < 0 {
			return fmt.Errorf("unknown customProperty %s (known: %s%s)", k, keyPrefix, strings.Join(Keys(), ", "+keyPrefix))
		}
		v, err := settings[i].parse(props[k])
		if err != nil {
			return err
		}
		settings[i].set(cc, v)
	}
	return nil
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int64:
		return float64(x), true
	case int:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	}
	return 0, false
}

func toBool(k string, v any) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case string:
		if b, err := strconv.ParseBool(x); err == nil {
			return b, nil
		}
	}
	return false, fmt.Errorf("customProperty %s: want true or false, got %v", k, v)
}
