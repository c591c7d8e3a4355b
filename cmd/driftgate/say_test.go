package main

import (
	"bytes"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

func TestSaySanitizesEveryArgument(t *testing.T) {
	var b bytes.Buffer
	say(&b, "driftgate: dataset %s: %v (%d)\n", "o\n::error::x\x1b[2J", errors.New("a.yaml:1:2: bad\n::warning::y"), 3)
	want := "driftgate: dataset o\\n::error::x\\x1b[2J: a.yaml:1:2: bad\n\\::warning::y (3)\n"
	if b.String() != want {
		t.Errorf("got %q\nwant %q", b.String(), want)
	}
}

// TestEveryPrintIsSanitized holds the rule that cmd/driftgate prints text
// to stdout and stderr only through say (or through the reporters, which
// sanitize what they render): no fmt.Fprint* call may name e.stdout or
// e.stderr directly.
func TestEveryPrintIsSanitized(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") || name == "say.go" {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			fn, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if pkg, ok := fn.X.(*ast.Ident); !ok || pkg.Name != "fmt" || !strings.HasPrefix(fn.Sel.Name, "Fprint") {
				return true
			}
			if w, ok := call.Args[0].(*ast.SelectorExpr); ok && (w.Sel.Name == "stdout" || w.Sel.Name == "stderr") {
				t.Errorf("%s: fmt.%s to %s bypasses the sanitizer; use say", fset.Position(call.Pos()), fn.Sel.Name, w.Sel.Name)
			}
			return true
		})
	}
}

// TestVersionsEscapesContractText runs versions on a contract whose id
// holds a line break, a workflow command and an ANSI escape.
func TestVersionsEscapesContractText(t *testing.T) {
	inRepoRoot(t)
	stdout, stderr, code := cli(t, nil, "versions", "cmd/driftgate/testdata/lint/contracts/more/hostile.yaml")
	if code != exitPass {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	if strings.ContainsRune(stdout, '\x1b') || strings.Contains(stdout, "\n::") {
		t.Errorf("contract text reached stdout raw:\n%q", stdout)
	}
	if !strings.Contains(stdout, `urn:x\n::error::pwned \x1b[2J`) {
		t.Errorf("the id is not shown escaped:\n%s", stdout)
	}
}
