package contracts

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/driftgate/driftgate/fixtures/testenv"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"gopkg.in/yaml.v3"
)

const (
	examplesDir    = "../../shared/external/odcs/examples"
	officialSchema = "../../shared/external/odcs/odcs-json-schema-v3.1.0.json"
	benchContract  = "../../shared/bench/events.odcs.yaml"
)

func exampleFiles(t testing.TB) []string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(examplesDir, "*.yaml"))
	if len(files) == 0 {
		testenv.Missing(t, "no ODCS examples in %s", examplesDir)
	}
	return files
}

// official compiles the ODCS v3.1.0 JSON Schema from the shared copy; the
// repository never holds it.
func official(t *testing.T) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile(officialSchema)
	if err != nil {
		testenv.Missing(t, "official schema absent: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2019
	const url = "https://example.invalid/odcs-json-schema-v3.1.0.json"
	if err := c.AddResource(url, bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(url)
	if err != nil {
		t.Fatalf("compile official schema: %v", err)
	}
	return s
}

// tree decodes YAML the way Parse does, for feeding a schema directly.
func tree(t *testing.T, name string, data []byte) any {
	t.Helper()
	d, errs := decodeDocument(name, data)
	if len(errs) > 0 {
		t.Fatalf("decode %s: %v", name, errs)
	}
	return d.Root
}

func TestExamplesLoadAndLintClean(t *testing.T) {
	files := append(exampleFiles(t), benchContract)
	for _, f := range files {
		t.Run(filepath.Base(f)+" loads and lints clean", func(t *testing.T) {
			c, err := Load(f)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if c.Path != f || len(c.SHA256) != 64 || c.Kind != "DataContract" {
				t.Errorf("Path=%q SHA256=%q Kind=%q", c.Path, c.SHA256, c.Kind)
			}
			if errs := Lint(c); errs != nil {
				t.Errorf("Lint: %v", ParseErrors(errs))
			}
		})
	}
}

func TestValidExamplesPassTheOfficialSchema(t *testing.T) {
	files := exampleFiles(t)
	off := official(t)
	for _, f := range files {
		t.Run(filepath.Base(f)+" passes the official schema", func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := off.Validate(tree(t, f, data)); err != nil {
				t.Errorf("official schema rejects %s: %v", f, err)
			}
		})
	}
}

// mutation breaks a decoded example in one way both schemas must reject.
type mutation struct {
	name   string
	file   string // example to start from
	mutate func(root map[string]any)
	want   string // substring of our error
}

func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v
}

func obj(v any, path ...any) map[string]any { return at(v, path...).(map[string]any) }

var mutations = []mutation{
	{"a misspelt logicalType", "full-example.odcs.yaml", func(r map[string]any) {
		obj(r, "schema", 0, "properties", 1)["logicalType"] = "strin"
	}, `"strin" is not one of string, date, timestamp`},
	{"an unknown key in a schema object", "full-example.odcs.yaml", func(r map[string]any) {
		obj(r, "schema", 0)["colour"] = "blue"
	}, "schema[0].colour: unknown field colour"},
	{"an unknown key in a property", "full-example.odcs.yaml", func(r map[string]any) {
		obj(r, "schema", 1, "properties", 0)["nullable"] = true
	}, "unknown field nullable"},
	{"an unknown top-level key", "column-validity.odcs.yaml", func(r map[string]any) {
		r["owner"] = "me"
	}, "unknown field owner"},
	{"a missing id", "full-example.odcs.yaml", func(r map[string]any) {
		delete(r, "id")
	}, "missing required field id"},
	{"a missing status", "column-custom.odcs.yaml", func(r map[string]any) {
		delete(r, "status")
	}, "missing required field status"},
	{"a property without a name", "column-validity.odcs.yaml", func(r map[string]any) {
		delete(obj(r, "schema", 0, "properties", 0), "name")
	}, "missing required field name"},
	{"two operators on one rule", "full-example.odcs.yaml", func(r map[string]any) {
		obj(r, "schema", 0, "quality", 0)["mustBe"] = int64(5)
	}, "declares 2 operators (mustBe, mustBeGreaterThan); want exactly one"},
	{"a library rule with no operator", "full-example.odcs.yaml", func(r map[string]any) {
		delete(obj(r, "schema", 0, "quality", 0), "mustBeGreaterThan")
	}, "declares no operator"},
	{"mustBeBetween with three items", "full-example.odcs.yaml", func(r map[string]any) {
		q := obj(r, "schema", 0, "quality", 0)
		delete(q, "mustBeGreaterThan")
		q["mustBeBetween"] = []any{int64(1), int64(2), int64(3)}
	}, "want 2 numbers [low, high], got 3"},
	{"mustBeBetween with equal bounds", "full-example.odcs.yaml", func(r map[string]any) {
		q := obj(r, "schema", 0, "quality", 0)
		delete(q, "mustBeGreaterThan")
		q["mustBeBetween"] = []any{int64(1), int64(1)}
	}, "low and high must differ"},
	{"a string operand for mustBeLessThan", "column-validity.odcs.yaml", func(r map[string]any) {
		q := obj(r, "schema", 0, "properties", 0, "quality", 0)
		delete(q, "mustBeLessOrEqualTo")
		q["mustBeLessThan"] = "5"
	}, "want a number, got string"},
	{"a logicalTypeOptions key the type does not allow", "full-example.odcs.yaml", func(r map[string]any) {
		obj(r, "schema", 1, "properties", 0)["logicalTypeOptions"] = map[string]any{"minimum": int64(1)}
	}, "option minimum is not allowed for logicalType string"},
	{"a string bound on an integer", "all-data-types.odcs.yaml", func(r map[string]any) {
		obj(r, "schema", 0, "properties", 6, "logicalTypeOptions")["minimum"] = "18"
	}, "want a number, got string"},
	{"an unknown number format", "all-data-types.odcs.yaml", func(r map[string]any) {
		obj(r, "schema", 0, "properties", 5, "logicalTypeOptions")["format"] = "f16"
	}, `"f16" is not one of f32, f64`},
	{"a negative minLength", "all-data-types.odcs.yaml", func(r map[string]any) {
		obj(r, "schema", 0, "properties", 0, "logicalTypeOptions")["minLength"] = int64(-1)
	}, "below the minimum 0"},
	{"apiVersion v9", "full-example.odcs.yaml", func(r map[string]any) {
		r["apiVersion"] = "v9"
	}, `"v9" is not one of v3.1.0`},
	{"a wrong kind", "full-example.odcs.yaml", func(r map[string]any) {
		r["kind"] = "Contract"
	}, `"Contract" is not one of DataContract`},
	{"a string for required", "full-example.odcs.yaml", func(r map[string]any) {
		obj(r, "schema", 1, "properties", 0)["required"] = "yes"
	}, "want a boolean, got string"},
	{"a fractional primaryKeyPosition", "full-example.odcs.yaml", func(r map[string]any) {
		obj(r, "schema", 1, "properties", 0)["primaryKeyPosition"] = 1.5
	}, "want an integer, got number 1.5"},
	{"an unknown metric", "full-example.odcs.yaml", func(r map[string]any) {
		obj(r, "schema", 0, "quality", 0)["metric"] = "nullCount"
	}, `"nullCount" is not one of nullValues`},
	{"an unknown quality type", "column-accuracy.odcs.yaml", func(r map[string]any) {
		obj(r, "schema", 0, "properties", 0, "quality", 0)["type"] = "regex"
	}, `"regex" is not one of text, library, sql, custom`},
	{"an sql rule without a query", "column-accuracy.odcs.yaml", func(r map[string]any) {
		delete(obj(r, "schema", 0, "properties", 0, "quality", 0), "query")
	}, "missing required field query"},
	{"a custom rule without an engine", "column-custom.odcs.yaml", func(r map[string]any) {
		delete(obj(r, "schema", 0, "properties", 0, "quality", 0), "engine")
	}, "missing required field engine"},
	{"an unknown key in a quality rule", "column-validity.odcs.yaml", func(r map[string]any) {
		obj(r, "schema", 0, "properties", 0, "quality", 0)["treshold"] = int64(5)
	}, "unknown field treshold"},
	{"a numeric unit", "column-validity.odcs.yaml", func(r map[string]any) {
		obj(r, "schema", 0, "properties", 0, "quality", 0)["unit"] = int64(5)
	}, "want a string, got integer"},
	{"an unknown dimension", "full-example.odcs.yaml", func(r map[string]any) {
		obj(r, "schema", 0, "quality", 0)["dimension"] = "freshness"
	}, `"freshness" is not one of accuracy`},
	{"items on a string property", "full-example.odcs.yaml", func(r map[string]any) {
		obj(r, "schema", 1, "properties", 0)["items"] = map[string]any{"logicalType": "string"}
	}, "unknown field items"},
	{"a schema-level logicalType other than object", "full-example.odcs.yaml", func(r map[string]any) {
		obj(r, "schema", 0)["logicalType"] = "array"
	}, `"array" is not one of object`},
	{"a boolean exclusiveMinimum in a v3.1.0 contract", "all-data-types.odcs.yaml", func(r map[string]any) {
		r["apiVersion"] = "v3.1.0"
		obj(r, "schema", 0, "properties", 6, "logicalTypeOptions")["exclusiveMinimum"] = true
	}, "want string or number, got boolean"},
	{"a customProperties entry without a value", "full-example.odcs.yaml", func(r map[string]any) {
		delete(obj(r, "customProperties", 0), "value")
	}, "missing required field value"},
}

func TestBrokenExamplesAreRejectedByBothSchemas(t *testing.T) {
	exampleFiles(t)
	off := official(t)
	for _, m := range mutations {
		t.Run("a contract with "+m.name+" is rejected", func(t *testing.T) {
			path := filepath.Join(examplesDir, m.file)
			data, err := os.ReadFile(path)
			if err != nil {
				testenv.Missing(t, "ODCS example: %v", err)
			}
			root := tree(t, path, data).(map[string]any)
			m.mutate(root)
			if err := off.Validate(root); err == nil {
				t.Errorf("the official schema accepts it; the mutation proves nothing")
			}
			out, err := yaml.Marshal(root)
			if err != nil {
				t.Fatal(err)
			}
			_, err = Parse("broken.yaml", out)
			if err == nil {
				t.Fatalf("Parse accepted:\n%s", out)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *ParseError: %v", err, err)
			}
			if !strings.Contains(err.Error(), m.want) {
				t.Errorf("error\n%v\ndoes not mention %q", err, m.want)
			}
			if pe.Line == 0 {
				t.Errorf("error has no line: %v", pe)
			}
		})
	}
}

func TestErrorPositions(t *testing.T) {
	const src = `apiVersion: v3.1.0
kind: DataContract
id: x
version: 1.0.0
status: active
schema:
  - name: t
    properties:
      - name: a
        logicalType: string
      - name: b
        logicalType:   strin
`
	tests := []struct {
		name string
		src  string
		want string
	}{
		{"a misspelt logicalType points at the value", src,
			`orders.odcs.yaml:12:24: schema[0].properties[1].logicalType: "strin" is not one of string, date, timestamp, time, number, integer, object, array, boolean`},
		{"an unknown field points at its key", strings.Replace(src, "      - name: a\n", "      - name: a\n        colour: red\n", 1),
			"orders.odcs.yaml:10:9: schema[0].properties[0].colour: unknown field colour"},
		{"a duplicate key points at the second one", strings.Replace(src, "kind: DataContract\n", "kind: DataContract\nkind: DataContract\n", 1),
			"orders.odcs.yaml:3:1: kind: duplicate key kind (first at line 2)"},
		{"a YAML syntax error names its line", "apiVersion: v3.1.0\nkind: [\n", "orders.odcs.yaml:2: invalid YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("orders.odcs.yaml", []byte(tt.src))
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("got  %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestParseRejectsNonContracts(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"an empty file is an error", "", "empty document"},
		{"a comment-only file is an error", "# nothing\n", "empty document"},
		{"a sequence root is an error", "- a\n- b\n", "document root is a sequence"},
		{"a scalar root is an error", "hello\n", "document root is a scalar"},
		{"two documents are an error", "a: 1\n---\nb: 2\n", "several YAML documents"},
		{"binary garbage is an error", "\x00\x01\x02{[", "invalid YAML"},
		{"a non-string key is an error", "? [a]\n: 1\n", "mapping key is a sequence"},
		{"an infinite number is an error", "apiVersion: .inf\n", "not a JSON number"},
		{"a self-referencing alias is an error", "a: &a [*a]\n", "nested deeper than"},
		{"a self-merging mapping is an error", "a: &a {<<: *a}\n", "nested deeper than"},
		{"a doubly self-merging mapping is an error", "a: &a {<<: [*a, *a]}\n", "nested deeper than"},
		{"an alias bomb is an error", aliasBomb(), "document too large"},
		{"several problems come back together", "kind: 1\n", "missing required fields"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("bad.yaml", []byte(tt.src))
			if err == nil || c != nil {
				t.Fatalf("Parse = %v, %v; want an error", c, err)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "bad.yaml") {
				t.Errorf("error %q does not name the file and mention %q", err, tt.want)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Errorf("errors.As finds no *ParseError in %T", err)
			}
		})
	}
}

// aliasBomb is the billion laughs attack: each level repeats the previous
// one ten times.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "l%d: &l%d [", i, i)
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*l%d", i-1)
		}
		b.WriteString("]\n")
	}
	return b.String()
}

func TestParseErrorsUnwrapToEachError(t *testing.T) {
	_, err := Parse("x.yaml", []byte("apiVersion: v9\nkind: DataContract\nid: 1\nversion: a\nstatus: b\nfoo: 1\n"))
	var pes ParseErrors
	if !errors.As(err, &pes) || len(pes) != 3 {
		t.Fatalf("want 3 ParseErrors, got %v", err)
	}
	if got := strings.Count(err.Error(), "\n"); got != 2 {
		t.Errorf("Error() has %d newlines, want 2:\n%v", got, err)
	}
}

func TestJSONContractsLoadLikeYAML(t *testing.T) {
	c, err := Load("testdata/model.odcs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile("testdata/model.odcs.yaml")
	var v any
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	cj, err := Parse("model.odcs.json", js)
	if err != nil {
		t.Fatalf("Parse JSON: %v", err)
	}
	if len(cj.Schemas) != 1 || len(cj.Schemas[0].Properties) != len(c.Schemas[0].Properties) {
		t.Errorf("JSON and YAML models differ: %+v", cj.Schemas)
	}
	if !reflect.DeepEqual(cj.Schemas[0].Properties[0].Options, c.Schemas[0].Properties[0].Options) {
		t.Errorf("options differ: %+v vs %+v", cj.Schemas[0].Properties[0].Options, c.Schemas[0].Properties[0].Options)
	}
}

func TestLoadNamesTheFileWhenItCannotRead(t *testing.T) {
	_, err := Load("testdata/missing.yaml")
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), "testdata/missing.yaml") {
		t.Errorf("Load = %v", err)
	}
}

func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join(examplesDir, "*.yaml"))
	more, _ := filepath.Glob("testdata/*.yaml")
	for _, p := range append(append(seeds, more...), benchContract) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("a: &a [*a]"))
	f.Add([]byte("a: &x [1]\nb: {<<: *x}\n"))
	f.Add([]byte("a: &a {<<: *a}\n"))
	f.Add([]byte("a: &a {<<: [*a, *a]}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("fuzz.yaml", data)
		if (c == nil) == (err == nil) {
			t.Fatalf("Parse = %v, %v; want exactly one of a contract and an error", c, err)
		}
		if c != nil {
			_ = Lint(c)
		}
	})
}

// TestEcosystemLookalikesLintClean: contracts written the way other ODCS
// tools' users write them (engine types of their server, protobuf type
// codes, pandas dtypes) pass the official schema and lint without errors.
func TestEcosystemLookalikesLintClean(t *testing.T) {
	off := official(t)
	files, _ := filepath.Glob(filepath.Join("testdata", "ecosystem", "*.odcs.yaml"))
	for _, f := range files {
		t.Run(filepath.Base(f)+" lints clean", func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := off.Validate(tree(t, f, data)); err != nil {
				t.Fatalf("the official schema rejects %s: %v", f, err)
			}
			c, err := Load(f)
			if err != nil {
				t.Fatal(err)
			}
			if errs := Lint(c); errs != nil {
				t.Errorf("Lint: %v", ParseErrors(errs))
			}
		})
	}
	testenv.Ran(t, len(files), "look-alike contracts")
}
