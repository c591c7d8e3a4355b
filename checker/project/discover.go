package project

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/contracts"
)

// Discovery is what driftgate init found under a directory: the datasets
// it can describe, each a data folder paired with the contract whose
// properties match its columns, and everything it left out, with why.
type Discovery struct {
	Datasets []Found
	// Skipped says, one line each, what was left out and why: contracts
	// that do not load, data no contract matches, files of another format.
	Skipped []string
}

// Found is one dataset init found.
type Found struct {
	Name string
	// Data are the data paths (files, or a folder with {placeholders}),
	// relative to the scanned root; Contract the contract file, or a
	// directory of its versions with ContractID naming the family.
	Data       []string
	Contract   string
	ContractID string
	Versions   int
	// Matched is how many of the contract's properties the data has, of
	// Properties.
	Matched, Properties int
}

// matchShare is the least share of a contract's properties a data
// folder's columns must have to pair with it: enough that a contract is
// never paired with unrelated data, few enough that a batch with a
// missing or extra column still finds its contract (and check reports
// the difference).
const matchShare = 0.5

// Discover scans root for contracts and data. Data is grouped by folder
// (a partitioned folder such as dt=2026-11-23/ is one folder with a
// placeholder) and by column set, and each group pairs with the contract
// whose properties best match its columns (a CSV header or a Parquet
// schema). skip names a file to leave out (the config being written).
func Discover(ctx context.Context, root, skip string) (*Discovery, error) {
	var contractFiles, dataFiles []string
	skipAbs, _ := filepath.Abs(skip)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "node_modules" || name == "vendor" || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if abs, _ := filepath.Abs(p); abs == skipAbs {
			return nil
		}
		// A .json or .yaml file is a contract when it says so; a .json
		// file that does not may still be data.
		isContract := contracts.IsContractFile(p) && LooksLikeContract(p)
		if _, ok := source.DetectFormat(p); ok && !isContract {
			dataFiles = append(dataFiles, p)
		} else if contracts.IsContractFile(p) {
			contractFiles = append(contractFiles, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("scan %s: %w", root, err)
	}
	disc := &Discovery{}
	rel := func(p string) string {
		if r, err := filepath.Rel(root, p); err == nil {
			return filepath.ToSlash(r)
		}
		return filepath.ToSlash(p)
	}

	// Contracts: a file that is not one is ignored quietly (workflows,
	// expectations); one that claims to be a contract but does not load
	// is named with its first problem.
	var cs []*contracts.Contract
	// copies holds every file of a contract id, so data pairs with the
	// copy beside it when one contract is kept in several folders.
	copies := map[string][]string{}
	notContracts := 0
	for _, f := range contractFiles {
		if !LooksLikeContract(f) {
			notContracts++
			continue
		}
		c, _, _, err := ResolveContract(f, "", "")
		if err != nil {
			disc.Skipped = append(disc.Skipped, fmt.Sprintf("contract %s: %s", rel(f), firstLine(err)))
			continue
		}
		cs = append(cs, c)
		copies[c.ID] = append(copies[c.ID], f)
	}
	if notContracts > 0 {
		disc.Skipped = append(disc.Skipped, fmt.Sprintf("%d YAML or JSON files that are not contracts (no kind or apiVersion)", notContracts))
	}
	cat, err := contracts.NewCatalog(cs)
	if err != nil {
		// Two different files claim one id and version: init cannot
		// tell which is meant, and neither can run.
		disc.Skipped = append(disc.Skipped, "contracts: "+firstLine(err))
		cat, _ = contracts.NewCatalog(nil)
	}
	var newest []*contracts.Contract
	for _, fam := range cat.Families {
		if c, err := fam.Newest(); err == nil {
			newest = append(newest, c)
		}
	}

	used := map[string]bool{}
	paired := map[*contracts.Contract]bool{}
	for _, g := range groupData(ctx, dataFiles, rel, disc) {
		c, s, matched := bestContract(newest, g)
		if c == nil {
			disc.Skipped = append(disc.Skipped, fmt.Sprintf("data %s: no contract's properties match its columns (%s)", strings.Join(g.paths, ", "), listSome(g.columns, 5)))
			continue
		}
		paired[c] = true
		f := Found{Data: g.paths, Contract: rel(nearest(c, copies[c.ID], g.dir)), Matched: matched, Properties: len(s.Properties)}
		fam := cat.Family(c.ID)
		if len(fam.Versions) > 1 {
			if dir := sameDir(fam.Versions); dir != "" {
				f.Contract, f.ContractID, f.Versions = rel(dir)+"/", c.ID, len(fam.Versions)
			}
		}
		f.Name = uniqueName(used, s.Name, g.folder)
		disc.Datasets = append(disc.Datasets, f)
	}
	for _, c := range newest {
		if !paired[c] {
			disc.Skipped = append(disc.Skipped, fmt.Sprintf("contract %s: no data whose columns match its properties", rel(c.Path)))
		}
	}
	return disc, nil
}

// nearest is the copy of contract c that sits closest above dir: the
// contract kept beside its data.
func nearest(c *contracts.Contract, copies []string, dir string) string {
	best, depth := c.Path, -1
	for _, p := range copies {
		d := filepath.Dir(p)
		if (dir == d || strings.HasPrefix(dir, d+string(filepath.Separator))) && len(d) > depth {
			best, depth = p, len(d)
		}
	}
	return best
}

// dataGroup is the files of one folder that share a column set.
type dataGroup struct {
	dir     string // the folder on disk
	folder  string // the folder's path, for the dataset name
	label   string // how messages name the group
	paths   []string
	columns []string
}

var (
	partitionRE = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)=.+$`)
	dateDirRE   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
)

// groupData groups data files by folder and column set. Of one table
// stored in two formats side by side, the Parquet files are kept: the
// same rows read twice would all be duplicates.
func groupData(ctx context.Context, files []string, rel func(string) string, disc *Discovery) []*dataGroup {
	type key struct{ folder, columns string }
	groups := map[key]*dataGroup{}
	formats := map[key]map[source.Format][]string{}
	var order []key
	for _, f := range files {
		cols, err := columnsOf(ctx, f)
		if err != nil {
			disc.Skipped = append(disc.Skipped, fmt.Sprintf("data %s: cannot be read: %s", rel(f), firstLine(err)))
			continue
		}
		folder, pattern := dataFolder(rel(f))
		k := key{folder, strings.Join(cols, "\x00")}
		if _, ok := groups[k]; !ok {
			g := &dataGroup{dir: filepath.Dir(f), folder: strings.TrimSuffix(strings.SplitN(folder, "/{", 2)[0], "/"), label: folder, columns: cols}
			if g.folder == "." || g.folder == "" {
				g.folder = strings.SplitN(filepath.Base(f), ".", 2)[0]
			}
			groups[k] = g
			formats[k] = map[source.Format][]string{}
			order = append(order, k)
		}
		fm, _ := source.DetectFormat(f)
		formats[k][fm] = append(formats[k][fm], pattern)
	}
	var out []*dataGroup
	for _, k := range order {
		g := groups[k]
		byFormat := formats[k]
		keep := source.Parquet
		if len(byFormat[keep]) == 0 {
			for fm := range byFormat {
				if keep == source.Parquet || fm < keep {
					keep = fm
				}
			}
		}
		for fm, ps := range byFormat {
			if fm != keep {
				disc.Skipped = append(disc.Skipped, fmt.Sprintf("data %s: the same table as %s, left out so no row is read twice", strings.Join(slices.Compact(ps), ", "), keep))
			}
		}
		g.paths = slices.Compact(byFormat[keep])
		out = append(out, g)
	}
	return out
}

// dataFolder returns the folder a data file belongs to and the data path
// that names it: a partition directory (key=value or a date) and what is
// below it become a {placeholder} folder; any other file stands for
// itself, so a neighbour file of another table is never swept in.
func dataFolder(f string) (folder, pattern string) {
	parts := strings.Split(f, "/")
	dirs := parts[:len(parts)-1]
	for i := len(dirs) - 1; i >= 0; i-- {
		m := partitionRE.FindStringSubmatch(dirs[i])
		if m == nil && !dateDirRE.MatchString(dirs[i]) {
			continue
		}
		out := slices.Clone(dirs[:i+1])
		for j := 0; j <= i; j++ {
			if m := partitionRE.FindStringSubmatch(out[j]); m != nil {
				out[j] = m[1] + "={" + m[1] + "}"
			} else if dateDirRE.MatchString(out[j]) {
				out[j] = "{date}"
			}
		}
		p := strings.Join(out, "/") + "/"
		return p, p
	}
	return filepath.ToSlash(filepath.Dir(f)) + "/", f
}

// columnsOf reads a data file's column names: a Parquet footer or a CSV
// header, not the data.
func columnsOf(ctx context.Context, path string) ([]string, error) {
	rd, err := source.Open(ctx, path, source.Options{BatchSize: 1})
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	var cols []string
	for _, f := range rd.Schema().Fields() {
		cols = append(cols, f.Name)
	}
	return cols, nil
}

// bestContract picks the contract schema object whose properties the
// columns cover best, at least matchShare of them.
func bestContract(cs []*contracts.Contract, g *dataGroup) (*contracts.Contract, *contracts.Schema, int) {
	have := map[string]bool{}
	for _, c := range g.columns {
		have[strings.ToLower(c)] = true
	}
	var best *contracts.Contract
	var bestSchema *contracts.Schema
	bestMatched, bestScore := 0, 0.0
	for _, c := range cs {
		for i := range c.Schemas {
			s := &c.Schemas[i]
			if len(s.Properties) == 0 {
				continue
			}
			matched := 0
			for j := range s.Properties {
				if have[strings.ToLower(s.Properties[j].DataName())] {
					matched++
				}
			}
			// Share of the contract's properties present, less a little
			// for columns the contract does not know, so the closer of
			// two contracts wins.
			score := float64(matched)/float64(len(s.Properties)) - 0.01*float64(len(g.columns)-matched)
			if float64(matched) >= matchShare*float64(len(s.Properties)) && (best == nil || score > bestScore) {
				best, bestSchema, bestMatched, bestScore = c, s, matched, score
			}
		}
	}
	return best, bestSchema, bestMatched
}

// sameDir is the directory holding every version, or "" when they are
// spread over several.
func sameDir(versions []*contracts.Contract) string {
	dir := filepath.Dir(versions[0].Path)
	for _, c := range versions[1:] {
		if filepath.Dir(c.Path) != dir {
			return ""
		}
	}
	return dir
}

var nameRE = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// uniqueName names a dataset after its table, or, when another dataset
// has that name, after its folder, then after the folder's path.
func uniqueName(used map[string]bool, table, folder string) string {
	clean := func(s string) string { return strings.Trim(nameRE.ReplaceAllString(s, "-"), "-._") }
	base := ""
	for _, cand := range []string{table, filepath.Base(folder), folder} {
		if c := clean(cand); c != "" && !used[c] {
			base = c
			break
		}
	}
	if base == "" {
		base = clean(table)
	}
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

// LooksLikeContract says whether a YAML or JSON file means to be a data
// contract: its root is a mapping with a kind or an apiVersion. Other
// files in a contract folder (expectations, workflows) are no contract
// and are ignored; a file that means to be one and fails to load is an
// error, never skipped.
func LooksLikeContract(path string) (yes bool) {
	f, err := os.Open(path)
	if err != nil {
		return true // let the loader report it
	}
	defer f.Close()
	// yaml.v3 has panicked on malformed input; a contract that panics it
	// is the loader's to report, positioned.
	defer func() {
		if recover() != nil {
			yes = true
		}
	}()
	var head struct {
		Kind       any `yaml:"kind"`
		APIVersion any `yaml:"apiVersion"`
	}
	// Only the top-level keys matter; a decode error on something that
	// is not even YAML means it is no contract either.
	if err := yaml.NewDecoder(io.LimitReader(f, maxSize)).Decode(&head); err != nil {
		return false
	}
	return head.Kind != nil || head.APIVersion != nil
}

// listSome lists up to n items, and how many more there are.
func listSome(items []string, n int) string {
	if len(items) <= n {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:n], ", "), len(items)-n)
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}
