package source

import (
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/apache/arrow-go/v18/parquet/schema"
)

// readProperties asks pqarrow to return Arrow dictionary arrays for the
// text columns whose data pages are all dictionary-encoded in every row
// group. Such columns (categories, country codes, statuses) hold few
// distinct values, and a checker can then judge each distinct value once
// instead of once per row. A column with any plain-encoded data page is
// read as plain strings: building a dictionary from plain values would hash
// every row, which costs more than it saves on high-cardinality text.
func readProperties(pf *file.Reader, opts Options) (pqarrow.ArrowReadProperties, map[int]bool) {
	props := pqarrow.ArrowReadProperties{BatchSize: int64(opts.BatchSize)}
	dict := map[int]bool{}
	if !opts.ReadDictionaries {
		return props, dict
	}
	md := pf.MetaData()
	sc := md.Schema
	for i := 0; i < sc.NumColumns(); i++ {
		col := sc.Column(i)
		if col.PhysicalType() != parquet.Types.ByteArray || len(col.ColumnPath()) != 1 {
			continue
		}
		if lt := col.LogicalType(); lt != nil && !lt.IsNone() {
			if _, ok := lt.(schema.StringLogicalType); !ok {
				continue
			}
		}
		if md.NumRowGroups() > 0 && allDictionaryPages(pf, i) {
			props.SetReadDict(i, true)
			dict[i] = true
		}
	}
	return props, dict
}

// plainSchema reports dictionary-read columns with their value type, so
// Schema() describes the data the same way whether or not a column arrives
// dictionary-encoded.
func plainSchema(sc *arrow.Schema) *arrow.Schema {
	fields := sc.Fields()
	changed := false
	for i, f := range fields {
		if dt, ok := f.Type.(*arrow.DictionaryType); ok {
			fields[i].Type = dt.ValueType
			changed = true
		}
	}
	if !changed {
		return sc
	}
	md := sc.Metadata()
	return arrow.NewSchema(fields, &md)
}

func allDictionaryPages(pf *file.Reader, col int) bool {
	md := pf.MetaData()
	for rg := 0; rg < md.NumRowGroups(); rg++ {
		cc, err := md.RowGroup(rg).ColumnChunk(col)
		if err != nil {
			return false
		}
		stats := cc.EncodingStats()
		if len(stats) == 0 {
			return false // an older writer; no proof, so no dictionary
		}
		for _, s := range stats {
			switch s.PageType.String() {
			case "DATA_PAGE", "DATA_PAGE_V2":
				if s.Encoding != parquet.Encodings.RLEDict && s.Encoding != parquet.Encodings.PlainDict {
					return false
				}
			}
		}
	}
	return true
}

// recordSchema is sc with each field typed as its array actually is: a
// dictionary-read column's batches carry dictionary arrays although
// Schema() reports their value type.
func recordSchema(sc *arrow.Schema, arrs []arrow.Array) *arrow.Schema {
	var fields []arrow.Field
	for i, a := range arrs {
		if arrow.TypeEqual(a.DataType(), sc.Field(i).Type) {
			continue
		}
		if fields == nil {
			fields = sc.Fields()
		}
		fields[i].Type = a.DataType()
	}
	if fields == nil {
		return sc
	}
	md := sc.Metadata()
	return arrow.NewSchema(fields, &md)
}

// checkIndices checks that every index of a dictionary array points into
// its dictionary. pqarrow does not check the indices of a page it returns
// as a dictionary (the path that decodes to plain values does), and a
// consumer would index out of range on a corrupt page.
func checkIndices(d *array.Dictionary) error {
	n := int64(d.Dictionary().Len())
	ix := d.Indices()
	var i int
	var v int64
	switch a := ix.(type) {
	case *array.Int32:
		i, v = outOfRange(a.Int32Values(), ix, n)
	case *array.Int64:
		i, v = outOfRange(a.Int64Values(), ix, n)
	case *array.Int16:
		i, v = outOfRange(a.Int16Values(), ix, n)
	case *array.Int8:
		i, v = outOfRange(a.Int8Values(), ix, n)
	default:
		return fmt.Errorf("dictionary indices of type %s", ix.DataType())
	}
	if i >= 0 {
		return fmt.Errorf("corrupt dictionary page: row %d of the batch has dictionary index %d, the dictionary holds %d values", i+1, v, n)
	}
	return nil
}

// outOfRange returns the first valid index outside [0, n), or -1.
func outOfRange[T int8 | int16 | int32 | int64](vals []T, valid arrow.Array, n int64) (int, int64) {
	for i, v := range vals {
		if (int64(v) < 0 || int64(v) >= n) && valid.IsValid(i) {
			return i, int64(v)
		}
	}
	return -1, 0
}
