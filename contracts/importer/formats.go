package importer

import (
	"gopkg.in/yaml.v3"

	"github.com/driftgate/driftgate/contracts"
)

// sqlLogical maps a SQL-ish type name (dbt data_type, DCS type) to an ODCS
// logicalType through the one type vocabulary, in its generic dialect;
// the name itself is kept as physicalType. A name it does not know is a
// string.
func sqlLogical(t string) string {
	if d, known := contracts.ParsePhysicalType(t, contracts.Generic); known {
		if l := contracts.LogicalTypeOf(d); l != "" {
			return l
		}
	}
	return "string"
}

func seq(n *yaml.Node) []*yaml.Node {
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

func cmpOr(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}
