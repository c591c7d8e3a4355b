package checker

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
)

// TestFindingsUseRegisteredRules runs a contract that breaks many rules and
// checks that every finding and check names a registered rule, with the
// rule's default severity unless the contract chose another.
func TestFindingsUseRegisteredRules(t *testing.T) {
	contract := doc(`- name: id
  logicalType: integer
  required: true
  unique: true
  logicalTypeOptions:
    minimum: 1
- name: email
  logicalType: string
  logicalTypeOptions:
    format: email
    maxLength: 5
    pattern: ^[a-z@.]+$
  quality:
    - metric: nullValues
      mustBe: 0
- name: gone
  logicalType: string
  required: true`, "- metric: rowCount\n  mustBeGreaterThan: 10", "- type: text\n  description: reviewed monthly")
	path := writeCSV(t, t.TempDir()+"/t.csv", []col{ints("id", "0", "0", null), strs("email", "A@b", null, "xxxxxxx"), strs("extra", "1", "2", "3")})
	rep := mustCheck(t, contract, path)
	seen := map[string]bool{}
	for _, f := range rep.Findings {
		r, ok := rules.Lookup(f.Rule)
		if !ok {
			t.Errorf("finding names unregistered rule %s", f.Rule)
			continue
		}
		seen[f.Rule] = true
		if f.Rule != rules.ColumnMissing.ID && f.Severity != r.Severity {
			t.Errorf("%s finding has severity %s, want the default %s", f.Rule, f.Severity, r.Severity)
		}
	}
	for _, c := range rep.Checks {
		if _, ok := rules.Lookup(c.Rule); !ok {
			t.Errorf("check names unregistered rule %s", c.Rule)
		}
	}
	for _, id := range []string{rules.ColumnMissing.ID, rules.ColumnUnexpected.ID, rules.ValueNull.ID, rules.ValueUnique.ID, rules.ValueRange.ID, rules.ValueLength.ID, rules.ValuePattern.ID, rules.ValueFormat.ID, rules.QualityNullValues.ID, rules.QualityRowCount.ID, rules.QualityNotExecuted.ID} {
		if !seen[id] {
			t.Errorf("no %s finding; findings:\n%s", id, dump(rep.Findings))
		}
	}
	if rep.Status != report.StatusFail {
		t.Errorf("status %s, want fail", rep.Status)
	}
}

// TestFindingsAreMadeFromRuleValues reads the engine's source: a finding is
// made by a rule value (rules.X.Finding, or the builder's add, which takes
// one), never as a literal naming its rule by a string, so every finding the
// engine can produce names a registered rule.
func TestFindingsAreMadeFromRuleValues(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var checked int
	for _, path := range files {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			sel, ok := lit.Type.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "Finding" && sel.Sel.Name != "Check") {
				return true
			}
			for _, e := range lit.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "Rule" {
						t.Errorf("%s: a report.%s literal sets Rule itself; make it from the rule value (rules.X.%s)", path, sel.Sel.Name, sel.Sel.Name)
					}
				}
			}
			return true
		})
	}
	if checked == 0 {
		t.Fatal("read no engine source")
	}
}
