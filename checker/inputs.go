package checker

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/checker/source/objstore"
)

// ExpandInputs turns the command's data arguments into the files to check;
// see Expand. What a directory held that is not a regular file is left
// out; callers that tell the user so use Expand.
func ExpandInputs(args []string) ([]string, error) {
	e, err := Expand(args)
	return e.Files, err
}

// Expanded is what the data arguments stand for.
type Expanded struct {
	// Files are the inputs to read, in order.
	Files []string
	// Skipped are the entries of directories that are not regular files
	// (named pipes, sockets, devices), each with why: reading one could
	// block the run or yield different bytes each time.
	Skipped []string
}

// Expand turns the command's data arguments into the inputs to check: a
// file stands for itself, as does "-" (standard input) and a named pipe
// given by name (each read once); a directory for every regular .parquet,
// .csv, .tsv, .ndjson and .jsonl file (text formats also gzipped) below it, recursively, in lexical
// order; a glob (*, ?, [...]) for its matches. Duplicates are dropped,
// first occurrence kept. A path that does not exist, or an argument that
// yields no file, is a *source.ReadError: a gate must never pass because it
// checked nothing.
func Expand(args []string) (Expanded, error) {
	return ExpandAs(args, "")
}

// ExpandAs is Expand for data of a declared format (a contract server's
// format): a directory then stands for its files of that format. Without
// one, a directory walk leaves plain .json files out (profiles and reports
// are .json and often sit beside the data); .ndjson and .jsonl are data
// whatever the declaration, and a .json file named or globbed is read.
func ExpandAs(args []string, declared source.Format) (Expanded, error) {
	return ExpandRemote(context.Background(), args, declared, nil)
}

// ExpandRemote is ExpandAs where arguments may also name objects in a
// store: s3://, gs://, az://, abfss:// and https:// locations stand for an
// object, or for the data objects below a prefix (s3://bucket/path/, or a
// key that names no object) or matched by a glob (* and ? within a
// segment, ** across segments), sorted by key, listed through remote (nil:
// a client of its own). See objstore.Client.Expand.
func ExpandRemote(ctx context.Context, args []string, declared source.Format, remote *objstore.Client) (Expanded, error) {
	var out []string
	var skipped []string
	seen := map[string]bool{}
	add := func(p string) {
		// Directory walks yield cleaned paths, so "./data/a.csv" next to
		// "data" would otherwise be read twice and every row of it would
		// count as a duplicate of itself.
		if p != source.Stdin && !source.IsRemote(p) {
			p = filepath.Clean(p)
		}
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, arg := range args {
		var matches []string
		if source.IsRemote(arg) {
			if remote == nil {
				remote = objstore.New(objstore.Config{})
			}
			objs, err := source.ExpandRemote(ctx, remote, arg)
			if err != nil {
				return Expanded{}, err
			}
			matches = objs
		} else if strings.ContainsAny(arg, "*?[") {
			m, err := filepath.Glob(arg)
			if err != nil {
				return Expanded{}, &source.ReadError{Path: arg, Err: fmt.Errorf("bad glob: %w", err)}
			}
			sort.Strings(m)
			for _, p := range m {
				files, skip, err := expandPath(p, declared)
				if err != nil {
					return Expanded{}, err
				}
				matches = append(matches, files...)
				skipped = append(skipped, skip...)
			}
		} else {
			files, skip, err := expandPath(arg, declared)
			if err != nil {
				return Expanded{}, err
			}
			matches = files
			skipped = append(skipped, skip...)
		}
		if len(matches) == 0 {
			return Expanded{Skipped: skipped}, &source.ReadError{Path: arg, Err: errors.New("no .parquet, .csv, .json or .ndjson files found (gzipped text too)")}
		}
		for _, p := range matches {
			add(p)
		}
	}
	return Expanded{Files: out, Skipped: skipped}, nil
}

func expandPath(p string, declared source.Format) (files, skipped []string, err error) {
	if p == source.Stdin {
		return []string{p}, nil, nil
	}
	info, err := os.Stat(p)
	if err != nil {
		return nil, nil, &source.ReadError{Path: p, Err: errors.Unwrap(err)}
	}
	if !info.IsDir() {
		// Named explicitly: a pipe or device is read once, as a stream.
		return []string{p}, nil, nil
	}
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
		if !walkable(path, declared) || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		mode := d.Type()
		if mode&fs.ModeSymlink != 0 {
			// A link counts as what it points to; os.Stat does not open it,
			// so a link to a pipe cannot block here.
			st, err := os.Stat(path)
			if err != nil {
				skipped = append(skipped, fmt.Sprintf("%s: skipped, a broken link (%v)", path, errors.Unwrap(err)))
				return nil
			}
			mode = st.Mode().Type()
		}
		if !mode.IsRegular() {
			skipped = append(skipped, fmt.Sprintf("%s: skipped, not a regular file (%s); name it explicitly to read it once", path, kindOf(mode)))
			return nil
		}
		files = append(files, path)
		return nil
	})
	if err != nil {
		return nil, nil, &source.ReadError{Path: p, Err: err}
	}
	sort.Strings(files)
	return files, skipped, nil
}

func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m.IsDir():
		return "a directory"
	}
	return "mode " + m.String()
}

// walkable says a file found in a directory walk is data.
func walkable(path string, declared source.Format) bool {
	f, ok := source.DetectFormat(path)
	switch {
	case !ok:
		return false
	case declared != "":
		return f == declared
	case f == source.JSON:
		name := strings.TrimSuffix(strings.ToLower(path), ".gz")
		return !strings.HasSuffix(name, ".json")
	}
	return true
}
