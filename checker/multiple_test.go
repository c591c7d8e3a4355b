package checker

import (
	"testing"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
)

func TestMultipleOfAndUnenforcedOptions(t *testing.T) {
	runValueCases(t, []valueCase{
		{
			name:  "integers that are multiples of multipleOf pass",
			props: "- name: qty\n  logicalType: integer\n  logicalTypeOptions:\n    multipleOf: 5",
			cols:  []col{ints("qty", "0", "5", "-10", null)},
		},
		{
			name:  "an integer that is not a multiple is reported at its row",
			props: "- name: qty\n  logicalType: integer\n  logicalTypeOptions:\n    multipleOf: 5",
			cols:  []col{ints("qty", "5", "7", "10", "12")},
			want: []want{{rule: rules.ValueMultipleOf.ID, severity: report.SeverityError, column: "qty", count: 2, row: 2, value: "7",
				msg: []string{"2 values are not a multiple of 5"}, line: "multipleOf: 5"}},
		},
		{
			name:  "decimal steps allow for binary floating point",
			props: "- name: price\n  logicalType: number\n  logicalTypeOptions:\n    multipleOf: 0.05",
			cols:  []col{floats("price", "0.1", "0.3", "19.95", "0.07")},
			want: []want{{rule: rules.ValueMultipleOf.ID, severity: report.SeverityError, column: "price", count: 1, row: 4, value: "0.07",
				msg: []string{"1 value is not a multiple of 0.05"}, line: "multipleOf: 0.05"}},
		},
	})
}
