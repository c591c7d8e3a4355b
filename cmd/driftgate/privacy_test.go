package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// privateContract declares an email classified pii with a pattern, a salary
// classified restricted with a maximum, and a public amount with a minimum.
const privateContract = `apiVersion: v3.1.0
kind: DataContract
id: urn:people
name: people
version: 1.0.0
status: active
schema:
  - name: people
    logicalType: object
    properties:
      - name: email
        logicalType: string
        classification: pii
        logicalTypeOptions:
          pattern: "^[a-z]+@example\\.com$"
      - name: salary
        logicalType: number
        tags: [finance, pii]
        logicalTypeOptions:
          maximum: 100000
      - name: amount
        logicalType: number
        logicalTypeOptions:
          minimum: 0
`

// TestPrivateValuesNeverReachAReport checks a batch whose private columns
// break their rules: every format names the rows, counts and rules, and
// none holds a private value; a public column's value is still quoted.
// --show-private-values shows them, except under CI.
func TestPrivateValuesNeverReachAReport(t *testing.T) {
	dir := t.TempDir()
	contract := filepath.Join(dir, "people.odcs.yaml")
	data := filepath.Join(dir, "people.csv")
	if err := os.WriteFile(contract, []byte(privateContract), 0o644); err != nil {
		t.Fatal(err)
	}
	secrets := []string{"Jane.Doe@corp.example", "987654.32"}
	csv := "email,salary,amount\nann@example.com,50000,1\nJane.Doe@corp.example,987654.32,-7.25\n"
	if err := os.WriteFile(data, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "table", "json", "junit", "github", "markdown"} {
		t.Run(format+" shows rows and counts but no private value", func(t *testing.T) {
			out, stderr, code := cli(t, nil, "check", "-c", contract, "-f", format, data)
			if code != exitFailed {
				t.Fatalf("exit %d, want 1: %s", code, stderr)
			}
			for _, s := range secrets {
				if strings.Contains(out+stderr, s) || strings.Contains(out, strings.ReplaceAll(s, ".", "\\.")) {
					t.Errorf("the %s report holds the private value %q:\n%s", format, s, out)
				}
			}
			if !strings.Contains(out, "-7.25") {
				t.Errorf("the %s report lost the public column's value -7.25:\n%s", format, out)
			}
			for _, rule := range []string{"VALUE_PATTERN", "VALUE_RANGE"} {
				if !strings.Contains(out, rule) {
					t.Errorf("the %s report lacks %s", format, rule)
				}
			}
		})
	}
	t.Run("json examples keep the row and say redacted", func(t *testing.T) {
		out, _, _ := cli(t, nil, "check", "-c", contract, "-f", "json", data)
		if !strings.Contains(out, `"value": "<redacted>"`) || !strings.Contains(out, `"row": 2`) {
			t.Errorf("no redacted example with its row:\n%s", out)
		}
	})
	t.Run("--show-private-values shows them on a developer's machine", func(t *testing.T) {
		out, _, _ := cli(t, nil, "check", "-c", contract, "--show-private-values", "-f", "json", data)
		if !strings.Contains(out, secrets[0]) {
			t.Errorf("--show-private-values did not show %q:\n%s", secrets[0], out)
		}
	})
	t.Run("--show-private-values is ignored under CI", func(t *testing.T) {
		out, _, _ := cli(t, map[string]string{"CI": "true"}, "check", "-c", contract, "--show-private-values", "-f", "json", data)
		if strings.Contains(out, secrets[0]) {
			t.Errorf("under CI --show-private-values showed %q", secrets[0])
		}
	})
}

// TestPrivateValuesNeverReachAProfileOrADriftReport profiles the private
// batch, drifts a second one against it and renders every drift format:
// no private value appears in the profile file or any report.
func TestPrivateValuesNeverReachAProfileOrADriftReport(t *testing.T) {
	dir := t.TempDir()
	contract := filepath.Join(dir, "people.odcs.yaml")
	if err := os.WriteFile(contract, []byte(privateContract), 0o644); err != nil {
		t.Fatal(err)
	}
	var rows, rows2 strings.Builder
	rows.WriteString("email,salary,amount\n")
	rows2.WriteString("email,salary,amount\n")
	for i := range 200 {
		fmt := func(b *strings.Builder, salary int) {
			b.WriteString("p" + itoaTest(i) + "@example.com," + itoaTest(salary) + ".37," + itoaTest(i%7) + "\n")
		}
		fmt(&rows, 40000+i*13)
		fmt(&rows2, 90000+i*3)
	}
	base, cur := filepath.Join(dir, "base.csv"), filepath.Join(dir, "cur.csv")
	os.WriteFile(base, []byte(rows.String()), 0o644)
	os.WriteFile(cur, []byte(rows2.String()), 0o644)
	profile := filepath.Join(dir, "base.profile.json")
	if _, stderr, code := cli(t, nil, "profile", "-c", contract, "-o", profile, base); code != 0 {
		t.Fatalf("profile: exit %d: %s", code, stderr)
	}
	data, _ := os.ReadFile(profile)
	// Salaries end in .37, so no digits of a temporary path can match.
	for _, secret := range []string{"p17@example.com", "40221.37", "42587.37", "40000.37"} {
		if strings.Contains(string(data), secret) {
			t.Errorf("the profile holds the private value %q", secret)
		}
	}
	if !strings.Contains(string(data), `"private": true`) {
		t.Errorf("the profile does not mark the private columns")
	}
	for _, format := range []string{"text", "json", "markdown", "html"} {
		out, stderr, code := cli(t, nil, "drift", "-b", profile, "-c", contract, "-f", format, cur)
		if code > exitFailed {
			t.Fatalf("drift -f %s: exit %d: %s", format, code, stderr)
		}
		for _, secret := range []string{"p17@example.com", "90051.37", "90000.37", "90597.37"} {
			if strings.Contains(out, secret) {
				t.Errorf("the %s drift report holds the private value %q", format, secret)
			}
		}
	}
}

func itoaTest(n int) string { return strconv.Itoa(n) }
