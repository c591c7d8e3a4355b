package contracts

import (
	"errors"
	"strings"
	"testing"
)

const serversContract = `apiVersion: v3.1.0
kind: DataContract
id: orders
version: 1.0.0
status: active
servers:
  - server: production
    type: local
    path: ./data/*.parquet
    format: parquet
  - server: lake
    type: s3
    location: s3://lake/orders/*.json
    format: json
    delimiter: new_line
    endpointUrl: http://127.0.0.1:9000
slaDefaultElement: orders.updated_at
slaProperties:
  - property: latency
    value: 4
    unit: d
    element: orders.updated_at
  - property: retention
    value: 3
    unit: y
  - property: generalAvailability
    value: "2022-05-12T09:30:10-08:00"
schema:
  - name: orders
    properties:
      - name: updated_at
        logicalType: timestamp
`

func TestServersAndSLAsAreReadWithTheirLines(t *testing.T) {
	c, err := Parse("c.yaml", []byte(serversContract))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.ServerNames(), ","); got != "production,lake" {
		t.Fatalf("servers %s", got)
	}
	lake := c.Servers[1]
	if lake.Type != "s3" || lake.Location != "s3://lake/orders/*.json" || lake.Format != "json" || lake.Delimiter != "new_line" ||
		lake.EndpointURL != "http://127.0.0.1:9000" || lake.String("endpointUrl") != lake.EndpointURL {
		t.Errorf("lake server %+v", lake)
	}
	if lake.Pos.Line != 11 || lake.PosOf("location").Line != 13 {
		t.Errorf("lake at line %d, location at %d; want 11 and 13", lake.Pos.Line, lake.PosOf("location").Line)
	}
	if len(c.SLA) != 3 || c.SLA[0].Property != "latency" || c.SLA[0].Value != int64(4) || c.SLA[0].Unit != "d" ||
		c.SLA[0].Element != "orders.updated_at" || c.SLA[0].PosOf("value").Line != 20 {
		t.Errorf("sla %+v", c.SLA)
	}
	if c.SLADefaultElement != "orders.updated_at" {
		t.Errorf("slaDefaultElement %q", c.SLADefaultElement)
	}
}

func TestSelectServer(t *testing.T) {
	c, err := Parse("c.yaml", []byte(serversContract))
	if err != nil {
		t.Fatal(err)
	}
	if s, err := c.SelectServer("lake"); err != nil || s.Name != "lake" {
		t.Errorf("lake: %v %v", s, err)
	}
	for _, name := range []string{"", "prod"} {
		_, err := c.SelectServer(name)
		var nf *ServerNotFoundError
		if !errors.As(err, &nf) || !strings.Contains(err.Error(), "production, lake") {
			t.Errorf("SelectServer(%q): %v, want an error listing production, lake", name, err)
		}
	}
	one := &Contract{Path: "one.yaml", Servers: c.Servers[:1]}
	if s, err := one.SelectServer(""); err != nil || s.Name != "production" {
		t.Errorf("the only server: %v %v", s, err)
	}
}
