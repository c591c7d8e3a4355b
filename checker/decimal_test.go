package checker

import (
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
)

// TestDecimalBoundsAreExactAtEveryWidth plants a value 0.01 above a
// maximum of 10^16, where float64 cannot tell the two apart: a decimal
// column must catch it whether it is stored as Decimal128 (precision up to
// 38) or Decimal256 (precision 39 to 76).
func TestDecimalBoundsAreExactAtEveryWidth(t *testing.T) {
	for _, typ := range []arrow.DataType{
		&arrow.Decimal128Type{Precision: 38, Scale: 2},
		&arrow.Decimal256Type{Precision: 40, Scale: 2},
	} {
		t.Run(typ.String()+" catches a value 0.01 above the maximum", func(t *testing.T) {
			contract := doc("- name: amount\n  logicalType: number\n  logicalTypeOptions:\n    maximum: 10000000000000000\n    minimum: -10000000000000000")
			path := writeParquet(t, filepath.Join(t.TempDir(), "t.parquet"), []col{{"amount", typ, []string{"1", "10000000000000000.00", "10000000000000000.01", "-10000000000000000.01"}}})
			rep := mustCheck(t, contract, path)
			assertFindings(t, contract, rep,
				want{rule: rules.ValueRange.ID, severity: report.SeverityError, column: "amount", count: 1, row: 3, value: "10000000000000000.01",
					msg: []string{"1 value above maximum 10000000000000000"}, line: "maximum: 10000000000000000"},
				want{rule: rules.ValueRange.ID, severity: report.SeverityError, column: "amount", count: 1, row: 4, value: "-10000000000000000.01",
					msg: []string{"1 value below minimum -10000000000000000"}, line: "minimum: -10000000000000000"})
		})
	}
}

// TestMultipleOfIsExact: multipleOf used to divide in float64, which
// cannot tell 9007199254740993 from its even neighbour; decimals are now
// judged by divisibility of their unscaled value, without a tolerance.
func TestMultipleOfIsExact(t *testing.T) {
	runValueCases(t, []valueCase{
		{
			name:  "an odd integer above 2^53 is not a multiple of 2",
			props: "- name: n\n  logicalType: integer\n  logicalTypeOptions:\n    multipleOf: 2",
			cols:  []col{ints("n", "9007199254740992", "9007199254740993")},
			want: []want{{rule: rules.ValueMultipleOf.ID, severity: report.SeverityError, column: "n", count: 1, row: 2, value: "9007199254740993",
				msg: []string{"1 value is not a multiple of 2"}, line: "multipleOf: 2"}},
		},
		{
			name:  "a decimal one hundred-millionth off the step is not a multiple",
			props: "- name: price\n  logicalType: number\n  physicalType: decimal(12,8)\n  logicalTypeOptions:\n    multipleOf: 0.1",
			cols:  []col{{"price", &arrow.Decimal128Type{Precision: 12, Scale: 8}, []string{"0.3", "0.30000001"}}},
			want: []want{{rule: rules.ValueMultipleOf.ID, severity: report.SeverityError, column: "price", count: 1, row: 2, value: "0.30000001",
				msg: []string{"1 value is not a multiple of 0.1"}, line: "multipleOf: 0.1"}},
		},
	})
}

// TestTimeOfDayColumnsAreRangeChecked: a time column's bounds used to be
// parsed and then never compared, so every value passed.
func TestTimeOfDayColumnsAreRangeChecked(t *testing.T) {
	contract := doc("- name: opens\n  logicalType: time\n  logicalTypeOptions:\n    minimum: \"08:00:00\"\n    exclusiveMaximum: \"20:00:00\"")
	for _, tt := range []struct {
		typ      arrow.DataType
		fraction string // how Arrow prints the unit's fraction
	}{{arrow.FixedWidthTypes.Time32ms, ".000"}, {arrow.FixedWidthTypes.Time64us, ".000000"}} {
		typ := tt.typ
		t.Run(typ.String(), func(t *testing.T) {
			path := writeParquet(t, filepath.Join(t.TempDir(), "t.parquet"), []col{{"opens", typ, []string{"08:00:00", "07:59:59", "19:59:59", "20:00:00"}}})
			rep := mustCheck(t, contract, path)
			assertFindings(t, contract, rep,
				want{rule: rules.ValueRange.ID, severity: report.SeverityError, column: "opens", count: 1, row: 2, value: "07:59:59" + tt.fraction,
					msg: []string{"1 value below minimum 08:00:00"}, line: "minimum:"},
				want{rule: rules.ValueRange.ID, severity: report.SeverityError, column: "opens", count: 1, row: 4, value: "20:00:00" + tt.fraction,
					msg: []string{"1 value at or above exclusive maximum 20:00:00"}, line: "exclusiveMaximum:"})
		})
	}
}
