package project

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/driftgate/driftgate/checker/history"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/contracts"
)

// A presigned URL's signature is a credential: the history keeps the run
// for months, so neither its inputs table nor its copy of the report may
// hold it, while the report the run prints keeps its own input unchanged.
func TestHistoryKeepsNoCredentials(t *testing.T) {
	ctx := context.Background()
	store, err := history.Open(ctx, filepath.Join(t.TempDir(), "history.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	const url = "https://acct.blob.core.windows.net/c/orders.csv?sv=2024&sig=s3cr3tSIG&se=2026"
	rep := &report.Report{
		Command: "check",
		Status:  report.StatusFail,
		Inputs:  []report.Input{{Path: url, Format: "csv", Object: &report.Object{URL: url}}},
		Findings: []report.Finding{{
			Rule: "VALUE_NULL", Severity: report.SeverityError, Message: "nulls in " + url,
			Examples: []report.Example{{File: url, Row: 3}},
		}},
	}
	asOf := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	j := Job{History: &HistoryJob{Store: store, Dataset: "orders", AsOf: asOf}}
	j.Contract = &contracts.Contract{ID: "orders", Version: "1.0.0"}
	if err := recordHistory(ctx, j, &contracts.Schema{Name: "orders"}, rep, nil); err != nil {
		t.Fatal(err)
	}
	run, stored, err := store.At(ctx, "orders", asOf)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(stored), "s3cr3tSIG") {
		t.Errorf("the history's copy of the report keeps the signature:\n%s", stored)
	}
	if !strings.Contains(string(stored), "orders.csv?REDACTED") {
		t.Errorf("the history's copy of the report lost the input's name:\n%s", stored)
	}
	for _, in := range run.Inputs {
		if strings.Contains(in.Path, "s3cr3tSIG") {
			t.Errorf("the history's inputs keep the signature: %s", in.Path)
		}
	}
	if rep.Inputs[0].Path != url || rep.Findings[0].Examples[0].File != url {
		t.Errorf("recording the history changed the run's own report: %+v", rep.Inputs[0])
	}
}
