package contracts

import "testing"

func TestPrivate(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    Property
		want bool
	}{
		{"an unclassified column is not private", Property{}, false},
		{"classification public is not private", Property{Classification: "public"}, false},
		{"classification pii is private", Property{Classification: "pii"}, true},
		{"classification Restricted is private in any case", Property{Classification: "Restricted"}, true},
		{"classification confidential is private", Property{Classification: "confidential"}, true},
		{"a pii tag is private", Property{Tags: []string{"finance", "PII"}}, true},
		{"customProperty pii: true is private", Property{CustomProperties: map[string]any{"pii": true}}, true},
		{"customProperty pii: false is not", Property{CustomProperties: map[string]any{"pii": false}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.Private(); got != tc.want {
				t.Fatalf("Private() = %v, want %v", got, tc.want)
			}
		})
	}
}
