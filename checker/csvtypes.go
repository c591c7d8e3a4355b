package checker

import (
	"github.com/apache/arrow-go/v18/arrow"

	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/contracts"
)

// CSVTypes returns what `driftgate check` parses each column of schema
// object s into when reading CSV (by data name), and the Go time layouts
// of date and time columns that declare a format, so other commands read
// the same CSV file into the same Arrow types. A contract that cannot be
// executed is a *ContractError.
func CSVTypes(c *contracts.Contract, s *contracts.Schema) (map[string]arrow.DataType, map[string]string, error) {
	p, err := newPlan(c, s)
	if err != nil {
		return nil, nil, err
	}
	types, layouts := p.csvTypes()
	return types, layouts, nil
}

// ReadOptions are the reader options Check reads the inputs of opts with:
// CSV columns and JSON members parsed into the types the contract declares
// (in the dialect of its server, see Options.Server), in the time layouts
// its formats give. A profile for the same contract reads with them too,
// so it sees the Arrow types the check sees, whether it shares the check's
// read (Options.Taps) or reads on its own.
func ReadOptions(opts Options) (source.Options, error) {
	c := opts.Contract
	s, err := SelectSchema(c, opts.Schema)
	if err != nil {
		return opts.Source, err
	}
	d := opts.Dialect
	if d == "" {
		d = c.Dialect(opts.Server)
	}
	p, err := newPlanIn(c, s, d)
	if err != nil {
		return opts.Source, err
	}
	so := opts.Source
	so.CSV.Types, so.CSV.TimeLayouts = p.csvTypes()
	so.JSON.Types, so.JSON.TimeLayouts = p.jsonTypes()
	return so, nil
}
