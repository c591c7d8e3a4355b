package report

import "testing"

func TestExactValueKeepsTheColumnsPrecision(t *testing.T) {
	for _, tt := range []struct {
		x    float64
		unit string
		want string
	}{
		{1764590400.123456, "seconds", "2025-12-01T12:00:00.123456Z"},
		{1764590400, "seconds", "2025-12-01T12:00:00Z"},
		{20423, "days", "2025-12-01"},
		{404.41, "", "404.41"},
		{1234567.891, "", "1,234,567.891"},
		{-100000, "", "-100,000"},
		{3661.5, "seconds", "3661.5s"},
	} {
		if got := ExactValue(tt.x, tt.unit); got != tt.want {
			t.Errorf("ExactValue(%v, %q) = %q, want %q", tt.x, tt.unit, got, tt.want)
		}
	}
}

func TestNumberGroupsThousands(t *testing.T) {
	for x, want := range map[float64]string{100000: "100,000", 150750.4: "150,750", 143.84: "143.8", 0.03124: "0.03124", 0: "0", 1.5e9: "1.5e+09", -2500: "-2,500"} {
		if got := Number(x); got != want {
			t.Errorf("Number(%v) = %q, want %q", x, got, want)
		}
	}
}
