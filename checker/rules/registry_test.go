package rules

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/contracts/diff"
)

// TestRegistry validates the registry itself, as analysis.Validate does
// for analyzers: unique, well-formed IDs, a known family, a category, a
// severity and a one-line doc for every rule.
func TestRegistry(t *testing.T) {
	all := All()
	screaming := regexp.MustCompile(`^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$`)
	seen := map[string]bool{}
	for _, r := range all {
		t.Run(r.ID+" is well formed", func(t *testing.T) {
			if seen[r.ID] {
				t.Errorf("ID %s is registered twice", r.ID)
			}
			seen[r.ID] = true
			if !screaming.MatchString(r.ID) {
				t.Errorf("ID %q is not SCREAMING_SNAKE", r.ID)
			}
			if !slices.Contains(Families(), r.Family) {
				t.Errorf("family %q is not one of Families()", r.Family)
			}
			if r.Category == "" {
				t.Error("no category")
			}
			if r.Severity.Rank() == 0 {
				t.Errorf("severity %q is not a severity", r.Severity)
			}
			if strings.TrimSpace(r.Doc) == "" || strings.Contains(r.Doc, "\n") || !strings.HasSuffix(r.Doc, ".") {
				t.Errorf("doc %q is not one sentence on one line", r.Doc)
			}
			if got, ok := Lookup(r.ID); !ok || got.ID != r.ID || got.Doc != r.Doc {
				t.Errorf("Lookup(%s) = %+v, %v", r.ID, got, ok)
			}
			if r.Compile != nil && r.Family != FamilyCheck {
				t.Errorf("only check rules compile to observers; %s is %s", r.ID, r.Family)
			}
			if r.Compile != nil && r.Observes == 0 {
				t.Error("a rule with an observer must say what it observes")
			}
		})
	}
	if _, ok := Lookup("NO_SUCH_RULE"); ok {
		t.Error("Lookup found a rule that does not exist")
	}
	for _, f := range []Family{FamilyCheck, FamilyQuality, FamilyDrift, FamilyDiff, FamilyVersion, FamilyContract} {
		if len(Of(f)) == 0 {
			t.Errorf("family %s has no rules", f)
		}
	}
	for _, d := range diff.Rules() {
		if r, ok := Lookup(d.ID); !ok || r.Family != FamilyDiff || string(r.Severity) != d.Severity {
			t.Errorf("diff rule %s is not registered as it is declared: %+v", d.ID, r)
		}
	}
}

// TestEveryRuleValueIsRegistered reads the package: a rule value declared
// here but left out of All() fails, so no rule can make findings that
// configuration validation, `driftgate rules` and the docs do not know.
func TestEveryRuleValueIsRegistered(t *testing.T) {
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	registered := map[*Rule]bool{}
	for _, r := range All() {
		registered[r] = true
	}
	declared := 0
	for _, name := range paths {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, v := range vs.Values {
					u, ok := v.(*ast.UnaryExpr)
					if !ok {
						continue
					}
					lit, ok := u.X.(*ast.CompositeLit)
					if id, isIdent := lit.Type.(*ast.Ident); !ok || !isIdent || id.Name != "Rule" {
						continue
					}
					declared++
					id := ruleID(lit)
					r, ok := Lookup(id)
					if !ok || !registered[r] {
						t.Errorf("%s: rule %s (%s) is declared but not in All()", name, vs.Names[i].Name, id)
					}
				}
			}
		}
	}
	if declared < 20 {
		t.Fatalf("found only %d rule declarations; the scan is broken", declared)
	}
}

func ruleID(lit *ast.CompositeLit) string {
	for _, e := range lit.Elts {
		kv, ok := e.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "ID" {
			if b, ok := kv.Value.(*ast.BasicLit); ok {
				return strings.Trim(b.Value, `"`)
			}
		}
	}
	return ""
}
