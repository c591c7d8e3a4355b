package main

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/driftgate/driftgate/contracts/diff"
	"github.com/driftgate/driftgate/reporters"
)

// completions runs the hidden __complete command, as the shell scripts of
// `driftgate completion` do, and returns the candidates (without their
// descriptions) and the directive line.
func completions(t *testing.T, args ...string) (values []string, directive string) {
	t.Helper()
	stdout, stderr, code := cli(t, nil, append([]string{"__complete"}, args...)...)
	if code != exitPass {
		t.Fatalf("__complete %v: exit %d\n%s", args, code, stderr)
	}
	return parseCompletions(t, stdout)
}

func parseCompletions(t *testing.T, stdout string) (values []string, directive string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	if len(lines) == 0 || !strings.HasPrefix(lines[len(lines)-1], ":") {
		t.Fatalf("no directive line in:\n%s", stdout)
	}
	for _, l := range lines[:len(lines)-1] {
		if strings.HasPrefix(l, "_activeHelp_ ") {
			continue
		}
		v, _, _ := strings.Cut(l, "\t")
		values = append(values, v)
	}
	return values, lines[len(lines)-1]
}

// noFiles is cobra's ShellCompDirectiveNoFileComp: the shell must not
// offer file names instead.
const noFiles = ":4"

func TestCompletionIsListed(t *testing.T) {
	stdout, _, code := cli(t, nil, "--help")
	if code != exitPass || !listsCommand(stdout, "completion") {
		t.Errorf("driftgate --help does not list completion:\n%s", stdout)
	}
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		stdout, stderr, code := cli(t, nil, "completion", shell)
		if code != exitPass || !strings.Contains(stdout, "__complete") {
			t.Errorf("driftgate completion %s: exit %d, script does not call __complete\n%s", shell, code, stderr)
		}
	}
}

func listsCommand(text, command string) bool {
	for _, l := range strings.Split(text, "\n") {
		if f := strings.Fields(l); len(f) > 0 && f[0] == command {
			return true
		}
	}
	return false
}

func TestCompleteFormats(t *testing.T) {
	inRepoRoot(t)
	contract := "fixtures/orders-clean/contract.odcs.yaml"
	tests := []struct {
		cmd  []string
		want []string
		// accept runs the command with one completed format.
		accept func(format, path string) []string
	}{
		{[]string{"check"}, reporters.Names(), func(f, p string) []string {
			return []string{"check", "-c", contract, "fixtures/orders-clean/orders.parquet", "-f", f + "=" + p}
		}},
		{[]string{"diff"}, append(reporters.Names(), "changelog"), func(f, p string) []string {
			return []string{"diff", contract, contract, "-f", f + "=" + p}
		}},
		{[]string{"changelog"}, append(reporters.Names(), "changelog"), nil},
		{[]string{"drift"}, reporters.Names(), nil},
		{[]string{"run"}, reporters.Names(), nil},
	}
	for _, tt := range tests {
		t.Run(tt.cmd[0], func(t *testing.T) {
			got, dir := completions(t, append(tt.cmd, "--format", "")...)
			want := slices.Sorted(slices.Values(tt.want))
			if !slices.Equal(got, want) || dir != noFiles {
				t.Errorf("--format completes %v %s, want %v %s", got, dir, want, noFiles)
			}
			if short, _ := completions(t, append(tt.cmd, "-f", "j")...); !slices.Equal(short, want) {
				t.Errorf("-f completes %v, want %v (the shell filters by prefix)", short, want)
			}
			// After NAME= the shell completes a file name.
			if _, dir := completions(t, append(tt.cmd, "--format", "json=out/")...); dir != ":0" {
				t.Errorf("--format json=… completes with directive %s, want :0 (file names)", dir)
			}
			if tt.accept == nil {
				return
			}
			for _, f := range got {
				_, stderr, code := cli(t, nil, tt.accept(f, filepath.Join(t.TempDir(), "report"))...)
				if code != exitPass {
					t.Errorf("%s rejects the completed format %s: exit %d\n%s", tt.cmd[0], f, code, stderr)
				}
			}
		})
	}
}

func TestCompleteRuleIDs(t *testing.T) {
	inRepoRoot(t)
	got, dir := completions(t, "diff", "--except", "")
	var want []string
	for _, r := range diff.Rules() {
		want = append(want, r.ID)
	}
	if !slices.Equal(got, want) || dir != noFiles {
		t.Fatalf("diff --except completes %v %s, want the diff rules %v", got, dir, want)
	}
	// Every completed ID is one diff --except accepts.
	contract := "fixtures/orders-clean/contract.odcs.yaml"
	for _, id := range got {
		if _, stderr, code := cli(t, nil, "diff", "--except", id, contract, contract); code != exitPass {
			t.Errorf("diff --except %s: exit %d\n%s", id, code, stderr)
		}
	}
}

func TestCompleteFailOn(t *testing.T) {
	for _, cmd := range []string{"check", "diff", "drift", "run"} {
		got, dir := completions(t, cmd, "--fail-on", "")
		want := []string{"error", "warning", "info", "never"}
		if !slices.Equal(got, want) || dir != noFiles {
			t.Errorf("%s --fail-on completes %v %s, want %v", cmd, got, dir, want)
		}
		for _, v := range got {
			if err := validFailOn(v); err != nil {
				t.Errorf("completed --fail-on %s is rejected: %v", v, err)
			}
		}
	}
}

// TestCompleteServers completes --server from the servers of the contract
// that --contract names, on every command that has the flag. Until a
// driftgate command reads data from a contract's servers (the object-store
// and SQL issues add --server to check), a command made the way they add it
// stands in for them, on the real root and completion machinery.
func TestCompleteServers(t *testing.T) {
	dir := t.TempDir()
	contract := filepath.Join(dir, "orders.odcs.yaml")
	writeFile(t, contract, `apiVersion: v3.1.0
kind: DataContract
id: orders
version: 1.0.0
status: active
servers:
  - server: production
    type: s3
    location: s3://lake/orders/*.parquet
  - server: warehouse
    type: postgres
  - server: staging
    type: s3
schema: []
`)
	writeFile(t, filepath.Join(dir, "orders-2.odcs.yaml"), "servers:\n  - server: production\n    type: s3\n  - server: archive\n    type: azure\n")
	writeFile(t, filepath.Join(dir, "notes.txt"), "servers: [{server: nope}]")

	root := newRoot(env{getenv: func(string) string { return "" }})
	cmds := []string{}
	walkCommands(root, func(c *cobra.Command) {
		if c.Flags().Lookup("server") != nil {
			cmds = append(cmds, c.Name())
		}
	})
	probe := &cobra.Command{Use: "probe", RunE: func(*cobra.Command, []string) error { return nil }}
	probe.Flags().StringP("contract", "c", "", "")
	probe.Flags().String("server", "", "")
	root.AddCommand(probe)
	registerCompletions(root)
	cmds = append(cmds, "probe")

	complete := func(args ...string) ([]string, string) {
		var out bytes.Buffer
		root.SetArgs(append([]string{"__complete"}, args...))
		root.SetOut(&out)
		root.SetErr(&bytes.Buffer{})
		if err := root.ExecuteContext(context.Background()); err != nil {
			t.Fatalf("__complete %v: %v", args, err)
		}
		return parseCompletions(t, out.String())
	}
	for _, cmd := range cmds {
		tests := []struct {
			args []string
			want []string
		}{
			{[]string{cmd, "--contract", contract, "--server", ""}, []string{"production", "warehouse", "staging"}},
			{[]string{cmd, "-c", contract, "--server", "s"}, []string{"staging"}},
			{[]string{cmd, "-c", dir, "--server", ""}, []string{"production", "archive", "warehouse", "staging"}},
			{[]string{cmd, "-c", filepath.Join(dir, "missing.yaml"), "--server", ""}, nil},
			{[]string{cmd, "--server", ""}, nil},
		}
		for _, tt := range tests {
			got, dir := complete(tt.args...)
			if !slices.Equal(got, tt.want) || dir != noFiles {
				t.Errorf("__complete %v = %v %s, want %v %s", tt.args, got, dir, tt.want, noFiles)
			}
		}
	}
	// The descriptions are the server types.
	var out bytes.Buffer
	root.SetArgs([]string{"__complete", "probe", "-c", contract, "--server", "w"})
	root.SetOut(&out)
	if err := root.Execute(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "warehouse\tpostgres\n") {
		t.Errorf("server completion has no type description:\n%s", out.String())
	}
}
