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
	// The two contract copies are one id and version: one dataset. Its
	// table is stored as Parquet partitions and as a CSV; Parquet is kept.

	stdout, stderr, code := cli(t, nil, "init")
	if code != exitPass {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "wrote driftgate.yaml with 1 datasets") {
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
