package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker/rules"
)

func TestRulesListsEveryFamilyFromTheRegistry(t *testing.T) {
	stdout, stderr, code := cli(t, nil, "rules")
	if code != exitPass {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, r := range rules.All() {
		if !strings.Contains(stdout, r.ID+" ") {
			t.Errorf("driftgate rules does not list %s (%s)", r.ID, r.Family)
		}
	}
	for _, id := range []string{"VALUE_RANGE", "QUALITY_ROW_COUNT", "DRIFT_SCHEMA", "COLUMN_REMOVED", "VERSION_BROKEN", "VERSION_CONFORMANCE", "CONTRACT_INVALID"} {
		if !strings.Contains(stdout, id+" ") {
			t.Errorf("driftgate rules does not list %s", id)
		}
	}
}

func TestRulesFiltersByFamilyInEveryFormat(t *testing.T) {
	t.Run("json lists exactly the diff family", func(t *testing.T) {
		stdout, stderr, code := cli(t, nil, "rules", "--family", "diff", "--format", "json")
		if code != exitPass {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var got struct {
			Rules []struct{ ID, Family, Category, Severity, Doc string }
		}
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatalf("%v in %s", err, stdout)
		}
		want := rules.Of(rules.FamilyDiff)
		if len(got.Rules) != len(want) || len(want) < 40 {
			t.Fatalf("%d rules, want the %d diff rules", len(got.Rules), len(want))
		}
		for i, r := range got.Rules {
			if r.ID != want[i].ID || r.Family != "diff" || r.Doc == "" || r.Severity == "" {
				t.Errorf("rule %d = %+v, want %s of family diff with a doc and severity", i, r, want[i].ID)
			}
		}
	})
	t.Run("markdown of two families has their rows only", func(t *testing.T) {
		stdout, _, code := cli(t, nil, "rules", "--family", "version,contract", "--format", "markdown")
		if code != exitPass {
			t.Fatalf("exit %d", code)
		}
		lines := strings.Split(strings.TrimSpace(stdout), "\n")
		if len(lines) != 2+len(rules.Of(rules.FamilyVersion))+len(rules.Of(rules.FamilyContract)) || !strings.Contains(stdout, "| `VERSION_BROKEN` | version |") || !strings.Contains(stdout, "| `CONTRACT_INVALID` | contract |") {
			t.Errorf("markdown:\n%s", stdout)
		}
	})
	t.Run("an unknown family is a usage error naming the known ones", func(t *testing.T) {
		_, stderr, code := cli(t, nil, "rules", "--family", "lint")
		if code != exitUsage || !strings.Contains(stderr, "check, quality, drift, diff, version, contract") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("an unknown format is a usage error", func(t *testing.T) {
		if _, _, code := cli(t, nil, "rules", "--format", "yaml"); code != exitUsage {
			t.Errorf("exit %d, want %d", code, exitUsage)
		}
	})
}

// TestConfigAcceptsEveryRegisteredRule writes a severity override for
// every rule of every family: config validation reads the one registry, so
// VERSION_BROKEN (once rejected) and the diff rules are accepted alike.
func TestConfigAcceptsEveryRegisteredRule(t *testing.T) {
	fixtureRepo(t)
	var b strings.Builder
	b.WriteString("version: 1\ndatasets:\n  - name: orders\n    data: [data/orders-csv/orders.csv]\n    contract: contracts/orders.odcs.yaml\n    severity:\n")
	for _, r := range rules.All() {
		b.WriteString("      " + r.ID + ": info\n")
	}
	if err := os.WriteFile("driftgate.yaml", []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := cli(t, nil, "config", "validate")
	if code != exitPass {
		t.Errorf("config validate: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}
