package source

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// maxJSONRecord bounds one record, so a file that never closes its first
// brace cannot take the machine's memory.
const maxJSONRecord = 64 << 20

// jsonSplitter cuts a JSON file into its records without decoding them: the
// members of a top-level array, or the top-level values one after another
// (NDJSON, and concatenated or pretty-printed objects, which DuckDB's
// read_json also accepts). It tracks the line each record starts on, so
// every error names a line.
type jsonSplitter struct {
	br     *bufio.Reader
	layout JSONLayout // JSONArray or JSONLines once started
	line   int64      // line of the next unread byte, 1-based
	// state of an array layout
	opened, closed bool
	n              int // records returned
	buf            []byte
}

var errJSONEnd = errors.New("end of records")

func newJSONSplitter(br *bufio.Reader, declared JSONLayout) (*jsonSplitter, error) {
	s := &jsonSplitter{br: br, line: 1}
	c, err := s.skipSpace()
	if errors.Is(err, io.EOF) {
		s.layout, s.closed = JSONLines, true
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	found := JSONLines
	if c == '[' {
		found = JSONArray
	}
	if declared != "" && declared != JSONAuto && declared != found {
		return nil, &ReadError{Line: s.line, Err: fmt.Errorf("the contract's server says JSON delimiter %s, but the file is %s", declared.phrase(), found.phrase())}
	}
	s.layout = found
	return s, nil
}

// skipSpace reads up to the next byte that is not JSON white space and
// returns it unread.
func (s *jsonSplitter) skipSpace() (byte, error) {
	for {
		c, err := s.br.ReadByte()
		if err != nil {
			return 0, err
		}
		switch c {
		case '\n':
			s.line++
		case ' ', '\t', '\r':
		default:
			_ = s.br.UnreadByte()
			return c, nil
		}
	}
}

// next returns the next record's bytes (valid only until the following
// call) and the line it starts on; errJSONEnd after the last one.
func (s *jsonSplitter) next() ([]byte, int64, error) {
	if s.closed {
		return nil, 0, errJSONEnd
	}
	c, err := s.skipSpace()
	if s.layout == JSONArray {
		if err != nil {
			return nil, 0, s.eof(err, "the array is not closed with ]")
		}
		switch {
		case !s.opened:
			s.br.ReadByte() // the '['
			s.opened = true
			if c, err = s.skipSpace(); err != nil {
				return nil, 0, s.eof(err, "the array is not closed with ]")
			}
			if c == ']' {
				return s.end()
			}
		case c == ']':
			return s.end()
		case c == ',':
			s.br.ReadByte()
			if c, err = s.skipSpace(); err != nil {
				return nil, 0, s.eof(err, "the array is not closed with ]")
			}
		default:
			return nil, 0, &ReadError{Line: s.line, Err: fmt.Errorf("after record %d: found %q, want , or ]", s.n, c)}
		}
	} else if err != nil {
		if errors.Is(err, io.EOF) {
			s.closed = true
			return nil, 0, errJSONEnd
		}
		return nil, 0, err
	}
	line := s.line
	rec, err := s.value(c)
	if err != nil {
		return nil, 0, err
	}
	s.n++
	return rec, line, nil
}

// end consumes the closing ']' and requires nothing but space after it.
func (s *jsonSplitter) end() ([]byte, int64, error) {
	s.br.ReadByte()
	s.closed = true
	c, err := s.skipSpace()
	if err == nil {
		return nil, 0, &ReadError{Line: s.line, Err: fmt.Errorf("found %q after the closing ] of the array", c)}
	}
	if !errors.Is(err, io.EOF) {
		return nil, 0, err
	}
	return nil, 0, errJSONEnd
}

func (s *jsonSplitter) eof(err error, msg string) error {
	if errors.Is(err, io.EOF) {
		return &ReadError{Line: s.line, Err: errors.New("unexpected end of file: " + msg)}
	}
	return err
}

// value reads one JSON value starting with c. It only finds where the
// value ends; the caller validates it.
func (s *jsonSplitter) value(c byte) ([]byte, error) {
	s.buf = s.buf[:0]
	start := s.line
	var depth int
	inString, escaped := false, false
	switch c {
	case '{', '[', '"':
	default:
		// A scalar record (a number, true, null): read to the next
		// delimiter so the caller can say what it is.
		for {
			b, err := s.br.ReadByte()
			if err != nil {
				if errors.Is(err, io.EOF) {
					return s.buf, nil
				}
				return nil, err
			}
			switch b {
			case ' ', '\t', '\r', '\n', ',', ']', '}', '[', '{':
				_ = s.br.UnreadByte()
				if len(s.buf) == 0 {
					return nil, &ReadError{Line: s.line, Err: fmt.Errorf("unexpected %q, want a record (a JSON object)", b)}
				}
				return s.buf, nil
			}
			s.buf = append(s.buf, b)
			if len(s.buf) > maxJSONRecord {
				return nil, &ReadError{Line: start, Err: fmt.Errorf("record is larger than %d MiB", maxJSONRecord>>20)}
			}
		}
	}
	for {
		// Scan what the reader holds and copy it in one go.
		chunk, _ := s.br.Peek(s.br.Buffered())
		if len(chunk) == 0 {
			if _, err := s.br.Peek(1); err != nil {
				if errors.Is(err, io.EOF) {
					return nil, &ReadError{Line: start, Err: errors.New("unexpected end of file inside a record")}
				}
				return nil, err
			}
			continue
		}
		for i, b := range chunk {
			switch {
			case b == '\n':
				s.line++
			case inString:
				switch {
				case escaped:
					escaped = false
				case b == '\\':
					escaped = true
				case b == '"':
					inString = false
					if depth == 0 {
						s.buf = append(s.buf, chunk[:i+1]...)
						s.br.Discard(i + 1)
						return s.buf, nil
					}
				}
			case b == '"':
				inString = true
			case b == '{' || b == '[':
				depth++
			case b == '}' || b == ']':
				depth--
				if depth <= 0 {
					s.buf = append(s.buf, chunk[:i+1]...)
					s.br.Discard(i + 1)
					return s.buf, nil
				}
			}
		}
		s.buf = append(s.buf, chunk...)
		s.br.Discard(len(chunk))
		if len(s.buf) > maxJSONRecord {
			return nil, &ReadError{Line: start, Err: fmt.Errorf("record is larger than %d MiB", maxJSONRecord>>20)}
		}
	}
}

// validateJSON checks that rec is one valid JSON object; the error names the
// line within the file (rec starts on line).
func validateJSON(rec []byte, line int64) error {
	if json.Valid(rec) {
		if len(rec) == 0 || rec[0] != '{' {
			return &ReadError{Line: line, Err: fmt.Errorf("record is %s, want a JSON object", jsonKindName(rec))}
		}
		return nil
	}
	var v any
	err := json.Unmarshal(rec, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off := min(int(se.Offset), len(rec))
		for _, b := range rec[:off] {
			if b == '\n' {
				line++
			}
		}
		return &ReadError{Line: line, Err: fmt.Errorf("invalid JSON: %v", se)}
	}
	return &ReadError{Line: line, Err: fmt.Errorf("invalid JSON: %v", err)}
}

func jsonKindName(v []byte) string {
	if len(v) == 0 {
		return "empty"
	}
	switch v[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}
