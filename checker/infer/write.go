package infer

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/contracts"
)

// build writes the contract of the proposals that still stand and loads
// it.
func build(o Options, p policy, cols []*column, rows int64) ([]byte, *contracts.Contract, error) {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("# Inferred by driftgate infer from %d file(s), %s rows%s: a starting point to review, not a promise.\n", len(o.Files), group(rows), p.scope)
	w("# Every rule below held on that data; the comment beside it says what it rests on.\n")
	w("apiVersion: v3.1.0\nkind: DataContract\nid: %s\nname: %s\nversion: %s\nstatus: draft\n", yamlString(o.ID), yamlString(o.Name), yamlString(o.Version))
	w("schema:\n  - name: %s\n    logicalType: object\n", yamlString(o.Name))
	if o.RowCount && rows > 0 {
		writeRowCount(&b, p, rows)
	}
	w("    properties:\n")
	for _, c := range cols {
		writeColumn(&b, c, rows)
	}
	data := []byte(b.String())
	c, err := contracts.Parse(o.Name+".odcs.yaml", data)
	if err != nil {
		return nil, nil, fmt.Errorf("infer: the contract written does not load (a bug): %w", err)
	}
	return data, c, nil
}

// writeRowCount bounds the rows of a batch: exactly the count seen under
// --strict, else half to twice it, the spread of a daily batch that is
// still normal.
func writeRowCount(b *strings.Builder, p policy, rows int64) {
	b.WriteString("    quality:\n")
	if p.strict {
		fmt.Fprintf(b, "      - metric: rowCount  # %s rows seen\n        mustBe: %d\n", group(rows), rows)
		return
	}
	lo, hi := rows/2, rows*2
	if lo == hi {
		lo = 0
	}
	fmt.Fprintf(b, "      - metric: rowCount  # %s rows seen; half to twice that passes\n        mustBeBetween: [%d, %d]\n", group(rows), lo, hi)
}

// writeColumn writes one property with the rules that still stand.
func writeColumn(b *strings.Builder, c *column, rows int64) {
	w := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	w("      - name: %s  # %s\n", yamlString(c.name), c.evidence)
	logical := c.logical
	if c.dropped["type"] {
		logical = "string"
	}
	w("        logicalType: %s\n", logical)
	if c.physical != "" && !c.dropped["type"] {
		w("        physicalType: %s\n", yamlString(c.physical))
	}
	if c.required && !c.dropped["required"] {
		w("        required: true  # %s\n", c.notes["required"])
	}
	if c.pk && !c.dropped["unique"] && !c.dropped["required"] {
		w("        primaryKey: true  # guessed: required, unique and named like a key\n")
	} else if c.unique && !c.dropped["unique"] {
		w("        unique: true  # %s\n", c.notes["unique"])
	}
	if opts := typeOptions(c, logical); len(opts) > 0 {
		w("        logicalTypeOptions:\n")
		for _, x := range opts {
			w("          %s\n", x)
		}
	}
	valid := len(c.valid) > 0 && !c.dropped["valid"]
	if valid || len(c.missing) > 0 {
		w("        quality:\n")
	}
	if len(c.missing) > 0 {
		w("          - metric: missingValues  # %s\n            arguments:\n              missingValues: [%s]\n            mustBeLessOrEqualTo: %d\n",
			c.notes["missing"], quoteAll(c.missing), rows)
	}
	if valid {
		w("          - metric: invalidValues  # %s\n            arguments:\n              validValues: [%s]\n            mustBe: 0\n",
			c.notes["valid"], quoteAll(c.valid))
	}
}

// typeOptions are the logicalTypeOptions lines of a column whose type is
// now logical (string when the data broke the proposed type).
func typeOptions(c *column, logical string) []string {
	if logical != "string" && logical != c.logical {
		return nil
	}
	same := logical == c.logical
	var opts []string
	if c.format != "" && !c.dropped["format"] && same {
		note := c.notes["format"]
		if note == "" {
			note = "every value has this format"
		}
		opts = append(opts, fmt.Sprintf("format: %s  # %s", yamlString(c.format), note))
	}
	if c.minLen != nil && !c.dropped["length"] && logical == "string" {
		opts = append(opts, fmt.Sprintf("minLength: %d  # %s", *c.minLen, c.notes["length"]), fmt.Sprintf("maxLength: %d", *c.maxLen))
	}
	if c.pattern != "" && !c.dropped["pattern"] {
		opts = append(opts, fmt.Sprintf("pattern: %s  # %s", yamlString(c.pattern), c.notes["pattern"]))
	}
	if c.min != nil && !c.dropped["range"] && same {
		opts = append(opts, fmt.Sprintf("minimum: %s  # %s", num(*c.min), c.notes["range"]), fmt.Sprintf("maximum: %s", num(*c.max)))
	}
	return opts
}

func quoteAll(vs []string) string {
	quoted := make([]string, len(vs))
	for i, v := range vs {
		quoted[i] = yamlString(v)
	}
	return strings.Join(quoted, ", ")
}

// yamlString writes s as a YAML scalar, quoted when it could read as
// anything else.
func yamlString(s string) string {
	if plainScalar.MatchString(s) {
		switch strings.ToLower(s) {
		case "true", "false", "yes", "no", "on", "off", "null", "y", "n":
		default:
			return s
		}
	}
	return strconv.Quote(s)
}

func num(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// group writes n with thousands separators, for the evidence comments.
func group(n int64) string { return report.GroupDigits(strconv.FormatInt(n, 10)) }
