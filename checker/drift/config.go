package drift

import (
	"fmt"
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
// columns) or on a property (that column). Values are numbers, except
// exclude and temporal (booleans) and severity (error, warning, info).
const keyPrefix = "driftgate.drift."

// Keys lists the customProperties keys, for documentation and errors.
func Keys() []string {
	return []string{"psi", "wasserstein", "jensenShannon", "newValues", "nullRate", "format", "rowCount", "alpha", "minRows", "exclude", "temporal", "severity"}
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
	for _, k := range keys {
		v := props[k]
		name := strings.TrimPrefix(k, keyPrefix)
		num := func(lo, hi float64) (float64, error) {
			f, ok := toFloat(v)
			if !ok || f < lo || f > hi {
				return 0, fmt.Errorf("customProperty %s: want a number from %g to %g, got %v", k, lo, hi, v)
			}
			return f, nil
		}
		var err error
		t := &cc.Thresholds
		switch name {
		case "psi":
			t.PSI, err = num(0, 100)
		case "wasserstein":
			t.Wasserstein, err = num(0, 100)
		case "jensenShannon":
			t.JensenShannon, err = num(0, 1)
		case "newValues":
			t.NewValues, err = num(0, 1)
		case "nullRate":
			t.NullRate, err = num(0, 1)
		case "format":
			t.Format, err = num(0, 1)
		case "rowCount":
			t.RowCount, err = num(0, 1e6)
		case "alpha":
			t.Alpha, err = num(0, 1)
		case "minRows":
			var f float64
			f, err = num(1, 1e12)
			t.MinRows = int64(f)
		case "exclude":
			cc.Exclude, err = toBool(k, v)
		case "temporal":
			cc.Temporal, err = toBool(k, v)
		case "severity":
			sv, _ := v.(string)
			sev, ok := report.ParseSeverity(sv)
			if !ok {
				err = fmt.Errorf("customProperty %s: want error, warning or info, got %v", k, v)
			}
			cc.Severity = sev
		default:
			err = fmt.Errorf("unknown customProperty %s (known: %s%s)", k, keyPrefix, strings.Join(Keys(), ", "+keyPrefix))
		}
		if err != nil {
			return err
		}
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
