package servers

import (
	"strings"
	"testing"
)

func TestSparkOf(t *testing.T) {
	prop := "    customProperties:\n      - property: driftgate.sparkConnectUrl\n        value: sc://spark.internal:15002\n"
	tests := []struct {
		name, servers string
		env           map[string]string
		isSpark       bool
		url, where    string
		catalog       string
		schema        string
		format, path  string
		err           string
	}{
		{name: "databricks: host, token and cluster from the environment", isSpark: true,
			servers: "  - server: s\n    type: databricks\n    host: https://dbc-1.cloud.databricks.com/\n    catalog: main\n    schema: sales\n",
			env:     map[string]string{"DATABRICKS_TOKEN": "dapi1", "DATABRICKS_CLUSTER_ID": "0123-abc"},
			url:     "sc://dbc-1.cloud.databricks.com:443/;token=dapi1;x-databricks-cluster-id=0123-abc", where: "sc://dbc-1.cloud.databricks.com:443",
			catalog: "main", schema: "sales"},
		{name: "databricks: datacontract-cli's token and the cluster as a customProperty", isSpark: true,
			servers: "  - server: s\n    type: databricks\n    host: dbc-1.cloud.databricks.com\n    customProperties:\n      - property: driftgate.databricksClusterId\n        value: c-9\n",
			env:     map[string]string{"DATACONTRACT_DATABRICKS_TOKEN": "dapi2"},
			url:     "sc://dbc-1.cloud.databricks.com:443/;token=dapi2;x-databricks-cluster-id=c-9", where: "sc://dbc-1.cloud.databricks.com:443"},
		{name: "databricks without a token", isSpark: true, servers: "  - server: s\n    type: databricks\n    host: h\n",
			err: "set DATABRICKS_TOKEN"},
		{name: "databricks without a host", isSpark: true, servers: "  - server: s\n    type: databricks\n", err: "has no host"},
		{name: "a local Parquet dataset read by a Spark Connect server", isSpark: true,
			servers: "  - server: s\n    type: local\n    path: /data/{model}/\n    format: parquet\n" + prop,
			url:     "sc://spark.internal:15002", where: "sc://spark.internal:15002", format: "parquet", path: "/data/t0/"},
		{name: "an object store dataset, the format defaulting to Parquet", isSpark: true,
			servers: "  - server: s\n    type: s3\n    location: s3://b/orders/\n" + prop,
			url:     "sc://spark.internal:15002", where: "sc://spark.internal:15002", format: "parquet", path: "s3://b/orders/"},
		{name: "the environment's URL wins", isSpark: true, servers: "  - server: s\n    type: custom\n    schema: x\n" + prop,
			env: map[string]string{"DRIFTGATE_SPARK_CONNECT_URL": "sc://other:1/;token=t"}, url: "sc://other:1/;token=t", where: "sc://other:1", schema: "x"},
		{name: "a URL that is not sc:// is refused without repeating it", isSpark: true,
			servers: "  - server: s\n    type: custom\n    customProperties:\n      - property: driftgate.sparkConnectUrl\n        value: https://x/;token=t0ken\n",
			err:     "is not sc://host:port"},
		{name: "a format Spark does not read here", isSpark: true,
			servers: "  - server: s\n    type: local\n    path: a.xlsx\n    format: xlsx\n" + prop, err: `format "xlsx"`},
		{name: "a plain local server is not Spark's", servers: "  - server: s\n    type: local\n    path: a.parquet\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := contract(t, tt.servers, 1)
			s := &c.Servers[0]
			if IsSpark(s) != tt.isSpark {
				t.Fatalf("IsSpark %v, want %v", !tt.isSpark, tt.isSpark)
			}
			if !tt.isSpark {
				return
			}
			sp, err := SparkOf(c, s, "t0", func(k string) string { return tt.env[k] })
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || strings.Contains(err.Error(), "t0ken") {
					t.Fatalf("error %v, want one saying %q without the token", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := []string{sp.URL, sp.Where, sp.Catalog, sp.Schema, sp.Format, sp.Path}
			want := []string{tt.url, tt.where, tt.catalog, tt.schema, tt.format, tt.path}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("got  %q\nwant %q", got, want)
			}
		})
	}
}
