package rules_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/pqtest"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/checker/sqlpush/duckdb"
	"github.com/driftgate/driftgate/contracts"
)

var update = flag.Bool("update", false, "regenerate testdata/rules/<RULE>/ from the fixture table")

// null marks a null cell in a fixture column.
const null = "\x00null"

type fixtureCol struct {
	name string
	typ  arrow.DataType
	vals []string
}

// fixture is the generator input of testdata/rules/<RULE>/: a contract
// that declares the rule, data that breaks it, and how many rows must
// break it in each format. The files are generated from it (go test
// ./checker/rules -update), never written by hand.
type fixture struct {
	props   string // the schema object's properties, YAML from column 0
	quality string // schema-level quality rules, YAML from column 0
	cols    []fixtureCol
	// parquetMeta is key-value metadata of the Parquet file (which then
	// does not store its own Arrow schema).
	parquetMeta map[string]string
	// fires is the count the rule's finding must report per format; a
	// format left out must not fire it (VALUE_TYPE exists only in CSV,
	// COLUMN_TYPE only where files carry types).
	fires map[string]int64
}

var (
	i64  = arrow.PrimitiveTypes.Int64
	str  = arrow.BinaryTypes.String
	both = func(n int64) map[string]int64 { return map[string]int64{"csv": n, "parquet": n} }
)

// fixtures holds one case per rule of the check and quality families.
// Numeric rules use small non-negative integers, which every numeric Arrow
// type holds: the numeric-type test in package checker replays them on
// each of int8 … uint64, float16/32/64 and decimal32/64/128/256.
var fixtures = map[string]fixture{
	"COLUMN_MISSING": {
		props: "- name: id\n  logicalType: integer\n- name: email\n  logicalType: string\n  required: true",
		cols:  []fixtureCol{{"id", i64, []string{"1", "2"}}},
		fires: both(1),
	},
	"COLUMN_UNEXPECTED": {
		props: "- name: id\n  logicalType: integer",
		cols:  []fixtureCol{{"id", i64, []string{"1", "2"}}, {"extra", str, []string{"a", "b"}}},
		fires: both(1),
	},
	"COLUMN_TYPE": {
		props: "- name: id\n  logicalType: integer",
		cols:  []fixtureCol{{"id", str, []string{"1", "x"}}},
		fires: map[string]int64{"parquet": 1},
	},
	"VALUE_NULL": {
		props: "- name: id\n  logicalType: integer\n  required: true",
		cols:  []fixtureCol{{"id", i64, []string{"1", null, "3"}}},
		fires: both(1),
	},
	"VALUE_TYPE": {
		props: "- name: qty\n  logicalType: integer",
		cols:  []fixtureCol{{"qty", str, []string{"1", "two", "3"}}},
		fires: map[string]int64{"csv": 1},
	},
	"VALUE_UNIQUE": {
		props: "- name: id\n  logicalType: integer\n  unique: true",
		cols:  []fixtureCol{{"id", i64, []string{"1", "2", "1"}}},
		fires: both(2),
	},
	"VALUE_RANGE": {
		props: "- name: qty\n  logicalType: number\n  logicalTypeOptions:\n    minimum: 1\n    maximum: 100",
		cols:  []fixtureCol{{"qty", i64, []string{"5", "101", "0", "100"}}},
		fires: both(2), // one value below, one above
	},
	"VALUE_LENGTH": {
		props: "- name: code\n  logicalType: string\n  logicalTypeOptions:\n    maxLength: 3",
		cols:  []fixtureCol{{"code", str, []string{"abc", "abcd", "é€ü"}}},
		fires: both(1),
	},
	"VALUE_PATTERN": {
		props: "- name: country\n  logicalType: string\n  logicalTypeOptions:\n    pattern: ^[A-Z]{2}$",
		cols:  []fixtureCol{{"country", str, []string{"DE", "fr", "NL"}}},
		fires: both(1),
	},
	"VALUE_FORMAT": {
		props: "- name: email\n  logicalType: string\n  logicalTypeOptions:\n    format: email",
		cols:  []fixtureCol{{"email", str, []string{"ada@example.com", "ada.example.com"}}},
		fires: both(1),
	},
	"VALUE_MULTIPLE_OF": {
		props: "- name: qty\n  logicalType: number\n  logicalTypeOptions:\n    multipleOf: 5",
		cols:  []fixtureCol{{"qty", i64, []string{"10", "7", "15", "0"}}},
		fires: both(1),
	},
	"QUALITY_NULL_VALUES": {
		props: "- name: email\n  logicalType: string\n  quality:\n    - metric: nullValues\n      mustBe: 0",
		cols:  []fixtureCol{{"email", str, []string{"a@b.c", null, null}}},
		fires: both(2),
	},
	"QUALITY_MISSING_VALUES": {
		props: "- name: country\n  logicalType: string\n  quality:\n    - metric: missingValues\n      arguments:\n        missingValues: [null, 'ZZ']\n      mustBe: 0",
		cols:  []fixtureCol{{"country", str, []string{"DE", "ZZ", null}}},
		fires: both(2),
	},
	"QUALITY_INVALID_VALUES": {
		props: "- name: status\n  logicalType: string\n  quality:\n    - metric: invalidValues\n      arguments:\n        validValues: [open, closed]\n      mustBe: 0",
		cols:  []fixtureCol{{"status", str, []string{"open", "lost", "closed"}}},
		fires: both(1),
	},
	"QUALITY_DUPLICATE_VALUES": {
		props: "- name: id\n  logicalType: integer\n  quality:\n    - metric: duplicateValues\n      mustBe: 0",
		cols:  []fixtureCol{{"id", i64, []string{"1", "2", "2"}}},
		fires: both(1), // the second 2 repeats the first; ODCS counts it once
	},
	"QUALITY_ROW_COUNT": {
		props:   "- name: id\n  logicalType: integer",
		quality: "- metric: rowCount\n  mustBeGreaterThan: 10",
		cols:    []fixtureCol{{"id", i64, []string{"1", "2", "3"}}},
		fires:   both(3),
	},
	"QUALITY_SQL": {
		props:   "- name: id\n  logicalType: integer",
		quality: "- type: sql\n  query: SELECT count(*) FROM {object} WHERE id > 1\n  mustBe: 0",
		cols:    []fixtureCol{{"id", i64, []string{"1", "2", "3"}}},
		fires:   both(2),
	},
	"QUALITY_NOT_EXECUTED": {
		props:   "- name: id\n  logicalType: integer",
		quality: "- type: custom\n  engine: soda\n  implementation: 'checks for t: [row_count > 0]'",
		cols:    []fixtureCol{{"id", i64, []string{"1"}}},
		fires:   both(0),
	},
	"CHECK_METADATA_IGNORED": {
		props:       "- name: id\n  logicalType: integer",
		cols:        []fixtureCol{{"id", i64, []string{"1", "2"}}},
		parquetMeta: map[string]string{"ARROW:schema": "not an Arrow schema"},
		fires:       map[string]int64{"parquet": 0},
	},
	// An object kept as JSON text (physicalType json), as ODCS's
	// all-data-types example has it: no object is read to judge.
	"CHECK_SKIPPED": {
		props: "- name: attrs\n  logicalType: object\n  physicalType: json\n  logicalTypeOptions:\n    maxProperties: 1",
		cols:  []fixtureCol{{"attrs", str, []string{`{"a":"x"}`, `{"a":"y","b":"z"}`}}},
		fires: both(0),
	},
	// CSV has no arrays: the array rules fire in Parquet only, and CSV
	// lists them as not checked.
	"VALUE_ITEMS": {
		props: "- name: tags\n  logicalType: array\n  logicalTypeOptions:\n    minItems: 1\n    maxItems: 2\n  items:\n    logicalType: string",
		cols:  []fixtureCol{{"tags", arrow.ListOf(str), []string{`["a"]`, `[]`, `["a","b","c"]`, null, `["a","b"]`}}},
		fires: map[string]int64{"parquet": 2}, // one with none, one with three
	},
	// CSV and JSON hold no objects the rule can judge: it fires in Parquet
	// only, and CSV lists it as not checked.
	"VALUE_PROPERTIES": {
		props: "- name: customer\n  logicalType: object\n  logicalTypeOptions:\n    minProperties: 1\n    maxProperties: 2\n    required: [id]\n  properties:\n    - name: id\n      logicalType: integer\n    - name: email\n      logicalType: string\n    - name: phone\n      logicalType: string",
		cols: []fixtureCol{{"customer", arrow.StructOf(
			arrow.Field{Name: "id", Type: i64, Nullable: true},
			arrow.Field{Name: "email", Type: str, Nullable: true},
			arrow.Field{Name: "phone", Type: str, Nullable: true},
		), []string{`{"id":1,"email":"a"}`, `{}`, `{"id":2,"email":"b","phone":"c"}`, null, `{"email":"d"}`}}},
		fires: map[string]int64{"parquet": 3}, // one with none, one with three, one without id
	},
	"VALUE_UNIQUE_ITEMS": {
		props: "- name: tags\n  logicalType: array\n  logicalTypeOptions:\n    uniqueItems: true\n  items:\n    logicalType: string",
		cols:  []fixtureCol{{"tags", arrow.ListOf(str), []string{`["a","b"]`, `["a","a"]`, `[]`, `["b",null,null]`, `["a",null]`}}},
		fires: map[string]int64{"parquet": 2},
	},
}

// checkFamilies are the families `driftgate check` reports: each of their
// rules needs a fixture.
var checkFamilies = []rules.Family{rules.FamilyCheck, rules.FamilyQuality}

func TestEveryCheckRuleHasAFixture(t *testing.T) {
	for _, r := range rules.All() {
		if !slices.Contains(checkFamilies, r.Family) {
			continue
		}
		if _, ok := fixtures[r.ID]; !ok {
			t.Errorf("rule %s has no fixture: add one to the fixtures table and run go test ./checker/rules -update", r.ID)
		}
		if _, err := os.Stat(filepath.Join("testdata", "rules", r.ID, "contract.yaml")); err != nil {
			t.Errorf("rule %s: %v (run go test ./checker/rules -update)", r.ID, err)
		}
	}
	for id := range fixtures {
		if r, ok := rules.Lookup(id); !ok || !slices.Contains(checkFamilies, r.Family) {
			t.Errorf("fixture %s names no registered check rule", id)
		}
	}
}

// TestFixturesFireTheirRule runs every fixture on its CSV and its Parquet
// data: the rule fires with the planted count, and the report matches the
// fixture's want.txt. The data files must be what the generator writes.
func TestFixturesFireTheirRule(t *testing.T) {
	ran := 0
	for _, id := range sortedIDs() {
		fx := fixtures[id]
		t.Run(id, func(t *testing.T) {
			if id == rules.QualitySQL.ID && !duckdb.Available {
				t.Skip("this build has no DuckDB (built without cgo): sql rules are not executed, as TestWithoutCgoThereIsNoDuckDB asserts")
			}
			dir := filepath.Join("testdata", "rules", id)
			files := generate(t, id, fx)
			if *update {
				writeAll(t, dir, files)
			}
			for name, want := range files {
				if strings.HasSuffix(name, ".parquet") {
					continue // checked by what it yields below; bytes carry the writer version
				}
				got, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("%s/%s differs from the generator's output (run go test ./checker/rules -update): %v", dir, name, err)
				}
			}
			var out strings.Builder
			for _, format := range []string{"csv", "parquet"} {
				rep := runFixture(t, dir, format)
				n, fired := fires(rep, id)
				want, should := fx.fires[format]
				switch {
				case should && !fired:
					t.Errorf("%s: no %s finding; findings:\n%s", format, id, render(rep))
				case should && n != want:
					t.Errorf("%s: %s counts %d, want %d", format, id, n, want)
				case !should && fired:
					t.Errorf("%s: %s fired, but the fixture says it cannot in this format", format, id)
				}
				fmt.Fprintf(&out, "# %s\n%s", format, render(rep))
			}
			wantPath := filepath.Join(dir, "want.txt")
			if *update {
				writeAll(t, dir, map[string][]byte{"want.txt": []byte(out.String())})
			}
			golden, err := os.ReadFile(wantPath)
			if err != nil || string(golden) != out.String() {
				t.Errorf("findings differ from %s (run -update after an intended change):\n%s", wantPath, out.String())
			}
			ran++
		})
	}
	if ran == 0 {
		t.Fatal("no fixture ran")
	}
}

func sortedIDs() []string {
	ids := make([]string, 0, len(fixtures))
	for id := range fixtures {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// fires reports the count of the rule's findings (summed) and whether it
// has any.
func fires(rep *report.Report, id string) (int64, bool) {
	var n int64
	var fired bool
	for _, f := range rep.Findings {
		if f.Rule == id {
			n += f.Count
			fired = true
		}
	}
	return n, fired
}

func render(rep *report.Report) string {
	var b strings.Builder
	for _, f := range rep.Findings {
		line := 0
		if f.Location != nil {
			line = f.Location.Line
		}
		fmt.Fprintf(&b, "%s %s column=%q count=%d line=%d: %s\n", f.Rule, f.Severity, f.Column, f.Count, line, f.Message)
	}
	return b.String()
}

func runFixture(t *testing.T, dir, format string) *report.Report {
	t.Helper()
	path := filepath.Join(dir, "contract.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := contracts.Parse(path, data)
	if err != nil {
		t.Fatal(err)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rep, err := checker.Check(context.Background(), checker.Options{Contract: c, Files: []string{filepath.Join(dir, "data."+format)},
		Source: source.Options{Mem: mem, BatchSize: 2}, FailOn: "never", SQL: duckdb.Files{}})
	if err != nil {
		t.Fatalf("%s: %v", format, err)
	}
	return rep
}

// generate renders a fixture's files.
func generate(t *testing.T, id string, fx fixture) map[string][]byte {
	t.Helper()
	var c strings.Builder
	fmt.Fprintf(&c, "# Generated by go test ./checker/rules -update from the fixtures table; do not edit.\n")
	fmt.Fprintf(&c, "apiVersion: v3.1.0\nkind: DataContract\nid: urn:driftgate:fixture:%s\nname: %s\nversion: 1.0.0\nstatus: active\nschema:\n  - name: t\n    properties:\n", strings.ToLower(id), strings.ToLower(id))
	c.WriteString(indent(fx.props, "      "))
	if fx.quality != "" {
		c.WriteString("    quality:\n")
		c.WriteString(indent(fx.quality, "      "))
	}
	var csvBuf bytes.Buffer
	w := csv.NewWriter(&csvBuf)
	head := make([]string, len(fx.cols))
	for i, col := range fx.cols {
		head[i] = col.name
	}
	_ = w.Write(head)
	for r := range fx.cols[0].vals {
		row := make([]string, len(fx.cols))
		for i, col := range fx.cols {
			if v := col.vals[r]; v != null {
				row[i] = v
			}
		}
		if len(row) == 1 && row[0] == "" {
			// encoding/csv writes a blank line, which readers skip; a
			// quoted empty field keeps the row.
			w.Flush()
			csvBuf.WriteString("\"\"\n")
			continue
		}
		_ = w.Write(row)
	}
	w.Flush()
	return map[string][]byte{"contract.yaml": []byte(c.String()), "data.csv": csvBuf.Bytes(), "data.parquet": parquetOf(t, fx.cols, fx.parquetMeta)}
}

func indent(s, by string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.Trim(s, "\n"), "\n") {
		b.WriteString(by + line + "\n")
	}
	return b.String()
}

func parquetOf(t *testing.T, cols []fixtureCol, meta map[string]string) []byte {
	t.Helper()
	mem := memory.NewGoAllocator()
	fields := make([]arrow.Field, len(cols))
	arrs := make([]arrow.Array, len(cols))
	for i, c := range cols {
		fields[i] = arrow.Field{Name: c.name, Type: c.typ, Nullable: true}
		b := array.NewBuilder(mem, c.typ)
		for _, v := range c.vals {
			if v == null {
				b.AppendNull()
			} else if err := b.AppendValueFromString(v); err != nil {
				t.Fatalf("column %s: %q as %s: %v", c.name, v, c.typ, err)
			}
		}
		arrs[i] = b.NewArray()
		b.Release()
	}
	rec := array.NewRecordBatch(arrow.NewSchema(fields, nil), arrs, int64(len(cols[0].vals)))
	defer rec.Release()
	for _, a := range arrs {
		a.Release()
	}
	return pqtest.Bytes(t, pqtest.Options{RowGroup: 2, StoreSchema: meta == nil, Metadata: meta}, rec)
}

func writeAll(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
