package infer

import (
	"context"
	"strings"
	"testing"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/checker/source/objstore/objstoretest"
)

// TestInferFromObjectStore infers from a partition prefix on the
// S3-compatible test server (DRIFTGATE_TEST_S3_ENDPOINT, started by
// .ci/test): the objects are read through the object-store reader and the
// contract is the one the same files give locally.
func TestInferFromObjectStore(t *testing.T) {
	st := objstoretest.S3(t)
	st.PutFile(t, "orders/dt=2026-11-30/orders.csv", cleanCSV)
	ctx := context.Background()
	remote := st.NewClient(t)
	in, err := checker.ExpandRemote(ctx, []string{st.URL("orders/dt=2026-11-30/")}, "", remote)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Files) != 1 || !strings.HasSuffix(in.Files[0], "orders.csv") {
		t.Fatalf("the prefix expands to %v", in.Files)
	}
	got, err := Infer(ctx, Options{Files: in.Files, Name: "orders", Source: source.Options{Remote: remote}})
	if err != nil {
		t.Fatal(err)
	}
	want, err := Infer(ctx, Options{Files: []string{cleanCSV}, Name: "orders"})
	if err != nil {
		t.Fatal(err)
	}
	if string(got.YAML) != string(want.YAML) {
		t.Errorf("the contract inferred from the store differs from the local one:\n%s\nwant:\n%s", got.YAML, want.YAML)
	}
	if st.Served.Load() == 0 {
		t.Error("the store served no bytes: the objects were not read from it")
	}
}
