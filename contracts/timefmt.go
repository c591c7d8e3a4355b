package contracts

import (
	"fmt"
	"strings"
	"time"
)

// GoTimeLayout converts a JDK DateTimeFormatter pattern, the dialect ODCS
// uses for date and timestamp formats (yyyy-MM-dd, dd/MM/yyyy HH:mm:ss,
// yyyy-MM-dd'T'HH:mm:ss.SSSXXX), into a Go time layout. It supports the
// letters data files use in practice and rejects the rest with an error that
// names the letter, rather than guessing.
func GoTimeLayout(pattern string) (string, error) {
	if pattern == "" {
		return "", fmt.Errorf("empty date format")
	}
	var b strings.Builder
	rs := []rune(pattern)
	for i := 0; i < len(rs); {
		c := rs[i]
		if c == '\'' { // quoted literal; '' is a literal quote
			j := i + 1
			for j < len(rs) && rs[j] != '\'' {
				j++
			}
			if j >= len(rs) {
				return "", fmt.Errorf("date format %q: unterminated quote", pattern)
			}
			if j == i+1 {
				b.WriteRune('\'')
			} else {
				b.WriteString(string(rs[i+1 : j]))
			}
			i = j + 1
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
		var s string
		switch c {
		case 'y', 'u':
			if n == 2 {
				s = "06"
			} else {
				s = "2006"
			}
		case 'M', 'L':
			switch n {
			case 1:
				s = "1"
			case 2:
				s = "01"
			case 3:
				s = "Jan"
			default:
				s = "January"
			}
		case 'd':
			if n == 1 {
				s = "2"
			} else if n == 2 {
				s = "02"
			}
		case 'D':
			if n == 3 {
				s = "002"
			}
		case 'H':
			if n == 2 {
				s = "15"
			}
		case 'h':
			if n == 1 {
				s = "3"
			} else if n == 2 {
				s = "03"
			}
		case 'm':
			if n == 1 {
				s = "4"
			} else if n == 2 {
				s = "04"
			}
		case 's':
			if n == 1 {
				s = "5"
			} else if n == 2 {
				s = "05"
			}
		case 'S':
			if n <= 9 {
				s = strings.Repeat("0", n)
				// Go needs fractional seconds after a period or comma.
				cur := b.String()
				if !strings.HasSuffix(cur, ".") && !strings.HasSuffix(cur, ",") {
					return "", fmt.Errorf("date format %q: fraction of second must follow '.' or ','", pattern)
				}
			}
		case 'a':
			s = "PM"
		case 'E':
			if n <= 3 {
				s = "Mon"
			} else {
				s = "Monday"
			}
		case 'X':
			switch n {
			case 1:
				s = "Z07"
			case 2:
				s = "Z0700"
			case 3:
				s = "Z07:00"
			}
		case 'x':
			switch n {
			case 1:
				s = "-07"
			case 2:
				s = "-0700"
			case 3:
				s = "-07:00"
			}
		case 'Z':
			if n <= 3 {
				s = "-0700"
			} else if n == 5 {
				s = "-07:00"
			}
		case 'z':
			s = "MST"
		case 'V':
			if n == 2 {
				return "", fmt.Errorf("date format %q: zone ids (VV) are not supported", pattern)
			}
		}
		if s == "" {
			return "", fmt.Errorf("date format %q: unsupported pattern letter %q", pattern, strings.Repeat(string(c), n))
		}
		b.WriteString(s)
	}
	return b.String(), nil
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
