package contracts

import (
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"
)

func propertyOf(t *testing.T, body string) (*Contract, *Property) {
	t.Helper()
	c, err := Parse("b.yaml", []byte(lintHeader+"    properties:\n"+body+"\n"))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return c, &c.Schemas[0].Properties[0]
}

func TestRange(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		lo, hi string // Bound.String(); empty for none
		err    string
	}{
		{"integer bounds", `      - {name: a, logicalType: integer, logicalTypeOptions: {minimum: 1, maximum: 10}}`, "minimum 1", "maximum 10", ""},
		{"exclusive bounds", `      - {name: a, logicalType: number, logicalTypeOptions: {exclusiveMinimum: 0.5, exclusiveMaximum: 2}}`, "exclusiveMinimum 0.5", "exclusiveMaximum 2", ""},
		{"a bound beyond int64 is exact", `      - {name: a, logicalType: integer, logicalTypeOptions: {maximum: 9223372036854775808}}`, "", "maximum 9223372036854775808", ""},
		{"a bound beyond uint64 is exact", `      - {name: a, logicalType: integer, logicalTypeOptions: {minimum: -99999999999999999999999}}`, "minimum -99999999999999999999999", "", ""},
		{"a date bound in the column's format", `      - {name: a, logicalType: date, logicalTypeOptions: {format: dd/MM/yyyy, minimum: "31/12/2019"}}`, "minimum 31/12/2019", "", ""},
		{"a JSON Schema date-time format", `      - {name: a, logicalType: timestamp, logicalTypeOptions: {format: date-time, maximum: "2024-01-01T00:00:00+02:00"}}`, "", "maximum 2024-01-01T00:00:00+02:00", ""},
		{"the standard's own timestamp example", `      - {name: a, logicalType: timestamp, logicalTypeOptions: {format: "yyyy-MM-dd HH:mm:ssZ", minimum: "2020-01-01 00:00:00+10:00"}}`, "minimum 2020-01-01 00:00:00+10:00", "", ""},
		{"a date bound that does not match", `      - {name: a, logicalType: date, logicalTypeOptions: {format: yyyy-MM-dd, minimum: "2020/01/01"}}`, "", "", `b.yaml:9:79: logicalTypeOptions.minimum: minimum "2020/01/01" does not match format "yyyy-MM-dd"`},
		{"an unreadable format falls back to ISO 8601 for bounds", `      - {name: a, logicalType: date, logicalTypeOptions: {format: "yyyy-ww", minimum: "2020-01-01"}}`, "minimum 2020-01-01", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, p := propertyOf(t, tt.body)
			lo, hi, err := p.Range("b.yaml")
			if tt.err != "" {
				var pe *ParseError
				if err == nil || !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want a ParseError containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if lo.String() != tt.lo || hi.String() != tt.hi {
				t.Errorf("got %q %q, want %q %q", lo.String(), hi.String(), tt.lo, tt.hi)
			}
		})
	}
}

func TestNumbersAreExact(t *testing.T) {
	_, p := propertyOf(t, `      - {name: a, logicalType: integer, logicalTypeOptions: {minimum: 9007199254740993}}`)
	lo, _, err := p.Range("b.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if lo.Num.CmpInt64(9007199254740993) != 0 || lo.Num.CmpInt64(9007199254740992) == 0 {
		t.Errorf("minimum 9007199254740993 read as %s", lo.Num.Rat().RatString())
	}
	_, p = propertyOf(t, `      - {name: a, logicalType: number, logicalTypeOptions: {maximum: 0.1}}`)
	_, hi, _ := p.Range("b.yaml")
	if hi.Num.Rat().Cmp(big.NewRat(1, 10)) != 0 {
		t.Errorf("maximum 0.1 read as %s", hi.Num.Rat().RatString())
	}
	if n, ok := NumberOf(uint64(math.MaxUint64)); !ok || n.CmpUint64(math.MaxUint64) != 0 {
		t.Error("uint64 max is not exact")
	}
}

func TestMultiple(t *testing.T) {
	mult := func(s string) *Multiple {
		n, err := ParseNumber(s)
		if err != nil {
			t.Fatal(err)
		}
		m, err := NewMultiple(n)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	t.Run("4294967296 does not divide 1 or 2", func(t *testing.T) {
		m := mult("4294967296")
		if m.Int64(1) || m.Int64(2) || !m.Int64(8589934592) || !m.Int64(0) || !m.Uint64(1<<63) {
			t.Error("multipleOf 4294967296 is not exact")
		}
	})
	t.Run("9007199254740993 is not a multiple of 2", func(t *testing.T) {
		m := mult("2")
		if m.Int64(9007199254740993) || !m.Int64(9007199254740994) || m.Int64(math.MinInt64+1) || !m.Int64(math.MinInt64) {
			t.Error("multipleOf 2 is not exact")
		}
	})
	t.Run("a multipleOf beyond int64 accepts only zero from int64 data", func(t *testing.T) {
		m := mult("18446744073709551617")
		if m.Int64(math.MaxInt64) || !m.Int64(0) || m.Uint64(math.MaxUint64) {
			t.Error("wrong")
		}
	})
	t.Run("decimals are judged exactly, by scale", func(t *testing.T) {
		m := mult("0.05")
		s2 := m.ForScale(2) // unscaled values in hundredths
		if !s2.Int64(15) || s2.Int64(12) || !s2.Int64(-10) || !s2.Big(big.NewInt(100)) {
			t.Error("0.15 and -0.10 are multiples of 0.05, 0.12 is not")
		}
		s0 := m.ForScale(0)
		if !s0.Int64(3) {
			t.Error("3 is a multiple of 0.05")
		}
		sneg := mult("200").ForScale(-2) // unscaled 3 means 300
		if sneg.Int64(3) || !sneg.Int64(4) {
			t.Error("300 is not a multiple of 200, 400 is")
		}
	})
	t.Run("floats by their shortest decimal form", func(t *testing.T) {
		m := mult("0.1")
		if !m.Float64(0.3) || !m.Float64(2.5) || m.Float64(0.25) || m.Float64(math.NaN()) || m.Float64(math.Inf(1)) || !m.Float64(-0.7) {
			t.Error("0.1 multiples")
		}
		if mult("2").Float64(9007199254740993.0) != true { // the float is 9007199254740992
			t.Error("the float64 nearest 9007199254740993 is even")
		}
		if mult("3").Float64(1e300) {
			t.Error("1e300 is 1 followed by zeros, not a multiple of 3")
		}
	})
	t.Run("a multipleOf orders another", func(t *testing.T) {
		if !mult("0.5").IsMultipleOf(mult("0.25")) || mult("0.25").IsMultipleOf(mult("0.5")) {
			t.Error("0.5 is a multiple of 0.25, not the reverse")
		}
	})
	t.Run("zero and negative are refused", func(t *testing.T) {
		for _, s := range []string{"0", "-1"} {
			n, _ := ParseNumber(s)
			if _, err := NewMultiple(n); err == nil {
				t.Errorf("multipleOf %s accepted", s)
			}
		}
	})
	t.Run("the property's multipleOf is read from its literal", func(t *testing.T) {
		_, p := propertyOf(t, `      - {name: a, logicalType: number, logicalTypeOptions: {multipleOf: 0.01}}`)
		m, err := p.MultipleOf("b.yaml")
		if err != nil || m.String() != "0.01" || !m.ForScale(2).Int64(7) {
			t.Errorf("got %v %v", m, err)
		}
		zero := 0.0
		p = &Property{Options: TypeOptions{MultipleOf: &zero}, FieldPos: map[string]Pos{"multipleOf": {Line: 9, Column: 5}}}
		if _, err := p.MultipleOf("b.yaml"); err == nil || !strings.Contains(err.Error(), "b.yaml:9:5:") {
			t.Errorf("multipleOf 0: %v; want an error at its line", err)
		}
		p = &Property{LogicalType: "integer", Options: TypeOptions{Minimum: "ten"}}
		if _, _, err := p.Range("b.yaml"); err == nil || !strings.Contains(err.Error(), "minimum ten is not a number") {
			t.Errorf("minimum ten: %v", err)
		}
	})
}

func TestParseNumber(t *testing.T) {
	for _, s := range []string{"0", "-1", "+2.5", "1e3", "1.5E-7", ".5", "5.", "1_000"} {
		if _, err := ParseNumber(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	for _, s := range []string{"", "-", "0x10", "inf", "NaN", "1e", "1e99999", "1.2.3", "e5", "1 2"} {
		if _, err := ParseNumber(s); err == nil {
			t.Errorf("%q parsed", s)
		}
	}
}

// FuzzBounds parses arbitrary bound text as numbers and, with a format,
// as dates: never a panic, and a parsed number compares equal to itself.
func FuzzBounds(f *testing.F) {
	for _, s := range []string{"1", "-0.5", "9223372036854775808", "1e400", "2020-01-01", "31/12/2019", "2020-01-01 00:00:00+10:00"} {
		f.Add(s, "yyyy-MM-dd")
		f.Add(s, "")
	}
	f.Fuzz(func(t *testing.T, s, format string) {
		if n, err := ParseNumber(s); err == nil {
			if n.Cmp(n) != 0 {
				t.Fatalf("%q differs from itself", s)
			}
			if m, err := NewMultiple(n); err == nil {
				_ = m.Int64(12345)
				_ = m.Float64(0.5)
				_ = m.ForScale(3).Int64(12345)
			}
		}
		for _, logical := range []string{"integer", "date", "timestamp", "time"} {
			p := &Property{LogicalType: logical, Options: TypeOptions{Minimum: s, Maximum: s, Format: format}}
			lo, hi, err := p.Range("f.yaml")
			if err != nil {
				var pe *ParseError
				if !errors.As(err, &pe) {
					t.Fatalf("error %v is not a ParseError", err)
				}
				continue
			}
			if Empty(lo, hi) {
				t.Fatalf("%s %q..%q with format %q is empty", logical, s, s, format)
			}
		}
	})
}
