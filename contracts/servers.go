package contracts

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Server is one entry of a contract's servers list: where the data of the
// contract lives. The fields every file-based type shares are typed; the
// rest of what the entry declares stays in Fields, so a server type driftgate
// learns later (an object store, an SQL engine) reads its own keys without a
// change to this model.
type Server struct {
	// Name is the entry's server key, the name users pass as --server.
	Name        string
	Type        string // local, s3, azure, postgres, ... as written
	Environment string
	Description string

	// Path is a local server's path: a file, a directory or a glob,
	// possibly with a {model} placeholder for the schema object's name.
	Path string
	// Location is an object store URL (s3://, az://, abfss://, gs://).
	Location string
	// Format is the file format as written: parquet, csv, json, delta, ...
	Format string
	// Delimiter is a CSV field delimiter, or for JSON how records are
	// delimited: new_line (one document a line) or array.
	Delimiter   string
	EndpointURL string

	// Fields holds every key of the entry as decoded (strings, numbers,
	// booleans, lists, maps), including the typed ones above.
	Fields map[string]any

	Pos Pos
	// FieldPos holds the position of each key the entry declares.
	FieldPos map[string]Pos
}

// PosOf returns the position of key if the server declares it, else the
// position of the entry.
func (s *Server) PosOf(key string) Pos {
	return posOf(s.FieldPos, key, s.Pos)
}

// String returns the value of a string field of the entry, "" when absent.
func (s *Server) String(key string) string {
	v, _ := s.Fields[key].(string)
	return v
}

// Int returns the value of an integer field of the entry (a port).
func (s *Server) Int(key string) (int64, bool) {
	return intOf(s.Fields[key])
}

// ServerNotFoundError says the contract has no server of the requested name,
// or several and none was chosen. Names lists the servers it has.
type ServerNotFoundError struct {
	File  string
	Want  string // empty: none was chosen
	Names []string
}

func (e *ServerNotFoundError) Error() string {
	names := strings.Join(e.Names, ", ")
	switch {
	case len(e.Names) == 0:
		return fmt.Sprintf("contract %s declares no servers; give the data as arguments", e.File)
	case e.Want == "":
		return fmt.Sprintf("contract %s declares %d servers (%s); choose one with --server NAME", e.File, len(e.Names), names)
	}
	return fmt.Sprintf("contract %s has no server %q; it declares %s", e.File, e.Want, names)
}

// ServerNames lists the names of the contract's servers, in contract order.
func (c *Contract) ServerNames() []string {
	out := make([]string, len(c.Servers))
	for i, s := range c.Servers {
		out[i] = s.Name
	}
	return out
}

// SelectServer returns the server called name, or the only server when name
// is empty. Anything else is a *ServerNotFoundError listing the names.
func (c *Contract) SelectServer(name string) (*Server, error) {
	if name == "" && len(c.Servers) == 1 {
		return &c.Servers[0], nil
	}
	if name != "" {
		for i := range c.Servers {
			if c.Servers[i].Name == name {
				return &c.Servers[i], nil
			}
		}
	}
	return nil, &ServerNotFoundError{File: c.Path, Want: name, Names: c.ServerNames()}
}

// SLAProperty is one entry of slaProperties: a service level the data
// promises, such as latency (freshness) or retention.
type SLAProperty struct {
	ID       string
	Property string // latency, freshness, retention, frequency, ...
	// Value is the agreed value as decoded: a number (int64 or float64), a
	// string (an ISO 8601 duration or timestamp), a boolean or nil.
	Value    any
	ValueExt any
	Unit     string
	// Element names the column the property is judged on, as
	// schemaObject.column (or only column); several are separated by
	// commas. Empty means the contract's slaDefaultElement.
	Element     string
	Driver      string
	Description string
	Pos         Pos
	FieldPos    map[string]Pos
}

// PosOf returns the position of key if the SLA property declares it, else
// the position of the entry.
func (p *SLAProperty) PosOf(key string) Pos {
	return posOf(p.FieldPos, key, p.Pos)
}

// servers decodes the servers list. ODCS v3 writes a list of entries with a
// server key; the Data Contract Specification that came before it wrote a
// map keyed by name, which is accepted here too so that the name resolves
// the same either way (the JSON Schema still decides what is valid).
func (d *document) servers(v any, ptr string) []Server {
	var out []Server
	switch v := v.(type) {
	case []any:
		for i, e := range v {
			m, _ := e.(map[string]any)
			out = append(out, d.server(m, str(m, "server"), ptr+"/"+strconv.Itoa(i)))
		}
	case map[string]any:
		names := make([]string, 0, len(v))
		for k := range v {
			names = append(names, k)
		}
		sort.Slice(names, func(i, j int) bool {
			return d.Key[ptr+"/"+escapeToken(names[i])].Line < d.Key[ptr+"/"+escapeToken(names[j])].Line
		})
		for _, k := range names {
			m, _ := v[k].(map[string]any)
			out = append(out, d.server(m, k, ptr+"/"+escapeToken(k)))
		}
	}
	return out
}

func (d *document) server(m map[string]any, name, ptr string) Server {
	s := Server{
		Name:        name,
		Type:        str(m, "type"),
		Environment: str(m, "environment"),
		Description: str(m, "description"),
		Path:        str(m, "path"),
		Location:    str(m, "location"),
		Format:      str(m, "format"),
		Delimiter:   str(m, "delimiter"),
		EndpointURL: str(m, "endpointUrl"),
		Fields:      m,
		Pos:         d.Val[ptr],
		FieldPos:    map[string]Pos{},
	}
	for k := range m {
		s.FieldPos[k] = d.Key[ptr+"/"+escapeToken(k)]
	}
	return s
}

func (d *document) slaProperties(v any, ptr string) []SLAProperty {
	var out []SLAProperty
	for i, e := range list(v) {
		m, _ := e.(map[string]any)
		p := ptr + "/" + strconv.Itoa(i)
		sla := SLAProperty{
			ID:          str(m, "id"),
			Property:    str(m, "property"),
			Value:       m["value"],
			ValueExt:    m["valueExt"],
			Unit:        str(m, "unit"),
			Element:     str(m, "element"),
			Driver:      str(m, "driver"),
			Description: str(m, "description"),
			Pos:         d.Val[p],
			FieldPos:    map[string]Pos{},
		}
		for k := range m {
			sla.FieldPos[k] = d.Key[p+"/"+escapeToken(k)]
		}
		out = append(out, sla)
	}
	return out
}
