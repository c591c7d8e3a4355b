package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/reporters"
)

// registerCompletions teaches the shell completion (`driftgate completion
// bash|zsh|fish|powershell`) what the values of driftgate's flags are, so
// that they complete from the registries instead of as file names:
// --format from the reporter registry, rule IDs from the rule registry,
// --server from the servers of the contract given with --contract, and
// --fail-on from the severities. It goes by flag name over every command,
// so a command that gains one of these flags completes it too.
func registerCompletions(root *cobra.Command) {
	walkCommands(root, func(cmd *cobra.Command) {
		complete := map[string]cobra.CompletionFunc{
			"format":  completeFormats(formatNames(cmd)),
			"except":  completeWords(ruleIDs(cmd)),
			"rule":    completeWords(ruleIDs(cmd)),
			"server":  completeServers,
			"fail-on": completeWords(failOnValues()),
		}
		for name, fn := range complete {
			if cmd.LocalNonPersistentFlags().Lookup(name) == nil {
				continue
			}
			if _, done := cmd.GetFlagCompletionFunc(name); done {
				continue // the command registered its own
			}
			// The error only says the flag is missing or already has a
			// function, both ruled out above.
			_ = cmd.RegisterFlagCompletionFunc(name, fn)
		}
	})
}

func walkCommands(cmd *cobra.Command, fn func(*cobra.Command)) {
	fn(cmd)
	for _, c := range cmd.Commands() {
		walkCommands(c, fn)
	}
}

// formatNames are the --format names a command accepts: the reporter
// registry, plus the changelog that diff and changelog render themselves
// (parseDiffOutputs).
func formatNames(cmd *cobra.Command) []string {
	names := reporters.Names()
	if isDiffCommand(cmd) {
		names = append(names, "changelog")
		slices.Sort(names)
	}
	return names
}

func isDiffCommand(cmd *cobra.Command) bool {
	return cmd.Name() == "diff" || cmd.Name() == "changelog"
}

// completeFormats completes NAME of --format NAME[=PATH]; after the "=" the
// shell completes the path as a file name.
func completeFormats(names []string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if strings.Contains(toComplete, "=") {
			return nil, cobra.ShellCompDirectiveDefault
		}
		return names, cobra.ShellCompDirectiveNoFileComp
	}
}

func completeWords(words []string) cobra.CompletionFunc {
	return cobra.FixedCompletions(words, cobra.ShellCompDirectiveNoFileComp)
}

// ruleIDs are the rule IDs a command's rule flags take: the diff rules for
// diff and changelog, every registered rule otherwise.
func ruleIDs(cmd *cobra.Command) []string {
	family := rules.All()
	if isDiffCommand(cmd) {
		family = rules.Of(rules.FamilyDiff)
	}
	ids := make([]string, 0, len(family))
	for _, r := range family {
		ids = append(ids, r.ID)
	}
	if !isDiffCommand(cmd) {
		slices.Sort(ids)
	}
	return ids
}

// failOnValues are the values of --fail-on: the severities and never.
func failOnValues() []string {
	return []string{string(report.SeverityError), string(report.SeverityWarning), string(report.SeverityInfo), "never"}
}

// completeServers completes --server with the names in the servers list of
// the contract that --contract names (a file, or each contract file of a
// directory of versions), each described by its type.
func completeServers(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	fl := cmd.Flags().Lookup("contract")
	if fl == nil || fl.Value.String() == "" {
		return cobra.AppendActiveHelp(nil, "give --contract first: server names come from its servers"), cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	seen := map[string]bool{}
	for _, s := range contractServers(fl.Value.String()) {
		if seen[s.Server] || !strings.HasPrefix(s.Server, toComplete) {
			continue
		}
		seen[s.Server] = true
		out = append(out, cobra.CompletionWithDesc(s.Server, s.Type))
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

// server is the part of an ODCS servers entry completion shows.
type server struct {
	Server string `yaml:"server"`
	Type   string `yaml:"type"`
}

// contractServers reads the servers of the contract at path, or of every
// contract in the directory at path. Completion must never fail loudly, so
// unreadable files contribute nothing. Only the servers list is decoded
// (JSON is YAML too): completing a name must not wait for the whole
// contract to be validated.
func contractServers(path string) []server {
	files := []string{path}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		files = nil
		entries, _ := os.ReadDir(path)
		for _, e := range entries {
			switch strings.ToLower(filepath.Ext(e.Name())) {
			case ".yaml", ".yml", ".json":
				files = append(files, filepath.Join(path, e.Name()))
			}
		}
	}
	var servers []server
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		var doc struct {
			Servers []server `yaml:"servers"`
		}
		if yaml.Unmarshal(data, &doc) != nil {
			continue
		}
		for _, s := range doc.Servers {
			if s.Server != "" {
				servers = append(servers, s)
			}
		}
	}
	return servers
}
