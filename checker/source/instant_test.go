package source

import "testing"

// TestFastInstantAgreesWithParseInstant holds the fast timestamp reader to
// the general one: where fastInstant reads a text it must give the same
// instant, and it must leave alone the forms it does not know.
func TestFastInstantAgreesWithParseInstant(t *testing.T) {
	tests := []struct {
		text string
		fast bool // whether fastInstant reads it
	}{
		{"2024-03-01", true},
		{"2024-03-01T00:00:00", true},
		{"2024-03-01 23:59:59", true},
		{"2024-03-01T12:34:56Z", true},
		{"2024-03-01T12:34:56.1Z", true},
		{"2024-03-01T12:34:56.123456789Z", true},
		{"2024-03-01T12:34:56.123+02:00", true},
		{"2024-03-01T12:34:56-05:30", true},
		{"2024-03-01T12:34:56+23:59", true},
		{"0001-01-01T00:00:00Z", true},
		{"9999-12-31T23:59:59.999999999Z", true},
		{"2024-02-29T12:00:00Z", true},
		{"2024-03-01T24:00:00Z", false},            // hour out of range
		{"2024-03-01T12:60:00Z", false},            // minute out of range
		{"2024-03-01T12:00:60Z", false},            // leap second
		{"2024-03-01T12:34:56.Z", false},           // empty fraction
		{"2024-03-01T12:34:56.1234567891Z", false}, // ten digits
		{"2024-03-01T12:34:56+24:00", false},       // offset hour out of range
		{"2024-03-01T12:34:56+02:60", false},       // offset minute out of range
		{"2024-03-01T12:34:56+0200", false},        // offset without colon
		{"2024-03-01T12:34:56z", false},            // lower-case zone
		{"2024-03-01t12:34:56Z", false},            // lower-case separator
		{"2024-03-01T12:34", false},                // no seconds
		{"2024-03-01T1a:34:56Z", false},            // not a digit
		{"2024-03-01T12:34:56 UTC", false},         // zone name
		{"2023-02-29", false},                      // no such day
		{"2024-3-01", false},                       // short month
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			var dates dateCache
			sec, ns, ok := fastInstant([]byte(tt.text), &dates)
			if ok != tt.fast {
				t.Fatalf("fastInstant(%q) ok = %v, want %v", tt.text, ok, tt.fast)
			}
			if !ok {
				return
			}
			want, wok := parseInstant(tt.text, "")
			if !wok {
				t.Fatalf("parseInstant(%q) refused what fastInstant read", tt.text)
			}
			if sec != want.Unix() || ns != int64(want.Nanosecond()) {
				t.Errorf("fastInstant(%q) = %d s %d ns, parseInstant = %d s %d ns", tt.text, sec, ns, want.Unix(), want.Nanosecond())
			}
		})
	}
}
