package rules

import (
	"strings"
	"testing"
)

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

// emailReference is isEmail as first written, one condition at a time:
// the word-at-a-time version must agree with it on every input.
func emailReference(s string) bool {
	at := strings.IndexByte(s, '@')
	if at <= 0 || at == len(s)-1 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\r', '\v', '\f':
			return false
		case '@':
			if i != at {
				return false
			}
		}
	}
	domain := s[at+1:]
	dot := strings.LastIndexByte(domain, '.')
	return dot > 0 && dot < len(domain)-1
}

// TestEmailMatchesReference puts every byte that matters (whitespace, '@',
// '.', the bytes next to '!' and '@', non-ASCII and invalid UTF-8) at every
// position of addresses either side of the eight-byte words the check reads.
func TestEmailMatchesReference(t *testing.T) {
	bases := []string{"", "a", "a@b.c", "ada@example.com", "first.last+tag@mail.example.co.uk",
		"ab@cd.ef", "abcdefg@hijklmn.op", "abcdefgh@ijklmnop.qrstuvwx", "é@ü.de", "x@y", "@x.y", "x@.y", "x@y."}
	special := []byte{' ', '\t', '\n', '\v', '\f', '\r', 0, 0x1f, '!', '"', '?', '@', 'A', '.', 0x7f, 0x80, 0xc3, 0xff}
	for _, base := range bases {
		if got, want := isEmail(base), emailReference(base); got != want {
			t.Errorf("isEmail(%q) = %v, reference says %v", base, got, want)
		}
		for pos := 0; pos <= len(base); pos++ {
			for _, c := range special {
				for _, v := range []string{base[:pos] + string([]byte{c}) + base[pos:], replaceAt(base, pos, c)} {
					if got, want := isEmail(v), emailReference(v); got != want {
						t.Errorf("isEmail(%q) = %v, reference says %v", v, got, want)
					}
				}
			}
		}
	}
}

func replaceAt(s string, pos int, c byte) string {
	if pos >= len(s) {
		return s
	}
	return s[:pos] + string([]byte{c}) + s[pos+1:]
}

// FuzzEmail holds isEmail to the reference on any bytes.
func FuzzEmail(f *testing.F) {
	for _, s := range []string{"ada@example.com", "a b@c.d", "abcdefgh@ijklmnop.qrstuvwx", "a@@b.c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isEmail(s), emailReference(s); got != want {
			t.Errorf("isEmail(%q) = %v, reference says %v", s, got, want)
		}
	})
}
