// Package pqtest writes Arrow record batches to Parquet files for tests.
//
// It is the one place tests lay out a Parquet file (row groups,
// dictionaries, compression, statistics, the stored Arrow schema, footer
// metadata), so a test says only what differs from arrow-go's defaults. It
// is not internal because the command's tests use it too.
package pqtest

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// Options says how a file is laid out. The zero value is arrow-go's
// defaults: one row group a batch (up to 64Mi rows), every column
// dictionary-encoded, uncompressed, with statistics, no stored Arrow schema.
type Options struct {
	// Schema is the file's schema; nil: the first batch's.
	Schema *arrow.Schema
	// RowGroup is the most rows a row group holds; 0: arrow-go's default.
	// Each batch starts a row group of its own whatever this is.
	RowGroup int64
	// NoDictionary writes every column plain.
	NoDictionary bool
	// DictionaryPageLimit is the dictionary page's size in bytes past which
	// a column chunk falls back to plain pages; 0: arrow-go's 1 MiB.
	DictionaryPageLimit int64
	// Compression compresses every column; the zero value is uncompressed.
	Compression compress.Compression
	// NoStatistics leaves the column chunks' statistics out of the footer.
	NoStatistics bool
	// StoreSchema stores the Arrow schema in the footer (ARROW:schema).
	StoreSchema bool
	// Metadata is added to the footer's key-value metadata, in key order.
	Metadata map[string]string
	// CreatedBy names the writer in the footer; "": arrow-go's own name.
	CreatedBy string
	// Mem allocates the writer's buffers; nil: Go's allocator.
	Mem memory.Allocator
	// Props are further writer properties, applied after the fields above.
	Props []parquet.WriterProperty
}

// writerProps is o as arrow-go's writer properties.
func (o Options) writerProps() (*parquet.WriterProperties, pqarrow.ArrowWriterProperties) {
	props := []parquet.WriterProperty{
		parquet.WithDictionaryDefault(!o.NoDictionary),
		parquet.WithCompression(o.Compression),
		parquet.WithStats(!o.NoStatistics),
	}
	var arrowProps []pqarrow.WriterOption
	if o.RowGroup > 0 {
		props = append(props, parquet.WithMaxRowGroupLength(o.RowGroup))
	}
	if o.DictionaryPageLimit > 0 {
		props = append(props, parquet.WithDictionaryPageSizeLimit(o.DictionaryPageLimit))
	}
	if o.CreatedBy != "" {
		props = append(props, parquet.WithCreatedBy(o.CreatedBy))
	}
	if o.Mem != nil {
		props = append(props, parquet.WithAllocator(o.Mem))
		arrowProps = append(arrowProps, pqarrow.WithAllocator(o.Mem))
	}
	if o.StoreSchema {
		arrowProps = append(arrowProps, pqarrow.WithStoreSchema())
	}
	return parquet.NewWriterProperties(append(props, o.Props...)...), pqarrow.NewArrowWriterProperties(arrowProps...)
}

// encode writes recs to w as one Parquet file laid out as o says.
func (o Options) encode(w io.Writer, recs []arrow.RecordBatch) error {
	sc := o.Schema
	if sc == nil {
		if len(recs) == 0 {
			return fmt.Errorf("write parquet: no schema and no record batch to take one from")
		}
		sc = recs[0].Schema()
	}
	props, arrowProps := o.writerProps()
	pw, err := pqarrow.NewFileWriter(sc, w, props, arrowProps)
	if err != nil {
		return fmt.Errorf("create parquet writer: %w", err)
	}
	for _, k := range slices.Sorted(maps.Keys(o.Metadata)) {
		if err := pw.AppendKeyValueMetadata(k, o.Metadata[k]); err != nil {
			return fmt.Errorf("add footer metadata %q: %w", k, err)
		}
	}
	for i, rec := range recs {
		if err := pw.Write(rec); err != nil {
			return fmt.Errorf("write record batch %d: %w", i, err)
		}
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("close parquet writer: %w", err)
	}
	return nil
}

// Bytes returns recs as the bytes of one Parquet file laid out as o says.
func Bytes(t testing.TB, o Options, recs ...arrow.RecordBatch) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := o.encode(&buf, recs); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Write writes recs to path as one Parquet file laid out as o says.
func Write(t testing.TB, path string, o Options, recs ...arrow.RecordBatch) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	// The Parquet writer closes f when it closes; this Close is for a
	// write that failed before.
	defer f.Close()
	if err := o.encode(f, recs); err != nil {
		t.Fatalf("write %s: %v", path, err)
	}
}
