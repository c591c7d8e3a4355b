package main

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// TestCSVFieldLimit generates a CSV whose one note is 20 MiB, over the
// default field limit of 16 MiB and under the record limit of 64 MiB: the
// check exits 3 naming the file, the line and the column, and passes once
// the flag raises the limit.
func TestCSVFieldLimit(t *testing.T) {
	t.Chdir(t.TempDir())
	note := strings.Repeat("n", 20<<20)
	data := "id,note,amount\n1,short,1\n2,\"" + note + "\",2\n3,short,3\n"
	if err := os.WriteFile("orders.csv", []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("contract.odcs.yaml", []byte(linesContract), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _, code := cli(t, nil, "check", "-q", "-c", "contract.odcs.yaml", "orders.csv")
	want := `read orders.csv: line 3: column 2 ("note"): a field longer than the limit of 16777216 bytes (raise it with --csv-max-field-bytes)`
	if code != exitUnreadable || !strings.Contains(unwrapped(stdout), want) {
		t.Fatalf("exit %d, stdout:\n%s\nwant exit %d and %q", code, stdout, exitUnreadable, want)
	}
	stdout, stderr, code := cli(t, nil, "check", "-q", "-c", "contract.odcs.yaml", "orders.csv", "--csv-max-field-bytes", strconv.Itoa(32<<20))
	if code != exitPass || !strings.Contains(stdout, "3 rows") {
		t.Fatalf("with the limit raised: exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
}
