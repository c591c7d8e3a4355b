package contracts

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// contractYAML is a one-table contract at a version and status; the
// columns are YAML list items indented for the table's properties.
func contractYAML(version, status, columns string) string {
	return strings.NewReplacer("VERSION", strconv.Quote(version), "STATUS", status).Replace(
		"apiVersion: v3.1.0\nkind: DataContract\nid: urn:t\nversion: VERSION\nstatus: STATUS\nschema:\n  - name: t\n    properties:\n") + columns
}

const (
	colA = "      - name: a\n        logicalType: integer\n        required: true\n"
	colB = "      - name: b\n        logicalType: string\n"
)

func TestSemVer(t *testing.T) {
	ordered := []string{"0.9.9", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "v1.0.1", "1.2.0", "1.10.0", "2.0.0"}
	for i := 1; i < len(ordered); i++ {
		a, err := ParseSemVer(ordered[i-1])
		if err != nil {
			t.Fatal(err)
		}
		b, err := ParseSemVer(ordered[i])
		if err != nil {
			t.Fatal(err)
		}
		if a.Compare(b) >= 0 || b.Compare(a) <= 0 {
			t.Errorf("%s should sort before %s", ordered[i-1], ordered[i])
		}
	}
	if a, _ := ParseSemVer("1.0.0+build.5"); a.Compare(SemVer{Major: 1}) != 0 {
		t.Error("build metadata must not affect precedence")
	}
	for _, bad := range []string{"", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.x", "1.2.3-", "1.2.3-01", "1.2.3+", "latest", "v", "1.2.3-a..b", "99999999999999999999.0.0"} {
		if _, err := ParseSemVer(bad); err == nil {
			t.Errorf("%q parsed; want an error", bad)
		}
	}
}

func TestContractVersionErrorNamesTheLine(t *testing.T) {
	c, err := Parse("orders.yaml", []byte(contractYAML("1.2", "active", colA)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = ContractVersion(c)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 4 || pe.File != "orders.yaml" {
		t.Fatalf("got %v; want a ParseError at orders.yaml:4", err)
	}
	if !strings.HasPrefix(err.Error(), "orders.yaml:4:") {
		t.Errorf("message %q does not start with file:line", err)
	}
}

func TestCatalog(t *testing.T) {
	dir := t.TempDir()
	write := func(name, version, status string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(contractYAML(version, status, colA)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.yaml", "1.3.0", "active")
	write("b.yaml", "1.10.0", "deprecated")
	write("c.yaml", "1.4.0", "active")
	write("d.yaml", "2.0.0", "draft")
	cat, err := LoadCatalog(dir)
	if err != nil {
		t.Fatal(err)
	}
	f := cat.Families[0]
	var order []string
	for _, c := range f.Versions {
		order = append(order, c.Version)
	}
	if want := []string{"1.3.0", "1.4.0", "1.10.0", "2.0.0"}; !slices.Equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
	t.Run("the default is the newest version that is not draft, deprecated or retired", func(t *testing.T) {
		c, err := cat.Select("", "")
		if err != nil || c.Version != "1.4.0" {
			t.Errorf("got %v %v, want 1.4.0", c, err)
		}
	})
	t.Run("a version can be picked, with or without v", func(t *testing.T) {
		c, err := cat.Select("urn:t", "v2.0.0")
		if err != nil || c.Version != "2.0.0" {
			t.Errorf("got %v %v, want 2.0.0", c, err)
		}
	})
	t.Run("an unknown version lists the known ones", func(t *testing.T) {
		_, err := cat.Select("", "9.9.9")
		if err == nil || !strings.Contains(err.Error(), "1.3.0, 1.4.0, 1.10.0, 2.0.0") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("the same id and version with different content is an error naming both files", func(t *testing.T) {
		if err := os.WriteFile(filepath.Join(dir, "e.yaml"), []byte(contractYAML("1.3.0", "active", colA+colB)), 0o644); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(filepath.Join(dir, "e.yaml"))
		_, err := LoadCatalog(dir)
		if err == nil || !strings.Contains(err.Error(), "a.yaml") || !strings.Contains(err.Error(), "e.yaml") {
			t.Errorf("got %v; want an error naming a.yaml and e.yaml", err)
		}
	})
	t.Run("an identical copy is kept once", func(t *testing.T) {
		if err := os.WriteFile(filepath.Join(dir, "f.yaml"), []byte(contractYAML("1.3.0", "active", colA)), 0o644); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(filepath.Join(dir, "f.yaml"))
		cat, err := LoadCatalog(dir)
		if err != nil || len(cat.Families[0].Versions) != 4 {
			t.Errorf("got %v", err)
		}
	})
	t.Run("a version that is not semantic is an error at its line", func(t *testing.T) {
		write("g.yaml", "next", "active")
		defer os.Remove(filepath.Join(dir, "g.yaml"))
		_, err := LoadCatalog(dir)
		if err == nil || !strings.Contains(err.Error(), "g.yaml:4:") {
			t.Errorf("got %v; want g.yaml:4", err)
		}
	})
}
