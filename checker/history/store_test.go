package history

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/driftgate/driftgate/fixtures/testenv"
)

// backends opens a fresh, empty history in each store driftgate supports:
// a SQLite file, and a database of its own on the test PostgreSQL server.
func backends(t *testing.T) map[string]string {
	t.Helper()
	return map[string]string{
		"sqlite":   filepath.Join(t.TempDir(), "history.db"),
		"postgres": testenv.PostgresDatabase(t, "history").String(),
	}
}

func point(dataset string, asOf time.Time, rows float64) *Point {
	return &Point{
		Dataset: dataset, AsOf: asOf, RecordedAt: asOf.Add(time.Hour),
		ContractID: "urn:orders", ContractVersion: "1.2.0", ContractSHA256: "c0ffee", Schema: "orders",
		Status: "pass", Duration: 1500 * time.Millisecond,
		Metrics:  []Metric{{Name: "rows", Value: rows}, {Column: "amount", Name: "null_rate", Value: 0.01}},
		Findings: []FindingCount{{Rule: "VALUE_RANGE", Severity: "error", Count: 3}},
		Inputs:   []Input{{Path: "data/orders.parquet", Size: 1234, SHA256: "abcd"}},
		Report:   []byte(fmt.Sprintf(`{"reportVersion":1,"rows":%v}`, rows)),
	}
}

func TestStore(t *testing.T) {
	ctx := context.Background()
	day1 := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	day2 := day1.AddDate(0, 0, 1)
	for name, loc := range backends(t) {
		t.Run(name, func(t *testing.T) {
			s, err := Open(ctx, loc)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			t.Run("a recorded point reads back with its metrics, findings and inputs", func(t *testing.T) {
				if err := s.Record(ctx, point("orders", day1, 100)); err != nil {
					t.Fatal(err)
				}
				runs, err := s.Runs(ctx, "orders")
				if err != nil {
					t.Fatal(err)
				}
				if len(runs) != 1 || runs[0].Status != "pass" || len(runs[0].Metrics) != 2 || len(runs[0].Findings) != 1 ||
					runs[0].Inputs[0].SHA256 != "abcd" || runs[0].Duration != 1500*time.Millisecond {
					t.Fatalf("runs = %+v", runs)
				}
			})
			t.Run("recording the same day again replaces the point", func(t *testing.T) {
				if err := s.Record(ctx, point("orders", day1, 200)); err != nil {
					t.Fatal(err)
				}
				series, err := s.Series(ctx, "orders", "", "rows", day2)
				if err != nil {
					t.Fatal(err)
				}
				if len(series) != 1 || series[0].Value != 200 {
					t.Fatalf("series = %+v, want one point of 200", series)
				}
			})
			t.Run("the report stored for a day reads back as it was", func(t *testing.T) {
				if err := s.Record(ctx, point("orders", day2, 300)); err != nil {
					t.Fatal(err)
				}
				run, report, err := s.At(ctx, "orders", day1.Add(12*time.Hour))
				if err != nil {
					t.Fatal(err)
				}
				if !run.AsOf.Equal(day1) || string(report) != `{"reportVersion":1,"rows":200}` {
					t.Fatalf("At(day1) = %v %s", run.AsOf, report)
				}
				if _, _, err := s.At(ctx, "orders", day1.AddDate(0, 0, -1)); !errors.Is(err, ErrNoRun) {
					t.Fatalf("At(before any run) error = %v, want ErrNoRun", err)
				}
			})
			t.Run("a write that fails half-way leaves nothing", func(t *testing.T) {
				bad := point("orders", day2.AddDate(0, 0, 1), 1)
				bad.Metrics = append(bad.Metrics, bad.Metrics[0]) // a duplicate key fails the second insert
				if err := s.Record(ctx, bad); err == nil {
					t.Fatal("Record of a point with a duplicate metric succeeded")
				}
				runs, _ := s.Runs(ctx, "orders")
				if len(runs) != 2 {
					t.Fatalf("%d runs after a failed write, want 2", len(runs))
				}
			})
			t.Run("two writers at once both land", func(t *testing.T) {
				var wg sync.WaitGroup
				errs := make(chan error, 2)
				for w := range 2 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						other, err := Open(ctx, loc)
						if err != nil {
							errs <- err
							return
						}
						defer other.Close()
						for i := range 15 {
							if err := other.Record(ctx, point(fmt.Sprintf("writer%d", w), day1.AddDate(0, 0, i), float64(i))); err != nil {
								errs <- err
								return
							}
						}
					}()
				}
				wg.Wait()
				close(errs)
				for err := range errs {
					t.Fatal(err)
				}
				for w := range 2 {
					runs, _ := s.Runs(ctx, fmt.Sprintf("writer%d", w))
					if len(runs) != 15 {
						t.Errorf("writer%d: %d runs, want 15", w, len(runs))
					}
				}
			})
			t.Run("prune deletes points before the cutoff", func(t *testing.T) {
				n, err := s.Prune(ctx, day2)
				if err != nil {
					t.Fatal(err)
				}
				if n != 3 { // orders day1, writer0 and writer1 day1
					t.Fatalf("pruned %d runs, want 3", n)
				}
				runs, _ := s.Runs(ctx, "orders")
				if len(runs) != 1 || !runs[0].AsOf.Equal(day2) {
					t.Fatalf("after prune: %+v", runs)
				}
			})
		})
	}
}

// TestKilledWriterLeavesNoHalfPoint kills a process in the middle of
// writing points, many times, and checks that every stored point is whole.
func TestKilledWriterLeavesNoHalfPoint(t *testing.T) {
	if loc := os.Getenv("DRIFTGATE_HISTORY_WRITER"); loc != "" {
		s, err := Open(context.Background(), loc)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		for i := 0; ; i++ {
			p := point("killed", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i%50), float64(i))
			for c := range 200 {
				p.Metrics = append(p.Metrics, Metric{Column: fmt.Sprintf("c%03d", c), Name: "mean", Value: float64(i)})
			}
			if err := s.Record(context.Background(), p); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
		}
	}
	loc := filepath.Join(t.TempDir(), "history.db")
	for trial := range 5 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestKilledWriterLeavesNoHalfPoint$")
		cmd.Env = append(os.Environ(), "DRIFTGATE_HISTORY_WRITER="+loc)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(300+100*trial) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		s, err := Open(context.Background(), loc)
		if err != nil {
			t.Fatalf("trial %d: open after kill: %v", trial, err)
		}
		runs, err := s.Runs(context.Background(), "killed")
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range runs {
			if len(r.Metrics) != 202 || len(r.Findings) != 1 || len(r.Inputs) != 1 {
				t.Fatalf("trial %d: run at %s has %d metrics, %d findings, %d inputs: a half-written point",
					trial, r.AsOf, len(r.Metrics), len(r.Findings), len(r.Inputs))
			}
		}
		t.Logf("trial %d: %d whole points after the kill", trial, len(runs))
	}
}

func TestOpenRefusesANewerSchema(t *testing.T) {
	loc := filepath.Join(t.TempDir(), "history.db")
	s, err := Open(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE driftgate_history SET schema_version = 99`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := Open(context.Background(), loc); err == nil {
		t.Fatal("opened a history with schema version 99")
	}
}
