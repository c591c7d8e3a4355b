package checker

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/checker/source/objstore"
)

// trustedWriters are the Parquet writers whose footer statistics driftgate
// relies on in --metadata-only mode: Apache Arrow (C++, Go, Rust), parquet-mr
// from 1.10 (earlier versions ordered some statistics wrongly), DuckDB and
// Polars. Anything else — including xitongsys/parquet-go, whose files can
// lack null counts that Arrow then reports as zero — is not trusted: its
// checks are skipped, not passed.
var trustedWriters = regexp.MustCompile(`^(parquet-cpp|parquet-go version \d|parquet-rs|parquet-mr version (1\.(1\d|[2-9]\d)|[2-9])|DuckDB|Polars|polars)`)

// CheckMetadata checks what Parquet footers prove without reading a data
// page: the schema, row counts, and — where the writer's statistics are
// trusted — nulls in required columns, null-value metrics and range bounds.
// CSV and JSON files give their structure only (the header, the first
// record), and no row count. Every other check is reported as CHECK_SKIPPED
// (info), so a pass in this mode never hides a check that did not run.
func CheckMetadata(ctx context.Context, opts Options) (*report.Report, error) {
	p, rep, err := prepare(&opts, "check --metadata-only")
	if err != nil {
		return nil, err
	}
	c, schema := opts.Contract, p.schema
	r := &run{plan: p, opts: opts, structural: newStructural()}
	// A batch's SLAs need its values; say so rather than drop them.
	slas, skips := p.compileSLA(opts.now())
	for _, s := range slas {
		if s.byInputTime {
			r.sla = append(r.sla, s) // an input's time is metadata
			continue
		}
		skips = append(skips, slaSkip{s.sla, fmt.Sprintf("SLA %s is not judged with --metadata-only: it needs the values of %s", s.sla.Property, s.column)})
	}
	r.slaSkips = skips
	stats := map[string]*footerStats{} // by column
	var untrusted []string
	var readErr error
	valueTaps := readsValues(opts.Taps)
	for _, path := range opts.Files {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var in report.Input
		var err error
		switch f, _ := source.FormatOf(path, opts.Source); {
		case valueTaps:
			in, err = r.readForTaps(ctx, path, stats, &untrusted)
		case f != source.Parquet:
			in, err = r.textStructure(ctx, path, stats)
		default:
			in, err = r.footerOnly(ctx, path, stats, &untrusted)
		}
		rep.Inputs = append(rep.Inputs, in)
		if err != nil {
			readErr = err
			break
		}
	}
	for _, in := range rep.Inputs {
		rep.Summary.Rows += in.Rows
	}
	if readErr != nil {
		return errorReport(rep, readErr, opts.FailOn)
	}

	// Structure and schema-level rules come from the usual builder; no
	// column is marked present, so it decides no value check.
	findings, checks := r.findings()
	b := &builder{schema: schema.Name, file: c.Path, findings: findings, checks: checks, private: r.plan.private()}
	b.seen = map[string]bool{}
	for _, ch := range checks {
		b.seen[ch.Rule+"\x00"+ch.Column] = true
	}
	b.dropKeyChecks()
	why := "the footer cannot decide it"
	if len(untrusted) > 0 {
		why = "the footer cannot decide it, or the writer's statistics are not trusted (--trust-statistics overrides): " + strings.Join(untrusted, "; ")
	}
	for _, col := range p.columns {
		fs := stats[col.name]
		if fs == nil {
			continue // missing or retyped: reported structurally
		}
		metadataFindings(b, col, fs, r.rows, why)
	}
	p.nestedMetadataSkips(b)
	if len(p.keys) > 0 {
		b.skipped("", fmt.Sprintf("not checked with --metadata-only: uniqueness of key columns (%s)", why))
	}
	rep.Findings, rep.Checks = append(b.findings, r.notes...), b.checks
	if err := rep.Finalize(opts.FailOn); err != nil {
		return nil, err
	}
	return rep, nil
}

// footerOnly reads a Parquet file's footer and nothing else.
func (r *run) footerOnly(ctx context.Context, path string, stats map[string]*footerStats, untrusted *[]string) (report.Input, error) {
	opts := r.opts
	md, err := source.ReadParquetMetadataFrom(ctx, path, opts.Source.Limits, opts.Source.Remote)
	in := report.Input{Path: path, Format: string(source.Parquet)}
	if err != nil {
		return in, asReadError(path, err)
	}
	// Only the footer was read, so only the footer is hashed; the
	// report says so rather than pass a footer hash off as the file's.
	in.Rows, in.Size, in.SHA256, in.HashScope = md.Rows, md.Size, md.FooterSHA256, report.HashFooter
	var seen *objstore.Object
	if obj, ok := opts.Source.Remote.Seen(path); ok && source.IsRemote(path) {
		in.Object, seen = reportObject(&obj), &obj
	}
	r.inputTime(path, seen)
	if err := structureOnly(opts.Taps, path, source.Parquet, md.Schema); err != nil {
		return in, err
	}
	r.judgeFooter(path, md, &in, stats, untrusted)
	return in, nil
}

// judgeFooter takes what a Parquet footer proves into the run: rows,
// notes, structure and each column's statistics.
func (r *run) judgeFooter(path string, md *source.FileMetadata, in *report.Input, stats map[string]*footerStats, untrusted *[]string) {
	in.Rows = md.Rows
	r.notes = append(r.notes, fileNotes(path, md.Notes)...)
	r.rows += md.Rows
	trusted := r.opts.TrustStatistics || trustedWriters.MatchString(md.CreatedBy)
	if !trusted {
		*untrusted = append(*untrusted, fmt.Sprintf("%s (written by %q)", path, md.CreatedBy))
	}
	for _, col := range r.structural.compare(r.plan, path, md.Schema, source.Parquet) {
		fs := stats[col.name]
		if fs == nil {
			fs = &footerStats{nullsKnown: true, rangeKnown: true}
			stats[col.name] = fs
		}
		fs.add(md.Columns[col.name], trusted)
	}
}

// A ValueTap is a Tap that needs an input's values whatever its schema (a
// profile for drift or history). CheckMetadata still judges only what
// footers and headers prove, but reads each input whole for such a tap,
// once: the taps, the structure and the hash share that read, as in
// Check, instead of the tap's owner reading the data a second time.
type ValueTap interface {
	Tap
	ReadsValues() bool
}

func readsValues(taps []Tap) bool {
	for _, t := range taps {
		if v, ok := t.(ValueTap); ok && v.ReadsValues() {
			return true
		}
	}
	return false
}

// readForTaps reads one input whole for the taps (readsValues): the check
// judges its footer (Parquet) or its structure (CSV, JSON) as
// CheckMetadata does, and the input's size and hash are those of every
// byte read.
func (r *run) readForTaps(ctx context.Context, path string, stats map[string]*footerStats, untrusted *[]string) (report.Input, error) {
	in := report.Input{Path: path}
	sopts := r.opts.Source
	sopts.CSV.Types, sopts.CSV.TimeLayouts = r.plan.csvTypes()
	sopts.JSON.Types, sopts.JSON.TimeLayouts = r.plan.jsonTypes()
	sopts.ReadDictionaries = true // as Check reads, so a profile is the same
	facts, err := source.ReadFile(ctx, path, sopts, func(rd source.Reader) error {
		if md, ok := source.FooterOf(rd); ok {
			r.judgeFooter(path, md, &in, stats, untrusted)
		} else {
			r.rowsUnknown = true // the judgement is the footer's: a CSV states no rows
			r.textColumns(path, rd, stats)
		}
		taps, _, err := selectWithTaps(rd, r.opts.Taps, path, nil)
		if err != nil {
			return err
		}
		// One batch at a time: nothing else decodes or checks values here.
		tasks := taps.tasks()
		for {
			if err := ctx.Err(); err != nil {
				return err
			}
			b, err := rd.Next(ctx)
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if rd.Format() != source.Parquet {
				in.Rows += b.Record.NumRows() // what was read; the footer's count otherwise
			}
			f := &flight{Batch: b}
			for _, task := range tasks {
				if err = task(f); err != nil {
					break
				}
			}
			b.Record.Release()
			if err != nil {
				return &source.ReadError{Path: path, Err: err}
			}
		}
	})
	return in, r.readInput(ctx, path, &in, facts, err)
}

// textStructure reads the structure of a CSV or JSON file: its header, or
// its first record. The file is hashed whole, as nothing else proves what
// was judged, but no value is parsed past the first record.
func (r *run) textStructure(ctx context.Context, path string, stats map[string]*footerStats) (report.Input, error) {
	in := report.Input{Path: path}
	sopts := r.opts.Source
	sopts.CSV.Types, sopts.CSV.TimeLayouts = r.plan.csvTypes()
	sopts.JSON.Types, sopts.JSON.TimeLayouts = r.plan.jsonTypes()
	sopts.BatchSize = 1 // a JSON file's structure is its first record
	r.rowsUnknown = true
	facts, err := source.ReadFile(ctx, path, sopts, func(rd source.Reader) error {
		if err := structureOnly(r.opts.Taps, path, rd.Format(), rd.Schema()); err != nil {
			return err
		}
		r.textColumns(path, rd, stats)
		return nil
	})
	return in, r.readInput(ctx, path, &in, facts, err)
}

// readInput records in the report's input what source.ReadFile read of
// it, and returns the read's error as the check reports it: the context's
// own when the run was cancelled, else a *source.ReadError.
func (r *run) readInput(ctx context.Context, path string, in *report.Input, facts source.Facts, err error) error {
	in.Format, in.Size, in.SHA256 = string(facts.Format), facts.Size, facts.SHA256
	in.Object = reportObject(facts.Object)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return asReadError(path, err)
	}
	r.inputTime(path, facts.Object)
	return nil
}

// textColumns takes a CSV or JSON input's structure into the run: its
// columns, whose values only a full check judges.
func (r *run) textColumns(path string, rd source.Reader, stats map[string]*footerStats) {
	for _, col := range r.structural.compare(r.plan, path, rd.Schema(), rd.Format()) {
		fs := stats[col.name]
		if fs == nil {
			fs = &footerStats{nullsKnown: true, rangeKnown: true}
			stats[col.name] = fs
		}
		fs.add(nil, false)
		fs.text = true
	}
}

// footerStats combines a column's statistics over files. A statistic is
// known only when every file states it and every writer is trusted.
type footerStats struct {
	nullsKnown, rangeKnown bool
	nulls                  int64
	isTime                 bool
	min, max               float64 // times as Unix nanoseconds
	files                  int
	// text says a CSV or JSON file has the column: its values parse, or
	// not, only when read (VALUE_TYPE).
	text bool
}

func (fs *footerStats) add(cs *source.ColumnStats, trusted bool) {
	fs.files++
	if cs == nil || !trusted {
		fs.nullsKnown, fs.rangeKnown = false, false
		return
	}
	if cs.HasNullCount {
		fs.nulls += cs.NullCount
	} else {
		fs.nullsKnown = false
	}
	if !cs.HasMinMax {
		fs.rangeKnown = false
		return
	}
	if cs.IsTime {
		lo, hi := float64(cs.MinTime.UnixNano()), float64(cs.MaxTime.UnixNano())
		if fs.files == 1 || lo < fs.min {
			fs.min = lo
		}
		if fs.files == 1 || hi > fs.max {
			fs.max = hi
		}
		fs.isTime = true
		return
	}
	if fs.files == 1 || cs.Min < fs.min {
		fs.min = cs.Min
	}
	if fs.files == 1 || cs.Max > fs.max {
		fs.max = cs.Max
	}
}

// metadataFindings decides a column's checks from footer statistics.
func metadataFindings(b *builder, c *column, fs *footerStats, rows int64, why string) {
	prop := c.prop
	name := c.name
	var skipped []string
	hasMissing := !c.missing.empty()
	if prop.Required {
		switch {
		case fs.nullsKnown && !hasMissing:
			rules.Nulls(b, name, fs.nulls, rows, nil, prop.PosOf("required"), " (footer statistics)")
		default:
			skipped = append(skipped, rules.ValueNull.ID)
		}
	}
	// The compiled rules decide what the footer proves; the others are
	// listed as skipped, never passed.
	footer := &rules.Footer{IsTime: fs.isTime, Min: fs.min, Max: fs.max}
	for _, ob := range c.obs {
		fo, ok := ob.o.(rules.FooterObserver)
		if !ok || !fs.rangeKnown || hasMissing || !fo.Footer(b, footer) {
			skipped = append(skipped, ob.rule.ID)
		}
	}
	if fs.text && c.exp.kind != kindAny {
		skipped = append(skipped, rules.ValueType.ID)
	}
	if c.unique != nil && (prop.Unique || prop.PrimaryKey) {
		skipped = append(skipped, rules.ValueUnique.ID)
	}
	for i := range prop.Quality {
		q := &prop.Quality[i]
		if q.Type != "library" {
			rules.NotExecutable(b, q, name)
			continue
		}
		if q.Metric == "nullValues" && fs.nullsKnown && !hasMissing {
			rules.Metric(b, rules.QualityNullValues, q, name, fs.nulls, rows, nil)
			continue
		}
		skipped = append(skipped, "quality "+q.Metric)
	}
	if len(skipped) > 0 {
		b.skipped(name, fmt.Sprintf("not checked with --metadata-only: %s (%s)", strings.Join(skipped, ", "), why))
	}
}

// skipped reports checks that did not run.
func (b *builder) skipped(column, msg string) {
	b.check(rules.CheckSkipped, column)
	b.add(rules.CheckSkipped, report.Finding{Severity: report.SeverityInfo, Column: column,
		Message: msg, Expected: "checked", Actual: "skipped"})
}

// dropKeyChecks removes the uniqueness checks of composite keys, which the
// shared builder lists as passing although nothing was read.
func (b *builder) dropKeyChecks() {
	keep := b.checks[:0]
	for _, c := range b.checks {
		if c.Column == "" && (c.Rule == rules.ValueUnique.ID || c.Rule == rules.QualityDuplicateValues.ID) {
			continue
		}
		keep = append(keep, c)
	}
	b.checks = keep
	sort.SliceStable(b.checks, func(i, j int) bool { return b.checks[i].Column < b.checks[j].Column })
}
