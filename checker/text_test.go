package checker

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// TestTextLayoutsGetTheSameVerdicts runs the string rules over the same
// values laid out as every Arrow text type the engine reads (utf8, large
// utf8, binary, string view, a dictionary, and a utf8 slice that starts
// inside its buffers) and wants the same counts and the same examples,
// rows included: the offsets loop reads the buffers directly, the view
// loop through Value. The values sit at the edges the rules care about:
// empty, null, exactly at the length bound in bytes and in characters,
// non-ASCII, invalid UTF-8, a missing value.
func TestTextLayoutsGetTheSameVerdicts(t *testing.T) {
	str := func(s string) *string { return &s }
	// Three leading values that the sliced layout leaves out.
	lead := []*string{str("lead"), nil, str("x")}
	vals := []*string{
		str("DE"), str(""), nil, str("abc"), str("abcd"), str("ÄÖÜ"), str("ÄÖÜß"),
		str("\xff\xfe"), str("\xff\xfe\xfd\xfc"), str("N/A"), str("ab@cd.ef"), str("ab @cd.ef"), str("NL"),
	}
	props := "- name: x\n  logicalType: string\n  logicalTypeOptions:\n    maxLength: 3\n    pattern: ^[A-Z]{2}$\n" +
		"  quality:\n    - metric: missingValues\n      arguments:\n        missingValues: [N/A]\n      mustBe: 0\n" +
		"- name: y\n  logicalType: string\n  logicalTypeOptions:\n    format: email\n" +
		"  quality:\n    - metric: invalidValues\n      arguments:\n        validValues: [DE, NL, ab@cd.ef]\n      mustBe: 0\n"

	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	all := append(append([]*string{}, lead...), vals...)
	build := func(dt arrow.DataType, in []*string) arrow.Array {
		b := array.NewBuilder(mem, dt)
		defer b.Release()
		for _, v := range in {
			switch {
			case v == nil:
				b.AppendNull()
			default:
				if err := b.AppendValueFromString(*v); err != nil {
					t.Fatal(err)
				}
			}
		}
		return b.NewArray()
	}
	binary := func(in []*string) arrow.Array {
		b := array.NewBinaryBuilder(mem, arrow.BinaryTypes.Binary)
		defer b.Release()
		for _, v := range in {
			if v == nil {
				b.AppendNull()
			} else {
				b.Append([]byte(*v))
			}
		}
		return b.NewArray()
	}
	whole := build(arrow.BinaryTypes.String, all)
	defer whole.Release()
	layouts := []struct {
		name string
		arr  arrow.Array
	}{
		{"string view", build(arrow.BinaryTypes.StringView, vals)},
		{"utf8", build(arrow.BinaryTypes.String, vals)},
		{"large utf8", build(arrow.BinaryTypes.LargeString, vals)},
		{"binary", binary(vals)},
		{"utf8 slice", array.NewSlice(whole, int64(len(lead)), int64(len(all)))},
		{"dictionary", build(&arrow.DictionaryType{IndexType: arrow.PrimitiveTypes.Int32, ValueType: arrow.BinaryTypes.String}, vals)},
	}
	for _, l := range layouts {
		defer l.arr.Release()
	}
	examples := func(tl *tally) string {
		out := fmt.Sprintf("%d", tl.Count)
		for _, e := range tl.Examples {
			out += fmt.Sprintf(" %d:%q", e.Row, e.Value)
		}
		return out
	}
	verdicts := func(arr arrow.Array) string {
		c := parseContract(t, doc(props))
		out := ""
		for p := range c.Schemas[0].Properties {
			col, err := newColumn(c.Path, &c.Schemas[0].Properties[p], "")
			if err != nil {
				t.Fatal(err)
			}
			col.observe("f", 10, arr, nil)
			for _, ob := range col.obs {
				for k := range ob.t {
					out += fmt.Sprintf("%s %s %d: %s\n", col.name, ob.rule.ID, k+1, examples(&ob.t[k]))
				}
			}
			for _, r := range col.invalidRules {
				out += fmt.Sprintf("%s invalidValues: %s\n", col.name, examples(&r.t))
			}
			for _, r := range col.missingRules {
				out += fmt.Sprintf("%s missingValues: %s\n", col.name, examples(&r.t))
			}
			out += fmt.Sprintf("%s rows %d, null or missing %d\n", col.name, col.rows, col.nullRows)
			col.release()
		}
		return out
	}
	want := verdicts(layouts[0].arr)
	// The view loop is the reference; it must itself be right.
	for _, line := range []string{
		// abcd, ÄÖÜß (4 characters), 4 invalid bytes, the addresses; not
		// ÄÖÜ (6 bytes, 3 characters) nor \xff\xfe.
		`x VALUE_LENGTH 2: 5 14:"abcd" 16:"ÄÖÜß" 18:"\xff\xfe\xfd\xfc" 20:"ab@cd.ef" 21:"ab @cd.ef"` + "\n",
		`x missingValues: 2 12:"null" 19:"N/A"` + "\n",
		// Every value but DE and NL, the null and N/A (missing).
		"x VALUE_PATTERN 1: 9 ",
		"x rows 13, null or missing 2\n",
		"y VALUE_FORMAT 1: 11 ",
		"y invalidValues: 9 ",
	} {
		if !strings.Contains(want, line) {
			t.Fatalf("string view verdicts lack %q:\n%s", line, want)
		}
	}
	for _, l := range layouts {
		if got := verdicts(l.arr); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: verdicts\n%s\nwant (string view)\n%s", l.name, got, want)
		}
	}
}
