package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/contracts"
)

// FuzzImport feeds every format arbitrary documents: an import either
// fails with an error or writes a contract that loads.
func FuzzImport(f *testing.F) {
	seeds, _ := filepath.Glob("../../cmd/driftgate/testdata/import/*")
	ddl, _ := filepath.Glob("testdata/sql/*.sql")
	seeds = append(seeds, ddl...)
	// The public schemas of every format (fixtures/imports), not their data.
	for _, pattern := range []string{"*/*/*.*", "*/*/*/*.*"} {
		files, _ := filepath.Glob(filepath.Join(realWorld, pattern))
		for _, f := range files {
			if ext := filepath.Ext(f); ext == ".yml" || ext == ".yaml" || ext == ".avsc" || strings.HasSuffix(f, "datapackage.json") || strings.HasSuffix(f, "datacontract.json") || strings.HasSuffix(f, "jsonschema.json") {
				seeds = append(seeds, f)
			}
		}
	}
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			for i := range Formats() {
				f.Add(i, data)
			}
		}
	}
	// The SQL parser compiles its WebAssembly on first use (a second or
	// more of CPU): do it here, once per fuzzing process, not inside the
	// engine's per-input time limit.
	if _, err := Import("sql", "warm.sql", []byte("CREATE TABLE t (a int);"), Options{}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, format int, data []byte) {
		if format < 0 || len(data) > 1<<16 {
			return
		}
		name := Formats()[format%len(Formats())]
		res, err := Import(name, "in", data, Options{})
		if err != nil {
			return
		}
		if _, err := contracts.Parse("out.yaml", res.YAML); err != nil {
			t.Fatalf("%s import wrote a contract that does not load: %v\n%s", name, err, res.YAML)
		}
	})
}
