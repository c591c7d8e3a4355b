package rules

import "github.com/driftgate/driftgate/checker/report"

// The structural rules, decided by the engine from each file's schema.
var (
	ColumnMissing = &Rule{ID: "COLUMN_MISSING", Family: FamilyCheck, Category: Structural, Severity: report.SeverityError,
		Doc: "A contract column is absent from the data (error when required, else warning)."}
	ColumnUnexpected = &Rule{ID: "COLUMN_UNEXPECTED", Family: FamilyCheck, Category: Structural, Severity: report.SeverityWarning,
		Doc: "A data column is not declared in the contract."}
	ColumnType = &Rule{ID: "COLUMN_TYPE", Family: FamilyCheck, Category: Structural, Severity: report.SeverityError,
		Doc: "The column's Arrow type cannot hold the contract's logicalType/physicalType (widening such as int32 for int64 passes)."}
)

// CheckSkipped is the coverage rule: what a run did not check is said,
// never passed.
var CheckSkipped = &Rule{ID: "CHECK_SKIPPED", Family: FamilyCheck, Category: Coverage, Severity: report.SeverityInfo,
	Doc:    "A declared check that did not run: with --metadata-only, one the Parquet footer cannot decide; otherwise one that cannot run on this data (array rules in CSV, object options in CSV and JSON, a rule with no SQL form in the engine). Never a silent pass.",
	NotRun: report.CheckSkipped}

// CheckMetadataIgnored says a reader ignored part of a file's metadata it
// could read the file without: never silently.
var CheckMetadataIgnored = &Rule{ID: "CHECK_METADATA_IGNORED", Family: FamilyCheck, Category: Coverage, Severity: report.SeverityWarning,
	Doc: "Part of a file's metadata is corrupt and was ignored: a Parquet file's stored Arrow schema (ARROW:schema), replaced by its Parquet schema."}
