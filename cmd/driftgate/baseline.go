package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/driftgate/driftgate/checker/profile"
	"github.com/driftgate/driftgate/checker/project"
)

func newBaselineCmd(e env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "baseline",
		Short: "Manage the baseline profiles driftgate.yaml names",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
	var path string
	update := &cobra.Command{
		Use:   "update [DATASET...]",
		Short: "Profile each dataset's current data and write it as its baseline",
		Long: `Profile the data each dataset of driftgate.yaml selects (as driftgate run
would, without --changed-since) and write the profile to the dataset's
baseline path, atomically. Run it after a person has accepted a drift, or on
a schedule, and commit the result. Datasets without a baseline are skipped;
naming one is an error.`,
		Example: `  driftgate baseline update
  driftgate baseline update orders`,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadProjectConfig(path)
			if err != nil {
				return err
			}
			return updateBaselines(cmd.Context(), e, cfg, args)
		},
	}
	update.Flags().StringVar(&path, "config", project.DefaultFile, "the project config")
	cmd.AddCommand(update)
	return cmd
}

func updateBaselines(ctx context.Context, e env, cfg *project.Config, names []string) error {
	var todo []*project.Dataset
	for _, n := range names {
		d, ok := cfg.Dataset(n)
		if !ok {
			return &exitError{code: exitUsage, err: fmt.Errorf("no dataset %q in %s; it declares %s", n, cfg.Path, datasetNames(cfg))}
		}
		if d.Baseline == "" {
			p := cfg.PosOf(d, "name")
			return &exitError{code: exitUsage, err: fmt.Errorf("%s:%d: dataset %s has no baseline; add baseline: PATH to it", cfg.Path, p.Line, n)}
		}
		todo = append(todo, d)
	}
	if len(names) == 0 {
		for i := range cfg.Datasets {
			if cfg.Datasets[i].Baseline != "" {
				todo = append(todo, &cfg.Datasets[i])
			}
		}
	}
	if len(todo) == 0 {
		say(e.stderr, "driftgate: no dataset in %s has a baseline; nothing to update\n", cfg.Path)
		return nil
	}
	// Profile every dataset before writing any baseline, so a failure
	// leaves all of them as they were rather than half updated.
	profiles := make([]*profile.Profile, len(todo))
	var errs []error
	code := exitPass
	for i, d := range todo {
		p, err := profileDataset(ctx, cfg, d)
		if err != nil {
			errs = append(errs, fmt.Errorf("dataset %s: %w", d.Name, err))
			code = max(code, exitCode(nil, err))
			continue
		}
		profiles[i] = p
	}
	if len(errs) > 0 {
		return &exitError{code: code, err: errors.Join(errs...)}
	}
	for i, d := range todo {
		path := cfg.Abs(d.Baseline)
		if err := profiles[i].WriteFile(path); err != nil {
			return writeFailed(err)
		}
		say(e.stdout, "%s: wrote %s (%s from %s)\n", d.Name, path, countOf(profiles[i].Rows, "row"), countOf(int64(len(profiles[i].Sources)), "file"))
	}
	return nil
}

// profileDataset profiles the data a dataset selects against its contract,
// read as driftgate run reads it.
func profileDataset(ctx context.Context, cfg *project.Config, d *project.Dataset) (*profile.Profile, error) {
	job, err := cfg.Job(d, project.JobOptions{ToolVersion: toolVersion()})
	if err != nil {
		return nil, err
	}
	return project.Profile(ctx, job)
}

// countOf is "1 row", "3 rows".
func countOf(n int64, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
