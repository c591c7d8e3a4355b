package contracts

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// ErrRefNotFound is wrapped when a git ref does not name a commit in the
// repository (a typo, or a branch a shallow CI clone did not fetch).
var ErrRefNotFound = errors.New("git ref not found")

// ErrNotAtRef is wrapped when a path does not exist at a git ref: the
// contract is new on this branch.
var ErrNotAtRef = errors.New("file not present at git ref")

// Git reads files as they were at a ref, with the git command itself, so
// it sees exactly what the user's git sees (shallow clones, worktrees,
// alternates) without a Go reimplementation of the object store.
type Git struct {
	// Dir is the working directory git runs in; empty means the current
	// one. Paths are relative to it.
	Dir string
}

// Run runs git with args in Dir and returns its standard output; a
// failure carries git's own message. It is driftgate's one git runner.
func (g Git) Run(ctx context.Context, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = g.Dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		var ee *exec.Error
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("run git: %w", err)
		}
		return nil, fmt.Errorf("git %s: %s: %w", strings.Join(args, " "), msg, err)
	}
	return out, nil
}

// Verify checks that ref names a commit and returns its hash. The error
// wraps ErrRefNotFound and, in a shallow clone, says how to fetch the ref.
func (g Git) Verify(ctx context.Context, ref string) (string, error) {
	if ref == "" || strings.HasPrefix(ref, "-") {
		return "", fmt.Errorf("git ref %q: %w", ref, ErrRefNotFound)
	}
	out, err := g.Run(ctx, "rev-parse", "--verify", "--quiet", "--end-of-options", ref+"^{commit}")
	if err == nil {
		return strings.TrimSpace(string(out)), nil
	}
	if _, rerr := g.Run(ctx, "rev-parse", "--git-dir"); rerr != nil {
		return "", fmt.Errorf("git ref %q: not in a git repository: %w", ref, rerr)
	}
	hint := ""
	if sh, _ := g.Run(ctx, "rev-parse", "--is-shallow-repository"); strings.TrimSpace(string(sh)) == "true" {
		hint = fmt.Sprintf(" (this is a shallow clone: fetch the ref first, for example `git fetch --depth=1 origin %s`, or check out with fetch-depth: 0)", strings.TrimPrefix(ref, "origin/"))
	}
	return "", fmt.Errorf("git ref %q does not name a commit%s: %w", ref, hint, ErrRefNotFound)
}

// Show returns the bytes of path at ref. path is relative to Dir (or
// absolute inside the work tree). A path missing at the ref wraps
// ErrNotAtRef; a missing ref wraps ErrRefNotFound.
func (g Git) Show(ctx context.Context, ref, path string) ([]byte, error) {
	if _, err := g.Verify(ctx, ref); err != nil {
		return nil, err
	}
	rel, err := g.relative(path)
	if err != nil {
		return nil, err
	}
	spec := ref + ":" + rel
	if _, err := g.Run(ctx, "cat-file", "-e", spec); err != nil {
		return nil, fmt.Errorf("read %s at %s: %w", path, ref, ErrNotAtRef)
	}
	out, err := g.Run(ctx, "show", spec)
	if err != nil {
		return nil, fmt.Errorf("read %s at %s: %w", path, ref, err)
	}
	return out, nil
}

// ListFiles lists the files under path (a file or a directory, relative to
// Dir) as they were at ref, relative to Dir like the input. A path missing
// at the ref gives an empty list.
func (g Git) ListFiles(ctx context.Context, ref, path string) ([]string, error) {
	if _, err := g.Verify(ctx, ref); err != nil {
		return nil, err
	}
	rel, err := g.relative(path)
	if err != nil {
		return nil, err
	}
	// ls-tree resolves pathspecs and prints paths relative to the current
	// directory, which is what the user typed.
	out, err := g.Run(ctx, "ls-tree", "-r", "-z", "--name-only", ref, "--", rel)
	if err != nil {
		return nil, fmt.Errorf("list %s at %s: %w", path, ref, err)
	}
	var files []string
	for _, f := range strings.Split(string(out), "\x00") {
		if f != "" {
			files = append(files, f)
		}
	}
	return files, nil
}

// relative turns path into the ./-prefixed form git resolves against the
// current directory, refusing paths that leave it.
func (g Git) relative(path string) (string, error) {
	p := filepath.Clean(path)
	if filepath.IsAbs(p) {
		base := g.Dir
		if base == "" {
			base = "."
		}
		abs, err := filepath.Abs(base)
		if err != nil {
			return "", fmt.Errorf("path %q: %w", path, err)
		}
		if p, err = filepath.Rel(abs, p); err != nil {
			return "", fmt.Errorf("path %q: %w", path, err)
		}
	}
	return "./" + filepath.ToSlash(p), nil
}

// LoadAt loads every contract under the paths as they were at ref. Paths
// that did not exist at the ref contribute nothing: their contracts are
// new. Each contract's Path is "REF:path" so findings name where they came
// from.
func (g Git) LoadAt(ctx context.Context, ref string, paths ...string) ([]*Contract, error) {
	if _, err := g.Verify(ctx, ref); err != nil {
		return nil, err
	}
	var cs []*Contract
	var errs []error
	for _, p := range paths {
		files, err := g.ListFiles(ctx, ref, p)
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if !IsContractFile(f) || hiddenBelow(p, f) {
				continue
			}
			data, err := g.Show(ctx, ref, f)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			c, err := Parse(ref+":"+f, data)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			cs = append(cs, c)
		}
	}
	return cs, errors.Join(errs...)
}

// hiddenBelow mirrors ContractFiles: files in hidden or _-prefixed
// directories below the root the user named are not contracts.
func hiddenBelow(root, file string) bool {
	rel, err := filepath.Rel(filepath.Clean(root), filepath.Clean(file))
	if err != nil {
		return false
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	for _, d := range parts[:len(parts)-1] {
		if d != ".." && (strings.HasPrefix(d, ".") || strings.HasPrefix(d, "_")) {
			return true
		}
	}
	return false
}
