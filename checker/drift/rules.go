package drift

import "github.com/driftgate/driftgate/checker/rules"

// The rule IDs of `driftgate drift`. The rules themselves (category,
// default severity, doc) are declared in checker/rules, the one registry of
// every family; these names keep this package's call sites short.
var (
	Schema       = rules.DriftSchema.ID
	Distribution = rules.DriftDistribution.ID
	Categories   = rules.DriftCategories.ID
	NullRate     = rules.DriftNullRate.ID
	Format       = rules.DriftFormat.ID
	RowCount     = rules.DriftRowCount.ID
)
