package profile

import (
	"context"
	"errors"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/checker/source/objstore"
	"github.com/driftgate/driftgate/contracts"
)

// Options configures one profiling run.
type Options struct {
	// Contract is recorded in the profile (id and version) with Schema,
	// the schema object whose missingValues count as nulls; both nil
	// profile the files as they are.
	Contract *contracts.Contract
	Schema   *contracts.Schema
	// Files are the data files, already expanded.
	Files []string
	// Source configures the readers (allocator, batch size, CSV options,
	// with the CSV types and time layouts the contract declares: see
	// project.Profile, which reads a file as check does).
	Source      source.Options
	ToolVersion string
	// Progress, when set, is told after every batch how far the run is.
	Progress func(source.Progress)
}

// Run profiles the files in one streaming pass each: every column of every
// file. Unreadable data is a *source.ReadError.
func Run(ctx context.Context, opts Options) (*Profile, error) {
	if len(opts.Files) == 0 {
		return nil, errors.New("no data files to profile")
	}
	if opts.Source.Remote == nil {
		opts.Source.Remote = objstore.New(objstore.Config{})
	}
	t := NewTap(opts)
	pr := &progress{opts: opts}
	sources := make([]Source, 0, len(opts.Files))
	for i, path := range opts.Files {
		pr.Progress = source.Progress{File: path, FileIndex: i, Files: len(opts.Files), Rows: t.b.Rows(), FileTotal: -1}
		src, err := profileFile(ctx, t, path, opts.Source, pr)
		if err != nil {
			return nil, err
		}
		sources = append(sources, src)
	}
	return t.Profile(sources)
}

// Tap builds a profile from record batches another reader hands it: the
// check's (see checker.Tap), so that a run that checks, profiles for drift
// and records history reads each input once. Its profile is the one Run
// writes of the same inputs read the same way: Run reads through a Tap.
type Tap struct {
	opts Options
	b    *Builder
}

// NewTap returns a Tap that profiles as opts says (contract, schema object,
// the CSV time layouts of Source, tool version); opts.Files is not read.
func NewTap(opts Options) *Tap {
	specs := map[string]ColumnSpec{}
	if s := opts.Schema; opts.Contract != nil && s != nil {
		specs = Specs(s, opts.Source.CSV.TimeLayouts)
	}
	return &Tap{opts: opts, b: NewBuilder(specs)}
}

// Open asks for every column of the input, in its order: a profile
// describes all of them.
func (t *Tap) Open(_ string, _ source.Format, sch *arrow.Schema) ([]string, error) {
	names := make([]string, 0, sch.NumFields())
	seen := map[string]bool{}
	for _, f := range sch.Fields() {
		if !seen[f.Name] {
			seen[f.Name] = true
			names = append(names, f.Name)
		}
	}
	return names, nil
}

// Batch profiles one record batch; invalid are its cells that did not
// parse as their column's type.
func (t *Tap) Batch(rec arrow.RecordBatch, invalid []source.CellError) error {
	var raw map[int][]string
	if len(invalid) > 0 {
		raw = map[int][]string{}
		for _, ce := range invalid {
			raw[ce.Column] = append(raw[ce.Column], ce.Raw)
		}
	}
	return t.b.Observe(rec, raw)
}

// ReadsValues says a profile needs every value (checker.ValueTap): a
// --metadata-only check reads its inputs whole for it, once.
func (t *Tap) ReadsValues() bool { return true }

// Profile is the profile of what was observed; sources are the inputs, in
// the order they were read.
func (t *Tap) Profile(sources []Source) (*Profile, error) {
	p := &Profile{ProfileVersion: Version, Tool: Tool{Name: "driftgate", Version: t.opts.ToolVersion}, Batches: 1, Sources: sources}
	if p.Sources == nil {
		p.Sources = []Source{}
	}
	if c, s := t.opts.Contract, t.opts.Schema; c != nil && s != nil {
		p.Contract = &ContractRef{ID: c.ID, Version: c.Version, Schema: s.Name}
	}
	p.Rows = t.b.Rows()
	cols, err := t.b.Columns()
	if err != nil {
		return nil, err
	}
	p.Columns = cols
	return p, nil
}

// progress reports a profiling run's progress, when asked to.
type progress struct {
	source.Progress
	opts  Options
	meter *source.Meter
}

// batch reports a batch of rows read from the current file.
func (p *progress) batch(rows, total int64) {
	if p.opts.Progress == nil {
		return
	}
	p.Rows += rows
	p.FileRows += rows
	p.FileTotal = total
	p.FileBytes, p.FileSize = p.meter.Read(), p.meter.Size()
	p.opts.Progress(p.Progress)
}

// Specs derives the per-column options from a schema object: the values
// its missingValues rules list, and the time layouts of CSV date columns.
func Specs(s *contracts.Schema, layouts map[string]string) map[string]ColumnSpec {
	specs := map[string]ColumnSpec{}
	for i := range s.Properties {
		prop := &s.Properties[i]
		var spec ColumnSpec
		for _, q := range prop.Quality {
			if q.Type == "library" && q.Metric == "missingValues" {
				spec.Missing = append(spec.Missing, q.Arguments.MissingValues...)
			}
		}
		spec.Layout = layouts[prop.DataName()]
		spec.Private = prop.Private()
		specs[prop.DataName()] = spec
	}
	return specs
}

func profileFile(ctx context.Context, t *Tap, path string, sopts source.Options, pr *progress) (Source, error) {
	src := Source{Path: path}
	pr.meter = &source.Meter{}
	sopts.Meter = pr.meter
	// One open: the size and hash are of the bytes profiled (see
	// source.ReadInput), and a pipe or stdin is read once.
	facts, err := source.ReadFile(ctx, path, sopts, func(rd source.Reader) error {
		for {
			if err := ctx.Err(); err != nil {
				return err
			}
			batch, err := rd.Next(ctx)
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return asReadError(path, err)
			}
			err = t.Batch(batch.Record, batch.Invalid)
			n := batch.Record.NumRows()
			src.Rows += n
			batch.Record.Release()
			if err != nil {
				return &source.ReadError{Path: path, Err: err}
			}
			pr.batch(n, rd.NumRows())
		}
	})
	src.Format, src.Size, src.SHA256 = string(facts.Format), facts.Size, facts.SHA256
	if err != nil {
		if ctx.Err() != nil {
			return src, ctx.Err()
		}
		return src, asReadError(path, err)
	}
	return src, nil
}

func asReadError(path string, err error) error {
	var re *source.ReadError
	if errors.As(err, &re) {
		return err
	}
	return &source.ReadError{Path: path, Err: err}
}
