package rules

import "github.com/driftgate/driftgate/checker/report"

// The rules of a --all-versions run. They are informational: the gate is
// the full check against the selected version, which reports the same
// problems under the structural rules.
var (
	VersionConformance = &Rule{ID: "VERSION_CONFORMANCE", Family: FamilyVersion, Category: Version, Severity: report.SeverityInfo,
		Doc: "With --all-versions: which versions of the contract the batch's structure conforms to and which it breaks."}
	VersionBroken = &Rule{ID: "VERSION_BROKEN", Family: FamilyVersion, Category: Version, Severity: report.SeverityInfo,
		Doc: "With --all-versions: the batch breaks this version of the contract, with its first structural problems."}
)

// ContractInvalid is a contract version that cannot be planned (an unknown
// schema object, an invalid pattern), reported among a version's problems.
var ContractInvalid = &Rule{ID: "CONTRACT_INVALID", Family: FamilyContract, Category: ContractCat, Severity: report.SeverityError,
	Doc: "A contract version cannot be executed as written (no such schema object, an invalid pattern or bound)."}
