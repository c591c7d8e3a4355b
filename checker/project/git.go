package project

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/driftgate/driftgate/contracts"
)

// Changes is what changed since a git ref.
type Changes struct {
	// Ref is the ref as given; Base the commit the files were compared
	// with: the merge base of Ref and HEAD when the history has one, else
	// Ref itself (a shallow clone, or the merge commit GitHub checks out
	// for a pull request, whose first parent is the base).
	Ref, Base string
	// Files are the changed paths relative to the config's directory:
	// modified, added, deleted or untracked since Base, in the working
	// tree, so a check before committing sees the same as CI.
	Files []string
}

// ChangedSince lists the files under the config's directory that differ
// from ref, like git diff --name-only REF...HEAD plus uncommitted and
// untracked files.
func (c *Config) ChangedSince(ctx context.Context, ref string) (*Changes, error) {
	dir := c.Dir
	if dir == "" {
		dir = "."
	}
	g := contracts.Git{Dir: dir}
	head, err := g.Verify(ctx, ref)
	if err != nil {
		return nil, err
	}
	ch := &Changes{Ref: ref, Base: head}
	if out, err := g.Run(ctx, "merge-base", head, "HEAD"); err == nil {
		ch.Base = strings.TrimSpace(string(out))
	}
	// --relative limits the listing to the config's directory and prints
	// paths relative to it, which is how the config names them.
	diff, err := g.Run(ctx, "diff", "--name-only", "--no-renames", "--relative", "-z", ch.Base, "--")
	if err != nil {
		return nil, fmt.Errorf("files changed since %s: %w", ref, err)
	}
	untracked, err := g.Run(ctx, "ls-files", "--others", "--exclude-standard", "-z", "--", ".")
	if err != nil {
		return nil, fmt.Errorf("untracked files: %w", err)
	}
	for _, out := range [][]byte{diff, untracked} {
		for _, f := range strings.Split(string(out), "\x00") {
			if f != "" {
				ch.Files = append(ch.Files, f)
			}
		}
	}
	slices.Sort(ch.Files)
	ch.Files = slices.Compact(ch.Files)
	return ch, nil
}
