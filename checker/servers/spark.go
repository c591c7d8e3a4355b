package servers

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/driftgate/driftgate/contracts"
)

// SparkConnectProperty is the servers-entry customProperty naming the Spark
// Connect server (sc://host:port) that checks the entry's data: a table of
// its catalog and schema, or, for an entry with a path or location, the
// files there, read by Spark.
const SparkConnectProperty = "driftgate.sparkConnectUrl"

// DatabricksClusterProperty is the servers-entry customProperty naming the
// Databricks cluster that serves Spark Connect (DATABRICKS_CLUSTER_ID when
// absent).
const DatabricksClusterProperty = "driftgate.databricksClusterId"

// Spark is a servers entry checked through Spark Connect: type databricks,
// or any entry with the driftgate.sparkConnectUrl customProperty.
// Credentials come from the environment, never from the contract, and
// never reach a report.
type Spark struct {
	Server *contracts.Server
	// URL is the Spark Connect URL, with the token and headers.
	URL string
	// Where names the server for reports and errors: sc://host:port, no
	// credentials.
	Where string
	// Catalog and Schema hold the tables (empty: the session's current
	// ones).
	Catalog, Schema string
	// Format and Path, when Path is set, are a dataset of files Spark
	// reads instead of a table: parquet, delta, csv, json, orc.
	Format, Path string
}

// IsSpark says whether a server entry is checked through Spark Connect.
func IsSpark(s *contracts.Server) bool {
	return s.Type == "databricks" || serverProperty(s, SparkConnectProperty) != ""
}

// SparkOf resolves a Spark entry for the schema object schemaName (which
// fills a {model} placeholder in a path). The Spark Connect URL is, first
// found: DRIFTGATE_SPARK_CONNECT_URL, the driftgate.sparkConnectUrl
// customProperty, or for type databricks one built from host, the token
// (DATABRICKS_TOKEN or datacontract-cli's DATACONTRACT_DATABRICKS_TOKEN)
// and the cluster (DATABRICKS_CLUSTER_ID or driftgate.databricksClusterId).
func SparkOf(c *contracts.Contract, s *contracts.Server, schemaName string, getenv func(string) string) (*Spark, error) {
	t := &Target{Server: s}
	sp := &Spark{Server: s, Catalog: s.String("catalog"), Schema: s.String("schema")}
	raw := firstOf(getenv, "DRIFTGATE_SPARK_CONNECT_URL")
	if raw == "" {
		raw = serverProperty(s, SparkConnectProperty)
	}
	if raw == "" && s.Type == "databricks" {
		host := strings.TrimSuffix(strings.TrimPrefix(s.String("host"), "https://"), "/")
		if host == "" {
			return nil, t.errorf(c, "", "server %q (type databricks) has no host", s.Name)
		}
		token := firstOf(getenv, "DATABRICKS_TOKEN", "DATACONTRACT_DATABRICKS_TOKEN")
		if token == "" {
			return nil, t.errorf(c, "", "server %q (type databricks): set DATABRICKS_TOKEN to a personal access token", s.Name)
		}
		cluster := firstOf(getenv, "DATABRICKS_CLUSTER_ID")
		if cluster == "" {
			cluster = serverProperty(s, DatabricksClusterProperty)
		}
		if cluster == "" {
			return nil, t.errorf(c, "", "server %q (type databricks): Spark Connect runs on a cluster: set DATABRICKS_CLUSTER_ID or the customProperty %s", s.Name, DatabricksClusterProperty)
		}
		raw = "sc://" + host + ":443/;token=" + token + ";x-databricks-cluster-id=" + cluster
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "sc" || u.Host == "" {
		// The URL can hold a token: it is not repeated.
		return nil, t.errorf(c, "", "server %q: the Spark Connect URL is not sc://host:port[/;key=value...]", s.Name)
	}
	sp.URL, sp.Where = raw, "sc://"+u.Host
	if p := s.Path; p != "" || s.Location != "" {
		if p == "" {
			p = s.Location
		}
		p = strings.ReplaceAll(p, "{model}", schemaName)
		if !strings.Contains(p, "://") && !filepath.IsAbs(p) {
			// Relative to the working directory, as a local server's path
			// is; Spark resolves paths against its own.
			if abs, err := filepath.Abs(p); err == nil {
				p = abs
			}
		}
		sp.Path, sp.Format = p, strings.ToLower(s.Format)
		switch sp.Format {
		case "":
			sp.Format = "parquet"
		case "parquet", "delta", "csv", "json", "orc":
		default:
			return nil, t.errorf(c, "format", "server %q: format %q is not one Spark reads here (parquet, delta, csv, json, orc)", s.Name, s.Format)
		}
	}
	return sp, nil
}

// serverProperty is the value of a customProperty of the entry, "" when
// absent or not a string.
func serverProperty(s *contracts.Server, name string) string {
	list, _ := s.Fields["customProperties"].([]any)
	for _, x := range list {
		m, _ := x.(map[string]any)
		if m["property"] == name {
			v, _ := m["value"].(string)
			return v
		}
	}
	return ""
}

// String names the entry for messages.
func (sp *Spark) String() string {
	if sp.Path != "" {
		return fmt.Sprintf("%s %s at %s", sp.Format, sp.Path, sp.Where)
	}
	return sp.Where
}
