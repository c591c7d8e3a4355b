package rules

import (
	"math"
	"testing"

	"github.com/driftgate/driftgate/contracts"
)

// TestRangeCutsAtTheEndsOfTheIntegerTypes: bounds beyond a type's range
// fail every value or none, never wrap around.
func TestRangeCutsAtTheEndsOfTheIntegerTypes(t *testing.T) {
	tests := []struct {
		name, opts string
		i64        []int64
		u64        []uint64
		want       []Outcome // for i64 then u64
	}{
		{"a negative minimum passes every unsigned value", "minimum: -1", nil, []uint64{0, math.MaxUint64}, []Outcome{Pass, Pass}},
		{"a minimum above 2^64 fails every value", "minimum: 100000000000000000000", []int64{math.MaxInt64}, []uint64{math.MaxUint64}, []Outcome{below, below}},
		{"a maximum below -2^63 fails every value", "maximum: -100000000000000000000", []int64{math.MinInt64}, []uint64{0}, []Outcome{above, above}},
		{"a maximum above 2^64 passes the largest values", "maximum: 100000000000000000000", []int64{math.MaxInt64}, []uint64{math.MaxUint64}, []Outcome{Pass, Pass}},
		{"an exclusive fractional minimum rounds up", "exclusiveMinimum: 2.5", []int64{2, 3}, []uint64{2, 3}, []Outcome{below, Pass, below, Pass}},
		{"an exclusive integral maximum excludes itself", "exclusiveMaximum: 3", []int64{2, 3}, []uint64{2, 3}, []Outcome{Pass, above, Pass, above}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := "apiVersion: v3.1.0\nkind: DataContract\nid: x\nversion: 1.0.0\nstatus: active\nschema:\n  - name: t\n    properties:\n      - name: n\n        logicalType: integer\n        logicalTypeOptions:\n          " + tt.opts + "\n"
			c, err := contracts.Parse("c.yaml", []byte(doc))
			if err != nil {
				t.Fatal(err)
			}
			p := &c.Schemas[0].Properties[0]
			o, err := compileRange(&Column{File: "c.yaml", Name: "n", Prop: p})
			if err != nil || o == nil {
				t.Fatalf("compile: %v %v", o, err)
			}
			r := o.(*rangeObs)
			var got []Outcome
			for _, v := range tt.i64 {
				got = append(got, r.Int64(v))
			}
			for _, v := range tt.u64 {
				got = append(got, r.Uint64(v))
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("outcomes %v, want %v", got, tt.want)
					break
				}
			}
		})
	}
}
