package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestResolveVersion(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	tests := []struct {
		name    string
		stamped string
		bi      *debug.BuildInfo
		want    string
	}{
		{"a release stamp wins over everything", "v1.2.3", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261201093000-5dde84b1a2c3"}, Settings: vcs("5dde84b1a2c3d4e5", "false")}, "v1.2.3"},
		{"go install …@v1.2.3 records the module version", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3"},
		{"go build in a clone records a pseudo-version", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261201093000-5dde84b1a2c3+dirty"}, Settings: vcs("5dde84b1a2c3d4e5", "true")}, "v0.0.0-20261201093000-5dde84b1a2c3+dirty"},
		{"a (devel) build with VCS information names the commit", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("5dde84b1a2c3d4e5f6", "false")}, "devel-5dde84b1a2c3"},
		{"uncommitted changes say dirty", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("5dde84b1a2c3d4e5f6", "true")}, "devel-5dde84b1a2c3-dirty"},
		{"-buildvcs=false, as CI builds, is dev", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev"},
		{"no build information at all is dev", "", nil, "dev"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := resolveVersion(tt.stamped, tt.bi); got != tt.want {
				t.Errorf("resolveVersion = %q, want %q", got, tt.want)
			}
		})
	}
}

// buildDriftgate builds this command into a temporary directory with the
// given go build flags, as a user's or a release's build would.
func buildDriftgate(t *testing.T, flags ...string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "driftgate")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	args := append([]string{"build", "-o", bin}, flags...)
	cmd := exec.Command("go", append(args, ".")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %v: %v\n%s", flags, err, out)
	}
	return bin
}

// TestOneVersionString builds driftgate as CI does (no VCS stamp) and as a
// release does (ldflags), and checks that `driftgate version`,
// `driftgate --version` and the tool version of every kind of report say
// the same.
func TestOneVersionString(t *testing.T) {
	platform := runtime.Version() + ", " + runtime.GOOS + "/" + runtime.GOARCH
	tests := []struct {
		name    string
		flags   []string
		line    string
		version string
	}{
		{"a CI build (-buildvcs=false)", []string{"-buildvcs=false"}, "driftgate dev (" + platform + ")", "dev"},
		{"a release build (ldflags)", []string{"-buildvcs=false", "-ldflags=-X main.version=v9.8.7 -X main.commit=0123456789abcdef0123"},
			"driftgate v9.8.7 (commit 0123456789ab, " + platform + ")", "v9.8.7"},
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bin := buildDriftgate(t, tt.flags...)
			for _, args := range [][]string{{"version"}, {"--version"}, {"-v"}} {
				out, err := exec.Command(bin, args...).Output()
				if err != nil {
					t.Fatalf("driftgate %v: %v", args, err)
				}
				if got := strings.TrimSuffix(string(out), "\n"); got != tt.line {
					t.Errorf("driftgate %s printed %q, want %q", strings.Join(args, " "), got, tt.line)
				}
			}

			tmp := t.TempDir()
			contract := filepath.Join(root, "fixtures", "orders-clean", "contract.odcs.yaml")
			data := filepath.Join(root, "fixtures", "orders-clean", "orders.parquet")
			reports := []struct {
				args []string
				path string
			}{
				{[]string{"check", "-c", contract, data, "-f", "json=" + filepath.Join(tmp, "check.json")}, "check.json"},
				{[]string{"diff", contract, contract, "-f", "json=" + filepath.Join(tmp, "diff.json")}, "diff.json"},
				{[]string{"profile", "-c", contract, data, "-o", filepath.Join(tmp, "profile.json")}, "profile.json"},
			}
			for _, r := range reports {
				if out, err := exec.Command(bin, r.args...).CombinedOutput(); err != nil {
					t.Fatalf("driftgate %v: %v\n%s", r.args, err, out)
				}
				raw, err := os.ReadFile(filepath.Join(tmp, r.path))
				if err != nil {
					t.Fatal(err)
				}
				var doc struct {
					Tool struct{ Name, Version string }
				}
				if err := json.Unmarshal(raw, &doc); err != nil {
					t.Fatalf("%s: %v", r.path, err)
				}
				if doc.Tool.Version != tt.version {
					t.Errorf("%s records tool version %q, want %q", r.args[0], doc.Tool.Version, tt.version)
				}
			}
		})
	}
}
