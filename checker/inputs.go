package checker

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/driftgate/driftgate/checker/source"
)

// ExpandInputs turns the command's data arguments into the files to check:
// a file stands for itself; a directory for every .parquet, .csv, .csv.gz,
// .tsv and .tsv.gz file below it, recursively, in lexical order; a glob
// (*, ?, [...]) for its matches. Duplicates are dropped, first occurrence
// kept. A path that does not exist, or an argument that yields no file, is a
// *source.ReadError: a gate must never pass because it checked nothing.
func ExpandInputs(args []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		// Directory walks yield cleaned paths, so "./data/a.csv" next to
		// "data" would otherwise be read twice and every row of it would
		// count as a duplicate of itself.
		p = filepath.Clean(p)
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, arg := range args {
		var matches []string
		if strings.ContainsAny(arg, "*?[") {
			m, err := filepath.Glob(arg)
			if err != nil {
				return nil, &source.ReadError{Path: arg, Err: fmt.Errorf("bad glob: %w", err)}
			}
			sort.Strings(m)
			for _, p := range m {
				files, err := expandPath(p)
				if err != nil {
					return nil, err
				}
				matches = append(matches, files...)
			}
		} else {
			files, err := expandPath(arg)
			if err != nil {
				return nil, err
			}
			matches = files
		}
		if len(matches) == 0 {
			return nil, &source.ReadError{Path: arg, Err: errors.New("no .parquet, .csv or .csv.gz files found")}
		}
		for _, p := range matches {
			add(p)
		}
	}
	return out, nil
}

func expandPath(p string) ([]string, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, &source.ReadError{Path: p, Err: errors.Unwrap(err)}
	}
	if !info.IsDir() {
		return []string{p}, nil
	}
	var files []string
	err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			// Hidden directories (.git, _SUCCESS markers' siblings like
			// _temporary) hold no batch data.
			if path != p && (strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if _, ok := source.DetectFormat(path); ok && !strings.HasPrefix(d.Name(), ".") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		return nil, &source.ReadError{Path: p, Err: err}
	}
	sort.Strings(files)
	return files, nil
}
