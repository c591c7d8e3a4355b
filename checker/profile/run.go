package profile

import (
	"context"
	"errors"
	"io"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/contracts"
)

// Options configures one profiling run.
type Options struct {
	// Contract gives the CSV types, the missing values and the id and
	// version recorded in the profile; nil profiles the files as they are
	// (CSV columns as text).
	Contract *contracts.Contract
	// Schema names the schema object; empty picks the only one.
	Schema string
	// Files are the data files, already expanded (checker.ExpandInputs).
	Files []string
	// Source configures the readers (allocator, batch size, CSV options).
	Source      source.Options
	ToolVersion string
}

// Run profiles the files in one streaming pass each: every column of every
// file. Unreadable data is a *source.ReadError; a contract that cannot be
// executed a *checker.ContractError.
func Run(ctx context.Context, opts Options) (*Profile, error) {
	p := &Profile{ProfileVersion: Version, Tool: Tool{Name: "driftgate", Version: opts.ToolVersion}, Batches: 1, Sources: []Source{}}
	specs := map[string]ColumnSpec{}
	var csvTypes = opts.Source.CSV.Types
	var layouts = opts.Source.CSV.TimeLayouts
	if c := opts.Contract; c != nil {
		s, err := checker.SelectSchema(c, opts.Schema)
		if err != nil {
			return nil, err
		}
		p.Contract = &ContractRef{ID: c.ID, Version: c.Version, Schema: s.Name}
		if csvTypes, layouts, err = checker.CSVTypes(c, s); err != nil {
			return nil, err
		}
		specs = Specs(s, layouts)
	}
	if len(opts.Files) == 0 {
		return nil, &checker.InputError{Msg: "no data files to profile"}
	}
	b := NewBuilder(specs)
	for _, path := range opts.Files {
		src, err := profileFile(ctx, b, path, opts.Source, csvTypes, layouts)
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

func profileFile(ctx context.Context, b *Builder, path string, sopts source.Options, types map[string]arrow.DataType, layouts map[string]string) (Source, error) {
	src := Source{Path: path}
	// CSV options are ignored by the other formats.
	sopts.CSV.Types, sopts.CSV.TimeLayouts = types, layouts
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
			src.Rows += batch.Record.NumRows()
			batch.Record.Release()
			if err != nil {
				return &source.ReadError{Path: path, Err: err}
			}
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
