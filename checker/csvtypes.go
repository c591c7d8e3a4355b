package checker

import (
	"github.com/apache/arrow-go/v18/arrow"

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
