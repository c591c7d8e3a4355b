package contracts

import (
	_ "embed"
	"fmt"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/driftgate/driftgate/contracts/yamlpos"
)

// schemaJSON is driftgate's own JSON Schema for ODCS v3 contracts. It is
// written for the checker (see its $comment) rather than copied from the
// standard: the official schema is only read by the tests, to prove the two
// agree on the parts driftgate executes.
//
//go:embed schema/odcs-v3.json
var schemaJSON []byte

const schemaURL = "https://driftgate.dev/schema/odcs-v3.json"

// compiledValidator compiles the embedded schema once. The result is
// immutable, so sharing it between goroutines is safe.
var compiledValidator = sync.OnceValues(func() (*yamlpos.Schema, error) {
	s, err := yamlpos.Compile(schemaURL, schemaJSON, jsonschema.Draft2019)
	if err != nil {
		return nil, fmt.Errorf("embedded contract schema: %w", err)
	}
	s.Explain = explain
	return s, nil
})

// explain adds what the generic renderer cannot know: what an ODCS
// operator looks like and which options a logical type allows.
func explain(s *yamlpos.Schema, d *yamlpos.Document, e *jsonschema.ValidationError, pe *ParseError) {
	inst := e.InstanceLocation
	val := yamlpos.Lookup(d.Root, inst)
	between := func() bool {
		k := OperatorKind(yamlpos.LastToken(inst))
		return k == MustBeBetween || k == MustNotBeBetween
	}
	switch yamlpos.LastToken(e.KeywordLocation) {
	case "oneOf":
		if strings.Contains(e.AbsoluteKeywordLocation, "/Operators/") {
			pe.Msg = operatorMessage(val)
		}
	case "minItems", "maxItems":
		if between() {
			arr, _ := val.([]any)
			pe.Msg = fmt.Sprintf("want 2 numbers [low, high], got %d", len(arr))
		}
	case "uniqueItems":
		if between() {
			pe.Msg = "low and high must differ"
		}
	case "unevaluatedProperties":
		if inst != "" {
			pe.Msg = unknownField(s, d, e, inst)
		}
	}
}

// operatorKinds lists the ODCS operators in the order the loader tries them.
var operatorKinds = [...]OperatorKind{
	MustBe, MustNotBe, MustBeGreaterThan, MustBeGreaterOrEqualTo,
	MustBeLessThan, MustBeLessOrEqualTo, MustBeBetween, MustNotBeBetween,
}

// unknownField explains an unevaluated key. Keys of logicalTypeOptions get
// the list of options their logical type allows.
func unknownField(s *yamlpos.Schema, d *yamlpos.Document, e *jsonschema.ValidationError, inst string) string {
	key := yamlpos.UnescapeToken(yamlpos.LastToken(inst))
	parent := yamlpos.ParentPtr(inst)
	if yamlpos.LastToken(parent) != "logicalTypeOptions" {
		return "unknown field " + key
	}
	lt, _ := yamlpos.Lookup(d.Root, yamlpos.ParentPtr(parent)+"/logicalType").(string)
	if lt == "" {
		return fmt.Sprintf("option %s needs a logicalType that allows it", key)
	}
	props, _ := s.At(yamlpos.ParentPtr(e.AbsoluteKeywordLocation) + "/properties").(map[string]any)
	return fmt.Sprintf("option %s is not allowed for logicalType %s (allowed: %s)", key, lt, strings.Join(yamlpos.Keys(props), ", "))
}

func operatorMessage(val any) string {
	m, _ := val.(map[string]any)
	var have, all []string
	for _, k := range operatorKinds {
		all = append(all, string(k))
		if _, ok := m[string(k)]; ok {
			have = append(have, string(k))
		}
	}
	if len(have) == 0 {
		return "declares no operator; want exactly one of " + strings.Join(all, ", ")
	}
	return fmt.Sprintf("declares %d operators (%s); want exactly one", len(have), strings.Join(have, ", "))
}

func sortErrors(es []*ParseError) { ParseErrors(es).Sort() }
