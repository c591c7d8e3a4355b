package source

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/apache/arrow-go/v18/parquet/metadata"
)

// Limits bound what untrusted Parquet metadata may ask for before any of
// it reaches an allocation. arrow-go sizes slices from counts it reads
// from the footer; a corrupt count ends the process with "fatal error: out
// of memory", which no recover can catch, so driftgate checks first.
type Limits struct {
	// MaxFooterBytes bounds a Parquet footer; 0 means
	// DefaultMaxFooterBytes.
	MaxFooterBytes int64
	// MaxRowGroups bounds the row groups of one Parquet file; 0 means
	// DefaultMaxRowGroups.
	MaxRowGroups int
}

// The default limits. A footer grows with row groups times columns:
// 16 MiB holds, for example, 2,000 row groups of 100 columns with
// statistics. 20,000 row groups of 128 MiB are 2.5 TB in one file. Both
// are flags (--max-footer-bytes, --max-row-groups) for files beyond them.
const (
	DefaultMaxFooterBytes = 16 << 20
	DefaultMaxRowGroups   = 20_000
)

func (l Limits) withDefaults() Limits {
	if l.MaxFooterBytes <= 0 {
		l.MaxFooterBytes = DefaultMaxFooterBytes
	}
	if l.MaxRowGroups <= 0 {
		l.MaxRowGroups = DefaultMaxRowGroups
	}
	return l
}

// ErrLimit marks input refused because it exceeds a documented limit
// rather than because it is malformed; the message names the flag that
// raises the limit.
var ErrLimit = errors.New("limit exceeded")

// footer is a Parquet footer read and checked for plausibility.
type footer struct {
	md *metadata.FileMetaData
	// size is the footer's length including its 8-byte trailer; sum the
	// SHA-256 of those bytes.
	size int64
	sum  string
	// arrowSchemaDropped says why a stored ARROW:schema was ignored, or "".
	arrowSchemaDropped string
}

func (f *footer) notes() []string {
	if f.arrowSchemaDropped == "" {
		return nil
	}
	return []string{"its stored Arrow schema (ARROW:schema) was ignored and its Parquet schema used: " + f.arrowSchemaDropped}
}

const footerTrailer = 8 // 4-byte length, "PAR1"

// readFooter reads the footer of the Parquet data in ra (size bytes),
// checks its thrift encoding against lim before arrow-go decodes it, and
// decodes it. A stored ARROW:schema that cannot be what it claims is
// removed, so the Parquet schema is used (arrowSchemaDropped says why).
func readFooter(ra io.ReaderAt, size int64, lim Limits) (*footer, error) {
	lim = lim.withDefaults()
	if size < 4+footerTrailer {
		return nil, fmt.Errorf("parquet: file too small (%d bytes)", size)
	}
	var tail [footerTrailer]byte
	if _, err := ra.ReadAt(tail[:], size-footerTrailer); err != nil {
		return nil, fmt.Errorf("parquet footer: %w", err)
	}
	switch {
	case bytes.Equal(tail[4:], []byte("PARE")):
		return nil, errors.New("parquet footer: the file is encrypted; driftgate does not read encrypted Parquet")
	case !bytes.Equal(tail[4:], parquetMagic):
		return nil, errors.New("parquet footer: not a Parquet file (no PAR1 at its end)")
	}
	n := int64(binary.LittleEndian.Uint32(tail[:4]))
	if n+footerTrailer+4 > size {
		return nil, fmt.Errorf("parquet footer: says it is %d bytes, in a file of %d", n, size)
	}
	if n > lim.MaxFooterBytes {
		return nil, fmt.Errorf("parquet footer of %d bytes is larger than the limit of %d (raise it with --max-footer-bytes): %w", n, lim.MaxFooterBytes, ErrLimit)
	}
	buf := make([]byte, n+footerTrailer)
	if _, err := ra.ReadAt(buf, size-int64(len(buf))); err != nil {
		return nil, fmt.Errorf("parquet footer: %w", err)
	}
	h := sha256.Sum256(buf)
	f := &footer{size: int64(len(buf)), sum: hex.EncodeToString(h[:])}
	raw := buf[:n]

	facts, err := scanFileMetaData(raw, lim)
	if err != nil {
		return nil, fmt.Errorf("parquet footer: %w", err)
	}
	md, err := decodeFileMetaData(raw)
	if err != nil {
		return nil, fmt.Errorf("parquet footer: %w", err)
	}
	md.SetSourceFileSize(size)
	if facts.arrowSchema != nil {
		if why := checkArrowSchema(*facts.arrowSchema); why != "" {
			dropArrowSchema(md)
			f.arrowSchemaDropped = why
		}
	}
	f.md = md
	return f, nil
}

// decodeFileMetaData is metadata.NewFileMetaData with its panics (arrow-go
// panics on some schema trees) turned into errors.
func decodeFileMetaData(raw []byte) (md *metadata.FileMetaData, err error) {
	defer func() {
		if p := recover(); p != nil {
			md, err = nil, fmt.Errorf("corrupt metadata: %v", p)
		}
	}()
	return metadata.NewFileMetaData(raw, nil)
}

// dropArrowSchema removes the stored Arrow schema from the footer's
// key-value metadata, so pqarrow derives the schema from Parquet's own.
func dropArrowSchema(md *metadata.FileMetaData) {
	kvs := md.FileMetaData.KeyValueMetadata
	out := kvs[:0]
	for _, kv := range kvs {
		if kv.Key != arrowSchemaKey {
			out = append(out, kv)
		}
	}
	md.FileMetaData.KeyValueMetadata = out
}

const arrowSchemaKey = "ARROW:schema"

// footerFacts is what scanFileMetaData learned on its way.
type footerFacts struct {
	arrowSchema *string
}

// scanFileMetaData walks the thrift compact encoding of a FileMetaData
// without building it, and refuses what would make the decoder or
// arrow-go allocate beyond the bytes it was given: a list longer than the
// bytes left, nesting deeper than any real file, more row groups than
// lim allows, a negative row count, and a schema tree whose num_children
// cannot fit its elements (schema.FromParquet sizes a slice from it).
func scanFileMetaData(raw []byte, lim Limits) (footerFacts, error) {
	s := &thriftScanner{buf: raw}
	var facts footerFacts
	var schemaChildren []int64
	err := s.structFields(0, func(id int16, typ byte) error {
		switch {
		case id == 2 && typ == tList: // schema: list<SchemaElement>
			return s.schemaChildren(&schemaChildren)
		case id == 3 && typ == tI64: // num_rows
			v, err := s.varint()
			if err == nil && v < 0 {
				err = fmt.Errorf("the file's num_rows is negative (%d)", v)
			}
			return err
		case id == 4 && typ == tList: // row_groups: list<RowGroup>
			return s.rowGroups(lim)
		case id == 5 && typ == tList: // key_value_metadata: list<KeyValue>
			return s.keyValues(&facts)
		}
		return s.skip(typ, 1)
	})
	if err != nil {
		return facts, err
	}
	if err := checkSchemaTree(schemaChildren); err != nil {
		return facts, err
	}
	return facts, nil
}

// schemaChildren reads list<SchemaElement>, keeping each element's
// num_children (field 5) for checkSchemaTree.
func (s *thriftScanner) schemaChildren(out *[]int64) error {
	return s.list(1, func(i int, et byte) error {
		if et != tStruct {
			return s.skipElem(et, 2)
		}
		children := int64(0)
		err := s.structFields(2, func(id int16, typ byte) error {
			if id == 5 && typ == tI32 {
				v, err := s.varint()
				children = v
				return err
			}
			return s.skip(typ, 3)
		})
		*out = append(*out, children)
		return err
	})
}

// rowGroups reads list<RowGroup>: no more than lim allows, none with a
// negative num_rows (field 3).
func (s *thriftScanner) rowGroups(lim Limits) error {
	n, err := s.listHeaderPeek()
	if err != nil {
		return err
	}
	if n > int64(lim.MaxRowGroups) {
		return fmt.Errorf("%d row groups, more than the limit of %d (raise it with --max-row-groups): %w", n, lim.MaxRowGroups, ErrLimit)
	}
	return s.list(1, func(i int, et byte) error {
		if et != tStruct {
			return s.skipElem(et, 2)
		}
		return s.structFields(2, func(id int16, typ byte) error {
			if id == 3 && typ == tI64 {
				v, err := s.varint()
				if err == nil && v < 0 {
					err = fmt.Errorf("row group %d: num_rows is negative (%d)", i, v)
				}
				return err
			}
			return s.skip(typ, 3)
		})
	})
}

// keyValues reads list<KeyValue>, keeping the first ARROW:schema value.
func (s *thriftScanner) keyValues(facts *footerFacts) error {
	return s.list(1, func(i int, et byte) error {
		if et != tStruct {
			return s.skipElem(et, 2)
		}
		var key, val []byte
		hasVal := false
		err := s.structFields(2, func(id int16, typ byte) error {
			if typ == tBinary && (id == 1 || id == 2) {
				b, err := s.binary()
				if id == 1 {
					key = b
				} else {
					val, hasVal = b, true
				}
				return err
			}
			return s.skip(typ, 3)
		})
		if err == nil && hasVal && string(key) == arrowSchemaKey && facts.arrowSchema == nil {
			v := string(val)
			facts.arrowSchema = &v
		}
		return err
	})
}

// checkSchemaTree checks that the flattened schema's num_children describe
// a tree made of exactly its elements, depth first from the root.
func checkSchemaTree(children []int64) error {
	if len(children) == 0 {
		return errors.New("the schema is empty")
	}
	next := 0
	var walk func(depth int) error
	walk = func(depth int) error {
		if depth > maxThriftDepth {
			return errors.New("the schema is nested too deeply")
		}
		i := next
		if i >= len(children) {
			// Each count fits the elements left when it is read, but
			// siblings' subtrees can use them up first.
			return fmt.Errorf("the schema's num_children claim more than its %d elements", len(children))
		}
		next++
		n := children[i]
		if n < 0 || n > int64(len(children)-next) {
			return fmt.Errorf("schema element %d claims %d children; the schema has %d elements", i, n, len(children))
		}
		for range n {
			if err := walk(depth + 1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(0); err != nil {
		return err
	}
	if next != len(children) {
		return fmt.Errorf("the schema has %d elements outside its tree", len(children)-next)
	}
	return nil
}

// Thrift compact protocol types.
const (
	tStop      = 0
	tBoolTrue  = 1
	tBoolFalse = 2
	tByte      = 3
	tI16       = 4
	tI32       = 5
	tI64       = 6
	tDouble    = 7
	tBinary    = 8
	tList      = 9
	tSet       = 10
	tMap       = 11
	tStruct    = 12
	tUUID      = 13
)

// maxThriftDepth bounds nesting; real footers nest a handful of levels.
const maxThriftDepth = 64

var errThriftShort = errors.New("corrupt metadata: truncated thrift")

// thriftScanner reads the thrift compact protocol without allocating from
// the counts it reads.
type thriftScanner struct {
	buf []byte
	pos int
}

func (s *thriftScanner) byte() (byte, error) {
	if s.pos >= len(s.buf) {
		return 0, errThriftShort
	}
	b := s.buf[s.pos]
	s.pos++
	return b, nil
}

func (s *thriftScanner) uvarint() (uint64, error) {
	v, n := binary.Uvarint(s.buf[s.pos:])
	if n <= 0 {
		return 0, errors.New("corrupt metadata: bad varint")
	}
	s.pos += n
	return v, nil
}

// varint reads a zigzag-encoded integer.
func (s *thriftScanner) varint() (int64, error) {
	u, err := s.uvarint()
	return int64(u>>1) ^ -int64(u&1), err
}

func (s *thriftScanner) advance(n uint64) error {
	if n > uint64(len(s.buf)-s.pos) {
		return errThriftShort
	}
	s.pos += int(n)
	return nil
}

func (s *thriftScanner) binary() ([]byte, error) {
	n, err := s.uvarint()
	if err != nil {
		return nil, err
	}
	start := s.pos
	if err := s.advance(n); err != nil {
		return nil, err
	}
	return s.buf[start:s.pos], nil
}

// structFields calls field for every field of a struct until its stop
// byte; field must consume the value (skip it if not wanted).
func (s *thriftScanner) structFields(depth int, field func(id int16, typ byte) error) error {
	if depth > maxThriftDepth {
		return errors.New("corrupt metadata: thrift nested too deeply")
	}
	var last int16
	for {
		b, err := s.byte()
		if err != nil {
			return err
		}
		typ := b & 0x0f
		if typ == tStop {
			return nil
		}
		id := last + int16(b>>4)
		if b>>4 == 0 {
			v, err := s.varint()
			if err != nil {
				return err
			}
			if v < math.MinInt16 || v > math.MaxInt16 {
				return errors.New("corrupt metadata: bad field id")
			}
			id = int16(v)
		}
		last = id
		if err := field(id, typ); err != nil {
			return err
		}
	}
}

// listHeader reads a list or set header. Every element takes at least a
// byte, so a list longer than the bytes left is corrupt.
func (s *thriftScanner) listHeader() (int64, byte, error) {
	b, err := s.byte()
	if err != nil {
		return 0, 0, err
	}
	n := uint64(b >> 4)
	if n == 15 {
		if n, err = s.uvarint(); err != nil {
			return 0, 0, err
		}
	}
	if n > uint64(len(s.buf)-s.pos) {
		return 0, 0, fmt.Errorf("corrupt metadata: a list of %d elements in %d bytes", n, len(s.buf)-s.pos)
	}
	return int64(n), b & 0x0f, nil
}

// listHeaderPeek returns the length of the list that starts here without
// consuming it.
func (s *thriftScanner) listHeaderPeek() (int64, error) {
	pos := s.pos
	n, _, err := s.listHeader()
	s.pos = pos
	return n, err
}

func (s *thriftScanner) list(depth int, elem func(i int, typ byte) error) error {
	if depth > maxThriftDepth {
		return errors.New("corrupt metadata: thrift nested too deeply")
	}
	n, et, err := s.listHeader()
	if err != nil {
		return err
	}
	for i := range int(n) {
		if err := elem(i, et); err != nil {
			return err
		}
	}
	return nil
}

// skipElem consumes one list element: a bool element, unlike a bool
// field, takes a byte.
func (s *thriftScanner) skipElem(typ byte, depth int) error {
	if typ == tBoolTrue || typ == tBoolFalse {
		_, err := s.byte()
		return err
	}
	return s.skip(typ, depth)
}

// skip consumes one value of type typ.
func (s *thriftScanner) skip(typ byte, depth int) error {
	if depth > maxThriftDepth {
		return errors.New("corrupt metadata: thrift nested too deeply")
	}
	switch typ {
	case tBoolTrue, tBoolFalse:
		return nil // the value is in the type (a field) or a byte (a list element, see list)
	case tByte:
		_, err := s.byte()
		return err
	case tI16, tI32, tI64:
		_, err := s.uvarint()
		return err
	case tDouble:
		return s.advance(8)
	case tUUID:
		return s.advance(16)
	case tBinary:
		_, err := s.binary()
		return err
	case tList, tSet:
		return s.list(depth+1, func(_ int, et byte) error { return s.skipElem(et, depth+1) })
	case tMap:
		n, err := s.uvarint()
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		if n > uint64(len(s.buf)-s.pos) {
			return fmt.Errorf("corrupt metadata: a map of %d entries in %d bytes", n, len(s.buf)-s.pos)
		}
		kv, err := s.byte()
		if err != nil {
			return err
		}
		for range n {
			for _, t := range []byte{kv >> 4, kv & 0x0f} {
				if err := s.skipElem(t, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	case tStruct:
		return s.structFields(depth+1, func(_ int16, t byte) error { return s.skip(t, depth+1) })
	}
	return fmt.Errorf("corrupt metadata: unknown thrift type %d", typ)
}
