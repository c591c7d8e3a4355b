package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const linesContract = `apiVersion: v3.1.0
kind: DataContract
id: lines
name: lines
version: 1.0.0
status: active
schema:
  - name: orders
    properties:
      - name: id
        logicalType: integer
      - name: note
        logicalType: string
      - name: amount
        logicalType: number
        logicalTypeOptions:
          minimum: 0
`

// TestCSVExamplesNameTheLineAUserOpens builds a CSV whose fourth record
// holds a note over three lines, so that from there on a record's row and
// line part; the bad amount is row 15, on line 18 of the file. Every
// report a user reads points at orders.csv:18.
func TestCSVExamplesNameTheLineAUserOpens(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("id,note,amount\n")
	for i := 1; i <= 20; i++ {
		note, amount := "plain", "1.5"
		if i == 4 {
			note = "\"a note\nover three\nlines\""
		}
		if i == 15 {
			amount = "-7"
		}
		fmt.Fprintf(&b, "%d,%s,%s\n", i, note, amount)
	}
	t.Chdir(dir)
	data, contract := "orders.csv", "contract.odcs.yaml"
	if err := os.WriteFile(data, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(contract, []byte(linesContract), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := strings.Split(b.String(), "\n")[17]; got != "15,plain,-7" {
		t.Fatalf("line 18 of the file is %q, the test needs the bad row there", got)
	}
	out := func(name string) string { return filepath.Join("out", name) }
	stdout, stderr, code := cli(t, nil, "check", "-c", contract, data,
		"-f", "text", "-f", "github="+out("gh.txt"), "-f", "junit="+out("junit.xml"), "-f", "html="+out("report.html"), "-f", "json="+out("report.json"))
	if code != exitFailed {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitFailed, stderr)
	}
	read := func(name string) string {
		b, err := os.ReadFile(out(name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	place := data + ":18"
	for _, tc := range []struct{ format, got, want string }{
		{"text (the example)", stdout, "    row 15 (" + place + "): -7\n"},
		{"text (the message)", stdout, "15 of orders.csv:18: -7) [VALUE_RANGE]\n"},
		{"github", read("gh.txt"), "%0Arow 15 (" + place + "): -7"},
		{"junit", read("junit.xml"), "row 15 (" + place + "): -7"},
		{"html", read("report.html"), "first at row 15 of " + place + ": -7"},
		{"json", read("report.json"), `"row": 15,`},
		{"json", read("report.json"), `"line": 18,`},
	} {
		if !strings.Contains(tc.got, tc.want) {
			t.Errorf("%s lacks %q:\n%s", tc.format, tc.want, tc.got)
		}
	}
}
