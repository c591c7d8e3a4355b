package checker_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/driftgate/driftgate/checker"
	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/checker/source/objstore/objstoretest"
	"github.com/driftgate/driftgate/contracts"
)

// TestFreshnessOfAnObjectIsItsLastModified judges a freshness SLA without
// an element by what the store says of the object: its Last-Modified.
func TestFreshnessOfAnObjectIsItsLastModified(t *testing.T) {
	st := objstoretest.S3(t)
	st.Put(t, "fresh/orders.csv", []byte("id\na\n"))
	written := time.Now()
	for _, tc := range []struct {
		days string
		fail bool
	}{{"1", true}, {"5", false}} {
		t.Run("latency "+tc.days+" d, three days after the upload", func(t *testing.T) {
			c, err := contracts.Parse("contract.yaml", []byte(`apiVersion: v3.1.0
kind: DataContract
id: fresh
version: 1.0.0
status: active
slaProperties:
  - property: latency
    value: `+tc.days+`
    unit: d
schema:
  - name: orders
    properties:
      - name: id
        logicalType: string
`))
			if err != nil {
				t.Fatal(err)
			}
			in, err := checker.ExpandRemote(context.Background(), []string{st.URL("fresh/orders.csv")}, "", st.Client)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := checker.Check(context.Background(), checker.Options{Contract: c, Files: in.Files, Now: written.Add(72 * time.Hour),
				Source: source.Options{Remote: st.NewClient(t)}})
			if err != nil {
				t.Fatal(err)
			}
			var found []string
			for _, f := range rep.Findings {
				if f.Rule == "SLA_FRESHNESS" {
					found = append(found, f.Message)
				}
			}
			if !tc.fail {
				if len(found) > 0 || rep.Status != report.StatusPass {
					t.Errorf("status %s, freshness findings %q; want a pass", rep.Status, found)
				}
				return
			}
			if len(found) != 1 || !strings.Contains(found[0], "the newest input, "+st.URL("fresh/orders.csv")+", was written") || !strings.Contains(found[0], "3.0 days ago") {
				t.Errorf("freshness findings %q; want one naming the object, 3.0 days old", found)
			}
		})
	}
}
