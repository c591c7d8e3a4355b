package rules

import (
	"net/netip"
	"net/url"
	"strings"
)

// formatCheck validates one non-null string value against a named format.
type formatCheck func(string) bool

// stringFormat returns the validator for an ODCS string format, or false when
// driftgate does not know the format (the run reports that instead of
// pretending the values passed).
func stringFormat(name string) (formatCheck, bool) {
	switch strings.ToLower(name) {
	case "email":
		return isEmail, true
	case "uuid":
		return isUUID, true
	case "uri", "url":
		return isURI, true
	case "ipv4":
		return isIPv4, true
	case "ipv6":
		return isIPv6, true
	case "hostname":
		return isHostname, true
	}
	return nil, false
}

// isEmail accepts local@domain.tld with no whitespace and exactly one '@':
// the practical check every data tool uses; RFC 5322 in full accepts
// addresses no mail system delivers.
func isEmail(s string) bool {
	at := -1
	// Eight bytes at a time: a word with no byte below '!' (every
	// whitespace character is one) and no '@' needs no closer look, and
	// most words of an address are such words.
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if (bytesBelow(x, '!')|bytesBelow(x^atBytes, 1))&highBits == 0 {
			continue
		}
		if !emailBytes(s, i, i+8, &at) {
			return false
		}
	}
	if !emailBytes(s, i, len(s), &at) || at <= 0 || at == len(s)-1 {
		return false
	}
	domain := s[at+1:]
	dot := strings.LastIndexByte(domain, '.')
	return dot > 0 && dot < len(domain)-1
}

const (
	lowBits  = 0x0101010101010101
	highBits = 0x8080808080808080
	atBytes  = '@' * lowBits
)

// bytesBelow has the high bit set in the lowest byte of x that is below n (for
// n <= 0x80), and maybe in higher bytes too: a hint, exact only about
// whether there is none.
func bytesBelow(x uint64, n byte) uint64 { return (x - uint64(n)*lowBits) &^ x }

// emailBytes looks at s[from:to] byte by byte: false at whitespace or a
// second '@'; at is where the first '@' is, -1 until one is seen.
func emailBytes(s string, from, to int, at *int) bool {
	for i := from; i < to; i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\r', '\v', '\f':
			return false
		case '@':
			if *at >= 0 {
				return false
			}
			*at = i
		}
	}
	return true
}

func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < 36; i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// isURI accepts absolute URIs (with a scheme), as JSON Schema's "uri" does.
func isURI(s string) bool {
	if strings.ContainsAny(s, " \t\n\r") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Host != "" || u.Opaque != "" || u.Path != "")
}

func isIPv4(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is4()
}

func isIPv6(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is6() && a.Zone() == ""
}

// isHostname follows RFC 1123: dot-separated labels of letters, digits and
// hyphens, 1 to 63 characters each, not starting or ending with a hyphen,
// 253 characters in all.
func isHostname(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}
