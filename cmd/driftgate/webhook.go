package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/driftgate/driftgate/checker/report"
)

// webhook posts a short JSON summary of a run. Delivery is best effort:
// it retries with backoff, and a failure is recorded, never fatal, so an
// alerting outage cannot change a gate's verdict.
type webhook struct {
	url      string
	target   string
	timeout  time.Duration
	backoff  time.Duration
	attempts int
	client   *http.Client
}

func newWebhook(raw string, timeout, backoff time.Duration) (*webhook, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--alert-webhook: want an http or https URL")
	}
	if timeout <= 0 {
		return nil, fmt.Errorf("--alert-timeout %s: want a positive duration", timeout)
	}
	// Slack and Teams webhook URLs carry their secret in the path: only
	// the scheme and host are ever printed or recorded.
	return &webhook{url: raw, target: u.Scheme + "://" + u.Host, timeout: timeout, backoff: backoff, attempts: 3, client: noRedirects()}, nil
}

// noRedirects is a client that follows no redirect. A 307 or 308 would
// re-post the summary to whatever host the response names, and a 301, 302
// or 303 would turn the POST into a GET whose 200 then read as delivered;
// the target a user configured is the only one that counts.
func noRedirects() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// alertPayload is what the webhook receives. Text is what Slack and Teams
// show; the rest is for programs.
type alertPayload struct {
	Text     string         `json:"text"`
	Command  string         `json:"command"`
	Status   report.Status  `json:"status"`
	Contract string         `json:"contract,omitempty"`
	Version  string         `json:"version,omitempty"`
	Rows     int64          `json:"rows"`
	Summary  report.Summary `json:"summary"`
	Findings []alertFinding `json:"findings"`
}

type alertFinding struct {
	Rule     string          `json:"rule"`
	Severity report.Severity `json:"severity"`
	Column   string          `json:"column,omitempty"`
	Message  string          `json:"message"`
}

// maxAlertFindings keeps the message short enough for chat.
const maxAlertFindings = 10

func payload(r *report.Report) alertPayload {
	p := alertPayload{Command: r.Command, Status: r.Status, Rows: r.Summary.Rows, Summary: r.Summary, Findings: []alertFinding{}}
	subject := "data"
	if c := r.Contract; c != nil {
		p.Contract, p.Version = c.ID, c.Version
		subject = strings.TrimSpace(firstNonEmpty(c.Name, c.ID) + " " + c.Version)
		if c.Schema != "" {
			subject += " / " + c.Schema
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "driftgate %s %s: %s, %d rows in %d files", r.Command, strings.ToUpper(string(r.Status)), subject, r.Summary.Rows, len(r.Inputs))
	if cols := driftedColumns(r); len(cols) > 0 {
		fmt.Fprintf(&b, "; %d findings: %s", len(r.Findings), strings.Join(cols[:min(len(cols), 8)], "; "))
		if len(cols) > 8 {
			fmt.Fprintf(&b, " and %d more", len(cols)-8)
		}
	}
	if r.Error != "" {
		fmt.Fprintf(&b, "; error: %s", r.Error)
	}
	p.Text = b.String()
	for _, f := range r.Findings[:min(len(r.Findings), maxAlertFindings)] {
		p.Findings = append(p.Findings, alertFinding{Rule: f.Rule, Severity: f.Severity, Column: f.Column, Message: f.Message})
	}
	return p
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// post delivers the summary of r, retrying network errors, 429 and 5xx
// responses with exponential backoff.
func (w *webhook) post(ctx context.Context, r *report.Report) report.Alert {
	a := report.Alert{Target: w.target}
	body, err := json.Marshal(payload(r))
	if err != nil {
		a.Error = err.Error()
		return a
	}
	wait := w.backoff
	for a.Attempts < w.attempts {
		if a.Attempts > 0 {
			select {
			case <-ctx.Done():
				a.Error = ctx.Err().Error()
				return a
			case <-time.After(wait):
			}
			wait *= 2
		}
		a.Attempts++
		retry, err := w.once(ctx, body)
		if err == nil {
			a.Delivered, a.Error = true, ""
			return a
		}
		a.Error = err.Error()
		if !retry {
			return a
		}
	}
	return a
}

func (w *webhook) once(ctx context.Context, body []byte) (retry bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, w.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.url, bytes.NewReader(body))
	if err != nil {
		return false, errors.New("bad webhook request")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "driftgate/"+toolVersion())
	resp, err := w.client.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return true, fmt.Errorf("no response within %s", w.timeout)
		}
		// The error text repeats the URL, whose path may be a secret.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return true, fmt.Errorf("post: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return false, nil
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		return false, fmt.Errorf("HTTP %s: redirects are not followed; point --alert-webhook at the final URL", resp.Status)
	}
	retry = resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500
	return retry, fmt.Errorf("HTTP %s", resp.Status)
}
