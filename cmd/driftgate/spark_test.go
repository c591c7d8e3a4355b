package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/driftgate/driftgate/checker/sqlpush/spark"
	"github.com/driftgate/driftgate/fixtures/testenv"
)

// sparkContract is the orders fixture's contract with the servers given.
func sparkContract(t *testing.T, servers string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "orders", "contract.odcs.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if strings.Contains(s, "\nservers:") || !strings.Contains(s, "\nschema:\n") {
		t.Fatal("the orders contract changed shape: no room for a servers list before schema")
	}
	return strings.Replace(s, "\nschema:\n", "\nservers:\n"+servers+"\nschema:\n", 1)
}

func TestCheckPushesDownToSpark(t *testing.T) {
	url := testenv.Service(t, "DRIFTGATE_TEST_SPARK_CONNECT")
	parquet, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "orders", "orders.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	// The Arrow engine's verdict on the same file, to agree with.
	want := []string{`"rule": "VALUE_RANGE"`, `"rule": "VALUE_UNIQUE"`, `"rule": "VALUE_PATTERN"`, `"rows": 500`, `"status": "fail"`}

	t.Run("a Parquet dataset read by Spark", func(t *testing.T) {
		dir := userRepo(t, map[string]string{"orders.odcs.yaml": sparkContract(t, fmt.Sprintf(
			"  - server: lakehouse\n    type: local\n    path: data/{model}.parquet\n    format: parquet\n    customProperties:\n      - property: driftgate.sparkConnectUrl\n        value: %s", url)),
			"data/orders.parquet": string(parquet)})
		stdout, stderr, code := cli(t, nil, "check", "-c", "orders.odcs.yaml", "--server", "lakehouse", "--format", "json")
		if code != 1 {
			t.Fatalf("exit %d, want 1 (checks failed); stderr %s", code, stderr)
		}
		for _, w := range append(want, `"format": "spark"`, filepath.Join(dir, "data", "orders.parquet")) {
			if !strings.Contains(stdout, w) {
				t.Errorf("report lacks %s:\n%s", w, stdout)
			}
		}
	})

	t.Run("a table of a catalog and schema", func(t *testing.T) {
		contract := sparkContract(t, "%s")
		dir := userRepo(t, map[string]string{"orders.parquet": string(parquet)})
		ctx := context.Background()
		e, err := spark.Open(ctx, url, "the test Spark")
		if err != nil {
			t.Fatal(err)
		}
		defer e.Close()
		db := fmt.Sprintf("driftgate_cli_%d", time.Now().UnixNano())
		for _, q := range []string{"CREATE DATABASE " + db,
			"CREATE TABLE " + db + ".orders USING parquet AS SELECT * FROM parquet.`" + filepath.Join(dir, "orders.parquet") + "`"} {
			if _, err := e.Rows(ctx, q, nil); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		t.Cleanup(func() { e.Rows(ctx, "DROP DATABASE "+db+" CASCADE", nil) })
		userRepo(t, map[string]string{"orders.odcs.yaml": strings.Replace(contract, "%s", fmt.Sprintf(
			"  - server: lakehouse\n    type: custom\n    catalog: spark_catalog\n    schema: %s\n    customProperties:\n      - property: driftgate.sparkConnectUrl\n        value: %s", db, url), 1)})
		stdout, stderr, code := cli(t, nil, "check", "-c", "orders.odcs.yaml", "--format", "json")
		if code != 1 {
			t.Fatalf("exit %d, want 1 (checks failed); stderr %s", code, stderr)
		}
		for _, w := range want {
			if !strings.Contains(stdout, w) {
				t.Errorf("report lacks %s:\n%s", w, stdout)
			}
		}
	})

	t.Run("a table that is not there is data that could not be read", func(t *testing.T) {
		userRepo(t, map[string]string{"orders.odcs.yaml": sparkContract(t, fmt.Sprintf(
			"  - server: lakehouse\n    type: custom\n    schema: no_such_schema\n    customProperties:\n      - property: driftgate.sparkConnectUrl\n        value: %s", url))})
		stdout, stderr, code := cli(t, nil, "check", "-c", "orders.odcs.yaml")
		// Said once, in the report on stdout, naming the server and the table.
		if out := unwrapped(stdout); code != 3 || !strings.Contains(out, `server "lakehouse"`) || !strings.Contains(out, "no_such_schema") || stderr != "" {
			t.Errorf("exit %d, stdout %s, stderr %s; want 3 naming the server and the table once, on stdout", code, stdout, stderr)
		}
	})
}

// TestCheckOnDatabricksNeedsItsCredentials: a databricks server says which
// variable is missing (exit 2), and a token never reaches the output, even
// when the server cannot be reached (exit 3).
func TestCheckOnDatabricksNeedsItsCredentials(t *testing.T) {
	databricks := "  - server: lakehouse\n    type: databricks\n    host: dbc-1234.cloud.databricks.com\n    catalog: main\n    schema: sales"
	tests := []struct {
		name   string
		vars   map[string]string
		code   int
		stderr string
	}{
		{"no token", nil, 2, "DATABRICKS_TOKEN"},
		{"no cluster", map[string]string{"DATABRICKS_TOKEN": "dapi-s3cret"}, 2, "DATABRICKS_CLUSTER_ID"},
		{"a Spark Connect server that does not answer", map[string]string{"DRIFTGATE_SPARK_CONNECT_URL": "sc://127.0.0.1:1/;token=dapi-s3cret"}, 3, `server "lakehouse" (sc://127.0.0.1:1)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			userRepo(t, map[string]string{"orders.odcs.yaml": sparkContract(t, databricks)})
			_, stderr, code := cli(t, tt.vars, "check", "-c", "orders.odcs.yaml")
			if code != tt.code || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %s; want %d and %q", code, stderr, tt.code, tt.stderr)
			}
			if strings.Contains(stderr, "s3cret") {
				t.Errorf("the token reached the output: %s", stderr)
			}
		})
	}
}
