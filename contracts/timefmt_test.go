package contracts

import (
	"testing"
	"time"
)

func TestGoTimeLayout(t *testing.T) {
	tests := []struct {
		pattern, value string
		want           time.Time
	}{
		{"yyyy-MM-dd", "2024-01-31", time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)},
		{"dd/MM/yyyy", "31/01/2024", time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)},
		{"yyyy-MM-dd HH:mm:ss", "2024-01-31 13:04:05", time.Date(2024, 1, 31, 13, 4, 5, 0, time.UTC)},
		{"yyyy-MM-dd HH:mm:ssZ", "2020-01-01 00:00:00+1000", time.Date(2019, 12, 31, 14, 0, 0, 0, time.UTC)},
		{"yyyy-MM-dd'T'HH:mm:ss.SSSXXX", "2024-01-31T13:04:05.123Z", time.Date(2024, 1, 31, 13, 4, 5, 123e6, time.UTC)},
		{"yyyyMMdd", "20240131", time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+" parses "+tt.value, func(t *testing.T) {
			layout, err := GoTimeLayout(tt.pattern)
			if err != nil {
				t.Fatal(err)
			}
			got, err := time.Parse(layout, tt.value)
			if err != nil {
				t.Fatalf("layout %q: %v", layout, err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestGoTimeLayoutRejects(t *testing.T) {
	for _, p := range []string{"", "yyyy-MM-dd'T", "yyyy-QQ", "HH:mm:ssSSS", "yyyy-MM-dd VV"} {
		t.Run(p, func(t *testing.T) {
			if _, err := GoTimeLayout(p); err == nil {
				t.Errorf("GoTimeLayout(%q) succeeded, want an error", p)
			}
		})
	}
}
