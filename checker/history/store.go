// Package history keeps a metric history of the datasets driftgate checks:
// one point per dataset and logical day (row count, per-column metrics,
// findings by rule, verdict, inputs with their hashes, the full report),
// judges each new point against the dataset's own past for anomalies, and
// answers what was known about a batch on a given day.
//
// The store is a SQLite file (a pure-Go driver, so the binary stays static)
// or a PostgreSQL database for teams. Every write is one transaction, so a
// killed run leaves no half-written point and two runs may write one history
// at once.
package history

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver
)

// Store is an open history.
type Store struct {
	db      *sql.DB
	dialect dialect
	// Location is where the history is, with any password removed.
	Location string
}

type dialect int

const (
	sqliteDialect dialect = iota
	postgresDialect
)

// Open opens (creating and migrating when needed) the history at location:
// a file path or sqlite:PATH for SQLite, postgres://… or postgresql://…
// for PostgreSQL.
func Open(ctx context.Context, location string) (*Store, error) {
	s := &Store{Location: redact(location)}
	var err error
	switch {
	case strings.HasPrefix(location, "postgres://"), strings.HasPrefix(location, "postgresql://"):
		s.dialect = postgresDialect
		s.db, err = sql.Open("pgx", location)
	default:
		path := strings.TrimPrefix(location, "sqlite:")
		if path == "" {
			return nil, errors.New("open history: empty path")
		}
		// WAL lets readers run beside a writer; IMMEDIATE transactions
		// take the write lock at BEGIN, so two writers queue behind the
		// busy timeout instead of failing on a lock upgrade.
		dsn := "file:" + path + "?_pragma=busy_timeout(30000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"
		s.db, err = sql.Open("sqlite", dsn)
	}
	if err != nil {
		return nil, fmt.Errorf("open history %s: %w", s.Location, err)
	}
	if err := s.migrate(ctx); err != nil {
		s.db.Close()
		return nil, fmt.Errorf("open history %s: %w", s.Location, err)
	}
	return s, nil
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// redact removes a password from a URL so the location can be printed.
func redact(location string) string {
	u, err := url.Parse(location)
	if err != nil || u.User == nil {
		return location
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// q rewrites the ? placeholders of a statement for the dialect.
func (s *Store) q(stmt string) string {
	if s.dialect != postgresDialect {
		return stmt
	}
	var b strings.Builder
	n := 0
	for _, r := range stmt {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// migrations are the schema's versions, in order; each runs once, in the
// transaction that records it. Only ever append.
var migrations = []struct{ sqlite, postgres string }{
	{
		sqlite: `
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  dataset TEXT NOT NULL,
  as_of TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  contract_id TEXT NOT NULL,
  contract_version TEXT NOT NULL,
  contract_sha256 TEXT NOT NULL,
  schema_name TEXT NOT NULL,
  status TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  report_sha256 TEXT NOT NULL,
  UNIQUE (dataset, as_of)
);
CREATE TABLE metrics (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  column_name TEXT NOT NULL,
  metric TEXT NOT NULL,
  value REAL NOT NULL,
  anomalous INTEGER NOT NULL,
  PRIMARY KEY (run_id, column_name, metric)
);
CREATE TABLE findings (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  rule TEXT NOT NULL,
  severity TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (run_id, rule, severity)
);
CREATE TABLE inputs (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  ord INTEGER NOT NULL,
  path TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  PRIMARY KEY (run_id, ord)
);
CREATE TABLE reports (
  sha256 TEXT PRIMARY KEY,
  gzip BLOB NOT NULL
);`,
		postgres: `
CREATE TABLE runs (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dataset TEXT NOT NULL,
  as_of TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  contract_id TEXT NOT NULL,
  contract_version TEXT NOT NULL,
  contract_sha256 TEXT NOT NULL,
  schema_name TEXT NOT NULL,
  status TEXT NOT NULL,
  duration_ms BIGINT NOT NULL,
  report_sha256 TEXT NOT NULL,
  UNIQUE (dataset, as_of)
);
CREATE TABLE metrics (
  run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  column_name TEXT NOT NULL,
  metric TEXT NOT NULL,
  value DOUBLE PRECISION NOT NULL,
  anomalous INTEGER NOT NULL,
  PRIMARY KEY (run_id, column_name, metric)
);
CREATE TABLE findings (
  run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  rule TEXT NOT NULL,
  severity TEXT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (run_id, rule, severity)
);
CREATE TABLE inputs (
  run_id BIGINT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  ord INTEGER NOT NULL,
  path TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  PRIMARY KEY (run_id, ord)
);
CREATE TABLE reports (
  sha256 TEXT PRIMARY KEY,
  gzip BYTEA NOT NULL
);`,
	},
}

// SchemaVersion is the schema version this build writes.
var SchemaVersion = len(migrations)

// migrate brings the schema to SchemaVersion. A history written by a newer
// driftgate is refused rather than misread.
func (s *Store) migrate(ctx context.Context) error {
	return s.tx(ctx, func(tx *sql.Tx) error {
		if s.dialect == postgresDialect {
			// Two runs opening a new history at once: one migrates, the
			// other waits and then sees the version.
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7146381)`); err != nil {
				return fmt.Errorf("lock the schema: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS driftgate_history (schema_version INTEGER NOT NULL)`); err != nil {
			return fmt.Errorf("create the version table: %w", err)
		}
		version := 0
		err := tx.QueryRowContext(ctx, `SELECT schema_version FROM driftgate_history`).Scan(&version)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if _, err := tx.ExecContext(ctx, `INSERT INTO driftgate_history (schema_version) VALUES (0)`); err != nil {
				return fmt.Errorf("record the schema version: %w", err)
			}
		case err != nil:
			return fmt.Errorf("read the schema version: %w", err)
		}
		if version > len(migrations) {
			return fmt.Errorf("the history has schema version %d, newer than this driftgate's %d: upgrade driftgate", version, len(migrations))
		}
		for v := version; v < len(migrations); v++ {
			stmts := migrations[v].sqlite
			if s.dialect == postgresDialect {
				stmts = migrations[v].postgres
			}
			for _, stmt := range strings.Split(stmts, ";") {
				if strings.TrimSpace(stmt) == "" {
					continue
				}
				if _, err := tx.ExecContext(ctx, stmt); err != nil {
					return fmt.Errorf("migrate to schema version %d: %w", v+1, err)
				}
			}
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE driftgate_history SET schema_version = ?`), v+1); err != nil {
				return fmt.Errorf("record schema version %d: %w", v+1, err)
			}
		}
		return nil
	})
}

// tx runs fn in one transaction, committed only when fn succeeds.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Point is what one run records about one dataset at one logical time.
type Point struct {
	Dataset         string
	AsOf            time.Time
	RecordedAt      time.Time
	ContractID      string
	ContractVersion string
	ContractSHA256  string
	Schema          string
	Status          string
	Duration        time.Duration
	Metrics         []Metric
	Findings        []FindingCount
	Inputs          []Input
	// Report is the run's JSON report, stored compressed and addressed by
	// its SHA-256.
	Report []byte
	// ReportSHA256 is set by the store.
	ReportSHA256 string
}

// Metric is one measured value. Column is empty for dataset metrics (rows).
type Metric struct {
	Column    string
	Name      string
	Value     float64
	Anomalous bool
}

// FindingCount is how many findings of a rule and severity a run had.
type FindingCount struct {
	Rule     string
	Severity string
	Count    int64
}

// Input is one file or object a run read.
type Input struct {
	Path   string
	Size   int64
	SHA256 string
}

const timeLayout = "2006-01-02T15:04:05Z"

// Record stores p, replacing any point of the same dataset and as-of time
// (a re-run or backfill of a day is idempotent), in one transaction.
func (s *Store) Record(ctx context.Context, p *Point) error {
	sum := sha256.Sum256(p.Report)
	p.ReportSHA256 = hex.EncodeToString(sum[:])
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	if _, err := zw.Write(p.Report); err != nil {
		return fmt.Errorf("compress the report: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("compress the report: %w", err)
	}
	asOf := p.AsOf.UTC().Format(timeLayout)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.deleteRuns(ctx, tx, `dataset = ? AND as_of = ?`, p.Dataset, asOf); err != nil {
			return err
		}
		var id int64
		err := tx.QueryRowContext(ctx, s.q(`INSERT INTO runs
  (dataset, as_of, recorded_at, contract_id, contract_version, contract_sha256, schema_name, status, duration_ms, report_sha256)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			p.Dataset, asOf, p.RecordedAt.UTC().Format(timeLayout), p.ContractID, p.ContractVersion, p.ContractSHA256,
			p.Schema, p.Status, p.Duration.Milliseconds(), p.ReportSHA256).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert the run: %w", err)
		}
		for _, m := range p.Metrics {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO metrics (run_id, column_name, metric, value, anomalous) VALUES (?, ?, ?, ?, ?)`),
				id, m.Column, m.Name, m.Value, boolInt(m.Anomalous)); err != nil {
				return fmt.Errorf("insert metric %s %s: %w", m.Column, m.Name, err)
			}
		}
		for _, f := range p.Findings {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO findings (run_id, rule, severity, count) VALUES (?, ?, ?, ?)`),
				id, f.Rule, f.Severity, f.Count); err != nil {
				return fmt.Errorf("insert findings of %s: %w", f.Rule, err)
			}
		}
		for i, in := range p.Inputs {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO inputs (run_id, ord, path, size, sha256) VALUES (?, ?, ?, ?, ?)`),
				id, i, in.Path, in.Size, in.SHA256); err != nil {
				return fmt.Errorf("insert input %s: %w", in.Path, err)
			}
		}
		conflict := `INSERT INTO reports (sha256, gzip) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING`
		if _, err := tx.ExecContext(ctx, s.q(conflict), p.ReportSHA256, zipped.Bytes()); err != nil {
			return fmt.Errorf("insert the report: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("record %s at %s in history %s: %w", p.Dataset, asOf, s.Location, err)
	}
	return nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// deleteRuns deletes the runs matching where, and what belongs to them.
func (s *Store) deleteRuns(ctx context.Context, tx *sql.Tx, where string, args ...any) error {
	sub := `SELECT id FROM runs WHERE ` + where
	for _, table := range []string{"metrics", "findings", "inputs"} {
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM `+table+` WHERE run_id IN (`+sub+`)`), args...); err != nil {
			return fmt.Errorf("delete old %s: %w", table, err)
		}
	}
	if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM runs WHERE `+where), args...); err != nil {
		return fmt.Errorf("delete old runs: %w", err)
	}
	// Reports no run refers to any more.
	if _, err := tx.ExecContext(ctx, `DELETE FROM reports WHERE sha256 NOT IN (SELECT report_sha256 FROM runs)`); err != nil {
		return fmt.Errorf("delete unused reports: %w", err)
	}
	return nil
}

// Series returns the stored values of one metric of a dataset (column ""
// for dataset metrics) before the given time, oldest first.
func (s *Store) Series(ctx context.Context, dataset, column, metric string, before time.Time) ([]Sample, error) {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT r.as_of, m.value, m.anomalous FROM metrics m JOIN runs r ON r.id = m.run_id
  WHERE r.dataset = ? AND m.column_name = ? AND m.metric = ? AND r.as_of < ? ORDER BY r.as_of`),
		dataset, column, metric, before.UTC().Format(timeLayout))
	if err != nil {
		return nil, fmt.Errorf("read %s %s of %s: %w", column, metric, dataset, err)
	}
	defer rows.Close()
	var out []Sample
	for rows.Next() {
		var at string
		var anomalous int
		var smp Sample
		if err := rows.Scan(&at, &smp.Value, &anomalous); err != nil {
			return nil, fmt.Errorf("read %s %s of %s: %w", column, metric, dataset, err)
		}
		if smp.AsOf, err = time.Parse(timeLayout, at); err != nil {
			return nil, fmt.Errorf("read %s %s of %s: bad time %q: %w", column, metric, dataset, at, err)
		}
		smp.Anomalous = anomalous != 0
		out = append(out, smp)
	}
	return out, rows.Err()
}

// Run is a stored run without its metrics.
type Run struct {
	Dataset         string
	AsOf            time.Time
	RecordedAt      time.Time
	ContractID      string
	ContractVersion string
	ContractSHA256  string
	Schema          string
	Status          string
	Duration        time.Duration
	ReportSHA256    string
	Inputs          []Input
	Findings        []FindingCount
	Metrics         []Metric
	id              int64
}

// Runs returns the stored runs of a dataset ("" for every dataset), oldest
// first, each with its metrics, findings and inputs.
func (s *Store) Runs(ctx context.Context, dataset string) ([]Run, error) {
	where, args := "", []any{}
	if dataset != "" {
		where, args = "WHERE dataset = ?", []any{dataset}
	}
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, dataset, as_of, recorded_at, contract_id, contract_version, contract_sha256,
  schema_name, status, duration_ms, report_sha256 FROM runs `+where+` ORDER BY dataset, as_of`), args...)
	if err != nil {
		return nil, fmt.Errorf("read runs: %w", err)
	}
	var runs []Run
	byID := map[int64]int{}
	for rows.Next() {
		var r Run
		var asOf, recorded string
		var ms int64
		if err := rows.Scan(&r.id, &r.Dataset, &asOf, &recorded, &r.ContractID, &r.ContractVersion, &r.ContractSHA256,
			&r.Schema, &r.Status, &ms, &r.ReportSHA256); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read runs: %w", err)
		}
		// A time that does not parse is a damaged store, never a run at
		// the zero time that would sort first and pass for the oldest.
		if r.AsOf, err = time.Parse(timeLayout, asOf); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read runs: run %d of %s: bad as-of time %q: %w", r.id, r.Dataset, asOf, err)
		}
		if r.RecordedAt, err = time.Parse(timeLayout, recorded); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read runs: run %d of %s: bad recorded time %q: %w", r.id, r.Dataset, recorded, err)
		}
		r.Duration = time.Duration(ms) * time.Millisecond
		byID[r.id] = len(runs)
		runs = append(runs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read runs: %w", err)
	}
	if len(runs) == 0 {
		return nil, nil
	}
	join := `JOIN runs r ON r.id = t.run_id ` + strings.Replace(where, "dataset", "r.dataset", 1)
	type metricRow struct {
		Metric
		anomalous int
	}
	if err := children(ctx, s, `SELECT t.run_id, t.column_name, t.metric, t.value, t.anomalous FROM metrics t `+join+` ORDER BY t.run_id, t.column_name, t.metric`, args,
		func(m *metricRow) []any { return []any{&m.Column, &m.Name, &m.Value, &m.anomalous} },
		func(r *Run, m metricRow) { m.Anomalous = m.anomalous != 0; r.Metrics = append(r.Metrics, m.Metric) }, runs, byID); err != nil {
		return nil, fmt.Errorf("read metrics: %w", err)
	}
	if err := children(ctx, s, `SELECT t.run_id, t.rule, t.severity, t.count FROM findings t `+join+` ORDER BY t.run_id, t.rule, t.severity`, args,
		func(f *FindingCount) []any { return []any{&f.Rule, &f.Severity, &f.Count} },
		func(r *Run, f FindingCount) { r.Findings = append(r.Findings, f) }, runs, byID); err != nil {
		return nil, fmt.Errorf("read findings: %w", err)
	}
	if err := children(ctx, s, `SELECT t.run_id, t.path, t.size, t.sha256 FROM inputs t `+join+` ORDER BY t.run_id, t.ord`, args,
		func(in *Input) []any { return []any{&in.Path, &in.Size, &in.SHA256} },
		func(r *Run, in Input) { r.Inputs = append(r.Inputs, in) }, runs, byID); err != nil {
		return nil, fmt.Errorf("read inputs: %w", err)
	}
	return runs, nil
}

// children reads the rows of a table that belong to runs (its first column
// is run_id): fields names where each row's other columns go, add files the
// row under its run.
func children[T any](ctx context.Context, s *Store, query string, args []any, fields func(*T) []any, add func(*Run, T), runs []Run, byID map[int64]int) error {
	return s.each(ctx, query, args, func(scan func(...any) error) error {
		var id int64
		var v T
		if err := scan(append([]any{&id}, fields(&v)...)...); err != nil {
			return err
		}
		add(&runs[byID[id]], v)
		return nil
	})
}

// each runs a query and calls row for every result row with its Scan.
func (s *Store) each(ctx context.Context, query string, args []any, row func(scan func(...any) error) error) error {
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows.Scan); err != nil {
			return err
		}
	}
	return rows.Err()
}

// maxStoredReport bounds a stored report once unpacked. Reports cut
// example values to 200 bytes and keep five a finding; no real one comes
// near.
const maxStoredReport = 256 << 20

// ErrNoRun means no run of the dataset was recorded for the time asked.
var ErrNoRun = errors.New("no run recorded")

// At returns the run of a dataset in force at the given time (the latest
// as-of not after it) with its stored JSON report: what was known then.
func (s *Store) At(ctx context.Context, dataset string, at time.Time) (*Run, []byte, error) {
	runs, err := s.Runs(ctx, dataset)
	if err != nil {
		return nil, nil, err
	}
	var found *Run
	for i := range runs {
		if !runs[i].AsOf.After(at) {
			found = &runs[i]
		}
	}
	if found == nil {
		return nil, nil, fmt.Errorf("%s on or before %s: %w", dataset, at.Format("2006-01-02"), ErrNoRun)
	}
	var zipped []byte
	if err := s.db.QueryRowContext(ctx, s.q(`SELECT gzip FROM reports WHERE sha256 = ?`), found.ReportSHA256).Scan(&zipped); err != nil {
		return nil, nil, fmt.Errorf("read the report of %s at %s: %w", dataset, found.AsOf.Format(timeLayout), err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped))
	if err != nil {
		return nil, nil, fmt.Errorf("read the report of %s: %w", dataset, err)
	}
	// A damaged or hostile store may hold a gzip bomb: read one byte more
	// than the bound to tell a report at the bound from a larger one.
	report, err := io.ReadAll(io.LimitReader(zr, maxStoredReport+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read the report of %s: %w", dataset, err)
	}
	if len(report) > maxStoredReport {
		return nil, nil, fmt.Errorf("read the report of %s: it unpacks to more than %d bytes; the store is damaged", dataset, maxStoredReport)
	}
	if sum := sha256.Sum256(report); hex.EncodeToString(sum[:]) != found.ReportSHA256 {
		return nil, nil, fmt.Errorf("the stored report of %s at %s does not match its hash %s", dataset, found.AsOf.Format(timeLayout), found.ReportSHA256)
	}
	return found, report, nil
}

// Prune deletes the runs whose as-of time is before cutoff and returns how
// many it deleted.
func (s *Store) Prune(ctx context.Context, cutoff time.Time) (int64, error) {
	var n int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		c := cutoff.UTC().Format(timeLayout)
		if err := tx.QueryRowContext(ctx, s.q(`SELECT count(*) FROM runs WHERE as_of < ?`), c).Scan(&n); err != nil {
			return err
		}
		return s.deleteRuns(ctx, tx, `as_of < ?`, c)
	})
	if err != nil {
		return 0, fmt.Errorf("prune history %s: %w", s.Location, err)
	}
	return n, nil
}
