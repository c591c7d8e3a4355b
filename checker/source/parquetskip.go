package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"
)

// Skipping column chunks. A caller that can account for a column's rows in
// a row group from that row group's statistics (a check whose every rule
// on the column the statistics prove) tells the reader not to decode the
// chunk: SkipChunks. The reader then cuts its batches at row-group
// boundaries, so that each column of a batch comes from one chunk, and
// hands a skipped chunk's rows out as a null array marked in
// Batch.Skipped. A skipped chunk is neither decoded nor, from an object
// store, fetched (planRanges leaves it out).

// RowGroupStats is what one row group's footer entry states.
type RowGroupStats struct {
	Rows int64
	// Columns holds the statistics of the top-level primitive columns, by
	// name; a column whose chunk states none is missing.
	Columns map[string]*ColumnStats
}

// RowGroups returns what the footer of a Parquet reader's file states of
// each row group, and which writer wrote it; false for a reader of
// another format. Whether to trust the statistics is the caller's policy.
func RowGroups(rd Reader) (createdBy string, groups []RowGroupStats, ok bool) {
	r, ok := parquetOf(rd, false)
	if !ok {
		return "", nil, false
	}
	meta := r.pf.MetaData()
	desc := meta.Schema
	groups = make([]RowGroupStats, meta.NumRowGroups())
	for rg := range groups {
		g := RowGroupStats{Rows: meta.RowGroup(rg).NumRows(), Columns: map[string]*ColumnStats{}}
		for c := 0; c < desc.NumColumns(); c++ {
			if col := desc.Column(c); len(col.ColumnPath()) == 1 {
				if cs := chunkStats(meta, rg, c, col); cs != nil {
					g.Columns[col.Name()] = cs
				}
			}
		}
		groups[rg] = g
	}
	return meta.GetCreatedBy(), groups, true
}

// FooterOf is what the footer of the Parquet file rd reads says, as
// ReadParquetMetadata returns it, for a caller that reads the file's
// values too and judges its footer from the same open (CheckMetadata
// feeding a profile). FooterBytes and FooterSHA256 are left empty: such a
// read hashes the whole file. ok is false for other formats.
func FooterOf(rd Reader) (md *FileMetadata, ok bool) {
	r, ok := parquetOf(rd, true) // a row budget limits the rows read, not the footer

	if !ok {
		return nil, false
	}
	meta := r.pf.MetaData()
	md = &FileMetadata{
		Schema: rd.Schema(), Rows: meta.NumRows, RowGroups: meta.NumRowGroups(),
		CreatedBy: meta.GetCreatedBy(), Columns: footerColumns(meta),
	}
	if n, ok := rd.(Noter); ok {
		md.Notes = n.Notes()
	}
	return md, true
}

// parquetOf is the Parquet reader under rd's wrappers; under a row
// budget only when throughBudget: such a reader hands out fewer rows than
// its row groups hold, so no caller may account for a whole chunk.
func parquetOf(rd Reader, throughBudget bool) (*parquetReader, bool) {
	for {
		switch r := rd.(type) {
		case *parquetReader:
			return r, true
		case *owningReader:
			rd = r.Reader
		case *budgetReader:
			if !throughBudget {
				return nil, false
			}
			rd = r.Reader
		default:
			return nil, false
		}
	}
}

// SkipChunks tells a Parquet reader not to decode the chunks skip names:
// skip[column][rg] set means the column's chunk in row group rg. Columns
// must be selected (Select) and the call must come before the first Next.
// It reports false, and changes nothing, for a reader it cannot tell (a
// reader of another format, one under a row budget): the caller then
// accounts for nothing and every chunk is decoded.
func SkipChunks(rd Reader, skip map[string][]bool) (bool, error) {
	r, ok := parquetOf(rd, false)
	if !ok {
		return false, nil
	}
	if r.started {
		return false, errors.New("chunks to skip named after reading started")
	}
	groups := r.pf.NumRowGroups()
	marks := make([][]bool, len(r.sel))
	some := false
	for name, rgs := range skip {
		i := slices.IndexFunc(r.sel, func(fi int) bool { return r.schema.Field(fi).Name == name })
		if i < 0 {
			return false, fmt.Errorf("chunks to skip of column %q, which is not selected", name)
		}
		if len(rgs) != groups {
			return false, fmt.Errorf("chunks to skip of column %q name %d row groups, the file has %d", name, len(rgs), groups)
		}
		if slices.Contains(rgs, true) {
			marks[i] = slices.Clone(rgs)
			some = true
		}
	}
	if some {
		r.skip = marks
	}
	return true, nil
}

// skipped says whether selected column i is not decoded in row group rg.
func (r *parquetReader) skipped(i, rg int) bool {
	return r.skip != nil && r.skip[i] != nil && r.skip[i][rg]
}

// rowGroupSkips is the row groups of selected column i not to decode, nil
// when all are.
func (r *parquetReader) rowGroupSkips(i int) []bool {
	if r.skip == nil {
		return nil
	}
	return r.skip[i]
}

// pqDecoder is pqarrow's decoder of selected column i (field fi): over
// every row group, or, when the file is read with skips, over the column's
// row groups not skipped one at a time, since pqarrow's batches would run
// on into the next row group and the file's batches do not.
func (r *parquetReader) pqDecoder(ctx context.Context, i, fi int) (columnDecoder, error) {
	cols := leaves(&r.fr.Manifest.Fields[fi], nil)
	if r.skip == nil {
		rr, err := r.fr.GetRecordReader(ctx, cols, nil)
		if err != nil {
			return nil, err
		}
		return &pqColumn{rr: rr}, nil
	}
	var groups []int
	for rg := range r.pf.NumRowGroups() {
		if !r.skipped(i, rg) {
			groups = append(groups, rg)
		}
	}
	return &rowGroupColumn{ctx: ctx, fr: r.fr, cols: cols, groups: groups}, nil
}

// rowGroupColumn is pqarrow's decoder of one column over some of the row
// groups, one record reader per row group.
type rowGroupColumn struct {
	ctx    context.Context
	fr     *pqarrow.FileReader
	cols   []int
	groups []int // still to read
	cur    *pqColumn
}

func (c *rowGroupColumn) next(n int64) (arrow.Array, error) {
	for {
		if c.cur != nil {
			a, err := c.cur.next(n)
			if err != nil || a != nil {
				return a, err
			}
			c.cur.release()
			c.cur = nil
		}
		if len(c.groups) == 0 {
			return nil, nil
		}
		rr, err := c.fr.GetRecordReader(c.ctx, c.cols, c.groups[:1])
		if err != nil {
			return nil, fmt.Errorf("row group %d: %w", c.groups[0], err)
		}
		c.groups = c.groups[1:]
		c.cur = &pqColumn{rr: rr}
	}
}

func (c *rowGroupColumn) release() {
	if c.cur != nil {
		c.cur.release()
		c.cur = nil
	}
}

// nextSkipping is Next when some chunks are skipped: each batch lies in
// one row group, and a column whose chunk there is skipped is a null
// array, marked in Batch.Skipped.
func (r *parquetReader) nextSkipping() (Batch, error) {
	md := r.pf.MetaData()
	for r.rgLeft == 0 {
		if r.rg >= r.pf.NumRowGroups() {
			return Batch{}, r.endSkipping()
		}
		r.rgCur = r.rg
		r.rgLeft = md.RowGroup(r.rg).NumRows()
		r.rg++
	}
	skipped := make([]bool, len(r.cols))
	all := true
	for i := range skipped {
		skipped[i] = r.skipped(i, r.rgCur)
		all = all && skipped[i]
	}
	n := min(r.batch, r.rgLeft)
	if all {
		// Null arrays hold no buffers: the rest of the row group is one
		// batch, however many rows its footer claims.
		n = r.rgLeft
	}
	arrs, err := r.decode(n, skipped)
	if err != nil {
		releaseAll(arrs)
		r.err = r.wrap(err)
		return Batch{}, r.err
	}
	for i, a := range arrs {
		if arrLen(a) != n {
			releaseAll(arrs)
			r.err = r.wrap(fmt.Errorf("column %q yields %d of the %d rows row group %d holds here", r.selSchema.Field(i).Name, arrLen(a), n, r.rgCur))
			return Batch{}, r.err
		}
	}
	r.rgLeft -= n
	b := r.emit(arrs, n)
	b.Skipped = skipped
	releaseAll(arrs)
	return b, nil
}

// endSkipping is the end of a file read with skips: every decoded column
// must be exhausted, or its pages held more rows than the footer says.
func (r *parquetReader) endSkipping() error {
	for i, c := range r.cols {
		a, err := c.next(1)
		n := arrLen(a)
		if a != nil {
			a.Release()
		}
		if err == nil && n > 0 {
			err = fmt.Errorf("the pages hold more than the footer's %d rows", r.pf.NumRows())
		}
		if err != nil {
			r.err = &ReadError{Path: r.path, Err: fmt.Errorf("column %q: %w", r.selSchema.Field(i).Name, err)}
			return r.err
		}
	}
	return io.EOF
}
