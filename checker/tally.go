package checker

import "github.com/driftgate/driftgate/checker/rules"

// tally is the rules' Tally: the engine counts with the same type the rules
// report from.
type tally = rules.Tally

// itoa formats a row number or count.
func itoa(n int64) string { return rules.Itoa(n) }
