package diff

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/driftgate/driftgate/contracts"
)

// TestHandlersCoverTheRegistry: every rule a handler names is registered,
// and every registered rule is either fed by the walk through a handler
// or made where two catalogs or two versions are compared as a whole.
func TestHandlersCoverTheRegistry(t *testing.T) {
	outsideTheWalk := []string{ContractAdded, ContractRemoved, VersionBumpRequired, VersionBumpSuggested, VersionDecreased}
	claimed := map[string]bool{}
	names := map[string]bool{}
	for _, h := range handlers() {
		if h.name == "" || names[h.name] {
			t.Errorf("handler %q: a name, once", h.name)
		}
		names[h.name] = true
		if len(h.rules) == 0 {
			t.Errorf("handler %q names no rule", h.name)
		}
		for _, id := range h.rules {
			if _, ok := Lookup(id); !ok {
				t.Errorf("handler %q: rule %s is not registered", h.name, id)
			}
			claimed[id] = true
		}
		if h.contract == nil && h.schema == nil && h.schemaAdded == nil && h.schemaRemoved == nil && h.column == nil &&
			h.columnAdded == nil && h.columnRemoved == nil && h.quality == nil && h.qualityAdded == nil && h.qualityRemoved == nil {
			t.Errorf("handler %q judges nothing", h.name)
		}
	}
	for _, r := range Rules() {
		if claimed[r.ID] == slices.Contains(outsideTheWalk, r.ID) {
			t.Errorf("%s: claimed by a handler %v, made outside the walk %v; want exactly one", r.ID, claimed[r.ID], !claimed[r.ID])
		}
	}
}

// TestHandlersEmitOnlyTheirRules walks every previous/current case and
// wants each change made by a handler that names its rule.
func TestHandlersEmitOnlyTheirRules(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "breaking", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no cases: %v", err)
	}
	walked := 0
	for _, dir := range dirs {
		prev, err1 := contracts.LoadCatalog(filepath.Join(dir, "previous"))
		cur, err2 := contracts.LoadCatalog(filepath.Join(dir, "current"))
		if err1 != nil || err2 != nil {
			t.Fatalf("%s: %v %v", dir, err1, err2)
		}
		for _, o := range prev.Families {
			for _, n := range cur.Families {
				d := newDiffer(o.Versions[0], n.Versions[len(n.Versions)-1])
				d.walk()
				walked++
				for _, m := range d.misfiled {
					t.Errorf("%s: handler %q made a %s change, which it does not name", dir, m.handler, m.rule)
				}
			}
		}
	}
	if walked == 0 {
		t.Fatal("no pair of contracts walked")
	}
}
