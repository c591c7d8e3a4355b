package project

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/checker/source/objstore"
)

// pattern is one data path of a dataset, compiled.
type pattern struct {
	// glob is the path with every {placeholder} replaced by *, for
	// filepath.Glob.
	glob string
	// re matches a path the pattern names, or a file below it, capturing
	// the placeholders; names are the placeholders in order.
	re    *regexp.Regexp
	names []string
}

var placeholderRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// parsePattern compiles a data path. {name} matches one path segment or
// part of one, like *; *, ? and [...] are glob syntax.
func parsePattern(p string) (*pattern, error) {
	pt := &pattern{}
	var glob, re strings.Builder
	re.WriteString("^")
	remote := source.IsRemote(p)
	// A URL keeps its // and its case; only a trailing / goes, as Clean
	// drops it from a path.
	clean := strings.TrimSuffix(p, "/")
	if !remote {
		clean = filepath.ToSlash(filepath.Clean(p))
	}
	for i := 0; i < len(clean); i++ {
		switch ch := clean[i]; ch {
		case '{':
			end := strings.IndexByte(clean[i:], '}')
			if end < 0 {
				return nil, fmt.Errorf("data path %q: { without a closing }", p)
			}
			name := clean[i+1 : i+end]
			if !placeholderRE.MatchString(name) {
				return nil, fmt.Errorf("data path %q: placeholder {%s} is not a name (letters, digits, _)", p, name)
			}
			pt.names = append(pt.names, name)
			glob.WriteString("*")
			re.WriteString("([^/]+)")
			i += end
		case '*':
			glob.WriteByte(ch)
			re.WriteString("[^/]*")
		case '?':
			glob.WriteByte(ch)
			re.WriteString("[^/]")
		case '[':
			end := strings.IndexByte(clean[i:], ']')
			if end < 0 {
				return nil, fmt.Errorf("data path %q: [ without a closing ]", p)
			}
			class := clean[i : i+end+1]
			glob.WriteString(class)
			re.WriteString(strings.Replace(class, "[!", "[^", 1))
			i += end
		default:
			glob.WriteByte(ch)
			re.WriteString(regexp.QuoteMeta(string(ch)))
		}
	}
	// A directory names every file below it.
	re.WriteString("(?:/.*)?$")
	var err error
	if pt.re, err = regexp.Compile(re.String()); err != nil {
		return nil, fmt.Errorf("data path %q: %w", p, err)
	}
	pt.glob = glob.String()
	if !remote {
		pt.glob = filepath.FromSlash(pt.glob)
	}
	return pt, nil
}

// key returns the placeholder values of path joined into one sortable key,
// and whether the pattern names path at all.
func (pt *pattern) key(path string) (string, bool) {
	if !source.IsRemote(path) {
		path = filepath.ToSlash(filepath.Clean(path))
	}
	m := pt.re.FindStringSubmatch(path)
	if m == nil {
		return "", false
	}
	return strings.Join(m[1:], "\x00"), true
}

// Files expands the dataset's data paths into the files to check, in a
// stable order. A path with {placeholders} selects partitions: the latest
// (greatest values, so ISO dates pick the newest) unless the dataset says
// all. When changed is not nil (pull-request mode), a placeholder path
// selects instead the partitions holding a changed file, if any does.
// Paths in changed are relative to the config's directory.
//
// As for driftgate check, a path that matches nothing is a
// *source.ReadError: a gate never passes because it checked nothing.
func (c *Config) Files(d *Dataset, changed []string) ([]string, error) {
	var args []string
	for _, raw := range d.Data {
		abs := c.Abs(raw)
		pt, err := parsePattern(abs)
		if err != nil {
			return nil, err
		}
		if len(pt.names) == 0 {
			args = append(args, abs)
			continue
		}
		var matches []string
		if source.IsRemote(pt.glob) {
			// A listing, sorted; nothing listed is a ReadError.
			if matches, err = source.ExpandRemote(context.Background(), c.remote(), pt.glob); err != nil {
				return nil, err
			}
		} else if matches, err = filepath.Glob(pt.glob); err != nil {
			return nil, &source.ReadError{Path: raw, Err: fmt.Errorf("bad pattern: %w", err)}
		}
		byKey := map[string][]string{}
		var keys []string
		for _, m := range matches {
			k, ok := pt.key(m)
			if !ok {
				continue
			}
			if _, seen := byKey[k]; !seen {
				keys = append(keys, k)
			}
			byKey[k] = append(byKey[k], m)
		}
		if len(keys) == 0 {
			return nil, &source.ReadError{Path: raw, Err: errors.New("no partition matches")}
		}
		slices.Sort(keys)
		pick := keys
		if sel := changedKeys(pt, c, changed); len(sel) > 0 {
			pick = slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return !sel[k] })
		} else if d.Partitions != "all" {
			pick = keys[len(keys)-1:]
		}
		for _, k := range pick {
			args = append(args, byKey[k]...)
		}
	}
	e, err := checker.ExpandRemote(context.Background(), args, "", c.remote())
	return e.Files, err
}

// remote is the client that lists the config's object-store paths.
func (c *Config) remote() *objstore.Client {
	if c.Remote != nil {
		return c.Remote
	}
	return objstore.New(objstore.Config{})
}

func changedKeys(pt *pattern, c *Config, changed []string) map[string]bool {
	sel := map[string]bool{}
	for _, f := range changed {
		if k, ok := pt.key(c.Abs(f)); ok {
			sel[k] = true
		}
	}
	return sel
}

// Touches reports which parts of the dataset a set of changed paths
// (relative to the config's directory) touches: its data, or its contract
// or baseline.
func (c *Config) Touches(d *Dataset, changed []string) (data, contract bool) {
	var pts []*pattern
	for _, raw := range d.Data {
		if pt, err := parsePattern(c.Abs(raw)); err == nil {
			pts = append(pts, pt)
		}
	}
	under := func(f, p string) bool {
		if p == "" {
			return false
		}
		p = filepath.Clean(c.Abs(p))
		return f == p || strings.HasPrefix(f, p+string(filepath.Separator))
	}
	for _, raw := range changed {
		f := filepath.Clean(c.Abs(raw))
		for _, pt := range pts {
			if _, ok := pt.key(f); ok {
				data = true
			}
		}
		if under(f, d.Contract) || under(f, d.Baseline) {
			contract = true
		}
	}
	return data, contract
}

// datePlaceholders are the placeholder names whose values are a
// partition's day.
var datePlaceholders = []string{"dt", "date", "day", "ds"}

// PartitionDay returns the day of the partition a dataset's files belong
// to: the value of its {dt} (or {date}, {day}, {ds}) placeholder, when
// every file has one and they all agree and it reads as YYYY-MM-DD. A
// history records the run at that day, so a backfill of old partitions
// lands each on its own day.
func (c *Config) PartitionDay(d *Dataset, files []string) (time.Time, bool) {
	day := ""
	for _, raw := range d.Data {
		pt, err := parsePattern(c.Abs(raw))
		if err != nil {
			return time.Time{}, false
		}
		idx := -1
		for i, n := range pt.names {
			if slices.Contains(datePlaceholders, n) {
				idx = i
			}
		}
		if idx < 0 {
			continue
		}
		for _, f := range files {
			k, ok := pt.key(f)
			if !ok {
				continue
			}
			v := strings.Split(k, "\x00")[idx]
			if day != "" && v != day {
				return time.Time{}, false
			}
			day = v
		}
	}
	t, err := time.Parse("2006-01-02", day)
	return t, err == nil
}
