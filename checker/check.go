// Package checker is driftgate's engine: it streams data files through the
// checks a contract declares and produces a report.Report.
//
// One pass over the data serves every rule: each batch goes once through the
// per-column state the contract needs, and rules turn that state into
// findings at the end.
package checker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/checker/source/objstore"
	"github.com/driftgate/driftgate/contracts"
)

// Options configures one check run.
type Options struct {
	Contract *contracts.Contract
	// Schema names the schema object to check; empty picks the only one.
	Schema string
	// Server names the contract server the data comes from: its type is
	// the dialect physicalTypes are read in (empty: the only server, see
	// contracts.Contract.Dialect). Dialect, when set, overrides it.
	Server  string
	Dialect contracts.Dialect
	// Files are the data files, already expanded (see ExpandInputs). All of
	// them form one batch: counts and uniqueness span files.
	Files []string
	// Skipped are the notes of Expand on what it left out; the report
	// records them.
	Skipped []string
	// Source configures the readers (allocator, batch size, CSV options).
	Source source.Options
	// FailOn is the lowest severity that fails the run: error (default),
	// warning, info or never.
	FailOn string
	// ToolVersion is recorded in the report.
	ToolVersion string
	// ShowPrivateValues lets findings quote values of private columns
	// (contracts.Property.Private), for a local debugging run; by default
	// they show the row and "<redacted>". The CLI never sets it under CI.
	ShowPrivateValues bool
	// TrustStatistics makes CheckMetadata, and Check for the columns it
	// proves from them (see run.proven), rely on Parquet footer statistics
	// from any writer, not only the writers known to write them correctly.
	TrustStatistics bool
	// Now is the time SLA properties (latency, retention) are judged at;
	// zero means the wall clock. Set it for reproducible runs (--now).
	Now time.Time
	// Progress, when set, is called after every batch with the run's
	// progress so far; it runs on the checking goroutine and must be quick.
	Progress func(Progress)
	// Taps share the check's one read of each input (see Tap): a profile,
	// the shapes of --all-versions.
	Taps []Tap
	// SQL runs the contract's sql quality rules over the files (embedded
	// DuckDB, checker/sqlpush/duckdb); nil reports them not executed.
	SQL SQLRunner
}

// Progress is how far a run has got (source.Progress, which profiles
// report too).
type Progress = source.Progress

// Check runs every check of the contract over the files. It returns a
// report in every case where it got as far as reading data; the error is
// non-nil when the run could not finish: a *ContractError for a contract
// that cannot be executed, a *source.ReadError for unreadable data (the
// report then has StatusError).
func Check(ctx context.Context, opts Options) (*report.Report, error) {
	p, rep, err := prepare(&opts, "check")
	if err != nil {
		return nil, err
	}

	if opts.Source.Mem == nil {
		opts.Source.Mem = newPoolAllocator()
	}

	run := &run{plan: p, opts: opts, structural: newStructural()}
	run.sla, run.slaSkips = p.compileSLA(opts.now())
	defer run.discardKeys()
	var readErr error
	for i, path := range opts.Files {
		run.fileIndex = i
		in, err := run.file(ctx, path)
		rep.Inputs = append(rep.Inputs, in)
		if err != nil {
			readErr = err
			break
		}
	}
	for _, in := range rep.Inputs {
		rep.Summary.Rows += in.Rows
	}
	if readErr == nil {
		if err := run.finishKeys(); err != nil {
			readErr = fmt.Errorf("check uniqueness: %w", err)
		}
	}
	if readErr != nil {
		return errorReport(rep, readErr, opts.FailOn)
	}
	run.runSQL(ctx)
	rep.Findings, rep.Checks = run.findings()
	rep.Findings = append(rep.Findings, run.notes...)
	if err := rep.Finalize(opts.FailOn); err != nil {
		return nil, err
	}
	return rep, nil
}

// prepare does what every kind of check does first: defaults, the schema
// object, the compiled plan and the report's header.
func prepare(opts *Options, command string) (*plan, *report.Report, error) {
	if opts.FailOn == "" {
		opts.FailOn = "error"
	}
	c := opts.Contract
	schema, err := SelectSchema(c, opts.Schema)
	if err != nil {
		return nil, nil, err
	}
	d := opts.Dialect
	if d == "" {
		d = c.Dialect(opts.Server)
	}
	p, err := newPlanIn(c, schema, d)
	if err != nil {
		return nil, nil, err
	}
	if !opts.ShowPrivateValues {
		p.redactPrivate()
	}
	if len(opts.Files) == 0 {
		return nil, nil, &InputError{Msg: "no data files to check"}
	}
	if opts.Source.Remote == nil {
		// One client for the run: buckets open once, and it records what
		// each object was, for the report.
		opts.Source.Remote = objstore.New(objstore.Config{})
	}
	rep := &report.Report{
		Tool:    report.Tool{Name: "driftgate", Version: opts.ToolVersion},
		Command: command,
		Skipped: opts.Skipped,
		Contract: &report.ContractRef{
			ID: c.ID, Version: c.Version, Name: c.Name, Path: c.Path, SHA256: c.SHA256, Schema: schema.Name,
		},
	}
	return p, rep, nil
}

// errorReport finishes the report of a run that could not read its data:
// status error, never a pass.
func errorReport(rep *report.Report, readErr error, failOn string) (*report.Report, error) {
	rep.Status = report.StatusError
	rep.Error = readErr.Error()
	if err := rep.Finalize(failOn); err != nil {
		return nil, err
	}
	return rep, readErr
}

// InputError is a problem with the command's data arguments (no files, a
// path that does not exist). The CLI exits 2 on it.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

// run is the state of one check over its files.
type run struct {
	plan       *plan
	opts       Options
	structural *structural
	rows       int64
	csvSeen    bool
	jsonSeen   bool
	fileIndex  int
	// meter counts the bytes of the current file read, for progress.
	meter *source.Meter
	// notes are the CHECK_METADATA_IGNORED findings: what a reader
	// ignored in a file it could read without it.
	notes []report.Finding
	// sla are the SLA checks on columns of the batch; slaSkips the SLA
	// properties listed as not executed.
	sla      []*slaCheck
	slaSkips []slaSkip
	// rowsUnknown says a file states no row count (CSV or JSON with
	// --metadata-only): rowCount rules cannot be judged.
	rowsUnknown bool
	// sql holds the outcomes of the sql rules Options.SQL ran.
	sql map[*contracts.Quality]SQLOutcome
}

// now is the time SLAs are judged at.
func (o Options) now() time.Time {
	if o.Now.IsZero() {
		return time.Now()
	}
	return o.Now
}

// fileNotes turns what a reader ignored in a file into warnings.
func fileNotes(path string, notes []string) []report.Finding {
	var out []report.Finding
	for _, n := range notes {
		out = append(out, rules.CheckMetadataIgnored.Finding(report.Finding{
			Message: fmt.Sprintf("%s: %s", path, n), Examples: []report.Example{}}))
	}
	return out
}

// file streams one input through the checks. source.ReadFile opens it
// once and records the size and hash of the bytes the checks consumed.
func (r *run) file(ctx context.Context, path string) (report.Input, error) {
	in := report.Input{Path: path}
	sopts := r.opts.Source
	// Each format ignores the other's options.
	sopts.CSV.Types, sopts.CSV.TimeLayouts = r.plan.csvTypes()
	sopts.JSON.Types, sopts.JSON.TimeLayouts = r.plan.jsonTypes()
	// The engine judges each distinct value of a dictionary-encoded text
	// column once (see column.observeDictionary).
	sopts.ReadDictionaries = true
	// The meter serves progress and the size of the key sets of a file
	// whose row count is unknown (see estimateRows).
	sopts.Meter = &source.Meter{}
	r.meter = sopts.Meter
	facts, err := source.ReadFile(ctx, path, sopts, func(rd source.Reader) error {
		in.Format = string(rd.Format())
		return r.read(ctx, path, rd, &in)
	})
	if err := r.readInput(ctx, path, &in, facts, err); err != nil {
		return in, err
	}
	r.rows += in.Rows
	return in, nil
}

// read checks the batches of one opened input.
func (r *run) read(ctx context.Context, path string, rd source.Reader, inp *report.Input) error {
	format := rd.Format()
	switch format {
	case source.CSV:
		r.csvSeen = true
	case source.JSON:
		r.jsonSeen = true
	}
	in := inp
	if n, ok := rd.(source.Noter); ok {
		r.notes = append(r.notes, fileNotes(path, n.Notes())...)
	}
	// Structural comparison decides which columns are worth decoding: a
	// column of the wrong type is reported once, not checked value by value.
	cols := r.structural.compare(r.plan, path, rd.Schema(), format)
	for _, c := range cols {
		c.fileIndex = r.fileIndex
	}
	defer func() {
		for _, c := range cols {
			c.release()
		}
	}()
	cols, proofs := r.proven(rd, r.decoded(cols, format), in)
	r.markFromJSON(cols, format == source.JSON)
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
	}
	// Taps add the columns only they need; the check's come first, so
	// cols[i] is still column i of each batch.
	taps, names, err := selectWithTaps(rd, r.opts.Taps, path, names)
	if err != nil {
		return err
	}
	if err := r.skipChunks(rd, cols, taps, proofs, in); err != nil {
		return asReadError(path, err)
	}
	// Composite keys need their columns' values side by side.
	keyIdx := r.keyColumns(names)

	// Decoding the next batches overlaps checking these, and every lane
	// (see lanes.go) goes through the batches at its own pace.
	pctx, cancel := context.WithCancel(ctx)
	produced, errc := prefetch(pctx, rd)
	batches := produced // nil once closed
	ln := startLanes(r.laneTasks(path, cols, names, keyIdx, taps), inFlight(r.opts.Source.BatchSize))
	var queue []*flight // in flight, oldest first
	defer func() {
		// Leaving early (a lane failed): stop the lanes and the producer
		// before the reader is closed under them, and release what they
		// hold.
		ln.stop(true)
		for _, f := range queue {
			f.Record.Release()
		}
		cancel()
		for b := range produced {
			b.Record.Release()
		}
	}()
	// A footer's row count sizes the key sets before the first batch;
	// without one, the rows per byte of the first part of the file do.
	sized, sent := false, int64(0)
	depth := inFlight(r.opts.Source.BatchSize)
	for batches != nil || len(queue) > 0 {
		var next <-chan source.Batch
		if len(queue) < depth {
			next = batches
		}
		var oldest <-chan struct{}
		if len(queue) > 0 {
			oldest = queue[0].done
		}
		select {
		case b, ok := <-next:
			if !ok {
				batches = nil
				continue
			}
			f := &flight{Batch: b, cells: splitCells(b.Invalid, len(cols))}
			if !sized {
				f.expect, sized = r.keyRows(rd, sent)
			}
			sent += b.Record.NumRows()
			// Arrow fills some of an array's state lazily on first use,
			// unsynchronised (a dictionary array, the null count): fill it
			// here before the lanes share it.
			for i := range int(b.Record.NumCols()) {
				warmLazyState(b.Record.Column(i))
			}
			ln.send(f)
			queue = append(queue, f)
		case <-oldest:
			f := queue[0]
			queue = queue[1:]
			in.Rows += f.Record.NumRows()
			f.Record.Release()
			if err := f.failure(); err != nil {
				return &source.ReadError{Path: path, Row: f.FirstRow, Err: fmt.Errorf("check the batch starting here: %w", err)}
			}
			if r.opts.Progress != nil {
				r.opts.Progress(Progress{File: path, FileIndex: r.fileIndex, Files: len(r.opts.Files),
					Rows: r.rows + in.Rows, FileRows: in.Rows, FileTotal: rd.NumRows(), FileBytes: r.meter.Read(), FileSize: r.meter.Size()})
			}
		}
	}
	if err := <-errc; err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return asReadError(path, err)
	}
	return nil
}

// laneTasks are the lanes of one input: each selected column (cols[i] is
// column i of every batch), each composite key whose columns it has, each
// SLA on one of its columns, each tap. A task touches only its own lane's
// state, so that lanes need no locks.
func (r *run) laneTasks(path string, cols []*column, names []string, keyIdx [][]int, taps *tapping) []func(*flight) error {
	tasks := make([]func(*flight) error, 0, len(cols)+len(r.plan.keys)+len(r.sla))
	for i, c := range cols {
		tasks = append(tasks, func(f *flight) error {
			if f.Skipped != nil && f.Skipped[i] {
				return nil // statistics proved these rows (skipChunks counted them)
			}
			if c.unique != nil {
				if f.expect > 0 {
					c.unique.expect(f.expect)
				}
				// finishKeys shows repeats from their keys, but without the
				// line a text file's batch would give them.
				c.unique.allowDefer(!f.Lines.Known())
			}
			arr := f.Record.Column(i)
			inv := c.typeErrors(path, f.FirstRow, f.cellsOf(i))
			c.observe(path, f.FirstRow, arr, inv)
			r.plan.observeNested(c, path, f.FirstRow, arr, inv)
			r.plan.placeColumn(path, f.Batch, c)
			return nil
		})
	}
	for k, key := range r.plan.keys {
		if idx := keyIdx[k]; idx != nil {
			tasks = append(tasks, func(f *flight) error {
				if f.expect > 0 {
					key.set.expect(f.expect)
				}
				key.observe(r.fileIndex, path, f.FirstRow, f.Record, idx)
				if f.Lines.Known() {
					placeLines(path, f.Batch, key.dups.Examples)
				}
				return nil
			})
		}
	}
	for _, s := range r.sla {
		if i := slices.Index(names, s.column); i >= 0 {
			tasks = append(tasks, func(f *flight) error {
				s.observe(path, f.FirstRow, f.Record.Column(i))
				s.place(path, f.Batch)
				return nil
			})
		}
	}
	return append(tasks, taps.tasks()...)
}

// decoded keeps the columns with something to check value by value; a
// column that only declares its type was settled by the schema.
func (r *run) decoded(cols []*column, format source.Format) []*column {
	needed := r.valueColumns()
	decoded := cols[:0:0]
	for _, c := range cols {
		if c.needsValues(format) || needed[c.name] {
			decoded = append(decoded, c)
		} else {
			c.present = true // structurally there; nothing else to say
		}
	}
	return decoded
}

// keyRows is how many rows of the file the key sets are to expect, of
// which done are handed to the lanes already: the footer's row count, else
// an estimate once enough of the file is read (estimateRows). It reports
// whether it could tell.
func (r *run) keyRows(rd source.Reader, done int64) (int64, bool) {
	n := rd.NumRows()
	if n < 0 {
		est, ok := estimateRows(r.meter, done)
		if !ok {
			return 0, false
		}
		n = est
	}
	return n - done, true
}

// estimateRows extrapolates a text file's rows from the bytes read for
// the rows so far, once enough has been read to be representative; false
// while not, or when the size is unknown (a stream). Bytes read run a few
// chunks ahead of the rows handed out, so the estimate errs low.
func estimateRows(m *source.Meter, rows int64) (int64, bool) {
	const sample = 32 << 20
	size, read := m.Size(), m.Read()
	if size <= 0 || read < min(size, sample) || read <= 0 {
		return 0, false
	}
	return int64(float64(size) / float64(read) * float64(rows)), true
}

// prefetch reads batches on its own goroutine, one ahead of the consumer.
// The error channel yields nil or the read error once the batches channel is
// closed. The consumer must drain batches; on cancellation the producer
// releases what it could not hand over.
func prefetch(ctx context.Context, rd source.Reader) (<-chan source.Batch, <-chan error) {
	out := make(chan source.Batch, 1)
	errc := make(chan error, 1)
	go func() {
		defer close(out)
		defer func() {
			if p := recover(); p != nil {
				errc <- source.PanicError(p)
			}
		}()
		for {
			if err := ctx.Err(); err != nil {
				errc <- err
				return
			}
			b, err := rd.Next(ctx)
			if errors.Is(err, io.EOF) {
				errc <- nil
				return
			}
			if err != nil {
				errc <- err
				return
			}
			select {
			case out <- b:
			case <-ctx.Done():
				b.Record.Release()
				errc <- ctx.Err()
				return
			}
		}
	}()
	return out, errc
}

func asReadError(path string, err error) error {
	var re *source.ReadError
	if errors.As(err, &re) {
		return err
	}
	return &source.ReadError{Path: path, Err: err}
}

// splitCells splits the cells of a batch that did not parse by column, for
// the n columns the check decodes (the taps' own columns come after them);
// nil when every cell parsed.
func splitCells(cells []source.CellError, n int) [][]source.CellError {
	if len(cells) == 0 {
		return nil
	}
	out := make([][]source.CellError, n)
	for _, ce := range cells {
		if ce.Column >= 0 && ce.Column < n {
			out[ce.Column] = append(out[ce.Column], ce)
		}
	}
	return out
}

// typeErrors counts the column's cells of a batch that did not parse and
// returns their sorted offsets within the batch, which the value checks
// skip.
func (c *column) typeErrors(path string, firstRow int64, cells []source.CellError) []int {
	if len(cells) == 0 {
		return nil
	}
	out := make([]int, 0, len(cells))
	for _, ce := range cells {
		// A marker the contract lists in missingValues ('N/A' in an
		// integer column) is a missing value, not a type error: the
		// producer wrote what the contract allows.
		if c.missing.hasStr(ce.Raw) {
			c.rows++ // observe counts only the cells that parsed
			c.null(path, ce.Row, ce.Raw, false)
		} else if !c.claimCell(path, ce.Row, ce.Raw) {
			if c.typeErrs.Count == 0 {
				c.typeWant, c.typeLine = ce.Want, ce.Line
			}
			c.typeErrs.Add(path, ce.Row, ce.Raw)
		}
		out = append(out, int(ce.Row-firstRow))
	}
	sort.Ints(out)
	return out
}

// claimCell offers a CSV cell that did not parse to the column's rules: a
// date column's format rule claims it (the producer changed the format).
// An unclaimed cell is a VALUE_TYPE finding.
func (c *column) claimCell(file string, row int64, raw string) bool {
	for _, ob := range c.obs {
		if co, ok := ob.o.(rules.CellObserver); ok {
			if out := co.Unparsed(raw); out != rules.Pass {
				ob.t[out-1].Add(file, row, raw)
				return true
			}
		}
	}
	return false
}

// keyColumns maps each composite key to the indices of its columns in the
// selected record, or nil when a column is unavailable in this file.
func (r *run) keyColumns(names []string) [][]int {
	out := make([][]int, len(r.plan.keys))
	for k, key := range r.plan.keys {
		var idx []int
		for _, col := range key.cols {
			found := -1
			for i, n := range names {
				if n == col {
					found = i
				}
			}
			if found < 0 {
				idx = nil
				break
			}
			idx = append(idx, found)
		}
		out[k] = idx
	}
	return out
}

// observe hashes each row's key tuple; rows with a null in the key are not
// keys (as in SQL).
func (k *compositeKey) observe(fileIndex int, file string, first int64, rec arrow.RecordBatch, idx []int) {
	n := int(rec.NumRows())
	cols := make([]arrow.Array, len(idx))
	for i, j := range idx {
		cols[i] = rec.Column(j)
	}
rows:
	for i := 0; i < n; i++ {
		h := uint64(0x9e3779b97f4a7c15)
		for _, a := range cols {
			if a.IsNull(i) {
				continue rows
			}
			h = mix(h ^ hashValue(a, i))
		}
		k.set.push(h, i)
	}
	var dup func(int)
	if len(k.dups.Examples) < report.MaxExamples {
		dup = func(i int) {
			if !k.dups.Hit() {
				return
			}
			parts := make([]string, len(cols))
			for j, a := range cols {
				parts[j] = a.ValueStr(i)
			}
			k.dups.Example(file, first+int64(i), "("+strings.Join(parts, ", ")+")")
		}
	}
	err := k.set.flush(fileIndex, first, dup)
	if err != nil && k.err == nil {
		k.err = err
	}
}

// finishKeys counts what uniqueness checks spilled to disk (or deferred to
// the end) and removes their files; finish gives the first repeated rows
// flush did not report, in row order. Integer keys are the values
// themselves, so their examples show the value; hashed keys cannot.
func (r *run) finishKeys() error {
	files := r.opts.Files
	var errs []error
	for _, c := range r.plan.columns {
		if c.unique == nil {
			continue
		}
		if c.keyErr != nil {
			errs = append(errs, c.keyErr)
		}
		err := c.unique.finish(func(fi int, row int64, key uint64) {
			if c.dups.Hit() {
				c.dups.Example(files[fi], row, spilledValue(c.unique.valueKind(c.exp.kind), key))
			}
		})
		if err != nil {
			errs = append(errs, fmt.Errorf("column %q: %w", c.name, err))
		}
	}
	for _, k := range r.plan.keys {
		if k.err != nil {
			errs = append(errs, k.err)
		}
		err := k.set.finish(func(fi int, row int64, _ uint64) {
			if k.dups.Hit() {
				k.dups.Example(files[fi], row, spilledValue(kindAny, 0))
			}
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	errs = append(errs, r.plan.finishNested(files))
	return errors.Join(errs...)
}

// discardKeys removes spill files of a run that ends early.
func (r *run) discardKeys() {
	for _, c := range r.plan.columns {
		if c.unique != nil {
			c.unique.discard()
		}
	}
	for _, k := range r.plan.keys {
		k.set.discard()
	}
	r.plan.discardNested()
}

func spilledValue(kind typeKind, key uint64) string {
	switch kind {
	case kindInt:
		return strconv.FormatInt(int64(key), 10)
	case kindUint:
		return strconv.FormatUint(key, 10)
	}
	return "(value not kept: the key set spilled to disk)"
}

// reportObject is the report's record of an object read from a store.
func reportObject(obj *objstore.Object) *report.Object {
	if obj == nil {
		return nil
	}
	out := &report.Object{URL: obj.URL, ETag: obj.ETag, VersionID: obj.VersionID, BytesRead: obj.BytesRead}
	if !obj.LastModified.IsZero() {
		out.LastModified = obj.LastModified.UTC().Format(time.RFC3339)
	}
	if obj.Checksum != nil {
		out.Checksum = &report.Checksum{Algorithm: obj.Checksum.Algorithm, Value: obj.Checksum.Value}
	}
	return out
}

// warmLazyState makes arr and its children compute what arrow-go computes
// on first use without a lock, so that tasks reading the array at once
// only read: the null count of every array, a dictionary array's values.
func warmLazyState(arr arrow.Array) {
	arr.NullN()
	switch a := arr.(type) {
	case *array.Dictionary:
		warmLazyState(a.Dictionary())
	case *array.Struct:
		for i := range a.NumField() {
			warmLazyState(a.Field(i))
		}
	case array.ListLike:
		warmLazyState(a.ListValues())
	}
}
