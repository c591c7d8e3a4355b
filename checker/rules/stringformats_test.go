package rules

import "testing"

func TestStringFormats(t *testing.T) {
	tests := []struct {
		format, value string
		valid         bool
	}{
		{"email", "ada@example.com", true},
		{"email", "a.b+c@sub.example.co.uk", true},
		{"email", "ada.example.com", false},
		{"email", "@example.com", false},
		{"email", "ada@", false},
		{"email", "ada@@example.com", false},
		{"email", "ada@example", false},
		{"email", "ada lovelace@example.com", false},
		{"uuid", "123e4567-e89b-12d3-a456-426614174000", true},
		{"uuid", "123E4567-E89B-12D3-A456-426614174000", true},
		{"uuid", "123e4567e89b12d3a456426614174000", false},
		{"uuid", "123e4567-e89b-12d3-a456-42661417400g", false},
		{"uri", "https://example.com/a?b=c", true},
		{"uri", "urn:isbn:0451450523", true},
		{"uri", "example.com/path", false},
		{"uri", "https://exa mple.com", false},
		{"ipv4", "192.168.0.1", true},
		{"ipv4", "256.1.1.1", false},
		{"ipv4", "::1", false},
		{"ipv6", "2001:db8::1", true},
		{"ipv6", "fe80::1%eth0", false},
		{"ipv6", "10.0.0.1", false},
		{"hostname", "db-1.internal.example.com", true},
		{"hostname", "-bad.example.com", false},
		{"hostname", "under_score.example.com", false},
		{"hostname", "a..b", false},
	}
	for _, tt := range tests {
		t.Run(tt.format+" "+tt.value, func(t *testing.T) {
			check, ok := stringFormat(tt.format)
			if !ok {
				t.Fatalf("format %q unknown", tt.format)
			}
			if got := check(tt.value); got != tt.valid {
				t.Errorf("%s(%q) = %v, want %v", tt.format, tt.value, got, tt.valid)
			}
		})
	}
	if _, ok := stringFormat("password"); ok {
		t.Error("password is not a checkable format")
	}
}
