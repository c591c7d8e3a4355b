package diff

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/contracts"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/breaking/*/want.*")

func TestDiffRuleRegistry(t *testing.T) {
	idRE := regexp.MustCompile(`^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$`)
	seen := map[string]bool{}
	categories := []string{CategoryContract, CategorySchema, CategoryColumn, CategoryType, CategoryConstraint,
		CategoryQuality, CategoryLifecycle, CategoryVersion, CategoryDocumentation}
	for _, r := range Rules() {
		if !idRE.MatchString(r.ID) {
			t.Errorf("%q is not SCREAMING_SNAKE", r.ID)
		}
		if seen[r.ID] {
			t.Errorf("%s is registered twice", r.ID)
		}
		seen[r.ID] = true
		if r.Doc == "" || !strings.HasSuffix(r.Doc, ".") {
			t.Errorf("%s: doc %q is empty or not a sentence", r.ID, r.Doc)
		}
		if !slices.Contains(categories, r.Category) {
			t.Errorf("%s: unknown category %q", r.ID, r.Category)
		}
		switch r.Severity {
		case "error", "warning", "info":
		default:
			t.Errorf("%s: severity %q", r.ID, r.Severity)
		}
		if r.Breaks > BreaksBoth {
			t.Errorf("%s: breaks %v", r.ID, r.Breaks)
		}
		if r.Category == CategoryDocumentation && r.Breaks != BreaksNone {
			t.Errorf("%s: a documentation change cannot break anyone", r.ID)
		}
	}
}

// TestBreakingGoldens walks testdata/breaking/<RULE>/{previous,current}: one
// directory per rule, like buf's breaking testdata. Each case must produce
// its own rule, and its whole output is compared with want.txt and
// want.json. Every registered rule must have a case.
func TestBreakingGoldens(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "breaking", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	covered := map[string]bool{}
	for _, dir := range dirs {
		rule := filepath.Base(dir)
		covered[rule] = true
		t.Run(rule, func(t *testing.T) {
			changes := diffCase(t, dir)
			if !slices.ContainsFunc(changes, func(c Change) bool { return c.Rule == rule }) {
				t.Errorf("the case for %s does not produce it:\n%s", rule, renderChanges(dir, changes))
			}
			for _, c := range changes {
				if _, ok := Lookup(c.Rule); !ok {
					t.Errorf("change with unregistered rule %s", c.Rule)
				}
				if c.File == "" || c.Pos.Line == 0 {
					t.Errorf("%s: no location (%q line %d); GitHub annotations need one", c.Rule, c.File, c.Pos.Line)
				}
			}
			goldenFile(t, filepath.Join(dir, "want.txt"), []byte(renderChanges(dir, changes)))
			js, err := json.MarshalIndent(relativeChanges(dir, changes), "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			goldenFile(t, filepath.Join(dir, "want.json"), append(js, '\n'))
		})
	}
	for _, r := range Rules() {
		if !covered[r.ID] {
			t.Errorf("rule %s has no testdata/breaking/%s case", r.ID, r.ID)
		}
	}
}

// diffCase diffs a case the way the CLI does: two single files with
// `driftgate diff OLD NEW`, directories with Catalogs.
func diffCase(t *testing.T, dir string) []Change {
	t.Helper()
	prev, err := contracts.LoadCatalog(filepath.Join(dir, "previous"))
	if err != nil {
		t.Fatal(err)
	}
	cur, err := contracts.LoadCatalog(filepath.Join(dir, "current"))
	if err != nil {
		t.Fatal(err)
	}
	if len(prev.Families) == 1 && len(cur.Families) == 1 && prev.Families[0].ID != cur.Families[0].ID {
		return Contracts(prev.Families[0].Versions[0], cur.Families[0].Versions[0], Options{})
	}
	return Catalogs(prev, cur, Options{})
}

func relativeChanges(dir string, cs []Change) []Change {
	out := slices.Clone(cs)
	for i := range out {
		out[i].File = filepath.ToSlash(strings.TrimPrefix(out[i].File, dir+string(filepath.Separator)))
	}
	return out
}

func renderChanges(dir string, cs []Change) string {
	var b strings.Builder
	for _, c := range relativeChanges(dir, cs) {
		subject := c.Schema
		if c.Column != "" {
			subject += "." + c.Column
		}
		fmt.Fprintf(&b, "%-7s %-22s breaks=%-9s %s:%d:%d %s %s → %s: %s\n", c.Severity, c.Rule, c.Breaks, c.File, c.Pos.Line, c.Pos.Column,
			cmpOr(subject, "-"), c.OldVersion, c.NewVersion, c.Message)
	}
	if len(cs) == 0 {
		b.WriteString("(no changes)\n")
	}
	return b.String()
}

func cmpOr(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func goldenFile(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run go test ./contracts/diff -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test ./contracts/diff -update after an intended change):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func mustParse(t *testing.T, name, yaml string) *contracts.Contract {
	t.Helper()
	c, err := contracts.Parse(name, []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func contractYAML(version, status, columns string) string {
	return fmt.Sprintf(`apiVersion: v3.1.0
kind: DataContract
id: urn:t
version: %q
status: %s
schema:
  - name: t
    properties:
%s`, version, status, columns)
}

const (
	colA        = "      - name: a\n        logicalType: integer\n        required: true\n"
	colB        = "      - name: b\n        logicalType: string\n"
	colBReq     = "      - name: b\n        logicalType: string\n        required: true\n"
	colRangeA   = "      - name: a\n        logicalType: integer\n        required: true\n        logicalTypeOptions:\n          maximum: 10\n"
	colRangeA20 = "      - name: a\n        logicalType: integer\n        required: true\n        logicalTypeOptions:\n          maximum: 20\n"
)

func rules(cs []Change) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Severity+":"+c.Rule)
	}
	return out
}

func TestDiffModesPickTheEnforcedSide(t *testing.T) {
	old := mustParse(t, "old.yaml", contractYAML("1.0.0", "active", colA+colB))
	// b becomes required (breaks producers) and a's range widens (breaks
	// consumers); both keep major 1.
	new := mustParse(t, "new.yaml", contractYAML("1.1.0", "active", colRangeA20+colBReq))
	old2 := mustParse(t, "old.yaml", contractYAML("1.0.0", "active", colRangeA+colB))
	tests := []struct {
		name string
		mode Mode
		want []string
	}{
		{"full enforces both sides", ModeFull, []string{"error:VERSION_BUMP_REQUIRED", "error:RANGE_LOOSENED", "error:REQUIRED_ADDED"}},
		{"backward enforces producers only", ModeBackward, []string{"error:VERSION_BUMP_REQUIRED", "info:RANGE_LOOSENED", "error:REQUIRED_ADDED"}},
		{"forward enforces consumers only", ModeForward, []string{"error:VERSION_BUMP_REQUIRED", "error:RANGE_LOOSENED", "info:REQUIRED_ADDED"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rules(Contracts(old2, new, Options{Mode: tt.mode}))
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("a change on the side the mode ignores needs only a minor bump", func(t *testing.T) {
		n := mustParse(t, "new.yaml", contractYAML("1.0.1", "active", colA+colBReq))
		got := rules(Contracts(old, n, Options{Mode: ModeForward}))
		want := []string{"warning:VERSION_BUMP_SUGGESTED", "info:REQUIRED_ADDED"}
		if !slices.Equal(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
}

func TestDiffSemverGate(t *testing.T) {
	tests := []struct {
		name             string
		oldV, newV       string
		oldCols, newCols string
		want             []string
	}{
		{"a breaking change with a major bump is a warning", "1.4.0", "2.0.0", colA + colB, colA, []string{"warning:COLUMN_REMOVED"}},
		{"a breaking change without a major bump is an error", "1.4.0", "1.5.0", colA + colB, colA, []string{"error:VERSION_BUMP_REQUIRED", "error:COLUMN_REMOVED"}},
		{"a breaking change in 0.x needs a minor bump", "0.3.0", "0.3.1", colA + colB, colA, []string{"error:VERSION_BUMP_REQUIRED", "error:COLUMN_REMOVED"}},
		{"a minor bump is the breaking bump in 0.x", "0.3.0", "0.4.0", colA + colB, colA, []string{"warning:COLUMN_REMOVED"}},
		{"a pre-release may break before its release", "2.0.0-rc.1", "2.0.0", colA + colB, colA, []string{"warning:COLUMN_REMOVED"}},
		{"a compatible addition with a patch bump is a warning", "1.4.0", "1.4.1", colA, colA + colB, []string{"warning:VERSION_BUMP_SUGGESTED", "info:COLUMN_ADDED_OPTIONAL"}},
		{"a compatible addition with a minor bump passes", "1.4.0", "1.5.0", colA, colA + colB, []string{"info:COLUMN_ADDED_OPTIONAL"}},
		{"a version that goes down is an error", "1.4.0", "1.3.9", colA, colA, []string{"error:VERSION_DECREASED"}},
		{"the same version with the same columns has no changes", "1.4.0", "v1.4.0", colA, colA, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := mustParse(t, "old.yaml", contractYAML(tt.oldV, "active", tt.oldCols))
			n := mustParse(t, "new.yaml", contractYAML(tt.newV, "active", tt.newCols))
			got := rules(Contracts(o, n, Options{}))
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("the bump finding points at the version line of the new contract", func(t *testing.T) {
		o := mustParse(t, "old.yaml", contractYAML("1.4.0", "active", colA+colB))
		n := mustParse(t, "new.yaml", contractYAML("1.5.0", "active", colA))
		for _, c := range Contracts(o, n, Options{}) {
			if c.Rule == VersionBumpRequired && (c.File != "new.yaml" || c.Pos.Line != 4 || c.New != "2.0.0") {
				t.Errorf("got %s line %d want %q; want new.yaml line 4 want 2.0.0", c.File, c.Pos.Line, c.New)
			}
		}
	})
}

func TestDiffExcept(t *testing.T) {
	o := mustParse(t, "old.yaml", contractYAML("1.4.0", "active", colA+colB))
	n := mustParse(t, "new.yaml", contractYAML("1.5.0", "active", colA))
	t.Run("a run-level except drops the rule and the bump it forced", func(t *testing.T) {
		if got := Contracts(o, n, Options{Except: []string{ColumnRemoved}}); len(got) != 0 {
			t.Errorf("got %v, want nothing", rules(got))
		}
	})
	t.Run("the new contract can except rules for itself", func(t *testing.T) {
		y := contractYAML("1.5.0", "active", colA) + "customProperties:\n  - property: driftgate.except\n    value: [COLUMN_REMOVED]\n"
		if got := Contracts(o, mustParse(t, "new.yaml", y), Options{}); len(got) != 0 {
			t.Errorf("got %v, want nothing", rules(got))
		}
	})
}

func TestDiffCatalogsTransitive(t *testing.T) {
	// 1.0.0 has b; 1.1.0 dropped it (a breaking change that was let through
	// with a wrong bump); 1.2.0 equals 1.1.0 plus nothing. Against the
	// previous version only, 1.2.0 is fine; against every earlier version
	// it still lacks b.
	v1 := mustParse(t, "v1.yaml", contractYAML("1.0.0", "active", colA+colB))
	v2 := mustParse(t, "v2.yaml", contractYAML("1.1.0", "active", colA))
	v3 := mustParse(t, "v3.yaml", contractYAML("1.2.0", "active", colA+"      - name: c\n        logicalType: string\n"))
	cat, err := contracts.NewCatalog([]*contracts.Contract{v3, v1, v2})
	if err != nil {
		t.Fatal(err)
	}
	got := rules(Catalogs(nil, cat, Options{}))
	if want := []string{"info:COLUMN_ADDED_OPTIONAL"}; !slices.Equal(got, want) {
		t.Errorf("non-transitive: got %v, want %v", got, want)
	}
	got = rules(Catalogs(nil, cat, Options{Transitive: true}))
	want := []string{"error:VERSION_BUMP_REQUIRED", "error:COLUMN_REMOVED", "info:COLUMN_ADDED_OPTIONAL", "info:COLUMN_ADDED_OPTIONAL"}
	if !slices.Equal(got, want) {
		t.Errorf("transitive: got %v, want %v", got, want)
	}
}

func TestOperatorOrdering(t *testing.T) {
	op := func(k contracts.OperatorKind, v ...float64) contracts.Operator {
		o := contracts.Operator{Kind: k}
		if len(v) == 2 {
			o.Low, o.High = v[0], v[1]
		} else {
			o.Value = v[0]
		}
		return o
	}
	tests := []struct {
		o, n contracts.Operator
		want int
	}{
		{op(contracts.MustBeLessOrEqualTo, 5), op(contracts.MustBeLessOrEqualTo, 1), 1},
		{op(contracts.MustBeLessOrEqualTo, 5), op(contracts.MustBeLessThan, 5), 1},
		{op(contracts.MustBeLessThan, 5), op(contracts.MustBeLessOrEqualTo, 5), -1},
		{op(contracts.MustBe, 0), op(contracts.MustBeLessOrEqualTo, 0), -1},
		{op(contracts.MustBeGreaterThan, 0), op(contracts.MustBeGreaterOrEqualTo, 0), -1},
		{op(contracts.MustBeBetween, 1, 10), op(contracts.MustBeBetween, 2, 9), 1},
		{op(contracts.MustBeBetween, 1, 10), op(contracts.MustBeBetween, 5, 20), 2},
		{op(contracts.MustNotBe, 3), op(contracts.MustNotBeBetween, 2, 4), 1},
		{op(contracts.MustBe, 0), op(contracts.MustBe, 0), 0},
		{contracts.Operator{}, op(contracts.MustBe, 0), 1},
	}
	for _, tt := range tests {
		if got := compareOperators(tt.o, tt.n); got != tt.want {
			t.Errorf("%s → %s: got %d, want %d", tt.o, tt.n, got, tt.want)
		}
	}
}

// FuzzDiff diffs two parsed contracts: whatever they hold, Diff must not
// panic, must be deterministic, and a contract diffed with itself has no
// changes.
func FuzzDiff(f *testing.F) {
	for _, dir := range []string{"COLUMN_REMOVED", "TYPE_WIDENED", "QUALITY_LOOSENED", "PRIMARY_KEY_CHANGED"} {
		a, errA := os.ReadFile(filepath.Join("testdata", "breaking", dir, "previous", "orders.odcs.yaml"))
		b, errB := os.ReadFile(filepath.Join("testdata", "breaking", dir, "current", "orders.odcs.yaml"))
		if errA == nil && errB == nil {
			f.Add(a, b)
		}
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		o, err := contracts.Parse("old.yaml", a)
		if err != nil {
			return
		}
		n, err := contracts.Parse("new.yaml", b)
		if err != nil {
			return
		}
		first := Contracts(o, n, Options{})
		second := Contracts(o, n, Options{})
		if fmt.Sprint(first) != fmt.Sprint(second) {
			t.Fatal("Diff is not deterministic")
		}
		if self := Contracts(o, o, Options{}); len(self) != 0 {
			t.Fatalf("a contract differs from itself: %v", rules(self))
		}
	})
}

// TestTypeChanges orders declarations with the one type table that check
// uses, so diff and check agree on what widens.
func TestTypeChanges(t *testing.T) {
	tests := []struct{ from, to, want string }{
		{"int32", "int64", TypeWidened},
		{"int64", "int32", TypeNarrowed},
		{"int32", "double", TypeWidened},
		{"int64", "double", TypeChanged}, // doubles round int64 values beyond 2^53
		{"varchar(50)", "varchar(100)", TypeWidened},
		{"uuid", "string", TypeWidened},
		{"decimal(10,2)", "decimal(12,2)", TypeWidened},
		{"decimal128(10,2)", "decimal(10,2)", ""},
		{"nchar(10)", "character varying(10)", ""},
		{"int4", "integer", ""},
		{"uint8", "uint", TypeWidened},
		{"timestamp[ms]", "timestamp[us]", TypeWidened},
		{"timestamptz", "timestamp_ntz", TypeChanged},
	}
	for _, tt := range tests {
		name := tt.from + " → " + tt.to + " is " + cmpOr(tt.want, "no change")
		t.Run(name, func(t *testing.T) {
			col := func(pt string) string {
				return "      - name: a\n        logicalType: number\n        physicalType: \"" + pt + "\"\n"
			}
			o := mustParse(t, "old.yaml", contractYAML("1.0.0", "active", col(tt.from)))
			n := mustParse(t, "new.yaml", contractYAML("2.0.0", "active", col(tt.to)))
			var got []string
			for _, c := range Contracts(o, n, Options{}) {
				if strings.HasPrefix(c.Rule, "TYPE_") {
					got = append(got, c.Rule)
				}
			}
			want := []string{}
			if tt.want != "" {
				want = []string{tt.want}
			}
			if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
}
