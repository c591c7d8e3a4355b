package project

import (
	"time"

	"github.com/driftgate/driftgate/checker/report"
)

// Policy returns the dataset's severity overrides and exceptions as they
// apply at now.
func (d *Dataset) Policy(now time.Time) Policy {
	return Policy{Severity: d.Severity, Exceptions: d.Exceptions, Now: now}
}

// apply applies the severity overrides and exceptions to the findings of
// rep. A finding that an exception accepts, or whose rule is off, is
// removed; its check then passes, so reports still show that the rule ran.
// Exceptions whose until date has passed no longer apply.
func (p Policy) apply(rep *report.Report) {
	if len(p.Severity) == 0 && len(p.Exceptions) == 0 {
		return
	}
	kept := rep.Findings[:0]
	for _, f := range rep.Findings {
		if excepted(p.Exceptions, f, p.Now) {
			continue
		}
		if s, ok := p.Severity[f.Rule]; ok {
			if s == "off" {
				continue
			}
			if sev, ok := report.ParseSeverity(s); ok {
				f.Severity = sev
			}
		}
		kept = append(kept, f)
	}
	rep.Findings = kept
}

func excepted(es []Exception, f report.Finding, now time.Time) bool {
	for _, e := range es {
		if e.Rule == f.Rule && (e.Column == "" || e.Column == f.Column) && e.Active(now) {
			return true
		}
	}
	return false
}
