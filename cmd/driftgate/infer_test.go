package main

import (
	"os"
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

// TestInferFlags runs the flags a user tunes inference with.
func TestInferFlags(t *testing.T) {
	inRepoRoot(t)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string // on stdout, or stderr for a usage error
	}{
		{"--id and --version name the contract", []string{"--id", "orders-v2", "--version", "2.0.0"}, exitPass, "id: orders-v2\nname: orders\nversion: \"2.0.0\"\n"},
		{"--strict states exact bounds", []string{"--strict"}, exitPass, "minimum: 1  # 1–1000 as seen in 500 values\n"},
		{"--loose writes types and nulls only", []string{"--loose"}, exitPass, "      - name: order_id  # 500 rows, 0 nulls\n        logicalType: integer\n        required: true  # no nulls in 500 rows\n      - name:"},
		{"--sample says the claims rest on a sample", []string{"--sample", "20"}, exitPass, "unique: true  # every value distinct (checked exactly) (in a sample: the first 20 rows)"},
		{"--row-count bounds the rows", []string{"--row-count"}, exitPass, "mustBeBetween: [250, 1000]"},
		{"--strict and --loose together are a usage error", []string{"--strict", "--loose"}, exitUsage, "--strict and --loose: choose one"},
		{"a negative --sample is a usage error", []string{"--sample", "-3"}, exitUsage, "--sample -3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := cli(t, nil, append([]string{"infer", "fixtures/orders-clean/orders.csv", "--name", "orders"}, tc.args...)...)
			if code != tc.code || !strings.Contains(stdout+stderr, tc.want) {
				t.Errorf("exit %d (want %d); want %q in:\n%s%s", code, tc.code, tc.want, stdout, stderr)
			}
		})
	}
}

// TestREADMEStartsWithInfer runs the README's first commands as a new user
// would: infer a contract from the clean orders (exit 0), then check the
// batch with planted problems against it (exit 1, with the findings the
// README names).
func TestREADMEStartsWithInfer(t *testing.T) {
	inRepoRoot(t)
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(readme), "## Try it\n")
	if !ok {
		t.Fatal("README.md has no Try it section")
	}
	_, block, ok := strings.Cut(rest, "```sh\n")
	block, _, _ = strings.Cut(block, "```")
	lines := strings.Split(strings.TrimSpace(block), "\n")
	if !ok || len(lines) != 2 || !strings.HasPrefix(lines[0], "go run ./cmd/driftgate infer ") || !strings.HasPrefix(lines[1], "go run ./cmd/driftgate check ") {
		t.Fatalf("the README's first commands are not infer, then check:\n%s", block)
	}
	out := filepath.Join(t.TempDir(), "orders.odcs.yaml")
	args := func(line string) []string {
		a := strings.Fields(strings.TrimPrefix(line, "go run ./cmd/driftgate "))
		for i := range a {
			if a[i] == "orders.odcs.yaml" {
				a[i] = out
			}
		}
		return a
	}
	if _, stderr, code := cli(t, nil, args(lines[0])...); code != exitPass {
		t.Fatalf("%s: exit %d: %s", lines[0], code, stderr)
	}
	stdout, _, code := cli(t, nil, append(args(lines[1]), "-f", "json")...)
	if code != exitFailed {
		t.Fatalf("%s: exit %d, want 1:\n%s", lines[1], code, stdout)
	}
	for _, rule := range []string{"VALUE_UNIQUE", "QUALITY_INVALID_VALUES", "VALUE_TYPE"} {
		if !strings.Contains(stdout, `"rule": "`+rule+`"`) {
			t.Errorf("the check raised no %s, which the README promises", rule)
		}
	}
}
