package importer

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/contracts"
)

// realWorld is where the public examples live (fixtures/imports/README.md):
// each folder holds a schema as its authors wrote it and data it describes.
const realWorld = "../../fixtures/imports"

// realCase is one public schema: what its contract must say, column by
// column, as the source says it, and how its data must fare.
type realCase struct {
	format, file string // file under realWorld
	tables       int
	// columns maps schema.column to describe's account of the property,
	// written from the source schema by hand.
	columns map[string]string
	// dropped are texts that must each be in one line of Result.Dropped.
	dropped []string
	// yaml are texts the contract must hold beyond its columns.
	yaml   []string
	checks []dataCheck
}

// dataCheck checks one data file against one schema object of the contract.
type dataCheck struct {
	name, schema, data string // data under the case's folder
	// example, instead of data, names the model whose example data the
	// DCS document itself carries (examples: - model: …, data: …).
	example string
	// header renames columns of a CSV's header as the source's own model
	// does (a dbt model's select … as …), so the data is what the schema
	// describes.
	header map[string]string
	// edit plants a fault in the data; nil checks it as shipped.
	edit func(string) string
	// fails are the rule IDs of the error findings, sorted; nil: the data
	// passes.
	fails []string
}

func TestImportRealWorld(t *testing.T) {
	for _, tc := range realCases {
		t.Run(tc.format+" "+tc.file, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(realWorld, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			res, err := Import(tc.format, filepath.Base(tc.file), src, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range tc.dropped {
				if !slices.ContainsFunc(res.Dropped, func(s string) bool { return strings.Contains(s, d) }) {
					t.Errorf("not mapped lists no %q:\n%s", d, strings.Join(res.Dropped, "\n"))
				}
			}
			holds(t, res, tc.yaml, nil)
			c, err := contracts.Parse("imported.odcs.yaml", res.YAML)
			if err != nil {
				t.Fatalf("%v\n%s", err, res.YAML)
			}
			if issues := contracts.Lint(c); len(issues) > 0 {
				t.Errorf("the contract does not lint clean: %v\n%s", issues, res.YAML)
			}
			if len(c.Schemas) != tc.tables {
				t.Errorf("%d schema objects, want %d", len(c.Schemas), tc.tables)
			}
			got := map[string]string{}
			for _, s := range c.Schemas {
				for _, p := range s.Properties {
					describeAll(got, s.Name+"."+p.Name, p)
				}
			}
			for col, want := range tc.columns {
				if got[col] != want {
					t.Errorf("%s: %q, want %q", col, got[col], want)
				}
			}
			for col := range got {
				if _, ok := tc.columns[col]; !ok {
					t.Errorf("%s: %q is not in the test's list of columns", col, got[col])
				}
			}
			for _, dc := range tc.checks {
				t.Run(dc.name, func(t *testing.T) {
					var file string
					if dc.example != "" {
						file = exampleFile(t, src, dc.example)
					} else {
						file = dataFile(t, filepath.Join(realWorld, filepath.Dir(tc.file), dc.data), dc)
					}
					rep := checkData(t, c, dc.schema, file)
					var fails []string
					for _, f := range rep.Findings {
						if f.Severity == report.SeverityError {
							fails = append(fails, f.Rule)
						}
					}
					slices.Sort(fails)
					want := report.StatusPass
					if dc.fails != nil {
						want = report.StatusFail
					}
					if rep.Status != want || !slices.Equal(fails, dc.fails) {
						t.Errorf("status %s with errors %v, want %s with %v: %+v", rep.Status, fails, want, dc.fails, rep.Findings)
					}
				})
			}
		})
	}
}

// dataFile is the data as the check reads it: path itself, or a copy with
// the header renamed and the fault planted.
func dataFile(t *testing.T, path string, dc dataCheck) string {
	t.Helper()
	if dc.header == nil && dc.edit == nil {
		return path
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if dc.header != nil {
		head, rest, _ := strings.Cut(s, "\n")
		cols := strings.Split(head, ",")
		for i, c := range cols {
			if to, ok := dc.header[c]; ok {
				cols[i] = to
			}
		}
		s = strings.Join(cols, ",") + "\n" + rest
	}
	if dc.edit != nil {
		edited := dc.edit(s)
		if edited == s {
			t.Fatal("the edit planted nothing")
		}
		s = edited
	}
	out := filepath.Join(t.TempDir(), filepath.Base(path))
	if err := os.WriteFile(out, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// exampleFile writes the example data a DCS document gives for model.
func exampleFile(t *testing.T, doc []byte, model string) string {
	t.Helper()
	var d struct {
		Examples []struct{ Type, Model, Data string }
	}
	if err := yaml.Unmarshal(doc, &d); err != nil {
		t.Fatal(err)
	}
	for _, e := range d.Examples {
		if e.Model == model {
			out := filepath.Join(t.TempDir(), model+"."+e.Type)
			if err := os.WriteFile(out, []byte(e.Data+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			return out
		}
	}
	t.Fatalf("the document has no example of %s", model)
	return ""
}

// describeAll records describe of p under path, and of its fields and items.
func describeAll(out map[string]string, path string, p contracts.Property) {
	out[path] = describe(p)
	for _, f := range p.Properties {
		describeAll(out, path+"."+f.Name, f)
	}
	if p.Items != nil {
		describeAll(out, path+"[]", *p.Items)
	}
}

// describe is a property in one line: logicalType (or "-"), physicalType
// in brackets, then what it requires, in a fixed order.
func describe(p contracts.Property) string {
	parts := []string{cmpOr(p.LogicalType, "-")}
	if p.PhysicalType != "" {
		parts[0] += "(" + p.PhysicalType + ")"
	}
	flag := func(on bool, s string) {
		if on {
			parts = append(parts, s)
		}
	}
	flag(p.Classification != "", "class="+p.Classification)
	flag(len(p.Tags) > 0, fmt.Sprintf("tags%v", p.Tags))
	flag(p.Required, "required")
	flag(p.Unique, "unique")
	flag(p.PrimaryKey, "pk")
	if p.PrimaryKeyPosition > 0 {
		parts = append(parts, fmt.Sprintf("pk#%d", p.PrimaryKeyPosition))
	}
	o := p.Options
	if o.MinLength != nil {
		parts = append(parts, fmt.Sprintf("minLength=%d", *o.MinLength))
	}
	if o.MaxLength != nil {
		parts = append(parts, fmt.Sprintf("maxLength=%d", *o.MaxLength))
	}
	flag(o.Pattern != "", "pattern="+o.Pattern)
	flag(o.Format != "", "format="+o.Format)
	for _, b := range []struct {
		k string
		v any
	}{{"min", o.Minimum}, {"max", o.Maximum}, {"xmin", o.ExclusiveMinimum}, {"xmax", o.ExclusiveMaximum}} {
		if b.v != nil {
			parts = append(parts, fmt.Sprintf("%s=%v", b.k, b.v))
		}
	}
	if o.MultipleOf != nil {
		parts = append(parts, fmt.Sprintf("multipleOf=%v", *o.MultipleOf))
	}
	for _, c := range []struct {
		k string
		v *int64
	}{{"minItems", o.MinItems}, {"maxItems", o.MaxItems}, {"minProperties", o.MinProperties}, {"maxProperties", o.MaxProperties}} {
		if c.v != nil {
			parts = append(parts, fmt.Sprintf("%s=%d", c.k, *c.v))
		}
	}
	flag(o.UniqueItems != nil && *o.UniqueItems, "uniqueItems")
	for _, q := range p.Quality {
		if q.Metric == "invalidValues" {
			parts = append(parts, fmt.Sprintf("in%v", q.Arguments.ValidValues))
		} else {
			parts = append(parts, "quality:"+q.Metric)
		}
	}
	return strings.Join(parts, " ")
}

// rename is a header edit: pairs of from, to.
func rename(kv ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// replace plants a fault by replacing the first old with new.
func replace(old, new string) func(string) string {
	return func(s string) string { return strings.Replace(s, old, new, 1) }
}

var realCases = []realCase{
	{
		// dbt-labs/jaffle_shop_duckdb: the staging models over the seeds.
		format: "dbt", file: "dbt/jaffle_shop_duckdb/schema.yml", tables: 4,
		columns: map[string]string{
			"stg_customers.customer_id":          "- required unique",
			"stg_orders.order_id":                "- required unique",
			"stg_orders.status":                  "- in[placed shipped completed return_pending returned]",
			"stg_brewery_inventory.inventory_id": "- required unique",
			"stg_brewery_inventory.beer_type":    "- required",
			"stg_brewery_inventory.quantity":     "- required",
			"stg_brewery_inventory.price":        "- required",
			"stg_payments.payment_id":            "- required unique",
			"stg_payments.payment_method":        "- in[credit_card coupon bank_transfer gift_card]",
		},
		checks: []dataCheck{
			{name: "stg_customers passes", schema: "stg_customers", data: "raw_customers.csv", header: rename("id", "customer_id")},
			{name: "stg_orders passes", schema: "stg_orders", data: "raw_orders.csv", header: rename("id", "order_id")},
			{name: "stg_payments passes", schema: "stg_payments", data: "raw_payments.csv", header: rename("id", "payment_id")},
			{name: "stg_brewery_inventory passes", schema: "stg_brewery_inventory", data: "raw_brewery_inventory.csv", header: rename("id", "inventory_id")},
			{name: "an order status outside accepted_values fails", schema: "stg_orders", data: "raw_orders.csv", header: rename("id", "order_id"),
				edit: replace(",returned,", ",refunded,"), fails: []string{"QUALITY_INVALID_VALUES"}},
			{name: "a payment id used twice fails unique", schema: "stg_payments", data: "raw_payments.csv", header: rename("id", "payment_id"),
				edit: replace("\n2,2,", "\n1,2,"), fails: []string{"VALUE_UNIQUE"}},
			{name: "a missing beer type fails not_null", schema: "stg_brewery_inventory", data: "raw_brewery_inventory.csv", header: rename("id", "inventory_id"),
				edit: replace(",Stout,", ",,"), fails: []string{"VALUE_NULL"}},
		},
	},
	{
		// dbt-labs/jaffle-shop-classic: a model contract in dbt 1.4's beta
		// spelling; the data is the one row its model selects.
		format: "dbt", file: "dbt/jaffle-shop-classic/schema.yml", tables: 1,
		columns: map[string]string{
			"constraints_example.id":       "integer(integer) required pk",
			"constraints_example.color":    "string(text)",
			"constraints_example.date_day": "date(date)",
		},
		dropped: []string{"schema.yml:14:16: column id: the check (id > 0) (SQL; ODCS cannot say it)"},
		checks: []dataCheck{
			{name: "the model's row passes", schema: "constraints_example", data: "constraints_example.csv"},
			{name: "a second row with the same id fails the primary key", schema: "constraints_example", data: "constraints_example.csv",
				edit: func(s string) string { return s + "-1,red,2019-01-02\n" }, fails: []string{"VALUE_UNIQUE"}},
			{name: "a row without id fails not null", schema: "constraints_example", data: "constraints_example.csv",
				edit: func(s string) string { return s + ",red,2019-01-02\n" }, fails: []string{"VALUE_NULL"}},
			{name: "a date in another format fails the date type", schema: "constraints_example", data: "constraints_example.csv",
				edit: replace("2019-01-01", "01/01/2019"), fails: []string{"VALUE_TYPE"}},
		},
	},
	{
		// datacontract/datacontract-cli's s3-csv test: a DCS 1.2.1 model
		// with SQL types, a pattern, a minimum and a model-level sql rule.
		format: "dcs", file: "dcs/datacontract-cli/s3-csv/datacontract.yaml", tables: 1,
		columns: map[string]string{
			"my_table.field_one":   `string(varchar) required unique pattern=[A-Za-z]{2}-\d{3}-[A-Za-z]{2}$`,
			"my_table.field_two":   "integer(bigint) min=10",
			"my_table.field_three": "timestamp(timestamp)",
		},
		dropped: []string{"datacontract.yaml:13:5: server my-dataproduct/s3: dataProductId", "datacontract.yaml:6:3: info.owner"},
		checks: []dataCheck{
			{name: "its data passes", schema: "my_table", data: "data/sample_data.csv"},
			{name: "a value below the minimum fails", schema: "my_table", data: "data/sample_data.csv",
				edit: replace(",14,", ",9,"), fails: []string{"VALUE_RANGE"}},
			{name: "an id off the pattern fails", schema: "my_table", data: "data/sample_data.csv",
				edit: replace("CX-263-DU", "CX-2630-DU"), fails: []string{"VALUE_PATTERN"}},
			{name: "an id used twice fails", schema: "my_table", data: "data/sample_data.csv",
				edit: replace("IK-894-MN", "CX-263-DU"), fails: []string{"VALUE_UNIQUE"}},
		},
	},
	{
		// datacontract/datacontract-cli's s3-json-multiple-models test: two
		// models whose fields $ref shared definitions (a uuid format, a
		// pattern, pii and a classification).
		format: "dcs", file: "dcs/datacontract-cli/s3-json-multiple-models/datacontract.yaml", tables: 2,
		columns: map[string]string{
			"orders.order_id":               "string(text) class=restricted tags[pii] required unique format=uuid",
			"orders.order_timestamp":        "timestamp(timestamp) required",
			"orders.order_total":            "integer(long) required",
			"orders.customer_id":            "string(text) minLength=10 maxLength=20",
			"orders.customer_email_address": "string(text) required format=email",
			"line_items.lines_item_id":      "string(text) required unique",
			"line_items.order_id":           "string(text) class=restricted tags[pii] format=uuid",
			"line_items.sku":                "string(text) pattern=^[A-Za-z0-9]{8,14}$",
		},
		dropped: []string{
			"datacontract.yaml:123:3: quality", "datacontract.yaml:29:3: terms.billing", "datacontract.yaml:30:3: terms.noticePeriod",
			"datacontract.yaml:94:3: examples",
			"datacontract.yaml:74:5: field order_id: domain", "datacontract.yaml:84:5: field sku: domain",
			"datacontract.yaml:10:3: info.owner",
		},
		yaml: []string{
			"description:\n    purpose: \"Successful customer orders in the webshop.",
			"    usage: |\n        Data can be used for reports, analytics and machine learning use cases.",
			"    limitations: |\n        Not suitable for real-time use cases.",
			"servers:\n    - server: production\n      type: s3\n      endpointUrl: __S3_ENDPOINT_URL__\n      location: s3://multiple-bucket/fixtures/s3-json-multiple-models/data/{model}/*.json\n      format: json\n      delimiter: new_line",
		},
		checks: []dataCheck{
			{name: "its line items pass", schema: "line_items", data: "data/line_items/line_items-1.json"},
			{name: "a sku off the pattern fails", schema: "line_items", data: "data/line_items/line_items-1.json",
				edit: replace(`"IWMJ3ZX164"`, `"IWM-3ZX164"`), fails: []string{"VALUE_PATTERN"}},
			{name: "an order id that is not a uuid fails", schema: "line_items", data: "data/line_items/line_items-1.json",
				edit: replace(`"a8c38fec-2acd-4b55-883b-4b48572d4a26"`, `"1001"`), fails: []string{"VALUE_FORMAT"}},
			// The document's own examples break it: order ids 1001…, not
			// uuids, and no customer_email_address, which it requires.
			{name: "the document's orders example fails where it breaks the model", schema: "orders", example: "orders",
				fails: []string{"COLUMN_MISSING", "VALUE_FORMAT"}},
			{name: "the document's line items example fails where it breaks the model", schema: "line_items", example: "line_items",
				fails: []string{"VALUE_FORMAT"}},
		},
	},
	{
		// datasets/currency-codes: a Data Package whose one resource
		// carries its Table Schema inline.
		format: "frictionless", file: "frictionless/currency-codes/datapackage.json", tables: 1,
		columns: map[string]string{
			"codes-all.Entity":         "string",
			"codes-all.Currency":       "string",
			"codes-all.AlphabeticCode": "string",
			"codes-all.NumericCode":    "number",
			"codes-all.MinorUnit":      "string",
			"codes-all.WithdrawalDate": "string",
		},
		checks: []dataCheck{
			{name: "its data passes", schema: "codes-all", data: "data/codes-all.csv"},
			// An older version of this file wrote Nil and — for codes that
			// have none.
			{name: "a numeric code written Nil fails the number type", schema: "codes-all", data: "data/codes-all.csv",
				edit: replace(",XBD,958,", ",XBD,Nil,"), fails: []string{"VALUE_TYPE"}},
		},
	},
	{
		// datacontract/datacontract-cli's local-json test: the JSON Schema
		// of the German consumer price index, with the record the DCS
		// contract beside it gives as its example.
		format: "jsonschema", file: "jsonschema/datacontract-cli/local-json/datacontract.json", tables: 1,
		columns: map[string]string{
			"datacontract.1_Auspraegung_Code":                      "string required in[DG]",
			"datacontract.1_Auspraegung_Label":                     "string required in[Deutschland]",
			"datacontract.1_Merkmal_Code":                          "string required",
			"datacontract.1_Merkmal_Label":                         "string required",
			"datacontract.2_Auspraegung_Code":                      "string required",
			"datacontract.2_Auspraegung_Label":                     "string required",
			"datacontract.2_Merkmal_Code":                          "string required in[MONAT]",
			"datacontract.2_Merkmal_Label":                         "string required",
			"datacontract.PREIS1__CH0005":                          "string",
			"datacontract.PREIS1__CH0005__q":                       "string required",
			"datacontract.PREIS1__Verbraucherpreisindex__2020=100": "string required",
			"datacontract.PREIS1__Verbraucherpreisindex__q":        "string required",
			"datacontract.Statistik_Code":                          "integer required",
			"datacontract.Statistik_Label":                         "string required",
			"datacontract.Verbraucherpreisindex__CH0004":           "string",
			"datacontract.Verbraucherpreisindex__CH0004__q":        "string required",
			"datacontract.Zeit":                                    "integer required",
			"datacontract.Zeit_Code":                               "string required",
			"datacontract.Zeit_Label":                              "string required",
		},
		checks: []dataCheck{
			{name: "the record passes", schema: "datacontract", data: "verbraucherpreisindex.json"},
			{name: "a region outside the enum fails", schema: "datacontract", data: "verbraucherpreisindex.json",
				edit: replace(`"1_Auspraegung_Code":"DG"`, `"1_Auspraegung_Code":"AT"`), fails: []string{"QUALITY_INVALID_VALUES"}},
			{name: "a null where the schema requires a value fails", schema: "datacontract", data: "verbraucherpreisindex.json",
				edit: replace(`"PREIS1__CH0005__q":"e"`, `"PREIS1__CH0005__q":null`), fails: []string{"VALUE_NULL"}},
		},
	},
	{
		// datacontract/datacontract-cli's jsonschema import test: every
		// logical type, bounds, formats, nesting and classifications.
		format: "jsonschema", file: "jsonschema/datacontract-cli/jsonschema/jsonschema.json", tables: 1,
		columns: map[string]string{
			"logical_types_test.array_of_objects":                       "array minItems=1 maxItems=20",
			"logical_types_test.array_of_objects[].active":              "boolean",
			"logical_types_test.array_of_objects[].key":                 "string required minLength=1",
			"logical_types_test.array_of_objects[].value":               "number required",
			"logical_types_test.array_of_objects[]":                     "object",
			"logical_types_test.array_unique_integers":                  "array minItems=0 maxItems=50 uniqueItems",
			"logical_types_test.array_unique_integers[]":                "integer min=1",
			"logical_types_test.composite_key_test.data":                "string",
			"logical_types_test.composite_key_test.partition_key":       "string required",
			"logical_types_test.composite_key_test.sort_key":            "integer required",
			"logical_types_test.composite_key_test":                     "object",
			"logical_types_test.date_with_format":                       "date",
			"logical_types_test.email_string":                           "string format=email",
			"logical_types_test.integer_64bit":                          "integer min=-9223372036854775808 max=9223372036854775807",
			"logical_types_test.integer_multiple":                       "integer multipleOf=5",
			"logical_types_test.integer_with_range":                     "integer min=0 max=100",
			"logical_types_test.nested_object.id":                       "integer required",
			"logical_types_test.nested_object.metadata.created_at":      "date",
			"logical_types_test.nested_object.metadata.tags":            "array minItems=0 maxItems=10 uniqueItems",
			"logical_types_test.nested_object.metadata.tags[]":          "string minLength=1 maxLength=50",
			"logical_types_test.nested_object.metadata":                 "object",
			"logical_types_test.nested_object.name":                     "string required minLength=1 maxLength=100",
			"logical_types_test.nested_object":                          "object required minProperties=1 maxProperties=10",
			"logical_types_test.number_multiple":                        "number multipleOf=0.5",
			"logical_types_test.number_with_range":                      "number min=0 max=100",
			"logical_types_test.sensitive_data_test.confidential_field": "string class=confidential required",
			"logical_types_test.sensitive_data_test.public_field":       "string class=public required",
			"logical_types_test.sensitive_data_test.restricted_pii":     "string class=restricted required format=email",
			"logical_types_test.sensitive_data_test.ssn":                `string class=restricted pattern=^\d{3}-\d{2}-\d{4}$`,
			"logical_types_test.sensitive_data_test":                    "object",
			"logical_types_test.simple_array":                           "array required minItems=1 maxItems=100",
			"logical_types_test.simple_array[]":                         "string",
			"logical_types_test.simple_boolean":                         "boolean required",
			"logical_types_test.simple_date":                            "date required",
			"logical_types_test.simple_integer":                         "integer required",
			"logical_types_test.simple_number":                          "number required",
			"logical_types_test.simple_string":                          "string required",
			"logical_types_test.string_with_length":                     "string required minLength=5 maxLength=50",
			"logical_types_test.string_with_pattern":                    `string pattern=^[A-Z]{3}-\d{4}$`,
			"logical_types_test.unsigned_integer":                       "integer min=0 max=4294967295",
			"logical_types_test.uri_string":                             "string format=uri",
			"logical_types_test.uuid_string":                            "string format=uuid",
		},
		checks: []dataCheck{
			{name: "records written for it pass", schema: "logical_types_test", data: "records.json"},
			{name: "a number that is not a multiple of 5 fails", schema: "logical_types_test", data: "records.json",
				edit: replace(`"integer_multiple": 10`, `"integer_multiple": 12`), fails: []string{"VALUE_MULTIPLE_OF"}},
			{name: "an integer above its maximum fails", schema: "logical_types_test", data: "records.json",
				edit: replace(`"integer_with_range": 100`, `"integer_with_range": 101`), fails: []string{"VALUE_RANGE"}},
			{name: "a nested name too long fails", schema: "logical_types_test", data: "records.json",
				edit: replace(`"name": "two"`, `"name": "`+strings.Repeat("x", 101)+`"`), fails: []string{"VALUE_LENGTH"}},
			{name: "an array below its minItems fails", schema: "logical_types_test", data: "records.json",
				edit: replace(`"simple_array": ["z"]`, `"simple_array": []`), fails: []string{"VALUE_ITEMS"}},
			{name: "an array of integers with a repeat fails uniqueItems", schema: "logical_types_test", data: "records.json",
				edit: replace(`"array_unique_integers": [1, 2, 3]`, `"array_unique_integers": [1, 2, 2]`), fails: []string{"VALUE_UNIQUE_ITEMS"}},
			{name: "a restricted field off its pattern fails", schema: "logical_types_test", data: "records.json",
				edit: replace(`"ssn": "123-45-6789"`, `"ssn": "123456789"`), fails: []string{"VALUE_PATTERN"}},
		},
	},
	{
		// apache/avro's single-object-encoding test: the schema and the
		// message its ground truth was generated from.
		format: "avro", file: "avro/apache-avro/test_schema.avsc", tables: 1,
		columns: map[string]string{
			"TestMessage.id":     "integer(long) required",
			"TestMessage.name":   "string(string) required",
			"TestMessage.tags":   "array required",
			"TestMessage.tags[]": "string(string) required",
		},
		checks: []dataCheck{
			{name: "the message passes", schema: "TestMessage", data: "test_message.json"},
			{name: "a message without a name fails", schema: "TestMessage", data: "test_message.json",
				edit: replace(`"name": "Bill"`, `"name": null`), fails: []string{"VALUE_NULL"}},
			{name: "an id that is not a long fails", schema: "TestMessage", data: "test_message.json",
				edit: replace(`"id": 42`, `"id": "forty-two"`), fails: []string{"VALUE_TYPE"}},
		},
	},
	{
		// apache/avro's interop schema: every primitive, named types, a
		// recursive record, a map, a union, and logicalTypes written where
		// Avro ignores them.
		format: "avro", file: "avro/apache-avro/interop.avsc", tables: 1,
		dropped: []string{
			"interop.avsc:10:37: field nullField: type null (never a value); imported as an optional string",
			"interop.avsc:13:8: field mapField: an Avro map; imported as object without properties",
			"interop.avsc:17:8: field unionField: a union of 3 types; imported without a logicalType",
			`field items: the record Node holds itself; imported without a logicalType`,
			"interop.avsc:27:50: field timeMillisField: logicalType time-millis is written on the field, not in its type, where Avro ignores it",
		},
		columns: map[string]string{
			"Interop.arrayField":                "array required",
			"Interop.arrayField[]":              "number(double) required",
			"Interop.boolField":                 "boolean(boolean) required",
			"Interop.bytesField":                "string(bytes) required",
			"Interop.doubleField":               "number(double) required",
			"Interop.enumField":                 "string required in[A B C]",
			"Interop.fixedField":                "string(fixed) required",
			"Interop.floatField":                "number(float) required",
			"Interop.intField":                  "integer(int) required",
			"Interop.localTimestampMicrosField": "integer(long) required",
			"Interop.localTimestampMillisField": "integer(long) required",
			"Interop.longField":                 "integer(long) required",
			"Interop.mapField":                  "object required",
			"Interop.nullField":                 "string(null)",
			"Interop.recordField.children":      "array required",
			"Interop.recordField.children[]":    "- required",
			"Interop.recordField.label":         "string(string) required",
			"Interop.recordField":               "object required",
			"Interop.stringField":               "string(string) required",
			"Interop.timeMicrosField":           "integer(long) required",
			"Interop.timeMillisField":           "integer(int) required",
			"Interop.timestampMicrosField":      "integer(long) required",
			"Interop.timestampMillisField":      "integer(long) required",
			"Interop.unionField":                "- required",
		},
		checks: []dataCheck{
			{name: "a record written for it passes", schema: "Interop", data: "interop.json"},
			{name: "a symbol outside the enum fails", schema: "Interop", data: "interop.json",
				edit: replace(`"enumField": "C"`, `"enumField": "D"`), fails: []string{"QUALITY_INVALID_VALUES"}},
		},
	},
	{
		// datacontract/datacontract-cli's Avro import test schema.
		format: "avro", file: "avro/datacontract-cli/orders.avsc", tables: 1,
		dropped: []string{"orders.avsc:23:17: field material: avro.java.string", "orders.avsc:74:17: field metadata: an Avro map"},
		columns: map[string]string{
			"orders.address.city":    "string(string) required",
			"orders.address.state":   "string(string) required",
			"orders.address.zipcode": "integer(long) required",
			"orders.address":         "object required",
			"orders.emailadresses":   "array required",
			"orders.emailadresses[]": "string(string) required pattern=^.*@.*$ format=email",
			"orders.itemid":          "string(string) required",
			"orders.material":        "string(string)",
			"orders.metadata":        "object required",
			"orders.orderid":         "integer(int) required",
			"orders.ordertime":       "integer(long) required",
			"orders.orderunits":      "number(double) required",
			"orders.status":          "string required in[PLACED SHIPPED DELIVERED CANCELLED]",
		},
		checks: []dataCheck{
			{name: "records written for it pass", schema: "orders", data: "orders.json"},
			{name: "an address that is not an email fails", schema: "orders", data: "orders.json",
				edit: replace(`"c@example.com"`, `"c at example.com"`), fails: []string{"VALUE_FORMAT", "VALUE_PATTERN"}},
			{name: "a status outside the enum fails", schema: "orders", data: "orders.json",
				edit: replace(`"status": "SHIPPED"`, `"status": "LOST"`), fails: []string{"QUALITY_INVALID_VALUES"}},
		},
	},
}
