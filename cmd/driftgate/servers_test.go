package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// userRepo writes files (path -> content) into a temporary directory and
// makes it the working directory, as a user's repository checkout is when
// they run `datacontract test` or `driftgate check` in it.
func userRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	return dir
}

// ordersContract is a contract the way datacontract-cli's users write
// them: ODCS v3 with a servers list, engine types, a primary key.
const ordersContract = `apiVersion: v3.0.2
kind: DataContract
id: urn:datacontract:checkout:orders
name: Orders
version: 2.0.0
status: active
servers:
%s
schema:
  - name: orders
    physicalType: table
    properties:
      - name: order_id
        logicalType: string
        physicalType: varchar
        primaryKey: true
      - name: order_total
        logicalType: integer
        physicalType: bigint
        required: true
      - name: customer
        logicalType: object
        properties:
          - name: email
            logicalType: string
            required: true
`

const ordersNDJSON = `{"order_id":"1001","order_total":2500,"customer":{"email":"a@example.com"}}
{"order_id":"1002","order_total":"12,50","customer":{"email":"b@example.com"}}
{"order_id":"1003","order_total":990,"customer":{"email":"c@example.com"}}
`

const ordersCSV = "order_id;order_total;customer\n1001;2500;x\n1002;1250;y\n"

func withServers(servers string) string {
	return strings.Replace(ordersContract, "%s", servers, 1)
}

func TestCheckReadsTheContractsServerWhenNoDataIsGiven(t *testing.T) {
	tests := []struct {
		name    string
		servers string
		args    []string
		code    int
		stdout  string // substrings, | separated
		stderr  string
	}{
		{
			name: "the only local server: its JSON glob is read, mistyped values fail as VALUE_TYPE",
			servers: `  - server: production
    type: local
    path: ./data/orders/*.json
    format: json
    delimiter: new_line`,
			code: exitFailed, stdout: "VALUE_TYPE|data/orders/part-1.json, 3 rows|12,50",
		},
		{
			name: "several servers and none chosen: exit 2 listing them",
			servers: `  - server: production
    type: local
    path: ./data/orders/*.json
    format: json
  - server: staging
    type: local
    path: ./data/staging.csv
    format: csv
    delimiter: ";"`,
			code: exitUsage, stderr: "declares 2 servers (production, staging); choose one with --server NAME",
		},
		{
			name: "--server chooses one; its CSV delimiter is used",
			servers: `  - server: production
    type: local
    path: ./data/orders/*.json
    format: json
  - server: staging
    type: local
    path: ./data/staging.csv
    format: csv
    delimiter: ";"`,
			args: []string{"--server", "staging"},
			code: exitPass, stdout: "PASS|data/staging.csv, 2 rows",
		},
		{
			name: "an unknown --server: exit 2 naming the servers there are",
			servers: `  - server: production
    type: local
    path: ./data/orders/*.json
    format: json`,
			args: []string{"--server", "prod"},
			code: exitUsage, stderr: `has no server "prod"; it declares production`,
		},
		{
			name: "a SQL server: exit 2 naming its type until that reader exists",
			servers: `  - server: warehouse
    type: snowflake
    host: localhost`,
			code: exitUsage, stderr: `server "warehouse" has type "snowflake", which driftgate cannot read yet`,
		},
		{
			name: "a postgres server without a database: exit 2 at the entry",
			servers: `  - server: warehouse
    type: postgres
    host: localhost`,
			code: exitUsage, stderr: `server "warehouse" (type postgres) has no database`,
		},
		{
			name: "an object store server whose location is another store's: exit 2",
			servers: `  - server: lake
    type: s3
    location: gs://lake/orders/*.parquet
    format: parquet`,
			code: exitUsage, stderr: `server "lake" has type s3, and its location "gs://lake/orders/*.parquet" is not a s3:// URL`,
		},
		{
			name: "a delta table: exit 2, never a silent read of stale files",
			servers: `  - server: production
    type: local
    path: ./data/orders
    format: delta`,
			code: exitUsage, stderr: "format delta is not supported yet",
		},
		{
			name: "a path with {model} is the schema object's name",
			servers: `  - server: production
    type: local
    path: ./data/{model}/*.json
    format: json`,
			code: exitFailed, stdout: "data/orders/part-1.json",
		},
		{
			name: "a JSON server declared as array reading a new_line file: exit 3 naming the line",
			servers: `  - server: production
    type: local
    path: ./data/orders/part-1.json
    format: json
    delimiter: array`,
			code: exitUnreadable, stdout: "line 1: the contract's server says JSON delimiter array",
		},
		{
			name: "a directory path stands for its files of the server's format",
			servers: `  - server: production
    type: local
    path: ./data/orders
    format: json`,
			code: exitFailed, stdout: "data/orders/part-1.json, 3 rows",
		},
		{
			name: "a path that matches nothing: exit 3, a gate never passes on no data",
			servers: `  - server: production
    type: local
    path: ./data/none/*.parquet
    format: parquet`,
			code: exitUnreadable, stderr: "data/none/*.parquet",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			userRepo(t, map[string]string{
				"datacontract.yaml":        withServers(tc.servers),
				"data/orders/part-1.json":  ordersNDJSON,
				"data/staging.csv":         ordersCSV,
				"data/orders/_SUCCESS.txt": "",
			})
			args := append([]string{"check", "-c", "datacontract.yaml"}, tc.args...)
			stdout, stderr, code := cli(t, nil, args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, stdout, stderr)
			}
			for _, want := range strings.Split(tc.stdout, "|") {
				if !strings.Contains(unwrapped(stdout), want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout)
				}
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, stderr)
			}
		})
	}
}

func TestCheckDataArgumentsOverrideTheServer(t *testing.T) {
	userRepo(t, map[string]string{
		"datacontract.yaml": withServers(`  - server: production
    type: s3
    location: s3://lake/orders/*.json
    format: json`),
		"local/orders.json": ordersNDJSON,
	})
	stdout, stderr, code := cli(t, nil, "check", "-c", "datacontract.yaml", "--format", "json", "local/orders.json")
	if code != exitFailed {
		t.Fatalf("exit %d, want 1 (the local file is read, the s3 server ignored)\n%s\n%s", code, stdout, stderr)
	}
	var rep struct {
		Inputs []struct{ Path, Format string }
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Inputs) != 1 || rep.Inputs[0].Path != "local/orders.json" || rep.Inputs[0].Format != "json" {
		t.Errorf("inputs %+v, want local/orders.json read as json", rep.Inputs)
	}
}

func TestCheckWithoutDataOrServersSaysWhatIsMissing(t *testing.T) {
	userRepo(t, map[string]string{"datacontract.yaml": strings.Replace(withServers(""), "servers:\n\n", "", 1)})
	_, stderr, code := cli(t, nil, "check", "-c", "datacontract.yaml")
	if code != exitUsage || !strings.Contains(stderr, "declares no servers; give the data as arguments") {
		t.Errorf("exit %d, stderr %q; want exit 2 saying the contract has no servers", code, stderr)
	}
}

func TestRunReadsADatasetsServer(t *testing.T) {
	servers := `  - server: production
    type: local
    path: ./data/orders/*.json
    format: json
  - server: staging
    type: local
    path: ./data/staging.csv
    format: csv
    delimiter: ";"`
	tests := []struct {
		name, config string
		code         int
		want         string
	}{
		{"server: NAME reads that server's data with its delimiter",
			"version: 1\ndatasets:\n  - name: orders\n    server: staging\n    contract: datacontract.yaml\n", exitPass, "data/staging.csv"},
		{"an unknown server is an error at the dataset's server line, naming the servers",
			"version: 1\ndatasets:\n  - name: orders\n    server: prod\n    contract: datacontract.yaml\n", exitUsage, `driftgate.yaml:4:13: datasets[0]: contract datacontract.yaml has no server "prod"; it declares production, staging`},
		{"neither data nor server with several servers asks for one",
			"version: 1\ndatasets:\n  - name: orders\n    contract: datacontract.yaml\n", exitUsage, "choose one with --server NAME"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			userRepo(t, map[string]string{
				"datacontract.yaml":       withServers(servers),
				"data/orders/part-1.json": ordersNDJSON,
				"data/staging.csv":        ordersCSV,
				"driftgate.yaml":          tc.config,
			})
			stdout, stderr, code := cli(t, nil, "run")
			if code != tc.code || !strings.Contains(unwrapped(stdout)+stderr, tc.want) { // a dataset's error is in the report
				t.Errorf("exit %d, want %d with %q\nstdout:\n%s\nstderr:\n%s", code, tc.code, tc.want, stdout, stderr)
			}
		})
	}
}

func TestDriftReadsTheContractsServerWhenNoDataIsGiven(t *testing.T) {
	userRepo(t, map[string]string{
		"datacontract.yaml":       withServers("  - server: production\n    type: local\n    path: ./data/orders/*.json\n    format: json"),
		"data/orders/part-1.json": ordersNDJSON,
	})
	if _, stderr, code := cli(t, nil, "profile", "-c", "datacontract.yaml", "data/orders/part-1.json", "-o", "base.profile.json"); code != exitPass {
		t.Fatalf("profile: exit %d: %s", code, stderr)
	}
	stdout, stderr, code := cli(t, nil, "drift", "-b", "base.profile.json", "-c", "datacontract.yaml", "--format", "json")
	if code != exitPass || !strings.Contains(stdout, `"path": "data/orders/part-1.json"`) {
		t.Errorf("drift without data: exit %d, want 0 reading the server's file\n%s\n%s", code, stdout, stderr)
	}
}
