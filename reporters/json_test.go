package reporters

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/driftgate/driftgate/checker/report"
)

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	s, err := c.Compile("json_schema.json")
	if err != nil {
		t.Fatalf("compile json_schema.json: %v", err)
	}
	return s
}

func TestJSONGoldenValidatesAgainstSchema(t *testing.T) {
	schema := compileSchema(t)
	for _, in := range inputs {
		t.Run("the "+in+" JSON report is valid", func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "golden", in+"-json.json"))
			if err != nil {
				t.Fatal(err)
			}
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.UseNumber()
			var v any
			if err := dec.Decode(&v); err != nil {
				t.Fatal(err)
			}
			if err := schema.Validate(v); err != nil {
				t.Errorf("%#v", err)
			}
		})
	}
	t.Run("the schema rejects a report with an unknown status", func(t *testing.T) {
		var v any
		if err := json.Unmarshal(render(t, JSON{}, &report.Report{Status: "maybe"}), &v); err != nil {
			t.Fatal(err)
		}
		if schema.Validate(v) == nil {
			t.Error("status maybe validated")
		}
	})
}

func TestJSONIsARoundTrip(t *testing.T) {
	r := loadReport(t, "report")
	var back report.Report
	if err := json.Unmarshal(render(t, JSON{}, r), &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(r, &back) {
		t.Error("the JSON report does not decode to the report it was written from")
	}
}

func TestJSONNullsBecomeEmptyLists(t *testing.T) {
	out := string(render(t, JSON{}, &report.Report{Status: report.StatusPass}))
	for _, field := range []string{`"inputs": []`, `"checks": []`, `"findings": []`, `"reportVersion": 1`} {
		if !strings.Contains(out, field) {
			t.Errorf("output lacks %s:\n%s", field, out)
		}
	}
}

// The schema says additionalProperties false, so a field added to the Go
// types but not to the schema would make every report invalid; this test
// says which field it is before that happens.
func TestJSONSchemaMatchesReportTypes(t *testing.T) {
	data, err := os.ReadFile("json_schema.json")
	if err != nil {
		t.Fatal(err)
	}
	type object struct {
		Properties map[string]json.RawMessage `json:"properties"`
		Required   []string                   `json:"required"`
	}
	var root struct {
		object
		Defs map[string]object `json:"$defs"`
	}
	if err := json.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}

	seen := map[reflect.Type]bool{}
	var walk func(typ reflect.Type)
	walk = func(typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || seen[typ] {
			return
		}
		seen[typ] = true
		def := root.object
		if typ != reflect.TypeFor[report.Report]() {
			d, ok := root.Defs[typ.Name()]
			if !ok {
				t.Errorf("json_schema.json has no $defs/%s", typ.Name())
				return
			}
			def = d
		}
		var props, required []string
		for f := range typ.Fields() {
			name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" || !f.IsExported() {
				continue
			}
			props = append(props, name)
			if !strings.Contains(opts, "omitempty") {
				required = append(required, name)
			}
			walk(f.Type)
		}
		var schemaProps []string
		for p := range def.Properties {
			schemaProps = append(schemaProps, p)
		}
		slices.Sort(props)
		slices.Sort(required)
		slices.Sort(schemaProps)
		schemaRequired := slices.Sorted(slices.Values(def.Required))
		if !slices.Equal(props, schemaProps) {
			t.Errorf("%s: Go fields %v, schema properties %v", typ.Name(), props, schemaProps)
		}
		if !slices.Equal(required, schemaRequired) {
			t.Errorf("%s: Go fields without omitempty %v, schema required %v", typ.Name(), required, schemaRequired)
		}
	}
	walk(reflect.TypeFor[report.Report]())
}
