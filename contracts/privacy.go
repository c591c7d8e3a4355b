package contracts

import "strings"

// privateClasses are the classification values that keep a column's
// values out of every report, log, profile and history: the ODCS examples'
// restricted and confidential, and the names other tools and teams use for
// personal data.
var privateClasses = []string{"pii", "personal", "restricted", "confidential", "sensitive", "secret"}

// Private reports whether the property's values must never leave the
// batch: its classification is one of pii, personal, restricted,
// confidential, sensitive or secret (any case), it is tagged pii, or it
// has a customProperty pii set to true. Reports then show counts and row
// numbers but "<redacted>" for values, and profiles keep counts and shapes
// only.
func (p *Property) Private() bool {
	c := strings.ToLower(strings.TrimSpace(p.Classification))
	for _, pc := range privateClasses {
		if c == pc {
			return true
		}
	}
	for _, t := range p.Tags {
		if strings.EqualFold(strings.TrimSpace(t), "pii") {
			return true
		}
	}
	switch v := p.CustomProperties["pii"].(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(v, "true") || strings.EqualFold(v, "yes")
	}
	return false
}
