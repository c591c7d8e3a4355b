package report

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// The number formats every report shares, so a statistic reads the same in
// a drift message, the HTML report and the Markdown summary.

// Number writes a number with four significant digits, the way a person
// reads it: 143.8, 0.0312, 12,500, 1.2e+09.
func Number(x float64) string {
	switch {
	case x == 0:
		return "0"
	case math.IsInf(x, 0) || math.Abs(x) >= 1e300:
		return "∞"
	case math.Abs(x) >= 1e7 || math.Abs(x) < 1e-3:
		return strconv.FormatFloat(x, 'g', 3, 64)
	}
	digits := 3 - int(math.Floor(math.Log10(math.Abs(x))))
	if digits < 0 {
		digits = 0
	}
	s := strconv.FormatFloat(x, 'f', digits, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return GroupDigits(s)
}

// GroupDigits puts thousands separators into the integer part of a
// formatted number: 150750.5 → 150,750.5.
func GroupDigits(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	if len(intPart) <= 3 || strings.ContainsAny(intPart, "e∞") {
		return sign + s
	}
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	return sign + b.String()
}

// ExactValue writes a value that occurred in the data (a minimum or
// maximum) at the column's own precision, never rounded: a rounded
// minimum can land outside the data. Dates are days, timestamps seconds
// with their fraction (to the microsecond), numbers the shortest decimal
// that is the value.
func ExactValue(x float64, unit string) string {
	switch unit {
	case "days":
		return time.Unix(int64(math.Round(x))*86400, 0).UTC().Format(time.DateOnly)
	case "seconds":
		if x >= 0 && x < 86400*2 {
			return strconv.FormatFloat(x, 'f', -1, 64) + "s"
		}
		us := int64(math.Round(x * 1e6))
		return time.UnixMicro(us).UTC().Format("2006-01-02T15:04:05.999999Z07:00")
	}
	return GroupDigits(strconv.FormatFloat(x, 'f', -1, 64))
}

// Share writes a share as a percentage: 0.0%, 12.5%, 100%, and <0.1% or
// >99.9% rather than a rounding that hides a few rows.
func Share(x float64) string {
	switch {
	case x == 1:
		return "100%"
	case x > 0 && x < 0.001:
		return "<0.1%"
	case x > 0.999 && x < 1:
		return ">99.9%"
	}
	return strconv.FormatFloat(x*100, 'f', 1, 64) + "%"
}
