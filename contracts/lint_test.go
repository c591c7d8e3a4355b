package contracts

import (
	"strings"
	"testing"
)

const lintHeader = `apiVersion: v3.1.0
kind: DataContract
id: lint
version: 1.0.0
status: active
schema:
  - name: t
`

func TestLint(t *testing.T) {
	tests := []struct {
		name string
		body string // appended to lintHeader, indented under the schema object
		want string // substring of the only lint error; empty means clean
	}{
		{"distinct columns are clean", `
    properties:
      - {name: a, logicalType: string}
      - {name: b, physicalName: c, logicalType: string}`, ""},
		{"two columns with one data name are flagged", `
    properties:
      - {name: a, logicalType: string}
      - {name: b, physicalName: a, logicalType: string}`, `schema[0].properties[1]: duplicate column "a"`},
		{"a nested duplicate field is flagged", `
    properties:
      - name: o
        logicalType: object
        properties:
          - {name: x, logicalType: string}
          - {name: x, logicalType: string}`, `schema[0].properties[0].properties[1]: duplicate column "x"`},
		{"an RE2 pattern is clean", `
    properties:
      - {name: a, logicalType: string, logicalTypeOptions: {pattern: '^\d{3}-[A-Z]+$'}}`, ""},
		{"a broken pattern is flagged", `
    properties:
      - {name: a, logicalType: string, logicalTypeOptions: {pattern: 'a(b'}}`, `invalid pattern "a(b"`},
		{"a lookahead pattern names the RE2 limit", `
    properties:
      - {name: a, logicalType: string, logicalTypeOptions: {pattern: '^(?=.*\d).+$'}}`, "lookaround or backreferences, which Go's RE2"},
		{"a backreference in arguments.pattern names the RE2 limit", `
    properties:
      - name: a
        logicalType: string
        quality:
          - {metric: invalidValues, arguments: {pattern: '(a)\1'}, mustBe: 0}`, "quality[0].arguments.pattern: pattern \"(a)\\\\1\" uses lookaround"},
		{"minimum below maximum is clean", `
    properties:
      - {name: a, logicalType: integer, logicalTypeOptions: {minimum: 1, maximum: 2}}`, ""},
		{"minimum above maximum is flagged", `
    properties:
      - {name: a, logicalType: number, logicalTypeOptions: {minimum: 5.5, exclusiveMaximum: 2}}`, "minimum 5.5 is greater than exclusiveMaximum 2"},
		{"date bounds in order are clean", `
    properties:
      - {name: a, logicalType: date, logicalTypeOptions: {format: dd/MM/yyyy, minimum: "31/12/2019", maximum: "01/01/2020"}}`, ""},
		{"date bounds out of order are flagged after parsing with the format", `
    properties:
      - {name: a, logicalType: date, logicalTypeOptions: {format: dd/MM/yyyy, minimum: "02/01/2020", maximum: "31/12/2019"}}`, `minimum 02/01/2020 is after maximum 31/12/2019`},
		{"a date bound that does not match the format is flagged", `
    properties:
      - {name: a, logicalType: date, logicalTypeOptions: {format: yyyy-MM-dd, minimum: "2020/01/01"}}`, `minimum "2020/01/01" does not match format "yyyy-MM-dd"`},
		{"timestamp bounds without a format parse as ISO 8601", `
    properties:
      - {name: a, logicalType: timestamp, logicalTypeOptions: {minimum: "2020-01-01T00:00:00Z", maximum: "2021-01-01 00:00:00"}}`, ""},
		{"a format driftgate cannot convert is an info finding, not an error", `
    properties:
      - {name: a, logicalType: timestamp, logicalTypeOptions: {format: "yyyy-ww"}}`, `info: schema[0].properties[0].logicalTypeOptions.format: driftgate cannot read this format`},
		{"JSON Schema format names are read as formats", `
    properties:
      - {name: a, logicalType: date, logicalTypeOptions: {format: date, minimum: "2020-01-01"}}
      - {name: b, logicalType: timestamp, logicalTypeOptions: {format: date-time, minimum: "2020-01-01T00:00:00Z", maximum: "2019-01-01T00:00:00+01:00"}}`, `minimum 2020-01-01T00:00:00Z is after maximum 2019-01-01T00:00:00+01:00`},
		{"a time column may say format: time", `
    properties:
      - {name: a, logicalType: time, logicalTypeOptions: {format: time, minimum: "08:00:00Z"}}`, ""},
		{"equal bounds with an exclusive end are flagged", `
    properties:
      - {name: a, logicalType: integer, logicalTypeOptions: {minimum: 3, exclusiveMaximum: 3}}`, "minimum 3 is equal to exclusiveMaximum 3"},
		{"bounds beyond float64 precision are compared exactly", `
    properties:
      - {name: a, logicalType: integer, logicalTypeOptions: {minimum: 9007199254740993, maximum: 9007199254740992}}`, "minimum 9007199254740993 is greater than maximum 9007199254740992"},
		{"a length beyond int64 is an error at its line, not dropped", `
    properties:
      - {name: a, logicalType: string, logicalTypeOptions: {minLength: 9223372036854775808}}`, "minLength 9223372036854775808 is larger than driftgate can check"},
		{"minLength above maxLength is flagged", `
    properties:
      - {name: a, logicalType: string, logicalTypeOptions: {minLength: 5, maxLength: 4}}`, "minLength 5 is greater than maxLength 4"},
		{"minItems above maxItems is flagged", `
    properties:
      - {name: a, logicalType: array, logicalTypeOptions: {minItems: 5, maxItems: 4}}`, "minItems 5 is greater than maxItems 4"},
		{"a duplicateValues rule over known columns is clean", `
    properties:
      - {name: a, physicalName: col_a, logicalType: string}
      - {name: b, logicalType: string}
    quality:
      - {metric: duplicateValues, arguments: {properties: [col_a, b]}, mustBe: 0}`, ""},
		{"a duplicateValues rule over an unknown column is flagged", `
    properties:
      - {name: a, logicalType: string}
    quality:
      - {metric: duplicateValues, arguments: {properties: [a, z]}, mustBe: 0}`, `quality[0].arguments.properties[1]: column "z" is not a property of t`},
		{"common physical types are clean", `
    properties:
      - {name: a, physicalType: "VARCHAR(18)"}
      - {name: b, physicalType: "timestamp[us, tz=UTC]"}
      - {name: c, physicalType: "decimal(12, 2)"}`, ""},
		{"an unknown physical type with a logical type is an info finding naming the type", `
    properties:
      - {name: a, logicalType: string, physicalType: geographie}`, `info: schema[0].properties[0].physicalType: physicalType "geographie" is not a type driftgate knows in the generic dialect; logicalType string decides`},
		{"an unknown physical type without a logical type is a warning", `
    properties:
      - {name: a, physicalType: geographie}`, `warning: schema[0].properties[0].physicalType: physicalType "geographie" is not a type driftgate knows`},
		{"a physical type that contradicts the logical type is an error", `
    properties:
      - {name: a, logicalType: string, physicalType: INT64}`, `schema[0].properties[0].physicalType: physicalType "INT64" is an integer type, which contradicts logicalType string`},
		{"engine types the ODCS examples use are clean", `
    properties:
      - {name: a, logicalType: number, physicalType: int4}
      - {name: b, logicalType: number, physicalType: serial}
      - {name: c, logicalType: string, physicalType: bpchar}
      - {name: d, logicalType: string, physicalType: "varchar(50)"}
      - {name: e, logicalType: string, physicalType: "varchar[15]"}
      - {name: f, logicalType: number, physicalType: BIGNUMERIC}
      - {name: g, logicalType: string, physicalType: GEOGRAPHY}
      - {name: h, logicalType: object, physicalType: "RANGE<TIMESTAMP>"}
      - {name: i, logicalType: date, physicalType: timestamp}
      - {name: j, logicalType: string, physicalType: xml}
      - {name: k, logicalType: string, physicalType: str}`, ""},
		{"a library rule with an operator is clean", `
    quality:
      - {metric: rowCount, mustBeGreaterThan: 0}`, ""},
		{"a non-numeric mustBe is flagged", `
    quality:
      - {type: sql, query: select 1, mustBe: "ok"}`, `mustBe "ok" is not a number or boolean`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("lint.yaml", []byte(lintHeader+strings.TrimPrefix(tt.body, "\n")+"\n"))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			errs := LintAll(c)
			if tt.want == "" {
				if errs != nil {
					t.Errorf("want clean, got %v", ParseErrors(errs))
				}
				return
			}
			if len(errs) != 1 || !strings.Contains(errs[0].Error(), tt.want) {
				t.Fatalf("got %v\nwant one error containing %q", ParseErrors(errs), tt.want)
			}
			if errs[0].Line < 8 || errs[0].File != "lint.yaml" {
				t.Errorf("error has no useful position: %v", errs[0])
			}
		})
	}
}

func TestLintFlagsALibraryRuleWithoutOperator(t *testing.T) {
	// Only v3.0 contracts get here: the v3.1 schema demands an operator.
	c, err := Parse("v30.yaml", []byte(strings.Replace(lintHeader, "v3.1.0", "v3.0.2", 1)+"    quality:\n      - rule: rowCount\n"))
	if err != nil {
		t.Fatal(err)
	}
	errs := Lint(c)
	if len(errs) != 1 || !strings.Contains(errs[0].Msg, "nothing to compare") || errs[0].Line != 9 {
		t.Errorf("Lint = %v", ParseErrors(errs))
	}
}
