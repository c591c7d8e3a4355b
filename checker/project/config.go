// Package project is a driftgate project: its configuration,
// driftgate.yaml (the datasets a project checks: data paths, contract,
// baseline, drift settings, severity overrides and exceptions, and the
// reports a run writes), and the one pipeline that judges a dataset (Job,
// Run), shared by `driftgate check`, `drift` and `run`.
//
// It is the composition layer of checker: the only package below cmd that
// drives the engine (checker), profiles (checker/profile) and drift
// (checker/drift) together. A Config is a plain value: Load reads and
// validates one, tests build them directly, and nothing in the package
// keeps state.
//
// The file is validated against a JSON Schema embedded in the binary
// (Schema), so editors can autocomplete it and every problem is reported
// as file:line:column: path: message.
package project

import (
	"github.com/driftgate/driftgate/checker/history"
	"path/filepath"

	"github.com/driftgate/driftgate/contracts/yamlpos"
	"strconv"
	"time"

	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/checker/source/objstore"
)

// DefaultFile is the name driftgate looks for when --config is not given.
const DefaultFile = "driftgate.yaml"

// Config is one driftgate.yaml.
type Config struct {
	// Path is the file the config was read from; Dir the directory that
	// relative paths in it are relative to.
	Path string `yaml:"-"`
	Dir  string `yaml:"-"`
	// Remote lists object-store data paths (s3://, gs://, az://); nil
	// means a client of its own for each Files call.
	Remote *objstore.Client `yaml:"-"`

	Version int `yaml:"version"`
	// FailOn is the default fail-on of every dataset: error, warning,
	// info or never; empty means error.
	FailOn string `yaml:"failOn"`
	// History is the metric history every run judges the datasets
	// against and records them in: a SQLite file (relative to the
	// config) or a postgres:// URL.
	History  string    `yaml:"history"`
	Reports  []Report  `yaml:"reports"`
	Datasets []Dataset `yaml:"datasets"`

	// doc holds where every value is in the file, by JSON pointer
	// (/datasets/0/severity), so problems found after loading still name
	// a line.
	doc *yamlpos.Document
}

// Report is a report every run writes.
type Report struct {
	Format string `yaml:"format"`
	// Path is relative to the config's directory; empty means stdout.
	Path string `yaml:"path"`
}

// Dataset is one batch of data judged against one contract.
type Dataset struct {
	Name string `yaml:"name"`
	// Data are files, directories, globs and paths with {placeholders},
	// relative to the config's directory.
	Data []string `yaml:"data"`
	// Server names the contract's servers entry to read when Data is
	// empty (the only one when neither is given), as check --server does;
	// with Data, it still sets the reader options (format, delimiter).
	Server string `yaml:"server"`
	// Partitions is latest or all; see Resolve.
	Partitions      string `yaml:"partitions"`
	Contract        string `yaml:"contract"`
	ContractID      string `yaml:"contractId"`
	ContractVersion string `yaml:"contractVersion"`
	Schema          string `yaml:"schema"`
	// Compatibility is the diff.Mode contract changes are gated
	// under: backward, forward or full (empty means full).
	Compatibility string `yaml:"compatibility"`
	FailOn        string `yaml:"failOn"`
	CSV           CSV    `yaml:"csv"`
	Baseline      string `yaml:"baseline"`
	Drift         Drift  `yaml:"drift"`
	// Anomalies tunes the anomaly detector of --history for the dataset;
	// the contract's driftgate.anomaly.* customProperties override it.
	Anomalies history.Tuning `yaml:"anomalies"`
	// Severity overrides the severity of findings by rule ID; "off"
	// drops them.
	Severity   map[string]string `yaml:"severity"`
	Exceptions []Exception       `yaml:"exceptions"`

	// index is the dataset's position in Config.Datasets, for positions.
	index int
}

// CSV says how to read a dataset's CSV files.
type CSV struct {
	Delimiter  string   `yaml:"delimiter"`
	NullValues []string `yaml:"nullValues"`
	// Header is nil when the file leaves it at the default (true).
	Header *bool `yaml:"header"`
}

// Drift holds the drift settings of a dataset.
type Drift struct {
	Exclude []string `yaml:"exclude"`
	// FailOn is the lowest severity of a drift finding that fails the
	// dataset; empty means warning, as for driftgate drift.
	FailOn string `yaml:"failOn"`
	// Thresholds are the keys of drift.Settings that are thresholds (psi,
	// minRows, ...), as the schema admits them; an absent key leaves the
	// default (or the contract's customProperties) in place.
	Thresholds map[string]any `yaml:",inline"`
}

// Exception accepts the findings of one rule, optionally of one column.
type Exception struct {
	Rule   string `yaml:"rule"`
	Column string `yaml:"column"`
	Reason string `yaml:"reason"`
	// Until is YYYY-MM-DD; the exception applies up to and including that
	// day (UTC). Empty means no end.
	Until string `yaml:"until"`
}

// Active reports whether the exception still applies at now.
func (e Exception) Active(now time.Time) bool {
	if e.Until == "" {
		return true
	}
	end, err := time.Parse(time.DateOnly, e.Until)
	if err != nil {
		// The schema admits only dates of this shape; an impossible one
		// (2026-02-30) is caught by Load, so this is unreachable there.
		return false
	}
	return now.UTC().Before(end.AddDate(0, 0, 1))
}

// Abs returns p relative to the config's directory, as the user's shell
// in the current directory would name it.
func (c *Config) Abs(p string) string {
	if p == "" || filepath.IsAbs(p) || c.Dir == "" || source.IsRemote(p) {
		return p
	}
	return filepath.Join(c.Dir, p)
}

// Dataset returns the dataset called name.
func (c *Config) Dataset(name string) (*Dataset, bool) {
	for i := range c.Datasets {
		if c.Datasets[i].Name == name {
			return &c.Datasets[i], true
		}
	}
	return nil, false
}

// FailOnFor is the fail-on of a dataset: its own, else the config's, else
// error.
func (c *Config) FailOnFor(d *Dataset) string {
	switch {
	case d.FailOn != "":
		return d.FailOn
	case c.FailOn != "":
		return c.FailOn
	}
	return "error"
}

// PosOf returns the position of a field of dataset d, such as "baseline"
// or "severity/COLUMN_TYPE"; the dataset's own position when the field is
// absent.
func (c *Config) PosOf(d *Dataset, field string) Pos {
	base := "/datasets/" + strconv.Itoa(d.index)
	if c.doc == nil {
		return Pos{}
	}
	if p, ok := c.doc.Val[base+"/"+field]; ok {
		return p
	}
	return c.doc.Val[base]
}
