package contracts

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// GoTimeLayout converts a JDK DateTimeFormatter pattern, the dialect ODCS
// uses for date and timestamp formats (yyyy-MM-dd, dd/MM/yyyy HH:mm:ss,
// yyyy-MM-dd'T'HH:mm:ss.SSSXXX), into a Go time layout. It supports the
// letters data files use in practice (layoutTokens) and rejects the rest
// with an error that names the letter, rather than guessing.
func GoTimeLayout(pattern string) (string, error) {
	if pattern == "" {
		return "", fmt.Errorf("empty date format")
	}
	var b strings.Builder
	rs := []rune(pattern)
	for i := 0; i < len(rs); {
		c := rs[i]
		if c == '\'' { // quoted literal; '' is a literal quote
			lit, next, ok := quotedLiteral(rs, i)
			if !ok {
				return "", fmt.Errorf("date format %q: unterminated quote", pattern)
			}
			b.WriteString(lit)
			i = next
			continue
		}
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			b.WriteRune(c)
			i++
			continue
		}
		n := 1
		for i+n < len(rs) && rs[i+n] == c {
			n++
		}
		i += n
		s, err := layoutToken(c, n, b.String())
		if err != nil {
			return "", fmt.Errorf("date format %q: %w", pattern, err)
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

// quotedLiteral reads the quoted text that starts at rs[i], a single
// quote, and returns it with the index after the closing quote; two
// quotes in a row stand for one.
func quotedLiteral(rs []rune, i int) (lit string, next int, ok bool) {
	j := i + 1
	for j < len(rs) && rs[j] != '\'' {
		j++
	}
	if j >= len(rs) {
		return "", 0, false
	}
	if j == i+1 {
		return "'", j + 1, true
	}
	return string(rs[i+1 : j]), j + 1, true
}

// layoutTokens is the Go layout of each JDK pattern letter by the length
// of its run: runs[n-1] for n letters, the last entry for any longer run;
// "" is a run length Go cannot express.
var layoutTokens = map[rune][]string{
	'y': {"2006", "06", "2006"}, // year; yy is two digits
	'u': {"2006", "06", "2006"},
	'M': {"1", "01", "Jan", "January"}, // month
	'L': {"1", "01", "Jan", "January"},
	'd': {"2", "02", ""},                 // day of month
	'D': {"", "", "002", ""},             // day of year: DDD only
	'H': {"", "15", ""},                  // hour 0-23: HH only
	'h': {"3", "03", ""},                 // hour 1-12
	'm': {"4", "04", ""},                 // minute
	's': {"5", "05", ""},                 // second
	'a': {"PM"},                          // AM/PM
	'E': {"Mon", "Mon", "Mon", "Monday"}, // day of week
	'X': {"Z07", "Z0700", "Z07:00", ""},  // offset, Z for UTC
	'x': {"-07", "-0700", "-07:00", ""},  // offset
	'Z': {"-0700", "-0700", "-0700", "", "-07:00", ""},
	'z': {"MST"}, // zone abbreviation
	// S, fraction of second: up to nine digits.
	'S': {"0", "00", "000", "0000", "00000", "000000", "0000000", "00000000", "000000000", ""},
}

// layoutToken is the Go layout of a run of n letters c; before is the
// layout so far (Go needs a fraction of second after a period or comma).
func layoutToken(c rune, n int, before string) (string, error) {
	var s string
	if runs := layoutTokens[c]; runs != nil {
		s = runs[min(n, len(runs))-1]
	}
	switch {
	case c == 'V' && n == 2:
		return "", errors.New("zone ids (VV) are not supported")
	case s == "":
		return "", fmt.Errorf("unsupported pattern letter %q", strings.Repeat(string(c), n))
	case c == 'S' && !strings.HasSuffix(before, ".") && !strings.HasSuffix(before, ","):
		return "", errors.New("fraction of second must follow '.' or ','")
	}
	return s, nil
}

// jsonSchemaTimeFormats are the JSON Schema format names (RFC 3339) and
// the JDK's predefined ISO formatters, which contracts write in place of
// a pattern.
var jsonSchemaTimeFormats = map[string]string{
	"date":                 time.DateOnly,
	"full-date":            time.DateOnly,
	"date-time":            time.RFC3339Nano,
	"time":                 "15:04:05.999999999Z07:00",
	"full-time":            "15:04:05.999999999Z07:00",
	"partial-time":         "15:04:05.999999999",
	"iso_local_date":       time.DateOnly,
	"iso_date":             time.DateOnly,
	"iso_local_date_time":  "2006-01-02T15:04:05.999999999",
	"iso_offset_date_time": time.RFC3339Nano,
	"iso_date_time":        time.RFC3339Nano,
	"iso_zoned_date_time":  time.RFC3339Nano,
	"iso_instant":          time.RFC3339Nano,
	"iso_local_time":       "15:04:05.999999999",
	"iso_offset_time":      "15:04:05.999999999Z07:00",
	"iso_time":             "15:04:05.999999999Z07:00",
	"basic_iso_date":       "20060102",
}

// IsNamedTimeFormat reports whether format is a JSON Schema format name
// (date, date-time, time) or a JDK predefined formatter (ISO_LOCAL_DATE,
// ISO_OFFSET_DATE_TIME, ...), rather than a pattern.
func IsNamedTimeFormat(format string) bool {
	_, ok := jsonSchemaTimeFormats[strings.ToLower(strings.TrimSpace(format))]
	return ok
}

// TimeFormatLayout converts the format of a date, timestamp or time
// column into a Go layout: a JSON Schema format name or JDK predefined
// formatter first, else a JDK pattern (see GoTimeLayout).
func TimeFormatLayout(format string) (string, error) {
	if l, ok := jsonSchemaTimeFormats[strings.ToLower(strings.TrimSpace(format))]; ok {
		return l, nil
	}
	return GoTimeLayout(format)
}
