package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/metadata"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
	"github.com/apache/arrow-go/v18/parquet/schema"

	"github.com/driftgate/driftgate/checker/source/objstore"
)

// FileMetadata is what a Parquet footer says about a file, read without
// decoding a single page: for checks of multi-gigabyte files in pre-merge CI.
type FileMetadata struct {
	Path      string
	Schema    *arrow.Schema
	Rows      int64
	RowGroups int
	// CreatedBy names the writer; whether its statistics can be trusted is
	// the caller's policy.
	CreatedBy string
	// Columns holds the statistics of top-level primitive columns, by name,
	// combined over all row groups.
	Columns map[string]*ColumnStats
	// Size is the file's size in bytes. FooterBytes and FooterSHA256 are
	// the length and hash of the footer (with its 8-byte trailer): all a
	// metadata-only check reads.
	Size         int64
	FooterBytes  int64
	FooterSHA256 string
	// Notes say what was ignored (see Noter).
	Notes []string
}

// ColumnStats are a column's footer statistics over all row groups. A field
// is valid only when its Has flag is set: a statistic missing from any row
// group makes the combination unknown.
type ColumnStats struct {
	HasNullCount bool
	NullCount    int64
	// HasMinMax is set when every row group states a minimum and maximum
	// that driftgate can compare: numbers (integers, floats, decimals as
	// their value) in Min/Max, dates and timestamps in MinTime/MaxTime.
	HasMinMax bool
	IsTime    bool
	// Float says the column is FLOAT or DOUBLE: writers leave NaN out of
	// its minimum and maximum.
	Float            bool
	Min, Max         float64
	MinTime, MaxTime time.Time
}

// ReadParquetMetadata reads a Parquet file's footer, and only its footer:
// the file's size comes from the file system, and FooterSHA256 hashes the
// footer's bytes, not the file's.
func ReadParquetMetadata(path string, lim Limits) (md *FileMetadata, err error) {
	return ReadParquetMetadataFrom(context.Background(), path, lim, nil)
}

// ReadParquetMetadataFrom is ReadParquetMetadata for local files and, read
// through remote, objects in a store: by ranges, the footer alone.
func ReadParquetMetadataFrom(ctx context.Context, path string, lim Limits, remote *objstore.Client) (md *FileMetadata, err error) {
	in, err := OpenAny(ctx, path, remote)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	ra := in.ReaderAt()
	if ra == nil {
		return nil, &ReadError{Path: path, Err: errors.New("--metadata-only needs a file it can seek in, not a stream")}
	}
	defer func() {
		if p := recover(); p != nil {
			md, err = nil, &ReadError{Path: path, Err: panicError(p)}
		}
	}()
	ft, err := readFooter(ra, in.Size(), lim)
	if err != nil {
		return nil, &ReadError{Path: path, Err: err}
	}
	pf, err := file.NewParquetReader(io.NewSectionReader(ra, 0, in.Size()), file.WithMetadata(ft.md))
	if err != nil {
		return nil, &ReadError{Path: path, Err: fmt.Errorf("parquet footer: %w", err)}
	}
	fr, err := pqarrow.NewFileReader(pf, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	if err != nil {
		return nil, &ReadError{Path: path, Err: fmt.Errorf("parquet schema: %w", err)}
	}
	sc, err := fr.Schema()
	if err != nil {
		return nil, &ReadError{Path: path, Err: fmt.Errorf("parquet schema: %w", err)}
	}
	sc, _ = int96AsMicros(pf, fr, sc)
	meta := pf.MetaData()
	md = &FileMetadata{
		Path: path, Schema: sc, Rows: meta.NumRows, RowGroups: meta.NumRowGroups(),
		CreatedBy: meta.GetCreatedBy(), Columns: map[string]*ColumnStats{},
		Size: in.Size(), FooterBytes: ft.size, FooterSHA256: ft.sum, Notes: ft.notes(),
	}
	if err := in.Unchanged(); err != nil {
		return nil, &ReadError{Path: path, Err: err}
	}
	md.Columns = footerColumns(meta)
	return md, nil
}

// footerColumns is the statistics of every top-level primitive column.
func footerColumns(meta *metadata.FileMetaData) map[string]*ColumnStats {
	cols := map[string]*ColumnStats{}
	desc := meta.Schema
	for c := 0; c < desc.NumColumns(); c++ {
		if col := desc.Column(c); len(col.ColumnPath()) == 1 {
			cols[col.Name()] = columnStats(meta, c, col)
		}
	}
	return cols
}

func columnStats(meta *metadata.FileMetaData, c int, col *schema.Column) *ColumnStats {
	cs := &ColumnStats{HasNullCount: true, HasMinMax: meta.NumRowGroups() > 0, Float: isFloat(col)}
	for rg := 0; rg < meta.NumRowGroups(); rg++ {
		ch := chunkStats(meta, rg, c, col)
		if ch == nil {
			return &ColumnStats{}
		}
		cs.merge(ch, rg == 0)
	}
	return cs
}

// chunkStats is what row group rg states of leaf column c; nil when it
// states no statistics for it.
func chunkStats(meta *metadata.FileMetaData, rg, c int, col *schema.Column) *ColumnStats {
	cc, err := meta.RowGroup(rg).ColumnChunk(c)
	if err != nil {
		return nil
	}
	set, err := cc.StatsSet()
	if err != nil || !set {
		return nil
	}
	st, err := cc.Statistics()
	if err != nil || st == nil {
		return nil
	}
	cs := &ColumnStats{HasNullCount: st.HasNullCount(), Float: isFloat(col)}
	if cs.HasNullCount {
		cs.NullCount = st.NullCount()
	}
	lo, hi, isTime, ok := minMax(st, col)
	if !ok || !st.HasMinMax() {
		return cs
	}
	cs.HasMinMax, cs.IsTime = true, isTime
	cs.Min, cs.Max, cs.MinTime, cs.MaxTime = lo.f, hi.f, lo.t, hi.t
	return cs
}

// merge adds the statistics of one more row group's chunk, first being
// the file's first row group.
func (cs *ColumnStats) merge(ch *ColumnStats, first bool) {
	if ch.HasNullCount {
		cs.NullCount += ch.NullCount
	} else {
		cs.HasNullCount = false
	}
	if !cs.HasMinMax {
		return
	}
	if !ch.HasMinMax {
		cs.HasMinMax = false
		return
	}
	cs.IsTime = ch.IsTime
	if first || ch.MinTime.Before(cs.MinTime) {
		cs.MinTime = ch.MinTime
	}
	if first || ch.MaxTime.After(cs.MaxTime) {
		cs.MaxTime = ch.MaxTime
	}
	if first || ch.Min < cs.Min {
		cs.Min = ch.Min
	}
	if first || ch.Max > cs.Max {
		cs.Max = ch.Max
	}
}

func isFloat(col *schema.Column) bool {
	pt := col.PhysicalType()
	return pt == parquet.Types.Float || pt == parquet.Types.Double
}

type statValue struct {
	f float64
	t time.Time
}

// minMax converts a row group's min and max into comparable values. Text
// and binary minimums are left out: writers have disagreed on their sort
// order (PARQUET-686), and no check here needs them.
func minMax(st metadata.TypedStatistics, col *schema.Column) (lo, hi statValue, isTime, ok bool) {
	lt := col.LogicalType()
	var ilo, ihi int64
	switch s := st.(type) {
	case *metadata.Int32Statistics:
		ilo, ihi = int64(s.Min()), int64(s.Max())
	case *metadata.Int64Statistics:
		ilo, ihi = s.Min(), s.Max()
	case *metadata.Float64Statistics:
		if math.IsNaN(s.Min()) || math.IsNaN(s.Max()) {
			return lo, hi, false, false
		}
		return statValue{f: s.Min()}, statValue{f: s.Max()}, false, true
	case *metadata.Float32Statistics:
		if math.IsNaN(float64(s.Min())) || math.IsNaN(float64(s.Max())) {
			return lo, hi, false, false
		}
		return statValue{f: float64(s.Min())}, statValue{f: float64(s.Max())}, false, true
	case *metadata.FixedLenByteArrayStatistics:
		// A decimal of up to 8 bytes, big-endian two's complement; the
		// trusted writers order decimals as signed numbers.
		mn, mx := s.Min(), s.Max()
		if _, dec := lt.(interface{ Scale() int32 }); !dec || len(mn) < 1 || len(mn) > 8 || len(mx) < 1 || len(mx) > 8 {
			return lo, hi, false, false
		}
		ilo, ihi = beInt64(mn), beInt64(mx)
	default:
		return lo, hi, false, false
	}
	// Logical types come as values or pointers; match on behaviour.
	type decimal interface{ Scale() int32 }
	type timestamp interface{ TimeUnit() schema.TimeUnitType }
	type integer interface{ IsSigned() bool }
	switch l := lt.(type) {
	case nil:
	case schema.DateLogicalType, *schema.DateLogicalType:
		return statValue{t: time.Unix(ilo*86400, 0).UTC()}, statValue{t: time.Unix(ihi*86400, 0).UTC()}, true, true
	case decimal:
		scale := math.Pow10(int(l.Scale()))
		return statValue{f: float64(ilo) / scale}, statValue{f: float64(ihi) / scale}, false, true
	case timestamp:
		var unit arrow.TimeUnit
		switch l.TimeUnit() {
		case schema.TimeUnitMillis:
			unit = arrow.Millisecond
		case schema.TimeUnitMicros:
			unit = arrow.Microsecond
		case schema.TimeUnitNanos:
			unit = arrow.Nanosecond
		default:
			return lo, hi, false, false
		}
		return statValue{t: arrow.Timestamp(ilo).ToTime(unit)}, statValue{t: arrow.Timestamp(ihi).ToTime(unit)}, true, true
	case integer:
		if !l.IsSigned() {
			return lo, hi, false, false // stored signed, ordered unsigned
		}
	default:
		if !lt.IsNone() {
			return lo, hi, false, false
		}
	}
	if col.PhysicalType() == parquet.Types.Int96 {
		return lo, hi, false, false
	}
	return statValue{f: float64(ilo)}, statValue{f: float64(ihi)}, false, true
}
