package checker

import (
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker/report"
)

func TestRuleRegistry(t *testing.T) {
	rules := Rules()
	screaming := regexp.MustCompile(`^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$`)
	seen := map[string]bool{}
	for _, r := range rules {
		t.Run(r.ID+" is well formed", func(t *testing.T) {
			if seen[r.ID] {
				t.Errorf("ID %s is registered twice", r.ID)
			}
			seen[r.ID] = true
			if !screaming.MatchString(r.ID) {
				t.Errorf("ID %q is not SCREAMING_SNAKE", r.ID)
			}
			switch r.Category {
			case Structural, Value, Quality, Coverage:
			default:
				t.Errorf("category %q is not one of the known ones", r.Category)
			}
			if r.Severity.Rank() == 0 {
				t.Errorf("severity %q is not a severity", r.Severity)
			}
			if strings.TrimSpace(r.Doc) == "" || strings.Contains(r.Doc, "\n") {
				t.Errorf("doc %q is not one non-empty line", r.Doc)
			}
			if !strings.HasPrefix(r.ID, strings.ToUpper(string(r.Category))) && !(r.Category == Structural && strings.HasPrefix(r.ID, "COLUMN_")) && !(r.Category == Coverage && strings.HasPrefix(r.ID, "CHECK_")) {
				t.Errorf("ID %s does not start with its category %s", r.ID, r.Category)
			}
			if got, ok := LookupRule(r.ID); !ok || got != r {
				t.Errorf("LookupRule(%s) = %+v, %v", r.ID, got, ok)
			}
		})
	}
	if _, ok := LookupRule("NO_SUCH_RULE"); ok {
		t.Error("LookupRule found a rule that does not exist")
	}
}

// TestEveryRuleConstantIsRegistered reads rules.go so that a constant added
// without a registry entry fails here, not in a user's CI.
func TestEveryRuleConstantIsRegistered(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "rules.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	registered := map[string]bool{}
	for _, r := range Rules() {
		registered[r.ID] = true
	}
	var consts int
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			if vs.Type != nil { // Category constants
				continue
			}
			for i, name := range vs.Names {
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				id, _ := strconv.Unquote(lit.Value)
				consts++
				if !registered[id] {
					t.Errorf("constant %s = %q is not in Rules()", name.Name, id)
				}
				delete(registered, id)
			}
		}
	}
	for id := range registered {
		t.Errorf("rule %s has no constant in rules.go", id)
	}
	if consts == 0 {
		t.Fatal("found no rule constants in rules.go")
	}
}

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
	rules := map[string]bool{}
	for _, f := range rep.Findings {
		r, ok := LookupRule(f.Rule)
		if !ok {
			t.Errorf("finding names unregistered rule %s", f.Rule)
			continue
		}
		rules[f.Rule] = true
		if f.Rule != ColumnMissing && f.Severity != r.Severity {
			t.Errorf("%s finding has severity %s, want the default %s", f.Rule, f.Severity, r.Severity)
		}
	}
	for _, c := range rep.Checks {
		if _, ok := LookupRule(c.Rule); !ok {
			t.Errorf("check names unregistered rule %s", c.Rule)
		}
	}
	for _, id := range []string{ColumnMissing, ColumnUnexpected, ValueNull, ValueUnique, ValueRange, ValueLength, ValuePattern, ValueFormat, QualityNullValues, QualityRowCount, QualityNotExecuted} {
		if !rules[id] {
			t.Errorf("no %s finding; findings:\n%s", id, dump(rep.Findings))
		}
	}
	if rep.Status != report.StatusFail {
		t.Errorf("status %s, want fail", rep.Status)
	}
}
