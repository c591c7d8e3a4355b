package main

import (
	"github.com/spf13/cobra"

	"github.com/driftgate/driftgate/checker/project"
)

func newConfigCmd(e env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Print the JSON Schema of driftgate.yaml, or validate a config",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return cmd.Help()
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of driftgate.yaml, for editors",
		Long: `Print the JSON Schema driftgate validates driftgate.yaml with. Save it and
point your editor at it for completion and inline errors, for example with the
YAML language server:

  # yaml-language-server: $schema=driftgate.schema.json`,
		Example: `  driftgate config schema > driftgate.schema.json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := project.Schema()
			if err == nil {
				_, err = e.stdout.Write(s)
			}
			return err
		},
	})
	var path string
	validate := &cobra.Command{
		Use:   "validate",
		Short: "Validate driftgate.yaml and list its datasets",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadProjectConfig(path)
			if err != nil {
				return err
			}
			say(e.stdout, "%s: %d datasets: %s\n", cfg.Path, len(cfg.Datasets), datasetNames(cfg))
			return nil
		},
	}
	validate.Flags().StringVar(&path, "config", project.DefaultFile, "the project config")
	cmd.AddCommand(validate)
	return cmd
}
