package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/driftgate/driftgate/checker/source"
)

// reads counts, per data input, how often a command opened it and how many
// bytes it read from it, through the one place inputs are opened
// (source.Options.Open).
type reads struct {
	mu sync.Mutex
	by map[string]*inputReads
}

type inputReads struct {
	opens int
	bytes atomic.Int64
}

func newReads() *reads { return &reads{by: map[string]*inputReads{}} }

func (r *reads) open(ctx context.Context, name string) (source.Input, error) {
	in, err := source.OpenAny(ctx, name, nil)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.by[name]
	if c == nil {
		c = &inputReads{}
		r.by[name] = c
	}
	c.opens++
	return countedInput{Input: in, c: c}, nil
}

// of returns what was read of name so far, and forgets it.
func (r *reads) of(name string) (opens int, bytes int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := r.by[name]
	delete(r.by, name)
	if c == nil {
		return 0, 0
	}
	return c.opens, c.bytes.Load()
}

// cli runs a command as cli does, with inputs opened through r.
func (r *reads) cli(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	e := env{stdout: &out, stderr: &errb, getenv: func(string) string { return "" }, open: r.open}
	code = run(context.Background(), args, e)
	return out.String(), errb.String(), code
}

type countedInput struct {
	source.Input
	c *inputReads
}

func (in countedInput) ReaderAt() io.ReaderAt {
	ra := in.Input.ReaderAt()
	if ra == nil {
		return nil
	}
	return countedReaderAt{ra, in.c}
}

func (in countedInput) Stream() (io.Reader, error) {
	r, err := in.Input.Stream()
	if err != nil {
		return nil, err
	}
	return countedReader{r, in.c}, nil
}

type countedReaderAt struct {
	ra io.ReaderAt
	c  *inputReads
}

func (r countedReaderAt) ReadAt(p []byte, off int64) (int, error) {
	n, err := r.ra.ReadAt(p, off)
	r.c.bytes.Add(int64(n))
	return n, err
}

type countedReader struct {
	r io.Reader
	c *inputReads
}

func (r countedReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.c.bytes.Add(int64(n))
	return n, err
}

func fileSHA256(t *testing.T, path string) (int64, string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return int64(len(b)), hex.EncodeToString(sum[:])
}

// TestRunWithABaselineAndHistoryReadsEachInputOnce runs `driftgate run`
// on two datasets with baselines and --history: the check, the profile
// that drift and the history need, and the hash share one read of each
// input. A CSV file is opened once and read once, byte for byte; a Parquet
// file is opened once and read as much as profiling it alone reads (each
// column chunk once, and the hash's pass over the file, which comes from
// the page cache the decoding fills). The report's size and SHA-256 are
// those of the file.
func TestRunWithABaselineAndHistoryReadsEachInputOnce(t *testing.T) {
	fixtures, err := filepath.Abs(filepath.Join("..", "..", "fixtures", "orders"))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	t.Chdir(root)
	copyFile(t, filepath.Join(fixtures, "contract.odcs.yaml"), filepath.Join("contracts", "orders.odcs.yaml"))
	copyFile(t, filepath.Join(fixtures, "orders.parquet"), filepath.Join("data", "orders.parquet"))
	copyFile(t, filepath.Join(fixtures, "orders.csv"), filepath.Join("data", "orders.csv"))
	writeFile(t, "driftgate.yaml", `version: 1
datasets:
  - name: orders
    data: [data/orders.parquet]
    contract: contracts/orders.odcs.yaml
    baseline: baselines/parquet.profile.json
  - name: orders-csv
    data: [data/orders.csv]
    contract: contracts/orders.odcs.yaml
    baseline: baselines/csv.profile.json
`)
	inputs := []struct{ data, baseline string }{
		{filepath.Join("data", "orders.parquet"), filepath.Join("baselines", "parquet.profile.json")},
		{filepath.Join("data", "orders.csv"), filepath.Join("baselines", "csv.profile.json")},
	}
	r := newReads()
	alone := map[string]int64{}
	for _, in := range inputs {
		_, stderr, code := r.cli(t, "profile", "-q", "-c", filepath.Join("contracts", "orders.odcs.yaml"), in.data, "-o", in.baseline)
		if code != exitPass {
			t.Fatalf("profile %s: exit %d: %s", in.data, code, stderr)
		}
		opens, n := r.of(in.data)
		if opens != 1 {
			t.Errorf("profile opened %s %d times, want once", in.data, opens)
		}
		alone[in.data] = n
	}

	// The planted fixture fails its checks (exit 1); drift against its own
	// profile finds nothing.
	stdout, stderr, code := r.cli(t, "run", "-q", "--history", "history.db", "--format", "json=out/run.json")
	if code != exitFailed {
		t.Fatalf("run: exit %d, want 1 (the planted checks fail)\n%s\n%s", code, stdout, stderr)
	}
	rep := readReport(t, filepath.Join("out", "run.json"))
	for _, in := range inputs {
		size, sum := fileSHA256(t, in.data)
		opens, n := r.of(in.data)
		if opens != 1 {
			t.Errorf("run opened %s %d times, want once (check, profile and hash share one read)", in.data, opens)
		}
		if filepath.Ext(in.data) == ".csv" && n != size {
			t.Errorf("run read %d bytes of %s, want its %d bytes exactly once", n, in.data, size)
		}
		if n != alone[in.data] {
			t.Errorf("run read %d bytes of %s, profiling it alone reads %d", n, in.data, alone[in.data])
		}
		found := false
		for _, ri := range rep.Inputs {
			if ri.Path == in.data {
				found = true
				if ri.Size != size || ri.SHA256 != sum {
					t.Errorf("report input %s: size %d sha256 %s, want the file's %d %s", in.data, ri.Size, ri.SHA256, size, sum)
				}
			}
		}
		if !found {
			t.Errorf("the report lists no input %s: %+v", in.data, rep.Inputs)
		}
	}
	drifted := 0
	for _, f := range rep.Findings {
		if f.Rule == "DRIFT_SCHEMA" || f.Rule == "DRIFT_DISTRIBUTION" || f.Rule == "DRIFT_NULL_RATE" {
			drifted++
		}
	}
	if len(rep.Drift) == 0 || drifted != 0 {
		t.Errorf("drift against the batch's own profile: %d columns compared, %d drift findings; want columns and none", len(rep.Drift), drifted)
	}
	if _, err := os.Stat("history.db"); err != nil {
		t.Errorf("the run recorded no history: %v", err)
	}
}

// TestCheckAllVersionsReadsEachInputOnce: --all-versions compares every
// version of the contract with the structure the check read, without
// opening the data again.
func TestCheckAllVersionsReadsEachInputOnce(t *testing.T) {
	inRepoRoot(t)
	data := filepath.Join(t.TempDir(), "old.csv")
	if err := os.WriteFile(data, []byte("order_id,amount\n1,9.5\n2,12\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := newReads()
	for _, args := range [][]string{
		{"check", "-c", versions, "--all-versions", data},
		{"check", "-c", versions, "--all-versions", "--metadata-only", data},
	} {
		_, stderr, code := r.cli(t, args...)
		if code != exitFailed {
			t.Fatalf("%q: exit %d, want 1 (the batch breaks 2.0.0): %s", args, code, stderr)
		}
		if opens, _ := r.of(data); opens != 1 {
			t.Errorf("%q opened the data %d times, want once", args, opens)
		}
	}
}
