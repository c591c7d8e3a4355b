package source

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow/flight"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// seedFooter writes a Parquet file of every type and returns its footer's
// thrift bytes and its stored ARROW:schema.
func seedFooter(f *testing.F) (raw []byte, arrowSchema string) {
	f.Helper()
	mem := memory.NewGoAllocator()
	rec := allTypesRecord(f, mem)
	path := filepath.Join(f.TempDir(), "seed.parquet")
	writeParquet(f, path, rec, 2)
	rec.Release()
	data, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	n := binary.LittleEndian.Uint32(data[len(data)-footerTrailer:])
	raw = data[len(data)-footerTrailer-int(n) : len(data)-footerTrailer]
	ft, err := readFooter(bytes.NewReader(data), int64(len(data)), Limits{})
	if err != nil {
		f.Fatal(err)
	}
	if v := ft.md.KeyValueMetadata().FindValue(arrowSchemaKey); v != nil {
		arrowSchema = *v
	}
	return raw, arrowSchema
}

// schemaOf derives the Arrow schema of a footer as the Parquet reader does
// (the stored ARROW:schema included), a panic caught as an error.
func schemaOf(ft *footer) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	_, err = pqarrow.FromParquet(ft.md.Schema, &pqarrow.ArrowReadProperties{}, ft.md.KeyValueMetadata())
	return err
}

// FuzzFooter reads arbitrary bytes as a Parquet footer (thrift
// FileMetaData), the part of a file that decides every allocation before
// the first page: at thousands of inputs a second where FuzzParquet,
// decoding pages too, does a few. A footer readFooter accepts must give
// an Arrow schema or an error, never a panic, and no "fatal error: out of
// memory" (the process would die and the engine keep the input).
func FuzzFooter(f *testing.F) {
	raw, _ := seedFooter(f)
	f.Add(raw)
	f.Add(raw[:len(raw)/2])
	f.Add([]byte{0x15, 0x00, 0x19, 0x1c})
	f.Fuzz(func(t *testing.T, raw []byte) {
		file := append([]byte("PAR1"), raw...)
		file = binary.LittleEndian.AppendUint32(file, uint32(len(raw)))
		file = append(file, parquetMagic...)
		ft, err := readFooter(bytes.NewReader(file), int64(len(file)), Limits{})
		if err != nil {
			return
		}
		if ft.md == nil {
			t.Fatal("readFooter gave no metadata and no error")
		}
		if err := schemaOf(ft); err != nil && strings.HasPrefix(err.Error(), "panic: ") {
			t.Fatalf("a footer readFooter accepted: %v", err)
		}
	})
}

// FuzzArrowSchema holds checkArrowSchema to its promise: a stored
// ARROW:schema it calls plausible is one arrow-go decodes without a panic
// or an allocation beyond its bytes.
func FuzzArrowSchema(f *testing.F) {
	_, stored := seedFooter(f)
	if dec, err := base64.StdEncoding.DecodeString(stored); err == nil {
		f.Add(dec)
		f.Add(dec[:len(dec)/2])
	}
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 0x10, 0, 0, 0})
	f.Fuzz(func(t *testing.T, msg []byte) {
		encoded := base64.StdEncoding.EncodeToString(msg)
		if why := checkArrowSchema(encoded); why != "" {
			return
		}
		defer func() {
			if p := recover(); p != nil {
				t.Fatalf("checkArrowSchema accepted a schema arrow-go panics on: %v", p)
			}
		}()
		// What pqarrow does with a stored schema (getOriginSchema).
		_, _ = flight.DeserializeSchema(msg, memory.NewGoAllocator())
	})
}

// TestASchemaTreeThatClaimsMoreThanItHasIsAnError is FuzzFooter's first
// find: each num_children fitted the elements left when read, but the
// root's second child came after its first child's subtree had used them
// all, and the walk indexed past the end (a panic in the footer check).
func TestASchemaTreeThatClaimsMoreThanItHasIsAnError(t *testing.T) {
	for _, tree := range [][]int64{{2, 1, 0}, {3, 0, 1, 0}, {1, 2, 1, 0}} {
		err := checkSchemaTree(tree)
		if err == nil || !strings.Contains(err.Error(), "num_children claim more than its") {
			t.Errorf("checkSchemaTree(%v) = %v, want the over-claim refused", tree, err)
		}
	}
	if err := checkSchemaTree([]int64{2, 1, 0, 0}); err != nil {
		t.Errorf("a root of two children, the first with one: %v", err)
	}
}
