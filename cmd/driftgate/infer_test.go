package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestInferThenCheck is the first minute of a new user: infer a contract
// from a folder's data, lint it, check the data against it.
func TestInferThenCheck(t *testing.T) {
	inRepoRoot(t)
	out := filepath.Join(t.TempDir(), "orders.odcs.yaml")
	_, stderr, code := cli(t, nil, "infer", "fixtures/orders-clean/orders.csv", "--name", "orders", "-o", out)
	if code != exitPass || !strings.Contains(stderr, "inferred orders from 500 rows into "+out) {
		t.Fatalf("infer: exit %d: %s", code, stderr)
	}
	if stdout, _, code := cli(t, nil, "lint", out); code != exitPass {
		t.Fatalf("lint of the inferred contract: exit %d: %s", code, stdout)
	}
	if stdout, _, code := cli(t, nil, "check", "-c", out, "fixtures/orders-clean/orders.csv"); code != exitPass {
		t.Fatalf("check against the inferred contract: exit %d:\n%s", code, stdout)
	}
	if _, _, code := cli(t, nil, "infer", "fixtures/no-such-dir/"); code != exitUnreadable {
		t.Errorf("infer of a missing path: exit %d, want 3", code)
	}
}
