package contracts

import (
	"reflect"
	"testing"
)

func ptr[T any](v T) *T { return &v }

func TestModelMapping(t *testing.T) {
	c, err := Load("testdata/model.odcs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if errs := Lint(c); errs != nil {
		t.Errorf("Lint: %v", ParseErrors(errs))
	}
	s := c.Schemas[0]
	props := s.Properties
	check := func(name string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s = %#v, want %#v", name, got, want)
		}
	}
	t.Run("the header maps to the contract", func(t *testing.T) {
		check("header", []string{c.APIVersion, c.Kind, c.ID, c.Version, c.Status, c.Name},
			[]string{"v3.1.0", "DataContract", "0c3f7b1e-model", "2.0.0", "active", "model mapping"})
		check("customProperties", c.CustomProperties, map[string]any{"owner": "data-team", "retries": int64(3)})
		check("Pos", c.Pos, Pos{Line: 1, Column: 1})
	})
	t.Run("the schema object maps with its position", func(t *testing.T) {
		check("names", []string{s.Name, s.PhysicalName, s.PhysicalType, s.Description, s.DataName()},
			[]string{"orders", "orders_v2", "table", "One row per order.", "orders_v2"})
		check("Pos", s.Pos, Pos{Line: 13, Column: 5})
		check("customProperties", s.CustomProperties, map[string]any{"business-key": []any{"order_id"}})
	})
	t.Run("schema-level quality rules map type, metric, arguments and operator", func(t *testing.T) {
		q := s.Quality
		check("rowCount", q[0].Operator, Operator{Kind: MustBeBetween, Low: 10, High: 1000})
		check("rowCount type", []string{q[0].Type, q[0].Metric, q[0].Severity}, []string{"library", "rowCount", "error"})
		check("rowCount Pos", q[0].Pos, Pos{Line: 21, Column: 9})
		check("duplicateValues properties", q[1].Arguments.Properties, []string{"order_id", "customer"})
		check("duplicateValues op", q[1].Operator, Operator{Kind: MustBe})
		check("sql", []any{q[2].Type, q[2].Query, q[2].Unit, q[2].Operator},
			[]any{"sql", "select count(*) from orders where amount < 0", "percent", Operator{Kind: MustBeLessOrEqualTo, Value: 2.5}})
		check("custom", []string{q[3].Type, q[3].Engine}, []string{"custom", "soda"})
		check("text", []any{q[4].Type, q[4].Description, q[4].Operator.Kind}, []any{"text", "Amounts are in euros.", OperatorKind("")})
	})
	t.Run("an integer property maps flags, bounds and field positions", func(t *testing.T) {
		p := props[0]
		check("flags", []bool{p.Required, p.Unique, p.PrimaryKey}, []bool{true, true, true})
		check("PrimaryKeyPosition", p.PrimaryKeyPosition, 1)
		check("types", []string{p.LogicalType, p.PhysicalType}, []string{"integer", "bigint"})
		check("Minimum", p.Options.Minimum, any(int64(1)))
		check("Maximum", p.Options.Maximum, any(int64(9000000000)))
		check("Format", p.Options.Format, "i64")
		check("Pos", p.Pos, Pos{Line: 38, Column: 9})
		check("PosOf(required)", p.PosOf("required"), Pos{Line: 41, Column: 9})
		check("PosOf(minimum)", p.PosOf("minimum"), Pos{Line: 46, Column: 11})
		check("PosOf(undeclared)", p.PosOf("pattern"), p.Pos)
	})
	t.Run("a string property maps lengths, pattern and its quality rules", func(t *testing.T) {
		p := props[1]
		check("DataName", p.DataName(), "customer_code")
		check("lengths", []*int64{p.Options.MinLength, p.Options.MaxLength}, []*int64{ptr[int64](3), ptr[int64](12)})
		check("Pattern", p.Options.Pattern, "^C[0-9]+$")
		check("PosOf(pattern)", p.PosOf("pattern"), Pos{Line: 56, Column: 11})
		check("PrimaryKeyPosition default", p.PrimaryKeyPosition, -1)
		q := p.Quality[0]
		check("invalidValues", []string{q.ID, q.Name, q.Type, q.Metric, q.Unit, q.Dimension},
			[]string{"cust_valid", "customer codes", "library", "invalidValues", "percent", "conformity"})
		check("validValues", q.Arguments.ValidValues, []any{"C1", "C2", int64(3), nil})
		check("arguments pattern", q.Arguments.Pattern, "^C")
		check("operator", q.Operator, Operator{Kind: MustBeLessThan, Value: 5})
		check("Pos", q.Pos, Pos{Line: 58, Column: 13})
		q = p.Quality[1]
		check("missingValues", q.Arguments.MissingValues, []any{"", "N/A", nil})
		check("operator", q.Operator, Operator{Kind: MustNotBeBetween, Low: 1, High: 2})
	})
	t.Run("a number property keeps float bounds and multipleOf", func(t *testing.T) {
		o := props[2].Options
		check("ExclusiveMinimum", o.ExclusiveMinimum, any(int64(0)))
		check("Maximum", o.Maximum, any(100.5))
		check("MultipleOf", o.MultipleOf, ptr(0.01))
		check("Minimum", o.Minimum, nil)
	})
	t.Run("a timestamp property keeps string bounds and zone options", func(t *testing.T) {
		o := props[3].Options
		check("timestamp", []any{o.Format, o.Minimum, *o.Timezone, o.DefaultTimezone},
			[]any{"yyyy-MM-dd'T'HH:mm:ssXXX", "2020-01-01T00:00:00Z", true, "Europe/Paris"})
	})
	t.Run("an array property maps item options and nested items", func(t *testing.T) {
		p := props[4]
		check("items options", []any{*p.Options.MinItems, *p.Options.MaxItems, *p.Options.UniqueItems}, []any{int64(1), int64(50), false})
		if p.Items == nil {
			t.Fatal("Items is nil")
		}
		check("item type", p.Items.LogicalType, "object")
		check("item fields", len(p.Items.Properties), 1)
		sku := p.Items.Properties[0]
		check("sku", []any{sku.Name, sku.Required, sku.Pos.Line}, []any{"sku", true, 96})
	})
	t.Run("an object property maps its options and nested properties", func(t *testing.T) {
		p := props[5]
		check("RequiredKeys", p.Options.RequiredKeys, []string{"city"})
		check("properties", []*int64{p.Options.MinProperties, p.Options.MaxProperties}, []*int64{ptr[int64](1), ptr[int64](4)})
		check("PosOf(required) is the option when the property declares none", p.PosOf("required"), Pos{Line: 103, Column: 11})
		check("nested", []string{p.Properties[0].Name, p.Properties[1].Name}, []string{"city", "zip"})
		check("nested customProperties", p.Properties[1].CustomProperties, map[string]any{"pii": true})
	})
}

func TestV30RulesMapToMetrics(t *testing.T) {
	c, err := Load("testdata/v30.odcs.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := c.Schemas[0]
	code := s.Properties[0]
	tests := []struct {
		name         string
		q            Quality
		rule, metric string
		op           Operator
	}{
		{"rowCount stays rowCount", s.Quality[0], "rowCount", "rowCount", Operator{Kind: MustBeGreaterThan}},
		{"duplicateCount becomes duplicateValues and the first operator wins", s.Quality[1], "duplicateCount", "duplicateValues", Operator{Kind: MustBe}},
		{"validValues becomes invalidValues", code.Quality[0], "validValues", "invalidValues", Operator{Kind: MustBe}},
		{"nullValues without an operator stays a library rule", code.Quality[1], "nullValues", "nullValues", Operator{}},
		{"missingValues reads its arguments", code.Quality[2], "missingValues", "missingValues", Operator{Kind: MustBeLessOrEqualTo, Value: 3}},
		{"an unknown rule has no metric", code.Quality[3], "freshness", "", Operator{Kind: MustBe}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.q.Rule != tt.rule || tt.q.Metric != tt.metric || tt.q.Type != "library" || tt.q.Operator != tt.op {
				t.Errorf("got rule=%q metric=%q type=%q op=%+v", tt.q.Rule, tt.q.Metric, tt.q.Type, tt.q.Operator)
			}
		})
	}
	t.Run("inline v3.0 validValues are read", func(t *testing.T) {
		if got := code.Quality[0].Arguments.ValidValues; !reflect.DeepEqual(got, []any{"a", "b"}) {
			t.Errorf("ValidValues = %v", got)
		}
		if got := code.Quality[2].Arguments.MissingValues; !reflect.DeepEqual(got, []any{"", "-"}) {
			t.Errorf("MissingValues = %v", got)
		}
	})
	t.Run("boolean exclusive bounds become v3.1 bounds", func(t *testing.T) {
		o := s.Properties[1].Options
		if o.Minimum != nil || o.ExclusiveMinimum != int64(1) || o.Maximum != int64(10) || o.ExclusiveMaximum != nil {
			t.Errorf("bounds = min %v xmin %v max %v xmax %v", o.Minimum, o.ExclusiveMinimum, o.Maximum, o.ExclusiveMaximum)
		}
	})
	t.Run("lint reports the v3.0 rules driftgate cannot run", func(t *testing.T) {
		var msgs []string
		for _, e := range Lint(c) {
			msgs = append(msgs, e.Error())
		}
		want := []string{
			"testdata/v30.odcs.yaml:11:9: schema[0].quality[1]: declares 2 operators (mustBe, mustBeLessThan); want exactly one, driftgate uses mustBe",
			"testdata/v30.odcs.yaml:21:13: schema[0].properties[0].quality[1]: library rule nullValues has no operator (mustBe, mustBeLessThan, ...), so there is nothing to compare",
			`testdata/v30.odcs.yaml:26:13: schema[0].properties[0].quality[3].rule: rule "freshness" is not one driftgate can run; want one of nullValues, missingValues, invalidValues (validValues), duplicateValues (duplicateCount), rowCount`,
		}
		if !reflect.DeepEqual(msgs, want) {
			t.Errorf("Lint =\n%s\nwant\n%s", joinLines(msgs), joinLines(want))
		}
	})
}

func joinLines(ss []string) string {
	out := ""
	for _, s := range ss {
		out += s + "\n"
	}
	return out
}
