package servers

import (
	"fmt"
	"net"
	"net/url"
	"strconv"

	"github.com/driftgate/driftgate/contracts"
)

// Postgres is a servers entry of type postgres (or postgresql): where the
// table is and how to connect. Credentials come from the environment,
// never from the contract, and never reach a report.
type Postgres struct {
	Server *contracts.Server
	// Schema is the PostgreSQL schema of the tables ("public" when the
	// entry has none).
	Schema string
	// DSN is the connection string, with credentials.
	DSN string
	// Where names the server for reports and errors: host, port and
	// database, no credentials.
	Where string
}

// IsPostgres says whether a server entry is a PostgreSQL one.
func IsPostgres(s *contracts.Server) bool { return s.Type == "postgres" || s.Type == "postgresql" }

// PostgresOf resolves a postgres entry. dsn, when set (--dsn or
// DRIFTGATE_POSTGRES_DSN), replaces host, port, database and credentials;
// otherwise the user and password are DRIFTGATE_POSTGRES_USER/_PASSWORD,
// datacontract-cli's DATACONTRACT_POSTGRES_USERNAME/_PASSWORD, or libpq's
// PGUSER/PGPASSWORD (pgx reads PGSSLMODE and the rest itself).
func PostgresOf(c *contracts.Contract, s *contracts.Server, dsn string, getenv func(string) string) (*Postgres, error) {
	t := &Target{Server: s}
	p := &Postgres{Server: s, Schema: s.String("schema")}
	if p.Schema == "" {
		p.Schema = "public"
	}
	if dsn == "" {
		dsn = getenv("DRIFTGATE_POSTGRES_DSN")
	}
	if dsn != "" {
		u, err := url.Parse(dsn)
		if err != nil {
			return nil, fmt.Errorf("server %q: the PostgreSQL DSN does not parse as a URL", s.Name)
		}
		p.DSN, p.Where = dsn, "postgres://"+u.Host+u.Path
		return p, nil
	}
	host := s.String("host")
	if host == "" {
		return nil, t.errorf(c, "", "server %q (type %s) has no host", s.Name, s.Type)
	}
	port := "5432"
	if v, ok := s.Fields["port"]; ok {
		n, ok := s.Int("port")
		if !ok || n < 1 || n > 65535 {
			return nil, t.errorf(c, "port", "server %q: port %v is not a port number", s.Name, v)
		}
		port = strconv.FormatInt(n, 10)
	}
	database := s.String("database")
	if database == "" {
		return nil, t.errorf(c, "", "server %q (type %s) has no database", s.Name, s.Type)
	}
	u := &url.URL{Scheme: "postgres", Host: net.JoinHostPort(host, port), Path: "/" + database}
	user := firstOf(getenv, "DRIFTGATE_POSTGRES_USER", "DATACONTRACT_POSTGRES_USERNAME", "PGUSER")
	pass := firstOf(getenv, "DRIFTGATE_POSTGRES_PASSWORD", "DATACONTRACT_POSTGRES_PASSWORD", "PGPASSWORD")
	switch {
	case user != "" && pass != "":
		u.User = url.UserPassword(user, pass)
	case user != "":
		u.User = url.User(user)
	}
	p.Where = "postgres://" + u.Host + u.Path
	p.DSN = u.String()
	return p, nil
}

func firstOf(getenv func(string) string, keys ...string) string {
	for _, k := range keys {
		if v := getenv(k); v != "" {
			return v
		}
	}
	return ""
}
