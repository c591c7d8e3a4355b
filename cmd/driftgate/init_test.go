package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker/project"
)

func TestInit(t *testing.T) {
	goldenPath, err := filepath.Abs(filepath.Join("testdata", "run", "init.golden.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	fixtureRepo(t)
	if err := os.Remove("driftgate.yaml"); err != nil {
		t.Fatal(err)
	}
	// Two data folders, Parquet partitions and a CSV, both with the
	// columns of the one contract (kept in two identical copies): two
	// datasets, one per folder.

	stdout, stderr, code := cli(t, nil, "init")
	if code != exitPass {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "wrote driftgate.yaml with 2 datasets") {
		t.Errorf("stdout %q", stdout)
	}
	got, err := os.ReadFile("driftgate.yaml")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, goldenPath, got)

	t.Run("what init writes loads and runs", func(t *testing.T) {
		if _, err := project.Load("driftgate.yaml"); err != nil {
			t.Fatal(err)
		}
		_, stderr, code := cli(t, nil, "run")
		if code != exitPass {
			t.Errorf("run on the generated config: exit %d: %s", code, stderr)
		}
	})
	t.Run("an existing config is never overwritten without --force", func(t *testing.T) {
		writeFile(t, "driftgate.yaml", "# mine\n")
		_, stderr, code := cli(t, nil, "init")
		if code != exitUsage || !strings.Contains(stderr, "--force") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
		if b, _ := os.ReadFile("driftgate.yaml"); string(b) != "# mine\n" {
			t.Errorf("init changed the existing file to %q", b)
		}
		if _, _, code := cli(t, nil, "init", "--force"); code != exitPass {
			t.Errorf("init --force: exit %d", code)
		}
	})
}

func TestConfigCommands(t *testing.T) {
	t.Run("config schema prints the embedded schema", func(t *testing.T) {
		stdout, _, code := cli(t, nil, "config", "schema")
		want, err := project.Schema()
		if err != nil {
			t.Fatal(err)
		}
		if code != exitPass || stdout != string(want) {
			t.Errorf("exit %d; output differs from project.Schema()", code)
		}
	})
	t.Run("config validate lists the datasets", func(t *testing.T) {
		fixtureRepo(t)
		stdout, _, code := cli(t, nil, "config", "validate")
		if code != exitPass || stdout != "driftgate.yaml: 2 datasets: orders, orders-csv\n" {
			t.Errorf("exit %d, stdout %q", code, stdout)
		}
	})
	t.Run("baseline update of a dataset without a baseline says how to add one", func(t *testing.T) {
		fixtureRepo(t)
		_, stderr, code := cli(t, nil, "baseline", "update", "orders-csv")
		if code != exitUsage || !strings.Contains(stderr, "driftgate.yaml:12: dataset orders-csv has no baseline") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
}

// TestInitOnACopyOfTheFixtures runs init, then run, on a copy of fixtures/:
// many folders, contracts kept beside their data, an invalid contract,
// unreadable data, JSON files that are neither contract nor data of any
// contract, and a folder of contract versions with other JSON in it.
func TestInitOnACopyOfTheFixtures(t *testing.T) {
	src, err := filepath.Abs(filepath.Join("..", "..", "fixtures"))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	if err := os.CopyFS(root, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	// The ecosystem corpus is other tools' contracts, laid out as their
	// tests run them (a schema "orders" of its own), not a project of ours.
	if err := os.RemoveAll(filepath.Join(root, "ecosystem")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	_, stderr, code := cli(t, nil, "init")
	if code != exitPass {
		t.Fatalf("init: exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"skipped contract bad-contract/contract.odcs.yaml: bad-contract/contract.odcs.yaml:19:22:",
		"skipped data unreadable/truncated.parquet: cannot be read",
		"skipped data orders/orders.csv: the same table as parquet",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("init does not say what it skipped and why: no %q in\n%s", want, stderr)
		}
	}
	cfg, err := project.Load("driftgate.yaml")
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]project.Dataset{}
	for _, d := range cfg.Datasets {
		byName[d.Name] = d
	}
	for name, want := range map[string]string{"orders": "orders/contract.odcs.yaml", "orders-clean": "orders-clean/contract.odcs.yaml", "measurements": "quality/"} {
		d, ok := byName[name]
		if !ok || d.Contract != want || len(d.Data) != 1 || !strings.HasPrefix(d.Data[0], strings.TrimSuffix(strings.Split(want, "/")[0], "/")) {
			t.Errorf("dataset %s = %+v, want its own folder's data and contract %s", name, d, want)
		}
	}

	stdout, stderr, code := cli(t, nil, "run", "--format", "json=out.json")
	if code == exitUsage {
		t.Fatalf("run on the config init wrote: exit 2 (a config or contract error)\n%s", stderr)
	}
	if !strings.Contains(stderr, "quality/planted.json: not a contract (no kind or apiVersion), ignored") {
		t.Errorf("a non-contract file in a contract folder is not noted:\n%s", stderr)
	}
	r := readReport(t, "out.json")
	status := map[string]string{}
	for _, d := range r.Datasets {
		status[d.Name] = string(d.Status)
	}
	if status["orders-clean"] != "pass" || status["orders"] != "fail" {
		t.Errorf("datasets %v: want the clean copy to pass on its own (no false duplicates) and the planted one to fail\n%s", status, stdout)
	}
}

func TestInitPairsDataWithContractsByColumns(t *testing.T) {
	fixtures := fixtureRepo(t)
	if err := os.Remove("driftgate.yaml"); err != nil {
		t.Fatal(err)
	}
	// A folder whose name says nothing, holding the orders table.
	copyFile(t, filepath.Join(fixtures, "orders-clean", "orders.csv"), filepath.Join("exports", "daily", "dump.csv"))
	// A folder of another table: no contract has its columns.
	writeFile(t, filepath.Join("exports", "other", "orders.csv"), "sku,price\na,1\n")
	_, stderr, code := cli(t, nil, "init")
	if code != exitPass {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	cfg, err := project.Load("driftgate.yaml")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range cfg.Datasets {
		if len(d.Data) == 1 && d.Data[0] == "exports/daily/dump.csv" {
			found = strings.HasPrefix(d.Contract, "contracts/")
		}
		for _, p := range d.Data {
			if strings.Contains(p, "exports/other") {
				t.Errorf("data of another table was paired by its file name: %+v", d)
			}
		}
	}
	if !found {
		t.Errorf("the orders table in exports/daily/ was not paired with the orders contract: %+v", cfg.Datasets)
	}
	if !strings.Contains(stderr, "skipped data exports/other/orders.csv: no contract's properties match its columns (sku, price)") {
		t.Errorf("init does not say why it left exports/other out:\n%s", stderr)
	}
}
