package project

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/driftgate/driftgate/checker/history"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/contracts"
)

// HistoryJob records a job's point in a metric history and judges it
// against the dataset's past before the verdict, so anomalies gate the run
// as drift does.
type HistoryJob struct {
	Store *history.Store
	// Dataset names the series: the driftgate.yaml dataset, or the
	// contract's schema object for `check` and `drift`.
	Dataset string
	// AsOf is the run's logical time (a partition's day when backfilling).
	AsOf time.Time
	// Tuning is the detector's tuning from driftgate.yaml (the dataset's
	// anomalies:); the contract's driftgate.anomaly.* customProperties
	// override it on the schema object and on each column.
	Tuning history.Tuning
	// FailOn is the lowest severity of an anomaly finding that fails the
	// job (anomalies are warnings); empty means DefaultDriftFailOn, as for
	// drift. With a drift job too, the drift fail-on decides both.
	FailOn string
	// Started is when the job began, for the recorded duration; zero
	// records none.
	Started time.Time
}

// DatasetName is the series name of a check of schema s of contract c
// outside a project: the contract's name (or id) and the schema object.
func DatasetName(c *contracts.Contract, s *contracts.Schema) string {
	name := c.Name
	if name == "" {
		name = c.ID
	}
	if name == s.Name {
		return name
	}
	return name + "." + s.Name
}

// judgeHistory profiles the batch when the job has not already, and adds
// the anomaly findings and checks to the report. It returns the metrics to
// record once the verdict is reached.
func judgeHistory(ctx context.Context, j Job, s *contracts.Schema, res *Result) ([]history.Metric, error) {
	h := j.History
	cur := res.Profile
	if cur == nil {
		var err error
		cur, err = Profile(ctx, j)
		if err != nil {
			return nil, err
		}
		res.Profile = cur
	}
	cfg, err := anomalyConfig(j.Contract, s, h.Tuning)
	if err != nil {
		return nil, err
	}
	metrics := history.Metrics(cur, h.AsOf, nil)
	anomalies, err := h.Store.Judge(ctx, h.Dataset, h.AsOf, metrics, cfg)
	if err != nil {
		return nil, err
	}
	rep := res.Report
	for _, a := range anomalies {
		rep.Findings = append(rep.Findings, a.Finding(s.Name))
	}
	rep.Checks = append(rep.Checks, history.Checks(s.Name, metrics)...)
	return metrics, nil
}

// anomalyConfig layers the detector's tuning: driftgate.yaml's, then the
// schema object's customProperties for the dataset, then each property's
// for its column. A bad value is a contract error.
func anomalyConfig(c *contracts.Contract, s *contracts.Schema, base history.Tuning) (history.Config, error) {
	ds, err := history.TuningFrom(s.CustomProperties)
	if err != nil {
		return history.Config{}, &ContractError{Path: c.Path, Err: fmt.Errorf("schema %s: %w", s.Name, err)}
	}
	cfg := history.Config{Dataset: base.Over(ds), Columns: map[string]history.Tuning{}}
	for i := range s.Properties {
		p := &s.Properties[i]
		t, err := history.TuningFrom(p.CustomProperties)
		if err != nil {
			return cfg, &ContractError{Path: c.Path, Err: fmt.Errorf("column %s: %w", p.Name, err)}
		}
		cfg.Columns[p.DataName()] = t
	}
	return cfg, nil
}

// recordHistory stores the finished job's point: metrics, findings by
// rule, verdict, inputs and the JSON report.
func recordHistory(ctx context.Context, j Job, s *contracts.Schema, rep *report.Report, metrics []history.Metric) error {
	h := j.History
	// The store outlives the run: no presigned URL's signature goes in.
	rep = rep.WithoutCredentials()
	data, err := json.Marshal(rep)
	if err != nil {
		return fmt.Errorf("encode the report for the history: %w", err)
	}
	p := &history.Point{
		Dataset: h.Dataset, AsOf: h.AsOf, RecordedAt: time.Now(),
		ContractID: j.Contract.ID, ContractVersion: j.Contract.Version, ContractSHA256: j.Contract.SHA256,
		Schema: s.Name, Status: string(rep.Status), Metrics: metrics, Report: data,
	}
	if !h.Started.IsZero() {
		p.Duration = time.Since(h.Started)
	}
	counts := map[[2]string]int64{}
	var order [][2]string
	for _, f := range rep.Findings {
		k := [2]string{f.Rule, string(f.Severity)}
		if _, seen := counts[k]; !seen {
			order = append(order, k)
		}
		counts[k]++
	}
	for _, k := range order {
		p.Findings = append(p.Findings, history.FindingCount{Rule: k[0], Severity: k[1], Count: counts[k]})
	}
	for _, in := range rep.Inputs {
		p.Inputs = append(p.Inputs, history.Input{Path: in.Path, Size: in.Size, SHA256: in.SHA256})
	}
	return h.Store.Record(ctx, p)
}
