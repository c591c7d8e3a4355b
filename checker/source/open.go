package source

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// Open opens one data file, its format given by DetectFormat, and reads its
// schema; it does not decode data yet. A file that cannot be read is a
// *ReadError; a bad option (an unknown extension, a CSV column type that
// cannot be parsed from text) is a plain error.
func Open(ctx context.Context, path string, opts Options) (Reader, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	opts = withDefaults(opts)
	format, ok := DetectFormat(path)
	if !ok {
		return nil, fmt.Errorf("open %q: unknown data file format (want .parquet, .csv, .csv.gz, .tsv or .tsv.gz)", path)
	}
	switch format {
	case Parquet:
		return openParquet(path, opts)
	default:
		return openCSV(path, opts)
	}
}

// withDefaults fills in the zero values of opts.
func withDefaults(opts Options) Options {
	if opts.Mem == nil {
		opts.Mem = memory.DefaultAllocator
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	return opts
}

// selection resolves the names given to Select against schema. Duplicates
// are an error because a record cannot hold two columns for one name
// without the caller losing track of which is which.
func selection(schema *arrow.Schema, columns []string) ([]int, *arrow.Schema, error) {
	idx := make([]int, len(columns))
	fields := make([]arrow.Field, len(columns))
	seen := make(map[string]bool, len(columns))
	for i, name := range columns {
		if seen[name] {
			return nil, nil, fmt.Errorf("select: column %q listed twice", name)
		}
		seen[name] = true
		found := schema.FieldIndices(name)
		if len(found) == 0 {
			return nil, nil, fmt.Errorf("select: no column %q", name)
		}
		idx[i] = found[0]
		fields[i] = schema.Field(found[0])
	}
	md := schema.Metadata()
	return idx, arrow.NewSchema(fields, &md), nil
}

// allColumns is the selection used when Select is never called.
func allColumns(schema *arrow.Schema) []int {
	idx := make([]int, schema.NumFields())
	for i := range idx {
		idx[i] = i
	}
	return idx
}
