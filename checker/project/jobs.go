package project

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/drift"
	"github.com/driftgate/driftgate/checker/servers"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/checker/source/objstore"
	"github.com/driftgate/driftgate/contracts"
)

// ContractError is a contract that cannot be loaded or selected: a file
// that does not exist or does not validate, a directory without the
// version asked for. The data was never judged.
type ContractError struct {
	Path string
	Err  error
}

func (e *ContractError) Error() string {
	if e.Path == "" {
		return e.Err.Error()
	}
	return fmt.Sprintf("contract %s: %v", e.Path, e.Err)
}

func (e *ContractError) Unwrap() error { return e.Err }

// ResolveContract loads a contract path: a file as it is, or a directory
// of versions from which id and version pick one (by default the newest
// usable version). The contract is linted: a contract with problems is
// never checked against. The catalog is nil for a file. Files in a
// directory that are no contract (see LooksLikeContract) are left out,
// each with a note.
func ResolveContract(path, id, version string) (*contracts.Contract, *contracts.Catalog, []string, error) {
	st, err := os.Stat(path)
	if err != nil || !st.IsDir() {
		if id != "" || version != "" {
			if err == nil {
				err = fmt.Errorf("is a file; a contract id or version needs a directory of contract versions")
			}
			return nil, nil, nil, &ContractError{Path: path, Err: err}
		}
		c, err := contracts.Load(path)
		if err != nil {
			return nil, nil, nil, loadError(path, err)
		}
		if issues := contracts.Lint(c); len(issues) > 0 {
			return nil, nil, nil, contracts.ParseErrors(issues)
		}
		return c, nil, nil, nil
	}
	files, err := contracts.ContractFiles(path)
	if err != nil {
		return nil, nil, nil, &ContractError{Err: err}
	}
	var notes []string
	files = slices.DeleteFunc(files, func(f string) bool {
		if LooksLikeContract(f) {
			return false
		}
		notes = append(notes, fmt.Sprintf("%s: not a contract (no kind or apiVersion), ignored", f))
		return true
	})
	if len(files) == 0 {
		return nil, nil, notes, &ContractError{Path: path, Err: errors.New("no contract inside")}
	}
	cat, err := contracts.LoadCatalog(files...)
	if err != nil {
		return nil, nil, notes, loadError(path, err)
	}
	c, err := cat.Select(id, version)
	if err != nil {
		return nil, nil, notes, &ContractError{Path: path, Err: err}
	}
	if issues := contracts.Lint(c); len(issues) > 0 {
		return nil, nil, notes, contracts.ParseErrors(issues)
	}
	return c, cat, notes, nil
}

// loadError keeps a positioned error as it is (it names the file) and
// wraps anything else, such as a file that does not exist.
func loadError(path string, err error) error {
	var pe *contracts.ParseError
	var pes contracts.ParseErrors
	switch {
	case errors.As(err, &pe), errors.As(err, &pes):
		return err
	}
	return &ContractError{Err: err}
}

// SourceOptions validates the reader settings that `check` takes as flags
// and a dataset as its csv block: one place decides what a delimiter is.
func SourceOptions(batchSize int, delimiter string, nullValues []string, noHeader bool) (source.Options, error) {
	// One object-store client per job: buckets open once, and it records
	// what each object read was, for the report.
	opts := source.Options{BatchSize: batchSize, Remote: objstore.New(objstore.Config{})}
	if batchSize <= 0 {
		return opts, fmt.Errorf("batch-size %d: want a positive number of rows", batchSize)
	}
	d := delimiter
	if d == `\t` || d == "tab" {
		d = "\t"
	}
	if d == "" {
		d = ","
	}
	if utf8.RuneCountInString(d) != 1 {
		return opts, fmt.Errorf("csv-delimiter %q: want one character", delimiter)
	}
	if r, _ := utf8.DecodeRuneInString(d); r != ',' {
		opts.CSV.Delimiter = r
	}
	if nullValues != nil {
		opts.CSV.NullValues = nullValues
	}
	opts.CSV.NoHeader = noHeader
	return opts, nil
}

// JobOptions are what a run decides for every dataset.
type JobOptions struct {
	// Changed are the changed paths of pull-request mode (nil in full
	// mode); see Config.Files.
	Changed []string
	// FailOn, when set, overrides the fail-on of check and drift
	// findings (run --fail-on).
	FailOn      string
	ToolVersion string
	// Now decides which exceptions are active.
	Now time.Time
}

// Job builds the job of dataset d: its contract, files, reader settings,
// baseline and thresholds, fail-on and policy. Problems with the dataset's
// settings name the config file and line.
func (c *Config) Job(d *Dataset, o JobOptions) (Job, error) {
	j := Job{Command: "run", Check: true}
	j.Schema, j.ToolVersion = d.Schema, o.ToolVersion
	var err error
	if j.Contract, _, j.Notes, err = ResolveContract(c.Abs(d.Contract), d.ContractID, d.ContractVersion); err != nil {
		return j, err
	}
	var noHeader bool
	if d.CSV.Header != nil {
		noHeader = !*d.CSV.Header
	}
	if j.Source, err = SourceOptions(source.DefaultBatchSize, d.CSV.Delimiter, d.CSV.NullValues, noHeader); err != nil {
		p := c.PosOf(d, "csv")
		return j, &Error{File: c.Path, Line: p.Line, Column: p.Column, Path: fmt.Sprintf("datasets[%d].csv", d.index), Msg: err.Error()}
	}
	j.FailOn = c.FailOnFor(d)
	j.Policy = d.Policy(o.Now)
	if d.Baseline != "" {
		t, err := driftThresholds(d.Drift)
		if err != nil {
			return j, fmt.Errorf("%s: dataset %s: drift: %w", c.Path, d.Name, err)
		}
		j.Drift = &DriftJob{Baseline: c.Abs(d.Baseline), Thresholds: t, Exclude: d.Drift.Exclude, FailOn: d.Drift.FailOn}
		if j.Drift.FailOn == "" {
			j.Drift.FailOn = DefaultDriftFailOn
		}
	}
	if o.FailOn != "" {
		j.FailOn = o.FailOn
		if j.Drift != nil {
			j.Drift.FailOn = o.FailOn
		}
	}
	if j.Files, err = c.datasetFiles(d, &j, o.Changed); err != nil {
		return j, err
	}
	return j, nil
}

// datasetFiles expands the dataset's data, or, without data, the
// locations of the contract's server (see servers.Data); a named server
// also sets the reader options.
func (c *Config) datasetFiles(d *Dataset, j *Job, changed []string) ([]string, error) {
	if d.Server == "" && len(d.Data) > 0 {
		return c.Files(d, changed)
	}
	target, locations, err := servers.Data(j.Contract, d.Server, d.Schema, d.Data)
	if err != nil {
		p := c.PosOf(d, "server")
		return nil, &Error{File: c.Path, Line: p.Line, Column: p.Column, Path: fmt.Sprintf("datasets[%d]", d.index), Msg: err.Error()}
	}
	if target != nil {
		target.Apply(&j.Source, d.CSV.Delimiter != "")
	}
	if len(d.Data) > 0 {
		return c.Files(d, changed)
	}
	e, err := checker.ExpandAs(locations, j.Source.Format)
	j.Skipped = e.Skipped
	return e.Files, err
}

// driftThresholds applies the dataset's thresholds over drift's defaults;
// the contract's customProperties still override them per column. The
// schema admitted only values in the settings' bounds, so an error here is
// a bug in one of the two.
func driftThresholds(d Drift) (drift.ColumnConfig, error) {
	cc := drift.ColumnConfig{Thresholds: drift.Defaults()}
	props := make(map[string]any, len(d.Thresholds))
	for k, v := range d.Thresholds {
		props["driftgate.drift."+k] = v
	}
	return cc, drift.ApplyProperties(&cc, props)
}
