package contracts

import "testing"

// TestOperator: how each ODCS operator decides a metric's result and how
// a finding writes it; between bounds are inclusive.
func TestOperator(t *testing.T) {
	tests := []struct {
		op   Operator
		text string
		pass []float64
		fail []float64
	}{
		{Operator{Kind: MustBe, Value: 0}, "= 0", []float64{0}, []float64{-1, 1}},
		{Operator{Kind: MustNotBe, Value: 0}, "!= 0", []float64{-1, 1}, []float64{0}},
		{Operator{Kind: MustBeGreaterThan, Value: 5}, "> 5", []float64{5.5}, []float64{5, 4}},
		{Operator{Kind: MustBeGreaterOrEqualTo, Value: 5}, ">= 5", []float64{5, 6}, []float64{4.9}},
		{Operator{Kind: MustBeLessThan, Value: 0.25}, "< 0.25", []float64{0.24}, []float64{0.25}},
		{Operator{Kind: MustBeLessOrEqualTo, Value: 100}, "<= 100", []float64{100}, []float64{100.5}},
		{Operator{Kind: MustBeBetween, Low: 1, High: 10}, "between 1 and 10", []float64{1, 10, 5}, []float64{0.5, 10.5}},
		{Operator{Kind: MustNotBeBetween, Low: 1, High: 10}, "not between 1 and 10", []float64{0.5, 11}, []float64{1, 10}},
		{Operator{}, "(no operator)", []float64{-1e300, 0, 1e300}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := tt.op.String(); got != tt.text {
				t.Errorf("String() = %q, want %q", got, tt.text)
			}
			for _, x := range tt.pass {
				if !tt.op.Holds(x) {
					t.Errorf("%s does not hold for %v", tt.text, x)
				}
			}
			for _, x := range tt.fail {
				if tt.op.Holds(x) {
					t.Errorf("%s holds for %v", tt.text, x)
				}
			}
		})
	}
}
