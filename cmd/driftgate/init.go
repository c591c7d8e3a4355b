package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/driftgate/driftgate/checker/project"
)

func newInitCmd(e env) *cobra.Command {
	var path string
	var force bool
	cmd := &cobra.Command{
		Use:   "init [DIR]",
		Short: "Write a commented driftgate.yaml from the contracts and data found under DIR",
		Long: `Look for ODCS contracts and Parquet/CSV data under DIR (default: the current
directory), pair each contract with the data whose path names its table, and
write a commented driftgate.yaml to start from. Partition directories such as
dt=2026-11-23 become placeholders (dt={dt}). The file is validated before it
is written, and an existing file is never overwritten without --force.`,
		Example: `  driftgate init
  driftgate init --config ci/driftgate.yaml`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			root := "."
			if len(args) == 1 {
				root = args[0]
			}
			return runInit(cmd.Context(), e, root, path, force)
		},
	}
	cmd.Flags().StringVar(&path, "config", project.DefaultFile, "where to write the config")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing config")
	return cmd
}

func runInit(ctx context.Context, e env, root, path string, force bool) error {
	if !force {
		if _, err := os.Stat(path); err == nil {
			return usage(fmt.Errorf("%s exists; pass --force to overwrite it", path))
		}
	}
	disc, err := project.Discover(ctx, root, path)
	if err != nil {
		return &exitError{code: exitUnreadable, err: err}
	}
	// Paths in the config are relative to its own directory.
	rel, err := filepath.Rel(filepath.Dir(path), root)
	if err != nil {
		return usage(err)
	}
	text, err := runnableConfig(path, disc, rel)
	if err != nil {
		return usage(err)
	}
	flag := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flag = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flag, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return usage(fmt.Errorf("%s exists; pass --force to overwrite it", path))
	}
	if err != nil {
		return usage(err)
	}
	_, err = f.Write(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return usage(fmt.Errorf("write %s: %w", path, err))
	}
	say(e.stdout, "wrote %s with %s; check the data paths, then run driftgate run\n", path, plural(len(disc.Datasets), "dataset"))
	for _, s := range disc.Skipped {
		say(e.stderr, "driftgate: init: skipped %s\n", s)
	}
	return nil
}

// runnableConfig renders the config and proves that it runs: it loads, and
// every dataset's contract resolves and its data paths select files. A
// dataset that would not is left out, with the reason among the skipped.
func runnableConfig(path string, disc *project.Discovery, rel string) ([]byte, error) {
	for {
		text := renderInit(disc, rel)
		cfg, err := project.Parse(path, text)
		if err != nil {
			return nil, fmt.Errorf("the generated config does not validate (a bug in driftgate init): %w", err)
		}
		var kept []project.Found
		for i, d := range disc.Datasets {
			if _, err := cfg.Job(&cfg.Datasets[i], project.JobOptions{}); err != nil {
				disc.Skipped = append(disc.Skipped, fmt.Sprintf("dataset %s: %s", d.Name, strings.SplitN(err.Error(), "\n", 2)[0]))
				continue
			}
			kept = append(kept, d)
		}
		if len(kept) == len(disc.Datasets) {
			return text, nil
		}
		disc.Datasets = kept
	}
}

// renderInit writes the config text, with comments that teach the format.
func renderInit(found *project.Discovery, rel string) []byte {
	join := func(p string) string {
		if rel == "." || rel == "" {
			return filepath.ToSlash(p)
		}
		return filepath.ToSlash(filepath.Join(rel, p))
	}
	var b bytes.Buffer
	b.WriteString(`# driftgate.yaml: the datasets this project checks. Written by driftgate init;
# edit freely. Relative paths are relative to this file.
#   driftgate run                              check everything
#   driftgate run --changed-since origin/main  only what a change touches
#   driftgate config schema                    the JSON Schema, for editors
version: 1

# The lowest finding severity that fails a run: error, warning, info or never.
failOn: error

# Reports every run writes, in addition to --format. Without any, the text
# report goes to the terminal.
# reports:
#   - format: json
#     path: out/driftgate.json
#   - format: junit
#     path: out/junit.xml
#   - format: html
#     path: out/driftgate.html

datasets:
`)
	if len(found.Datasets) == 0 {
		b.WriteString(`  # No ODCS contract was found. Describe a dataset like this one:
  - name: orders
    data:
      - data/orders/
    contract: contracts/orders.odcs.yaml
`)
	}
	for _, d := range found.Datasets {
		fmt.Fprintf(&b, "  - name: %s\n", yamlString(d.Name))
		b.WriteString("    # Files, directories or globs. A {placeholder} matches one path segment;\n")
		b.WriteString("    # by default the latest partition is checked (partitions: all for every one).\n")
		b.WriteString("    data:\n")
		for _, p := range d.Data {
			fmt.Fprintf(&b, "      - %s\n", yamlString(join(p)))
		}
		fmt.Fprintf(&b, "    # Paired by columns: the data has %d of the contract's %d properties.\n", d.Matched, d.Properties)
		if d.Versions > 1 {
			fmt.Fprintf(&b, "    # A directory of %d versions: the newest active one is checked.\n", d.Versions)
			fmt.Fprintf(&b, "    contractId: %s\n", yamlString(d.ContractID))
		}
		fmt.Fprintf(&b, "    contract: %s\n", yamlString(join(d.Contract)))
		b.WriteString(`    # Drift: compare each run with a baseline profile. Create it with
    # driftgate baseline update, commit it, and refresh it when a drift is accepted.
`)
		fmt.Fprintf(&b, "    # baseline: %s\n", join("baselines/"+d.Name+".profile.json"))
		b.WriteString(`    # drift:
    #   exclude: [loaded_at]
    #   failOn: warning      # drift findings fail the dataset from this severity, as driftgate drift
    #   psi: 0.2
    # Severity overrides and accepted findings, by rule ID (driftgate rules):
    # severity:
    #   COLUMN_UNEXPECTED: info
    # exceptions:
    #   - rule: VALUE_PATTERN
    #     column: customer_id
    #     reason: legacy ids, migrated by 2027
    #     until: "2027-01-31"
`)
	}
	if len(found.Skipped) > 0 {
		b.WriteString("\n# Left out by driftgate init:\n")
		for _, sk := range found.Skipped {
			fmt.Fprintf(&b, "#   %s\n", sk)
		}
	}
	return b.Bytes()
}

// yamlString quotes a scalar when YAML would read it as something else.
func yamlString(s string) string {
	if s == "" || strings.ContainsAny(s, ":#{}[],&*!|>'\"%@`") || strings.TrimSpace(s) != s {
		return strconv.Quote(s)
	}
	return s
}
