package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker/source/objstore/objstoretest"
)

// TestCheckReadsObjectStores runs the real command on fixtures held by the
// S3-compatible test server: given as DATA, and through a contract's
// servers entry of type s3 (location, endpointUrl, format); what a store
// cannot give is exit 3 naming the URL.
func TestCheckReadsObjectStores(t *testing.T) {
	st := objstoretest.S3(t)
	st.PutFile(t, "orders/dt=2026-11-30/orders.parquet", filepath.Join("..", "..", "fixtures", "orders", "orders.parquet"))
	st.PutFile(t, "orders/dt=2026-11-30/orders.csv", filepath.Join("..", "..", "fixtures", "orders", "orders.csv"))
	contract, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "orders", "contract.odcs.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	withServer := filepath.Join(t.TempDir(), "orders.odcs.yaml")
	server := "servers:\n  - server: lake\n    type: s3\n    location: " + st.URL("orders/*/orders.parquet") +
		"\n    endpointUrl: " + os.Getenv("AWS_ENDPOINT_URL_S3") + "\n    format: parquet\n"
	if err := os.WriteFile(withServer, append(contract, []byte(server)...), 0o644); err != nil {
		t.Fatal(err)
	}
	inRepoRoot(t)
	_, _, localCode := cli(t, nil, "check", "-c", "fixtures/orders/contract.odcs.yaml", "fixtures/orders/orders.parquet")
	_, _, localMeta := cli(t, nil, "check", "--metadata-only", "-c", "fixtures/orders/contract.odcs.yaml", "fixtures/orders/orders.parquet")
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"an object as DATA", []string{"check", "-c", "fixtures/orders/contract.odcs.yaml", st.URL("orders/dt=2026-11-30/orders.parquet")}, localCode, ""},
		{"a partition prefix as DATA", []string{"check", "-c", "fixtures/orders/contract.odcs.yaml", st.URL("orders/dt=2026-11-30/")}, localCode, ""},
		{"a servers entry of type s3", []string{"check", "-c", withServer}, localCode, ""},
		{"footers by range", []string{"check", "--metadata-only", "-c", "fixtures/orders/contract.odcs.yaml", st.URL("orders/dt=2026-11-30/orders.parquet")}, localMeta, ""},
		{"a missing object", []string{"check", "-c", "fixtures/orders/contract.odcs.yaml", st.URL("orders/none.parquet")}, exitUnreadable, st.URL("orders/none.parquet")},
		{"an empty prefix", []string{"check", "-c", "fixtures/orders/contract.odcs.yaml", st.URL("nothing/")}, exitUnreadable, st.URL("nothing/")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, stderr, code := cli(t, nil, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.code, out, stderr)
			}
			if !strings.Contains(stderr+out, tc.stderr) {
				t.Errorf("output does not name %s:\n%s%s", tc.stderr, out, stderr)
			}
			if strings.Contains(stderr+out, "driftgate-test-secret") {
				t.Error("the output shows the secret key")
			}
		})
	}
}
