package checker

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/contracts"
)

// numericTypes are every numeric Arrow type a rule that observes numbers
// must be exercised on.
var numericTypes = []arrow.DataType{
	arrow.PrimitiveTypes.Int8, arrow.PrimitiveTypes.Int16, arrow.PrimitiveTypes.Int32, arrow.PrimitiveTypes.Int64,
	arrow.PrimitiveTypes.Uint8, arrow.PrimitiveTypes.Uint16, arrow.PrimitiveTypes.Uint32, arrow.PrimitiveTypes.Uint64,
	arrow.FixedWidthTypes.Float16, arrow.PrimitiveTypes.Float32, arrow.PrimitiveTypes.Float64,
	&arrow.Decimal32Type{Precision: 9, Scale: 2}, &arrow.Decimal64Type{Precision: 18, Scale: 2},
	&arrow.Decimal128Type{Precision: 38, Scale: 2}, &arrow.Decimal256Type{Precision: 40, Scale: 2},
}

// TestNumericRulesRunOnEveryNumericType replays the fixture of every rule
// that observes numbers (checker/rules/testdata/rules/<RULE>/) on each
// numeric Arrow type through the engine's per-type loops: the rule must
// count what it counts on the fixture's own data. A numeric Arrow type the
// driver does not route to the rule, or a rule without a typed method for
// it, fails here.
func TestNumericRulesRunOnEveryNumericType(t *testing.T) {
	var numeric int
	for _, r := range rules.All() {
		if r.Observes&rules.Numbers == 0 {
			continue
		}
		numeric++
		dir := filepath.Join("rules", "testdata", "rules", r.ID)
		contractPath := filepath.Join(dir, "contract.yaml")
		data, err := os.ReadFile(contractPath)
		if err != nil {
			t.Fatalf("%s: the rule observes numbers but has no fixture: %v", r.ID, err)
		}
		c, err := contracts.Parse(contractPath, data)
		if err != nil {
			t.Fatal(err)
		}
		want := countOf(checkFile(t, c, filepath.Join(dir, "data.csv")), r)
		if want == 0 {
			t.Fatalf("%s: the fixture's data does not fire the rule", r.ID)
		}
		name, vals := firstColumn(t, filepath.Join(dir, "data.csv"))
		for _, typ := range numericTypes {
			t.Run(r.ID+" on "+typ.String(), func(t *testing.T) {
				mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
				defer mem.AssertSize(t, 0)
				b := array.NewBuilder(mem, typ)
				defer b.Release()
				for _, v := range vals {
					if err := b.AppendValueFromString(v); err != nil {
						t.Fatalf("%q as %s: %v", v, typ, err)
					}
				}
				arr := b.NewArray()
				defer arr.Release()
				p, err := newPlan(c, &c.Schemas[0])
				if err != nil {
					t.Fatal(err)
				}
				col := p.byName[name]
				col.observe("data", 1, arr, nil)
				run := &run{plan: p}
				bl := &builder{schema: "t", file: contractPath}
				run.valueFindings(bl, col)
				if got := countOf(bl.findings, r); got != want {
					t.Errorf("%s counts %d on %s, want %d as on the fixture; findings: %+v", r.ID, got, typ, want, bl.findings)
				}
			})
		}
	}
	if numeric == 0 {
		t.Fatal("no registered rule observes numbers")
	}
}

func checkFile(t *testing.T, c *contracts.Contract, path string) []report.Finding {
	t.Helper()
	rep, err := Check(t.Context(), Options{Contract: c, Files: []string{path}, FailOn: "never"})
	if err != nil {
		t.Fatal(err)
	}
	return rep.Findings
}

func countOf(fs []report.Finding, r *rules.Rule) int64 {
	var n int64
	for _, f := range fs {
		if f.Rule == r.ID {
			n += f.Count
		}
	}
	return n
}

// firstColumn reads a fixture CSV's first column.
func firstColumn(t *testing.T, path string) (string, []string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("%s: %v (%d records)", path, err, len(recs))
	}
	var vals []string
	for _, r := range recs[1:] {
		vals = append(vals, r[0])
	}
	return recs[0][0], vals
}
