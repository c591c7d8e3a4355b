package profile

import (
	"context"
	"errors"
	"io"

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
	p := &Profile{ProfileVersion: Version, Tool: Tool{Name: "driftgate", Version: opts.ToolVersion}, Batches: 1, Sources: []Source{}}
	specs := map[string]ColumnSpec{}
	if c, s := opts.Contract, opts.Schema; c != nil && s != nil {
		p.Contract = &ContractRef{ID: c.ID, Version: c.Version, Schema: s.Name}
		specs = Specs(s, opts.Source.CSV.TimeLayouts)
	}
	if len(opts.Files) == 0 {
		return nil, errors.New("no data files to profile")
	}
	if opts.Source.Remote == nil {
		opts.Source.Remote = objstore.New(objstore.Config{})
	}
	b := NewBuilder(specs)
	pr := &progress{opts: opts}
	for i, path := range opts.Files {
		pr.Progress = source.Progress{File: path, FileIndex: i, Files: len(opts.Files), Rows: b.Rows(), FileTotal: -1}
		src, err := profileFile(ctx, b, path, opts.Source, pr)
		if err != nil {
			return nil, err
		}
		p.Sources = append(p.Sources, src)
	}
	p.Rows = b.Rows()
	cols, err := b.Columns()
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

func profileFile(ctx context.Context, b *Builder, path string, sopts source.Options, pr *progress) (Source, error) {
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
			var invalid map[int][]string
			if len(batch.Invalid) > 0 {
				invalid = map[int][]string{}
				for _, ce := range batch.Invalid {
					invalid[ce.Column] = append(invalid[ce.Column], ce.Raw)
				}
			}
			err = b.Observe(batch.Record, invalid)
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
