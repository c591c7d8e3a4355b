package main

import (
	"context"
	"errors"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestRunOptionsFrom resolves `driftgate run` flags without running
// anything, as kubeconform's FromFlags is tested: which reports go where,
// which base a run compares against, and every usage error (exit 2).
func TestRunOptionsFrom(t *testing.T) {
	fixtureRepo(t)
	// The config's paths are read beside it: here, the current directory.
	configJSON := filepath.Join("out", "driftgate.json")
	flags := func(change func(*runFlags)) runFlags {
		f := runFlags{config: "driftgate.yaml", mode: "auto"}
		if change != nil {
			change(&f)
		}
		return f
	}
	tests := []struct {
		name string
		f    runFlags
		args []string
		vars map[string]string
		// outs are the reports as NAME or NAME=PATH; json is the report
		// the action names.
		outs       []string
		json       string
		outputFile string
		jobs       int
		err        string
	}{
		{name: "text on stdout besides the config's JSON report", f: flags(nil),
			outs: []string{"text", "json=" + configJSON}, json: configJSON, jobs: runtime.GOMAXPROCS(0)},
		{name: "a format on the command line adds to the config's", f: flags(func(f *runFlags) { f.formats = []string{"junit=out/j.xml"}; f.jobs = 3 }),
			outs: []string{"text", "json=" + configJSON, "junit=out/j.xml"}, json: configJSON, jobs: 3},
		{name: "a stdout format on the command line replaces the default text", f: flags(func(f *runFlags) { f.formats = []string{"markdown"} }),
			outs: []string{"json=" + configJSON, "markdown"}, json: configJSON, jobs: runtime.GOMAXPROCS(0)},
		{name: "github mode gives stdout to annotations and names GITHUB_OUTPUT", f: flags(func(f *runFlags) { f.github = true; f.formats = []string{"text"} }),
			vars: map[string]string{"GITHUB_EVENT_NAME": "push", "GITHUB_OUTPUT": "/tmp/gh-out"},
			outs: []string{"json=" + configJSON, "github"}, json: configJSON, outputFile: "/tmp/gh-out", jobs: runtime.GOMAXPROCS(0)},
		{name: "datasets named on the command line must exist", f: flags(nil), args: []string{"orders", "refunds"},
			err: `no dataset "refunds" in driftgate.yaml; it declares orders, orders-csv`},
		{name: "an unknown mode is refused", f: flags(func(f *runFlags) { f.mode = "nightly" }),
			err: `--mode "nightly": want pull-request, full or auto`},
		{name: "pull-request mode needs a base", f: flags(func(f *runFlags) { f.mode = "pull-request" }),
			err: "--mode pull-request needs a base: --changed-since REF, or --github on a pull_request event"},
		{name: "a pull_request event without a base is refused", f: flags(func(f *runFlags) { f.github = true }),
			vars: map[string]string{"GITHUB_EVENT_NAME": "pull_request"},
			err:  "a pull_request event without a base: set base-ref"},
		{name: "as-of needs a history", f: flags(func(f *runFlags) { f.history.asOf = "2026-11-24" }),
			err: "--as-of needs --history or a history: in the config"},
		{name: "an unknown fail-on is refused", f: flags(func(f *runFlags) { f.failOn = "sometimes" }),
			err: "sometimes"},
		{name: "a missing config says how to write one", f: flags(func(f *runFlags) { f.config = "nope.yaml" }),
			err: "run driftgate init to write one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := env{getenv: func(k string) string { return tt.vars[k] }}
			o, err := runOptionsFrom(context.Background(), tt.f, tt.args, e)
			if tt.err != "" {
				var ee *exitError
				if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.As(err, &ee) || ee.code != exitUsage {
					t.Fatalf("error = %v, want exit %d with %q", err, exitUsage, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var outs []string
			for _, out := range o.outs {
				outs = append(outs, strings.TrimSuffix(out.name+"="+out.path, "="))
			}
			if strings.Join(outs, " ") != strings.Join(tt.outs, " ") {
				t.Errorf("outputs = %q, want %q", outs, tt.outs)
			}
			if o.jsonReport != tt.json || o.outputFile != tt.outputFile || o.jobs != tt.jobs || o.base != "" {
				t.Errorf("json %q, output file %q, jobs %d, base %q; want %q, %q, %d, none", o.jsonReport, o.outputFile, o.jobs, o.base, tt.json, tt.outputFile, tt.jobs)
			}
		})
	}
}
