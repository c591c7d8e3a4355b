package history

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzStoreRead writes arbitrary values into the columns of a stored
// history, as a damaged or hand-edited SQLite file would hold them, and
// reads them back the way every history command does: runs, a series, the
// report in force at a time, anomaly judging and the history page. A read
// gives a result or an error, never a panic, and never a run whose time
// did not parse.
func FuzzStoreRead(f *testing.F) {
	var zipped bytes.Buffer
	zw := gzip.NewWriter(&zipped)
	zw.Write([]byte(`{"reportVersion":1}`))
	zw.Close()
	f.Add("2026-11-02T00:00:00Z", "2026-11-02T01:00:00Z", 100.0, int64(0), int64(1500), "rows", zipped.Bytes())
	f.Add("2026-11-03", "yesterday", math.NaN(), int64(-1), int64(math.MaxInt64), "null_rate", []byte("\x1f\x8b not gzip"))
	f.Add("", "", math.Inf(1), int64(7), int64(math.MinInt64), "lag", []byte{})

	path := filepath.Join(f.TempDir(), "history.db")
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, asOf, recorded string, value float64, anomalous, ms int64, metric string, gz []byte) {
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		for _, table := range []string{"metrics", "findings", "inputs", "reports", "runs"} {
			if _, err := s.db.ExecContext(ctx, "DELETE FROM "+table); err != nil {
				t.Fatal(err)
			}
		}
		// Two runs, so that the series has a history before the second.
		const hash = "feed"
		for i, at := range []string{asOf, "2026-12-31T00:00:00Z"} {
			if _, err := s.db.ExecContext(ctx, `INSERT INTO runs (id, dataset, as_of, recorded_at, contract_id, contract_version, contract_sha256,
  schema_name, status, duration_ms, report_sha256) VALUES (?, 'd', ?, ?, 'c', '1', 'x', 'orders', 'pass', ?, ?)`, i+1, at, recorded, ms, hash); err != nil {
				return // the same as-of twice: not a history the store can hold
			}
			if _, err := s.db.ExecContext(ctx, `INSERT INTO metrics (run_id, column_name, metric, value, anomalous) VALUES (?, '', ?, ?, ?)`,
				i+1, metric, value, anomalous); err != nil {
				return // NaN is NULL to SQLite, which the column refuses
			}
			if _, err := s.db.ExecContext(ctx, `INSERT INTO findings (run_id, rule, severity, count) VALUES (?, ?, ?, ?)`, i+1, metric, recorded, ms); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.db.ExecContext(ctx, `INSERT INTO reports (sha256, gzip) VALUES (?, ?)`, hash, gz); err != nil {
			t.Fatal(err)
		}

		runs, err := s.Runs(ctx, "")
		if err == nil {
			for _, r := range runs {
				if r.AsOf.IsZero() || r.RecordedAt.IsZero() {
					t.Fatalf("run read with as-of %q, recorded %q: times %v, %v and no error", asOf, recorded, r.AsOf, r.RecordedAt)
				}
			}
			var html bytes.Buffer
			if err := BuildPage("d", runs).WriteHTML(&html); err != nil {
				t.Fatalf("history page: %v", err)
			}
		}
		future := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
		if _, err := s.Series(ctx, "d", "", metric, future); err != nil {
			return
		}
		if _, err := s.Judge(ctx, "d", future, []Metric{{Name: metric, Value: value}}, Config{}); err != nil {
			t.Fatalf("judge a series that read: %v", err)
		}
		if _, report, err := s.At(ctx, "d", future); err == nil && len(report) > maxStoredReport {
			t.Fatalf("a report of %d bytes read, over the bound of %d", len(report), maxStoredReport)
		} else if err != nil && errors.Is(err, ErrNoRun) && len(runs) > 0 {
			t.Fatalf("runs read but none in force: %v", err)
		}
	})
}

func TestADamagedStoreIsAnErrorNotAGuess(t *testing.T) {
	ctx := context.Background()
	open := func(t *testing.T) *Store {
		s, err := Open(ctx, filepath.Join(t.TempDir(), "history.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if err := s.Record(ctx, point("orders", time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC), 100)); err != nil {
			t.Fatal(err)
		}
		return s
	}
	t.Run("a run time that does not parse is an error naming it, not the year 1", func(t *testing.T) {
		s := open(t)
		if _, err := s.db.ExecContext(ctx, `UPDATE runs SET as_of = 'yesterday'`); err != nil {
			t.Fatal(err)
		}
		_, err := s.Runs(ctx, "orders")
		if err == nil || !strings.Contains(err.Error(), `bad as-of time "yesterday"`) {
			t.Fatalf("err = %v, want the bad as-of time named", err)
		}
	})
	t.Run("a stored report that unpacks beyond the bound is refused, not read into memory", func(t *testing.T) {
		s := open(t)
		var bomb bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestSpeed)
		zeros := make([]byte, 1<<20)
		for range maxStoredReport>>20 + 1 {
			zw.Write(zeros)
		}
		zw.Close()
		if _, err := s.db.ExecContext(ctx, `UPDATE reports SET gzip = ?`, bomb.Bytes()); err != nil {
			t.Fatal(err)
		}
		_, _, err := s.At(ctx, "orders", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
		if err == nil || !strings.Contains(err.Error(), "unpacks to more than 268435456 bytes") {
			t.Fatalf("err = %v, want the report refused at the bound", err)
		}
	})
}
