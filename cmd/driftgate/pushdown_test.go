package main

import (
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/fixtures/testenv"
)

// pushdownDB makes a database of the test's own on the test server, with
// an orders table holding one null total and one repeated id.
func pushdownDB(t *testing.T) *url.URL {
	t.Helper()
	u := testenv.PostgresDatabase(t, "pushdown")
	tdb, err := sql.Open("pgx", u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer tdb.Close()
	for _, q := range []string{
		`CREATE SCHEMA shop`,
		`CREATE TABLE shop.orders (order_id text, order_total bigint, customer jsonb, note text)`,
		`INSERT INTO shop.orders VALUES ('1001', 2500, '{}', ''), ('1002', NULL, '{}', ''), ('1002', 990, '{}', '')`,
	} {
		if _, err := tdb.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return u
}

func TestCheckPushesDownToAPostgresServer(t *testing.T) {
	u := pushdownDB(t)
	contract := withServers(fmt.Sprintf("  - server: warehouse\n    type: postgres\n    host: %s\n    port: %s\n    database: %s\n    schema: shop",
		u.Hostname(), u.Port(), strings.TrimPrefix(u.Path, "/")))
	userRepo(t, map[string]string{"orders.odcs.yaml": contract})
	user := u.User.Username()
	vars := map[string]string{"DRIFTGATE_POSTGRES_USER": user, "DRIFTGATE_POSTGRES_PASSWORD": "s3cret-not-shown"}
	stdout, stderr, code := cli(t, vars, "check", "-c", "orders.odcs.yaml", "--server", "warehouse", "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (checks failed); stderr %s", code, stderr)
	}
	for _, want := range []string{`"rule": "VALUE_NULL"`, `"rule": "VALUE_UNIQUE"`, `"rule": "COLUMN_UNEXPECTED"`, `"column": "note"`, `"rows": 3`} {
		if !strings.Contains(stdout, want) {
			t.Errorf("report lacks %s:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout+stderr, "s3cret") {
		t.Errorf("the password reached the output")
	}

	// A table that is not there is data that could not be read, never a pass.
	noTable := withServers(fmt.Sprintf("  - server: warehouse\n    type: postgresql\n    host: %s\n    port: %s\n    database: %s",
		u.Hostname(), u.Port(), strings.TrimPrefix(u.Path, "/")))
	userRepo(t, map[string]string{"orders.odcs.yaml": noTable})
	stdout, stderr, code = cli(t, vars, "check", "-c", "orders.odcs.yaml")
	// Said once, in the report on stdout, naming the server and the table.
	if out := unwrapped(stdout); code != 3 || !strings.Contains(out, `server "warehouse"`) || !strings.Contains(out, "public.orders: no such table") || stderr != "" || strings.Contains(stdout, "s3cret") {
		t.Errorf("missing table: exit %d, stdout %s, stderr %s; want 3 naming the server and table once, on stdout", code, stdout, stderr)
	}

	// A server that does not answer is data that could not be read.
	bad := withServers("  - server: warehouse\n    type: postgres\n    host: 127.0.0.1\n    port: 1\n    database: nowhere")
	userRepo(t, map[string]string{"orders.odcs.yaml": bad})
	_, stderr, code = cli(t, vars, "check", "-c", "orders.odcs.yaml")
	if code != 3 || !strings.Contains(stderr, `server "warehouse"`) || strings.Contains(stderr, "s3cret") {
		t.Errorf("unreachable server: exit %d, stderr %s; want 3 naming the server, no password", code, stderr)
	}
}
