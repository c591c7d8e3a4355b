package reporters

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/driftgate/driftgate/checker/report"
)

// JSON renders the report as indented JSON, for machines. The struct tags of
// report.Report define the document and json_schema.json (JSON Schema draft
// 2020-12, kept in sync with the structs by a test) describes it:
//
//   - reportVersion: 1; it changes only if a field is removed or changes
//     meaning. Fields are only ever added.
//   - tool {name, version}, command, status (pass, fail, error), failOn.
//   - contract {id, version, name?, path, sha256, schema?}: what was judged.
//   - inputs [{path, format, size, sha256, rows, hashScope?, object?
//     {url, etag?, versionId?, lastModified?, checksum?, bytesRead}}]: the
//     data files, in the order they were read.
//   - summary {rows, checks, failed, errors, warnings, infos}.
//   - checks [{rule, schema, column?, passed}]: every check that ran.
//   - findings [{rule, severity, schema, column?, message, expected?,
//     actual?, count, examples [{file, row, value}], location? {file, line?,
//     column?}}]: every broken expectation.
//   - error: why the run could not finish (status error only).
//
// Checks and findings are sorted by schema, column, rule and message, and
// empty lists are [] rather than null, so the output is byte-for-byte stable.
type JSON struct{}

// Report implements Reporter.
func (JSON) Report(w io.Writer, r *report.Report) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	// Messages quote data with < > &; the report is not embedded in HTML, so
	// keep them readable instead of \u003c.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(canonical(r)); err != nil {
		return fmt.Errorf("encode json report: %w", err)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return nil
}
