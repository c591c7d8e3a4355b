package source

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
)

// checkArrowSchema says why a stored ARROW:schema (base64 of an Arrow IPC
// schema message) cannot be what it claims, or "" when it is plausible.
// arrow-go's IPC reader sizes slices from the message's lengths and the
// flatbuffer's vector lengths without comparing them with the bytes there
// are (ipc.messageReader.Message, ipc.schemaFromFB, ipc.fieldFromFB,
// ipc.metadataFromFB), so a corrupt one allocates gigabytes and ends the
// process. This walks the parts of the flatbuffer arrow-go reads and
// checks that every table, string and vector lies inside the bytes.
func checkArrowSchema(encoded string) string {
	var raw []byte
	var err error
	if len(encoded)%4 == 0 {
		raw, err = base64.StdEncoding.DecodeString(encoded)
	}
	if len(raw) == 0 || err != nil {
		raw, err = base64.RawStdEncoding.DecodeString(encoded)
	}
	if err != nil {
		return "it is not base64"
	}
	if len(raw) < 4 {
		return "it is shorter than a message header"
	}
	meta := raw[4:]
	msgLen := int64(int32(binary.LittleEndian.Uint32(raw)))
	if binary.LittleEndian.Uint32(raw) == 0xFFFFFFFF {
		if len(raw) < 8 {
			return "it is shorter than a message header"
		}
		msgLen = int64(int32(binary.LittleEndian.Uint32(raw[4:])))
		meta = raw[8:]
	}
	if msgLen < 4 || msgLen > int64(len(meta)) {
		return fmt.Sprintf("its message claims %d bytes of metadata in %d", msgLen, len(meta))
	}
	rest := int64(len(meta)) - msgLen
	fb := &flatbuf{b: meta[:msgLen]}
	if err := fb.message(rest); err != nil {
		return err.Error()
	}
	return ""
}

// flatbuf checks offsets in one flatbuffer.
type flatbuf struct {
	b []byte
	// tables counts the tables visited: offsets may point at one table
	// many times, which arrow-go would then decode many times.
	tables int
}

func (f *flatbuf) u32(at int64) (uint32, error) {
	if at < 0 || at+4 > int64(len(f.b)) {
		return 0, fmt.Errorf("an offset at byte %d lies outside its %d bytes", at, len(f.b))
	}
	return binary.LittleEndian.Uint32(f.b[at:]), nil
}

// table checks the table at pos and returns a function that gives the
// position of a field, or -1 when absent.
func (f *flatbuf) table(pos int64) (func(field int) (int64, error), error) {
	f.tables++
	if f.tables > len(f.b)/4+1 {
		return nil, fmt.Errorf("its tables are shared more often than %d bytes can hold", len(f.b))
	}
	so, err := f.u32(pos)
	if err != nil {
		return nil, err
	}
	vt := pos - int64(int32(so))
	if vt < 0 || vt+4 > int64(len(f.b)) {
		return nil, fmt.Errorf("a vtable at byte %d lies outside its %d bytes", vt, len(f.b))
	}
	vsize := int64(binary.LittleEndian.Uint16(f.b[vt:]))
	tsize := int64(binary.LittleEndian.Uint16(f.b[vt+2:]))
	if vsize < 4 || vt+vsize > int64(len(f.b)) || pos+tsize > int64(len(f.b)) {
		return nil, fmt.Errorf("a table at byte %d lies outside its %d bytes", pos, len(f.b))
	}
	return func(field int) (int64, error) {
		// As the flatbuffers runtime reads it: a field is present when
		// its slot starts inside the vtable, even when the vtable's size
		// is odd and the slot's second byte lies past it.
		at := 4 + 2*int64(field)
		if at >= vsize {
			return -1, nil
		}
		if vt+at+2 > int64(len(f.b)) {
			return 0, fmt.Errorf("the vtable at byte %d lies outside its %d bytes", vt, len(f.b))
		}
		off := int64(binary.LittleEndian.Uint16(f.b[vt+at:]))
		if off == 0 {
			return -1, nil
		}
		if off+1 > tsize {
			return 0, fmt.Errorf("field %d of the table at byte %d lies outside it", field, pos)
		}
		return pos + off, nil
	}, nil
}

// ref follows the offset stored in field; -1 when absent.
func (f *flatbuf) ref(field func(int) (int64, error), id int) (int64, error) {
	at, err := field(id)
	if err != nil || at < 0 {
		return at, err
	}
	off, err := f.u32(at)
	if err != nil {
		return 0, err
	}
	return at + int64(off), nil
}

// vector checks the vector stored in field and returns its element
// positions' start and length; elem is the size of one element.
func (f *flatbuf) vector(field func(int) (int64, error), id int, elem int64) (start, n int64, err error) {
	at, err := f.ref(field, id)
	if err != nil || at < 0 {
		return 0, 0, err
	}
	l, err := f.u32(at)
	if err != nil {
		return 0, 0, err
	}
	if int64(l)*elem > int64(len(f.b))-at-4 {
		return 0, 0, fmt.Errorf("a vector of %d elements at byte %d does not fit in %d bytes", l, at, len(f.b))
	}
	return at + 4, int64(l), nil
}

// tables checks each table of a vector of tables with check.
func (f *flatbuf) tableVector(field func(int) (int64, error), id int, check func(pos int64) error) error {
	start, n, err := f.vector(field, id, 4)
	if err != nil {
		return err
	}
	for i := range n {
		at := start + 4*i
		off, err := f.u32(at)
		if err != nil {
			return err
		}
		if err := check(at + int64(off)); err != nil {
			return err
		}
	}
	return nil
}

// message checks an IPC Message holding a Schema; body is the number of
// bytes after the metadata.
func (f *flatbuf) message(body int64) error {
	root, err := f.u32(0)
	if err != nil {
		return err
	}
	msg, err := f.table(int64(root))
	if err != nil {
		return err
	}
	if at, err := msg(3); err != nil { // bodyLength
		return err
	} else if at >= 0 {
		if at+8 > int64(len(f.b)) {
			return fmt.Errorf("its body length lies outside the message")
		}
		if l := int64(binary.LittleEndian.Uint64(f.b[at:])); l < 0 || l > body {
			return fmt.Errorf("its message claims a body of %d bytes in %d", l, body)
		}
	}
	if err := f.tableVector(msg, 4, f.keyValue); err != nil {
		return err
	}
	pos, err := f.ref(msg, 2) // header: Schema
	if err != nil {
		return err
	}
	if pos < 0 {
		return fmt.Errorf("its message has no schema")
	}
	schema, err := f.table(pos)
	if err != nil {
		return err
	}
	if err := f.tableVector(schema, 1, func(p int64) error { return f.field(p, 0) }); err != nil {
		return err
	}
	if err := f.tableVector(schema, 2, f.keyValue); err != nil {
		return err
	}
	_, _, err = f.vector(schema, 3, 8) // features
	return err
}

// Arrow's Type union tags that matter to checkArrowSchema.
const (
	arrowTimestamp = 10
	arrowUnion     = 14
)

// maxArrowDepth bounds nested fields, as arrow-go recurses per level.
const maxArrowDepth = 64

func (f *flatbuf) field(pos int64, depth int) error {
	if depth > maxArrowDepth {
		return fmt.Errorf("its fields nest deeper than %d", maxArrowDepth)
	}
	fl, err := f.table(pos)
	if err != nil {
		return err
	}
	if _, _, err := f.vector(fl, 0, 1); err != nil { // name
		return err
	}
	if tp, err := f.ref(fl, 3); err != nil { // type
		return err
	} else if tp >= 0 {
		t, err := f.table(tp)
		if err != nil {
			return err
		}
		// Only Timestamp (timezone) and Union (typeIds) hold more than
		// scalars; both sit in field 1 of their table.
		at, err := fl(2) // type_type
		if err != nil {
			return err
		}
		if at >= 0 {
			switch f.b[at] {
			case arrowTimestamp:
				_, _, err = f.vector(t, 1, 1)
			case arrowUnion:
				_, _, err = f.vector(t, 1, 4)
			}
			if err != nil {
				return err
			}
		}
	}
	if dp, err := f.ref(fl, 4); err != nil { // dictionary
		return err
	} else if dp >= 0 {
		d, err := f.table(dp)
		if err != nil {
			return err
		}
		if ip, err := f.ref(d, 1); err != nil {
			return err
		} else if ip >= 0 {
			if _, err := f.table(ip); err != nil {
				return err
			}
		}
	}
	if err := f.tableVector(fl, 5, func(p int64) error { return f.field(p, depth+1) }); err != nil {
		return err
	}
	return f.tableVector(fl, 6, f.keyValue)
}

func (f *flatbuf) keyValue(pos int64) error {
	kv, err := f.table(pos)
	if err != nil {
		return err
	}
	for id := range 2 {
		if _, _, err := f.vector(kv, id, 1); err != nil {
			return err
		}
	}
	return nil
}
