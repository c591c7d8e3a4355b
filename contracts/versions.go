package contracts

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// SemVer is a contract version read as a semantic version
// (MAJOR.MINOR.PATCH, an optional pre-release and build metadata). A leading
// "v" is accepted because people write contract versions like Git tags.
type SemVer struct {
	Major, Minor, Patch uint64
	// Pre holds the dot-separated pre-release identifiers (rc.1 -> [rc 1]).
	Pre []string
	// Build is the build metadata, which ordering ignores.
	Build string
}

// ErrNotSemVer is wrapped by every ParseSemVer error, so callers can tell a
// malformed version from other problems with errors.Is.
var ErrNotSemVer = errors.New("not a semantic version")

// ParseSemVer parses s strictly: three numeric parts without leading zeros
// are required, since "1.2" or "01.2.0" say nothing reliable about
// compatibility and a gate that guessed would pass the wrong changes.
func ParseSemVer(s string) (SemVer, error) {
	var v SemVer
	fail := func(why string) (SemVer, error) {
		return SemVer{}, fmt.Errorf("version %q: %w: %s (want MAJOR.MINOR.PATCH such as 1.4.0)", s, ErrNotSemVer, why)
	}
	rest := strings.TrimPrefix(s, "v")
	if rest == "" {
		return fail("empty")
	}
	if i := strings.IndexByte(rest, '+'); i >= 0 {
		v.Build = rest[i+1:]
		rest = rest[:i]
		if !validIdents(v.Build, false) {
			return fail("invalid build metadata")
		}
	}
	if i := strings.IndexByte(rest, '-'); i >= 0 {
		pre := rest[i+1:]
		rest = rest[:i]
		if !validIdents(pre, true) {
			return fail("invalid pre-release")
		}
		v.Pre = strings.Split(pre, ".")
	}
	parts := strings.Split(rest, ".")
	if len(parts) != 3 {
		return fail(fmt.Sprintf("%d numeric parts", len(parts)))
	}
	nums := [3]*uint64{&v.Major, &v.Minor, &v.Patch}
	for i, p := range parts {
		if !isDigits(p) || len(p) > 1 && p[0] == '0' {
			return fail(fmt.Sprintf("part %q is not a number without leading zeros", p))
		}
		n, err := strconv.ParseUint(p, 10, 64)
		if err != nil {
			return fail(fmt.Sprintf("part %q is too large", p))
		}
		*nums[i] = n
	}
	return v, nil
}

// validIdents checks dot-separated identifiers of [0-9A-Za-z-]; numeric
// pre-release identifiers may not have leading zeros.
func validIdents(s string, pre bool) bool {
	if s == "" {
		return false
	}
	for _, id := range strings.Split(s, ".") {
		if id == "" {
			return false
		}
		for _, r := range id {
			if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-') {
				return false
			}
		}
		if pre && isDigits(id) && len(id) > 1 && id[0] == '0' {
			return false
		}
	}
	return true
}

// String renders the version without the optional "v".
func (v SemVer) String() string {
	s := fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
	if len(v.Pre) > 0 {
		s += "-" + strings.Join(v.Pre, ".")
	}
	if v.Build != "" {
		s += "+" + v.Build
	}
	return s
}

// Compare orders versions by semver precedence: -1, 0 or +1. Build
// metadata is ignored; a pre-release sorts before its release.
func (v SemVer) Compare(w SemVer) int {
	if c := cmp.Compare(v.Major, w.Major); c != 0 {
		return c
	}
	if c := cmp.Compare(v.Minor, w.Minor); c != 0 {
		return c
	}
	if c := cmp.Compare(v.Patch, w.Patch); c != 0 {
		return c
	}
	switch {
	case len(v.Pre) == 0 && len(w.Pre) == 0:
		return 0
	case len(v.Pre) == 0:
		return 1
	case len(w.Pre) == 0:
		return -1
	}
	for i := 0; i < len(v.Pre) && i < len(w.Pre); i++ {
		a, b := v.Pre[i], w.Pre[i]
		an, bn := isDigits(a), isDigits(b)
		switch {
		case an && bn:
			x, _ := strconv.ParseUint(a, 10, 64)
			y, _ := strconv.ParseUint(b, 10, 64)
			if c := cmp.Compare(x, y); c != 0 {
				return c
			}
		case an:
			return -1
		case bn:
			return 1
		default:
			if c := strings.Compare(a, b); c != 0 {
				return c
			}
		}
	}
	return cmp.Compare(len(v.Pre), len(w.Pre))
}

// ContractVersion parses c.Version. The error is a *ParseError at the
// version key, so the user sees file:line of the offending version.
func ContractVersion(c *Contract) (SemVer, error) {
	v, err := ParseSemVer(c.Version)
	if err != nil {
		pos := c.KeyPos["version"]
		return SemVer{}, &versionError{ParseError{File: c.Path, Line: pos.Line, Column: pos.Column, Path: "version", Msg: err.Error()}, err}
	}
	return v, nil
}

// versionError is a ParseError that also unwraps to ErrNotSemVer.
type versionError struct {
	ParseError
	err error
}

func (e *versionError) Unwrap() []error { return []error{&e.ParseError, e.err} }

// Usable reports whether a contract with this status may be picked by
// default: drafts are not agreed yet, deprecated and retired ones are on
// their way out.
func Usable(status string) bool {
	switch strings.ToLower(status) {
	case "draft", "deprecated", "retired":
		return false
	}
	return true
}

// Family is every version of one contract id, oldest first.
type Family struct {
	ID       string
	Versions []*Contract
	semvers  []SemVer
}

// SemVer returns the parsed version of Versions[i].
func (f *Family) SemVer(i int) SemVer { return f.semvers[i] }

// Index returns the position in Versions of version v, or -1; a nil
// family has no versions.
func (f *Family) Index(v SemVer) int {
	if f == nil {
		return -1
	}
	for i, s := range f.semvers {
		if s.Compare(v) == 0 {
			return i
		}
	}
	return -1
}

// Newest returns the newest version usable by default (see Usable), or an
// error naming the versions that exist when none is.
func (f *Family) Newest() (*Contract, error) {
	for i := len(f.Versions) - 1; i >= 0; i-- {
		if Usable(f.Versions[i].Status) {
			return f.Versions[i], nil
		}
	}
	var have []string
	for _, c := range f.Versions {
		have = append(have, c.Version+" ("+c.Status+")")
	}
	return nil, fmt.Errorf("contract %q: no version is usable by default, every one is draft, deprecated or retired: %s; pick one with --contract-version", f.ID, strings.Join(have, ", "))
}

// Find returns the version whose version string, or semantic version,
// equals v.
func (f *Family) Find(v string) (*Contract, error) {
	want, perr := ParseSemVer(v)
	for i, c := range f.Versions {
		if c.Version == v || perr == nil && f.semvers[i].Compare(want) == 0 {
			return c, nil
		}
	}
	var have []string
	for _, c := range f.Versions {
		have = append(have, c.Version)
	}
	return nil, fmt.Errorf("contract %q has no version %q; it has %s", f.ID, v, strings.Join(have, ", "))
}

// Catalog is a set of contracts grouped by id, each family ordered by
// version. Build one with NewCatalog or LoadCatalog.
type Catalog struct {
	Families []*Family // sorted by id
}

// NewCatalog groups contracts by id and orders each family by version. Two
// files with the same id and version but different content are an error
// naming both files, since a check or a diff could pick either; identical
// copies are kept once. A version that is not semantic is an error at its
// line.
func NewCatalog(cs []*Contract) (*Catalog, error) {
	byID := map[string]*Family{}
	var errs []error
	for _, c := range cs {
		v, err := ContractVersion(c)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		f := byID[c.ID]
		if f == nil {
			f = &Family{ID: c.ID}
			byID[c.ID] = f
		}
		dup := false
		for i, o := range f.Versions {
			if f.semvers[i].Compare(v) != 0 {
				continue
			}
			dup = true
			if o.SHA256 != c.SHA256 {
				pos := c.KeyPos["version"]
				errs = append(errs, &ParseError{File: c.Path, Line: pos.Line, Column: pos.Column, Path: "version",
					Msg: fmt.Sprintf("contract %q version %s is also defined, with different content, in %s; give one of them a new version", c.ID, c.Version, o.Path), Rule: LintVersion})
			}
		}
		if !dup {
			f.Versions = append(f.Versions, c)
			f.semvers = append(f.semvers, v)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	cat := &Catalog{}
	for _, f := range byID {
		idx := make([]int, len(f.Versions))
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int { return f.semvers[a].Compare(f.semvers[b]) })
		vs, ss := make([]*Contract, len(idx)), make([]SemVer, len(idx))
		for i, j := range idx {
			vs[i], ss[i] = f.Versions[j], f.semvers[j]
		}
		f.Versions, f.semvers = vs, ss
		cat.Families = append(cat.Families, f)
	}
	slices.SortFunc(cat.Families, func(a, b *Family) int { return strings.Compare(a.ID, b.ID) })
	return cat, nil
}

// Family returns the family of id, or nil.
func (c *Catalog) Family(id string) *Family {
	for _, f := range c.Families {
		if f.ID == id {
			return f
		}
	}
	return nil
}

// Select picks one contract: of family id (which may be empty when the
// catalog holds one family), version v, or the newest usable version when
// v is empty.
func (c *Catalog) Select(id, v string) (*Contract, error) {
	var f *Family
	switch {
	case id != "":
		if f = c.Family(id); f == nil {
			return nil, fmt.Errorf("no contract has id %q; ids: %s", id, strings.Join(c.IDs(), ", "))
		}
	case len(c.Families) == 1:
		f = c.Families[0]
	case len(c.Families) == 0:
		return nil, errors.New("no contracts found")
	default:
		return nil, fmt.Errorf("%d contracts with different ids (%s); pick one with --contract-id", len(c.Families), strings.Join(c.IDs(), ", "))
	}
	if v != "" {
		return f.Find(v)
	}
	return f.Newest()
}

// IDs lists the contract ids, sorted.
func (c *Catalog) IDs() []string {
	ids := make([]string, len(c.Families))
	for i, f := range c.Families {
		ids[i] = f.ID
	}
	return ids
}

// ContractFiles lists the contract files under path: path itself when it is
// a file, else every .yaml, .yml and .json file below it in lexical order,
// skipping hidden and _-prefixed directories like the data inputs do.
func ContractFiles(path string) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("contracts %q: %w", path, err)
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	var files []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if p != path && (strings.HasPrefix(d.Name(), ".") || strings.HasPrefix(d.Name(), "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if IsContractFile(p) {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("contracts %q: %w", path, err)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("contracts %q: no .yaml, .yml or .json files inside", path)
	}
	return files, nil
}

// IsContractFile reports whether a name has a contract file extension.
func IsContractFile(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// LoadCatalog loads every contract under the paths (files or directories)
// and groups them. Every file must be a valid contract: a gate that skipped
// a broken file would judge against the wrong version.
func LoadCatalog(paths ...string) (*Catalog, error) {
	var cs []*Contract
	var errs []error
	for _, p := range paths {
		files, err := ContractFiles(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, f := range files {
			c, err := Load(f)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			cs = append(cs, c)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return NewCatalog(cs)
}
