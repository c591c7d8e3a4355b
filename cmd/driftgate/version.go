package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

// version is stamped by builds that know their release, with
// -ldflags "-X main.version=v1.2.3": GoReleaser (.goreleaser.yaml), the
// Action's source build (action.yml) and the Python wheel's build hook.
// Every other build falls back to what the Go toolchain recorded
// (resolveVersion).
var version = ""

// commit is stamped beside version (-X main.commit=<sha>) by builds that
// record no VCS information themselves (-buildvcs=false, -trimpath in a
// source tarball).
var commit = ""

// unstampedVersion is the version of a build that carries neither a stamp
// nor a module version nor VCS information: `go run`, `go build
// -buildvcs=false` (as CI builds) or a build from a source tarball.
const unstampedVersion = "dev"

// toolVersion is the one version string driftgate prints: in `driftgate
// version`, `driftgate --version` and every report's tool version.
func toolVersion() string {
	bi, _ := debug.ReadBuildInfo()
	return resolveVersion(version, bi)
}

// resolveVersion picks the version of a build, most specific first:
//  1. the -X main.version stamp of a release build;
//  2. the module version the toolchain recorded: `go install
//     …/cmd/driftgate@v1.2.3` records v1.2.3, `@<commit>` a pseudo-version,
//     and since Go 1.24 `go build` in a git clone records one derived from
//     the tag and commit (v0.0.0-20261201093000-5dde84b1a2c3, "+dirty" with
//     uncommitted changes);
//  3. the VCS revision (vcs.revision, vcs.modified) when the toolchain
//     recorded no module version but did stamp VCS information;
//  4. "dev".
func resolveVersion(stamped string, bi *debug.BuildInfo) string {
	if stamped != "" {
		return stamped
	}
	if bi == nil {
		return unstampedVersion
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	if rev, modified := vcsRevision(bi); rev != "" {
		v := "devel-" + shortRevision(rev)
		if modified {
			v += "-dirty"
		}
		return v
	}
	return unstampedVersion
}

// vcsRevision returns the commit the binary was built from and whether the
// work tree had uncommitted changes, when the toolchain recorded them.
func vcsRevision(bi *debug.BuildInfo) (rev string, modified bool) {
	if bi == nil {
		return "", false
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	return rev, modified
}

func shortRevision(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}

// versionLine is what both `driftgate version` and `driftgate --version`
// print: the version, the commit when the build recorded one that the
// version does not already name, the Go release and the platform.
func versionLine() string {
	bi, _ := debug.ReadBuildInfo()
	v := resolveVersion(version, bi)
	parts := []string{}
	rev, _ := vcsRevision(bi)
	if rev == "" {
		rev = commit
	}
	if rev != "" && !strings.Contains(v, shortRevision(rev)) {
		parts = append(parts, "commit "+shortRevision(rev))
	}
	parts = append(parts, runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH)
	return fmt.Sprintf("driftgate %s (%s)", v, strings.Join(parts, ", "))
}

func newVersionCmd(e env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the driftgate version",
		Long: `Print the driftgate version, the commit it was built from when known, the Go
release and the platform: the same line as 'driftgate --version'. Every report
records the same version string.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			say(e.stdout, "%s\n", versionLine())
			return nil
		},
	}
}
