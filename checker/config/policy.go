package config

import (
	"time"

	"github.com/driftgate/driftgate/checker/report"
)

// Applied counts what Apply did to a report.
type Applied struct {
	// Overridden findings had their severity changed; Dropped were
	// removed by a severity of off; Excepted matched an active exception.
	Overridden, Dropped, Excepted int
}

// Apply applies the dataset's severity overrides and exceptions to the
// findings of rep and finalizes it under the dataset's fail-on. A finding
// that an exception accepts, or whose rule is off, is removed; its check
// then passes, so reports still show that the rule ran. Exceptions whose
// until date has passed at now no longer apply.
func (c *Config) Apply(d *Dataset, rep *report.Report, now time.Time) (Applied, error) {
	var a Applied
	kept := rep.Findings[:0]
	for _, f := range rep.Findings {
		if excepted(d.Exceptions, f, now) {
			a.Excepted++
			continue
		}
		if s, ok := d.Severity[f.Rule]; ok {
			if s == "off" {
				a.Dropped++
				continue
			}
			if sev, ok := report.ParseSeverity(s); ok && sev != f.Severity {
				f.Severity = sev
				a.Overridden++
			}
		}
		kept = append(kept, f)
	}
	rep.Findings = kept
	return a, rep.Finalize(c.FailOnFor(d))
}

func excepted(es []Exception, f report.Finding, now time.Time) bool {
	for _, e := range es {
		if e.Rule == f.Rule && (e.Column == "" || e.Column == f.Column) && e.Active(now) {
			return true
		}
	}
	return false
}
