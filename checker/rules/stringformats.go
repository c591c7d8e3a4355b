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
