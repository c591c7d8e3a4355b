package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/driftgate/driftgate/checker/project"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/contracts"
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
			return runInit(e, root, path, force)
		},
	}
	cmd.Flags().StringVar(&path, "config", project.DefaultFile, "where to write the config")
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing config")
	return cmd
}

func runInit(e env, root, path string, force bool) error {
	if !force {
		if _, err := os.Stat(path); err == nil {
			return &exitError{code: exitUsage, err: fmt.Errorf("%s exists; pass --force to overwrite it", path)}
		}
	}
	found, err := scanProject(root, path)
	if err != nil {
		return &exitError{code: exitUnreadable, err: err}
	}
	// Paths in the config are relative to its own directory.
	rel, err := filepath.Rel(filepath.Dir(path), root)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	text := renderInit(found, rel)
	// What init writes must load: a config that fails its own schema
	// would be a poor first impression.
	if _, err := project.Parse(path, text); err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("the generated config does not validate (a bug in driftgate init): %w", err)}
	}
	flag := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flag = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flag, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return &exitError{code: exitUsage, err: fmt.Errorf("%s exists; pass --force to overwrite it", path)}
	}
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	_, err = f.Write(text)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("write %s: %w", path, err)}
	}
	say(e.stdout, "wrote %s with %d datasets; check the data paths, then run driftgate run\n", path, len(found.datasets))
	for _, d := range found.datasets {
		if len(d.data) == 0 {
			say(e.stderr, "driftgate: dataset %s: no data found for its contract; set its data path\n", d.name)
		}
	}
	return nil
}

// initDataset is one dataset init found: a contract and the data whose
// paths name its table.
type initDataset struct {
	name     string
	contract string
	versions int
	data     []string
	// others are data files that also matched but were left out, because
	// the same data in two formats would be counted twice.
	others []string
}

type initFound struct {
	datasets []initDataset
}

// scanProject walks root for contracts and data files, skipping hidden,
// _-prefixed, vendor and node_modules directories.
func scanProject(root, configPath string) (*initFound, error) {
	var contractFiles, dataFiles []string
	cfgAbs, _ := filepath.Abs(configPath)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "node_modules" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if _, ok := source.DetectFormat(p); ok {
			dataFiles = append(dataFiles, p)
		} else if contracts.IsContractFile(p) {
			if abs, _ := filepath.Abs(p); abs != cfgAbs {
				contractFiles = append(contractFiles, p)
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scan %s: %w", root, err)
	}
	// A YAML file that is not a contract (a workflow, this config) is
	// simply not one; only files that load are used.
	var cs []*contracts.Contract
	for _, f := range contractFiles {
		if c, err := contracts.Load(f); err == nil {
			cs = append(cs, c)
		}
	}
	cat, err := contracts.NewCatalog(cs)
	if err != nil {
		return nil, err
	}
	found := &initFound{}
	used := map[string]bool{}
	for _, fam := range cat.Families {
		newest := fam.Versions[len(fam.Versions)-1]
		d := initDataset{contract: newest.Path, versions: len(fam.Versions)}
		if len(fam.Versions) > 1 {
			d.contract = filepath.Dir(newest.Path) + string(filepath.Separator)
		}
		d.name = datasetName(newest, used)
		d.data, d.others = matchData(dataFiles, tableNames(newest))
		found.datasets = append(found.datasets, d)
	}
	return found, nil
}

var nameRE = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func datasetName(c *contracts.Contract, used map[string]bool) string {
	base := c.Name
	if len(c.Schemas) > 0 {
		base = c.Schemas[0].Name
	}
	base = strings.Trim(nameRE.ReplaceAllString(base, "-"), "-._")
	if base == "" {
		base = "dataset"
	}
	name := base
	for i := 2; used[name]; i++ {
		name = base + "-" + strconv.Itoa(i)
	}
	used[name] = true
	return name
}

// tableNames are the names the data of a contract is likely stored under.
func tableNames(c *contracts.Contract) []string {
	var names []string
	for i := range c.Schemas {
		s := &c.Schemas[i]
		names = append(names, strings.ToLower(s.Name), strings.ToLower(s.DataName()))
	}
	if c.Name != "" {
		names = append(names, strings.ToLower(c.Name))
	}
	slices.Sort(names)
	return slices.Compact(slices.DeleteFunc(names, func(s string) bool { return s == "" }))
}

var partitionRE = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)=.+$`)
var dateDirRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// matchData picks the data files whose path names one of the table names
// (a directory, or a file name without its extension), and turns them into
// data paths: a partition directory becomes a {placeholder}, a directory
// holding only matching files becomes that directory. Of one table stored
// in several formats side by side, Parquet is kept.
func matchData(files, names []string) (data, others []string) {
	var hits []string
	for _, f := range files {
		parts := strings.Split(filepath.ToSlash(f), "/")
		for i, part := range parts {
			if i == len(parts)-1 {
				part = strings.SplitN(part, ".", 2)[0]
			}
			if slices.Contains(names, strings.ToLower(part)) {
				hits = append(hits, f)
				break
			}
		}
	}
	if len(hits) == 0 {
		return nil, nil
	}
	// Prefer one format: the same table as Parquet and as CSV side by
	// side would be one batch read twice.
	byFormat := map[source.Format][]string{}
	for _, h := range hits {
		fm, _ := source.DetectFormat(h)
		byFormat[fm] = append(byFormat[fm], h)
	}
	keep := hits
	if len(byFormat) > 1 {
		if pq := byFormat[source.Parquet]; len(pq) > 0 {
			keep = pq
		}
		for _, h := range hits {
			if !slices.Contains(keep, h) {
				others = append(others, h)
			}
		}
	}
	seen := map[string]bool{}
	for _, f := range keep {
		p := dataPattern(f)
		if !seen[p] {
			seen[p] = true
			data = append(data, p)
		}
	}
	return data, others
}

// dataPattern generalises a file path: the deepest partition-looking
// directory (key=value or a date) and everything below it become a
// placeholder directory; otherwise the file itself, so a neighbour file of
// another table is never swept in.
func dataPattern(f string) string {
	parts := strings.Split(filepath.ToSlash(f), "/")
	dirs := parts[:len(parts)-1]
	for i := len(dirs) - 1; i >= 0; i-- {
		if m := partitionRE.FindStringSubmatch(dirs[i]); m != nil {
			out := slices.Clone(dirs[:i+1])
			out[i] = m[1] + "={" + m[1] + "}"
			// Outer partitions (year=, month=) become placeholders too.
			for j := 0; j < i; j++ {
				if m := partitionRE.FindStringSubmatch(out[j]); m != nil {
					out[j] = m[1] + "={" + m[1] + "}"
				}
			}
			return strings.Join(out, "/") + "/"
		}
		if dateDirRE.MatchString(dirs[i]) {
			out := slices.Clone(dirs[:i+1])
			out[i] = "{date}"
			return strings.Join(out, "/") + "/"
		}
	}
	return filepath.ToSlash(f)
}

// renderInit writes the config text, with comments that teach the format.
func renderInit(found *initFound, rel string) []byte {
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
	if len(found.datasets) == 0 {
		b.WriteString(`  # No ODCS contract was found. Describe a dataset like this one:
  - name: orders
    data:
      - data/orders/
    contract: contracts/orders.odcs.yaml
`)
	}
	for _, d := range found.datasets {
		fmt.Fprintf(&b, "  - name: %s\n", yamlString(d.name))
		b.WriteString("    # Files, directories or globs. A {placeholder} matches one path segment;\n")
		b.WriteString("    # by default the latest partition is checked (partitions: all for every one).\n")
		if len(d.data) == 0 {
			b.WriteString("    # No data was found whose path names this contract's table: set it.\n")
			fmt.Fprintf(&b, "    data:\n      - %s\n", yamlString(join("data/"+d.name+"/")))
		} else {
			b.WriteString("    data:\n")
			for _, p := range d.data {
				fmt.Fprintf(&b, "      - %s\n", yamlString(join(p)))
			}
		}
		for _, o := range d.others {
			fmt.Fprintf(&b, "    # also found, left out (same table in another format): %s\n", join(o))
		}
		if d.versions > 1 {
			fmt.Fprintf(&b, "    # A directory of %d versions: the newest active one is checked.\n", d.versions)
		}
		fmt.Fprintf(&b, "    contract: %s\n", yamlString(join(d.contract)))
		b.WriteString(`    # Drift: compare each run with a baseline profile. Create it with
    # driftgate baseline update, commit it, and refresh it when a drift is accepted.
`)
		fmt.Fprintf(&b, "    # baseline: %s\n", join("baselines/"+d.name+".profile.json"))
		b.WriteString(`    # drift:
    #   exclude: [loaded_at]
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
	return b.Bytes()
}

// yamlString quotes a scalar when YAML would read it as something else.
func yamlString(s string) string {
	if s == "" || strings.ContainsAny(s, ":#{}[],&*!|>'\"%@`") || strings.TrimSpace(s) != s {
		return strconv.Quote(s)
	}
	return s
}
