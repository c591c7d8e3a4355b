package checker

import (
	"testing"
	"time"
)

func TestSLASpanReadsUnitsAsDatacontractCLIDoes(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		property string
		value    any
		unit     string
		want     time.Duration
	}{
		{"latency", int64(4), "d", 4 * day},
		{"latency", int64(4), "", 4 * day},
		{"latency", 1.5, "hours", 90 * time.Minute},
		{"latency", int64(30), "m", 30 * time.Minute},
		{"retention", int64(6), "m", 180 * day},
		{"retention", int64(3), "y", 3 * 365 * day},
		{"retention", int64(2), "weeks", 14 * day},
		{"retention", "P1Y2M3DT4H", "", (365+60+3)*day + 4*time.Hour},
		{"latency", "PT15M", "", 15 * time.Minute},
		{"latency", "12", "h", 12 * time.Hour},
	}
	for _, tc := range tests {
		got, err := slaSpan(tc.property, tc.value, tc.unit)
		if err != nil || got != tc.want {
			t.Errorf("slaSpan(%s, %v, %q) = %v, %v; want %v", tc.property, tc.value, tc.unit, got, err, tc.want)
		}
	}
	for _, bad := range []struct {
		value any
		unit  string
	}{{int64(1), "fortnights"}, {"soon", "d"}, {true, "d"}, {int64(-1), "d"}, {"P", ""}, {"PT", ""}, {1e300, "y"}} {
		if got, err := slaSpan("latency", bad.value, bad.unit); err == nil {
			t.Errorf("slaSpan(%v, %q) = %v, want an error", bad.value, bad.unit, got)
		}
	}
}
