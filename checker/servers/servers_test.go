package servers

import (
	"errors"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/contracts"
)

func contract(t *testing.T, servers string, schemas int) *contracts.Contract {
	t.Helper()
	doc := "apiVersion: v3.0.2\nkind: DataContract\nid: c\nversion: 1.0.0\nstatus: active\nservers:\n" + servers + "schema:\n"
	for i := range schemas {
		doc += "  - name: t" + string(rune('0'+i)) + "\n    properties:\n      - name: a\n        logicalType: string\n"
	}
	c, err := contracts.Parse("c.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDataResolvesLocalServers(t *testing.T) {
	tests := []struct {
		name, servers string
		schemas       int
		server        string
		args          []string
		want          []string
		format        source.Format
		delim         rune
		layout        source.JSONLayout
		err           string
	}{
		{name: "the only server, {model} as the schema object", servers: "  - server: p\n    type: local\n    path: ./data/{model}/*.csv\n    format: csv\n    delimiter: \"|\"\n",
			schemas: 1, want: []string{"./data/t0/*.csv"}, format: source.CSV, delim: '|'},
		{name: "a tab written as \\t", servers: "  - server: p\n    type: local\n    path: a.tsv\n    format: csv\n    delimiter: \\t\n",
			schemas: 1, want: []string{"a.tsv"}, format: source.CSV, delim: '\t'},
		{name: "JSON arrays", servers: "  - server: p\n    type: local\n    path: a.json\n    format: JSON\n    delimiter: array\n",
			schemas: 1, want: []string{"a.json"}, format: source.JSON, layout: source.JSONArray},
		{name: "arguments override the locations, the named server's options stay", servers: "  - server: p\n    type: local\n    path: a.json\n    format: json\n    delimiter: new_line\n",
			schemas: 1, server: "p", args: []string{"b.json"}, want: []string{"b.json"}, format: source.JSON, layout: source.JSONLines},
		{name: "arguments without --server need no server", servers: "  - server: p\n    type: s3\n    location: s3://b/k\n",
			schemas: 1, args: []string{"x.csv"}, want: []string{"x.csv"}},
		{name: "a JSON delimiter that is neither", servers: "  - server: p\n    type: local\n    path: a.json\n    format: json\n    delimiter: comma\n",
			schemas: 1, err: "c.yaml:11:5: server \"p\": JSON delimiter \"comma\"; want new_line or array"},
		{name: "a CSV delimiter of two characters", servers: "  - server: p\n    type: local\n    path: a.csv\n    format: csv\n    delimiter: \";;\"\n",
			schemas: 1, err: "want one character"},
		{name: "a format driftgate does not read", servers: "  - server: p\n    type: local\n    path: a.avro\n    format: avro\n",
			schemas: 1, err: `format "avro" is not one driftgate reads`},
		{name: "{model} with several schema objects and no --schema", servers: "  - server: p\n    type: local\n    path: ./{model}.csv\n    format: csv\n",
			schemas: 2, err: "names {model}, and the contract has 2 schema objects; choose one with --schema"},
		{name: "a local server without a path", servers: "  - server: p\n    type: local\n    format: csv\n",
			schemas: 1, err: "has no path"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := contract(t, tc.servers, tc.schemas)
			target, locs, err := Data(c, tc.server, "", tc.args)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err %v, want %q", err, tc.err)
				}
				var pe *contracts.ParseError
				if !errors.As(err, &pe) && !strings.Contains(tc.err, "schema objects") {
					t.Errorf("err %T is not positioned", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(locs, ",") != strings.Join(tc.want, ",") {
				t.Errorf("locations %v, want %v", locs, tc.want)
			}
			var opts source.Options
			if target != nil {
				target.Apply(&opts, false)
			}
			if opts.Format != tc.format || opts.CSV.Delimiter != tc.delim || opts.JSON.Layout != tc.layout {
				t.Errorf("options %q %q %q, want %q %q %q", opts.Format, opts.CSV.Delimiter, opts.JSON.Layout, tc.format, tc.delim, tc.layout)
			}
		})
	}
}
