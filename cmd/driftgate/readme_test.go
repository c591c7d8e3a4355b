package main

import (
	"os"
	"strings"
	"testing"
)

// TestREADMEShowsTheRealOutput keeps the README's example output honest:
// every line it shows (it leaves findings out where it says ...) is a line
// the README's command prints, in the same order.
func TestREADMEShowsTheRealOutput(t *testing.T) {
	inRepoRoot(t)
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	const intro = "prints the findings and exits with code 1:\n\n```\n"
	_, rest, ok := strings.Cut(string(readme), intro)
	if !ok {
		t.Fatal("README.md has no example output after its first command")
	}
	shown, _, _ := strings.Cut(rest, "```")
	stdout, _, code := cli(t, nil, "check", "--contract", "fixtures/orders/contract.odcs.yaml", "fixtures/orders/orders.parquet")
	if code != exitFailed {
		t.Fatalf("the README's command exits %d, want 1", code)
	}
	printed := strings.Split(stdout, "\n")
	i := 0
	for _, l := range strings.Split(strings.TrimRight(shown, "\n"), "\n") {
		if l == "..." {
			continue
		}
		for i < len(printed) && printed[i] != l {
			i++
		}
		if i == len(printed) {
			t.Fatalf("README.md shows a line the command does not print (in this order): %q\nthe command prints:\n%s", l, stdout)
		}
		i++
	}
}
