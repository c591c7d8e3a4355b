package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker/sqlpush/duckdb"
)

func TestMemoryPlan(t *testing.T) {
	// A start as measured on Linux: 3 MiB of the binary resident after
	// trimming, 8 MiB anonymous of which Go holds 7.
	start := startMemory{rssFile: 3 << 20, rssAnon: 8 << 20, goMapped: 7 << 20}
	for _, tc := range []struct {
		name    string
		env     map[string]string
		want    memoryPlan
		wantErr string
	}{
		{
			name: "by default Go gets the 240 MiB budget minus what it does not manage and the reserve",
			want: memoryPlan{budget: 240 << 20, goLimit: (240 - 3 - 1 - 40) << 20, gcPercent: 400},
		},
		{
			name: "DRIFTGATE_MEMORY_LIMIT sets the budget the Go limit is derived from",
			env:  map[string]string{"DRIFTGATE_MEMORY_LIMIT": "1GiB"},
			want: memoryPlan{budget: 1 << 30, goLimit: (1024 - 3 - 1 - 40) << 20, gcPercent: 400},
		},
		{
			name: "a plain number is bytes",
			env:  map[string]string{"DRIFTGATE_MEMORY_LIMIT": "536870912"},
			want: memoryPlan{budget: 512 << 20, goLimit: (512 - 3 - 1 - 40) << 20, gcPercent: 400},
		},
		{
			name: "a budget too small for the reserve still leaves Go its minimum",
			env:  map[string]string{"DRIFTGATE_MEMORY_LIMIT": "32MiB"},
			want: memoryPlan{budget: 32 << 20, goLimit: minGoLimit, gcPercent: 400},
		},
		{
			name: "GOMEMLIMIT is the Go runtime's own and wins over the budget",
			env:  map[string]string{"GOMEMLIMIT": "100MiB", "DRIFTGATE_MEMORY_LIMIT": "1GiB"},
			want: memoryPlan{gcPercent: 400},
		},
		{
			name: "GOGC is the Go runtime's own and is left alone",
			env:  map[string]string{"GOGC": "100"},
			want: memoryPlan{budget: 240 << 20, goLimit: (240 - 3 - 1 - 40) << 20},
		},
		{
			name: "off leaves the Go runtime its defaults",
			env:  map[string]string{"DRIFTGATE_MEMORY_LIMIT": "off"},
			want: memoryPlan{},
		},
		{
			name:    "a size that does not parse is an error naming the variable",
			env:     map[string]string{"DRIFTGATE_MEMORY_LIMIT": "256MB"},
			wantErr: `DRIFTGATE_MEMORY_LIMIT="256MB": want a size such as 240MiB`,
		},
		{
			name:    "a size of zero is an error, not no limit",
			env:     map[string]string{"DRIFTGATE_MEMORY_LIMIT": "0"},
			wantErr: `DRIFTGATE_MEMORY_LIMIT="0": want a size`,
		},
		{
			name:    "a size past the int64 range is an error",
			env:     map[string]string{"DRIFTGATE_MEMORY_LIMIT": "9000000TiB"},
			wantErr: `DRIFTGATE_MEMORY_LIMIT="9000000TiB": want a size`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := planMemory(func(k string) string { return tc.env[k] }, start)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("plan %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestMemoryPlanCountsOnlyAnonymousMemoryGoDoesNotHold(t *testing.T) {
	// Go's mapped memory includes pages never touched, so it can exceed
	// the anonymous resident set: that is no memory outside Go.
	m := startMemory{rssFile: 5 << 20, rssAnon: 8 << 20, goMapped: 12 << 20}
	if got := m.nonGo(); got != 5<<20 {
		t.Errorf("nonGo %d MiB, want 5 MiB (the binary's pages only)", got>>20)
	}
}

// TestABadMemoryLimitIsAUsageError runs the built command: a budget that
// does not parse stops it before any work with exit 2, naming the
// variable; a good one or off runs.
func TestABadMemoryLimitIsAUsageError(t *testing.T) {
	bin := buildDriftgate(t, "-buildvcs=false")
	for _, tc := range []struct {
		value, stderr string
		code          int
	}{
		{"lots", `driftgate: DRIFTGATE_MEMORY_LIMIT="lots": want a size such as 240MiB`, exitUsage},
		{"512MiB", "", exitPass},
		{"off", "", exitPass},
	} {
		cmd := exec.Command(bin, "version")
		cmd.Env = append(os.Environ(), memoryEnv+"="+tc.value)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tc.code || !strings.Contains(stderr.String(), tc.stderr) {
			t.Errorf("%s=%s: exit %d, stderr %q; want exit %d and %q", memoryEnv, tc.value, code, stderr.String(), tc.code, tc.stderr)
		}
	}
}

func TestDuckDBShareOfTheBudget(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want duckdb.MemoryLimit
	}{
		{nil, 64 << 20},
		{map[string]string{memoryEnv: "512MiB"}, 128 << 20},
		{map[string]string{memoryEnv: "1GiB"}, 256 << 20},
		{map[string]string{memoryEnv: "32MiB"}, minDuckDB},
		{map[string]string{memoryEnv: "off"}, duckdb.NoMemoryLimit},
		// GOMEMLIMIT bounds Go's heap; DuckDB's share is the budget's.
		{map[string]string{"GOMEMLIMIT": "100MiB", memoryEnv: "1GiB"}, 256 << 20},
	} {
		if got := duckDBShare(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("%v: DuckDB gets %d, want %d", tc.env, got, tc.want)
		}
	}
	if got := duckDBShare(func(string) string { return "" }); got != duckdb.DefaultMemoryLimit {
		t.Errorf("the default budget's share %d is not duckdb.DefaultMemoryLimit %d", got, duckdb.DefaultMemoryLimit)
	}
}
