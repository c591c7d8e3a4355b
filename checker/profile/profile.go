// Package profile builds compact, mergeable statistical profiles of data
// columns in one streaming pass: counts, exact moments, a t-digest quantile
// sketch, a HyperLogLog distinct estimate, bounded frequent values, string
// lengths and value shapes. A profile is kept next to a contract as the
// baseline that `driftgate drift` compares new batches with.
//
// Memory is bounded per column whatever the row count: the sketches have
// fixed capacities (see the constants below), and the saved profile is a few
// kilobytes per column.
//
// Profiles merge: profiling partitions separately and merging the profiles
// gives exactly the counts, minimum, maximum, sum and sum of squares (hence
// mean and variance) of one profile of everything, because sums are kept as
// exact floating-point expansions; the sketches merge within their stated
// error.
package profile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
)

// Version is the profileVersion of the file format. Readers refuse newer
// versions rather than misreading them.
const Version = 1

// Capacities of the bounded summaries. They fix the memory per column and
// the size of the file.
const (
	// TopK is how many frequent values a string column keeps (Misra-Gries
	// summary): a value's count is undercounted by at most
	// Values.MaxError, which is at most rows/(TopK+1).
	TopK = 64
	// ShapeK is how many value shapes a column keeps.
	ShapeK = 32
	// ExactValuesK is how many distinct values a numeric column counts
	// exactly; a column with more is not categorical and drops the table.
	ExactValuesK = 64
	// Compression is the t-digest compression: about 100-200 centroids,
	// quantile rank error well under 1% (far less in the tails).
	Compression = 100
	// HLLPrecision gives 4096 registers: 1.6% standard error on the
	// distinct count.
	HLLPrecision = 12
	// MaxValueLen truncates long values kept as frequent values (bytes).
	MaxValueLen = 120
	// HistogramBins is the number of equal-width bins of the histogram a
	// profile shows for a numeric column.
	HistogramBins = 20
)

// Kind is how a column is profiled.
type Kind string

// The kinds of columns.
const (
	Numeric  Kind = "numeric"  // integers, floats, decimals
	Temporal Kind = "temporal" // dates, timestamps, times: numbers (days or seconds) plus min/max
	String   Kind = "string"
	Boolean  Kind = "boolean"
	Other    Kind = "other" // nested and binary columns: counts only
)

// Profile is the statistics of one batch of data (one or more files) for
// one schema object.
type Profile struct {
	ProfileVersion int          `json:"profileVersion"`
	Tool           Tool         `json:"tool"`
	Contract       *ContractRef `json:"contract,omitempty"`
	// Sources are the files profiled, in order. A merged profile lists
	// the sources of every part.
	Sources []Source `json:"sources"`
	// Batches counts the profile runs merged into this one (1 for a
	// single run): DRIFT_ROW_COUNT compares a new batch with rows/batches.
	Batches int64    `json:"batches"`
	Rows    int64    `json:"rows"`
	Columns []Column `json:"columns"`
}

// Tool identifies the program that wrote the profile.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// ContractRef is the contract (and schema object) the profile was built
// for.
type ContractRef struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Schema  string `json:"schema,omitempty"`
}

// Source is one profiled file.
type Source struct {
	Path   string `json:"path"`
	Format string `json:"format"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
	Rows   int64  `json:"rows"`
}

// Column is the profile of one column.
type Column struct {
	Name string `json:"name"`
	// Type is the Arrow type the column was read as, e.g. int64, utf8,
	// timestamp[us, tz=UTC].
	Type string `json:"type"`
	Kind Kind   `json:"kind"`
	Rows int64  `json:"rows"`
	// Nulls counts nulls and values the contract lists in missingValues.
	Nulls int64 `json:"nulls"`
	// Invalid counts CSV cells that did not parse as the column's type;
	// they are neither nulls nor values.
	Invalid int64 `json:"invalid,omitempty"`
	// Private marks a column classified personal or restricted: the
	// profile holds its counts, lengths and shapes but no values (no
	// frequent values, bounds, quantiles or sketches of them).
	Private bool `json:"private,omitempty"`

	Numeric  *NumericStats `json:"numeric,omitempty"`
	Values   *Values       `json:"values,omitempty"`
	Distinct *Distinct     `json:"distinct,omitempty"`
	Lengths  *Lengths      `json:"lengths,omitempty"`
	Shapes   *Values       `json:"shapes,omitempty"`
	Booleans *Booleans     `json:"booleans,omitempty"`
}

// NullRate is Nulls/Rows, 0 for an empty column.
func (c *Column) NullRate() float64 {
	if c.Rows == 0 {
		return 0
	}
	return float64(c.Nulls) / float64(c.Rows)
}

// NumericStats are the statistics of a numeric or temporal column. Temporal
// values are days since 1970-01-01 (dates) or seconds (timestamps since the
// epoch, times since midnight).
type NumericStats struct {
	// Count is the number of finite values; NonFinite counts NaN and
	// infinities, which no statistic includes.
	Count     int64   `json:"count"`
	NonFinite int64   `json:"nonFinite,omitempty"`
	Min       float64 `json:"min"`
	Max       float64 `json:"max"`
	// Mean and StdDev (sample) are derived from the exact sums.
	Mean   float64 `json:"mean"`
	StdDev float64 `json:"stdDev"`
	// SumParts and SumSquaresParts are the exact sums of the values and of
	// their squares as non-overlapping floating-point expansions, so merges
	// are exact and order-independent.
	SumParts        []float64 `json:"sumParts"`
	SumSquaresParts []float64 `json:"sumSquaresParts"`
	// Quantiles are the 1, 5, 25, 50, 75, 95 and 99th percentiles from
	// the sketch, for people reading the file.
	Quantiles []float64 `json:"quantiles"`
	// Histogram is HistogramBins equal-width bins from Min to Max,
	// estimated from the sketch.
	Histogram Histogram `json:"histogram"`
	// TDigest is the quantile sketch (caio/go-tdigest encoding, base64).
	TDigest []byte `json:"tdigest"`
}

// QuantileLevels are the levels of NumericStats.Quantiles.
var quantileLevels = [...]float64{0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99}

// QuantileLevels returns the levels of NumericStats.Quantiles.
func QuantileLevels() []float64 { return quantileLevels[:] }

// Histogram is a set of equal-width bins.
type Histogram struct {
	// Edges has one more element than Counts.
	Edges  []float64 `json:"edges"`
	Counts []float64 `json:"counts"`
}

// Values is a bounded summary of the most frequent values (or shapes).
type Values struct {
	// Items are sorted by count, most frequent first, then by value.
	Items []ValueCount `json:"items"`
	// Exact says every distinct value is listed with its exact count.
	Exact bool `json:"exact"`
	// MaxError bounds how much any listed count is below the true count,
	// and the true count of any value not listed (0 when Exact).
	MaxError int64 `json:"maxError"`
	// Total is the number of values summarised.
	Total int64 `json:"total"`
}

// ValueCount is one frequent value and how often it occurred.
type ValueCount struct {
	Value string `json:"value"`
	Count int64  `json:"count"`
}

// Count returns the listed count of v, or 0.
func (v *Values) Count(value string) int64 {
	if v == nil {
		return 0
	}
	for _, it := range v.Items {
		if it.Value == value {
			return it.Count
		}
	}
	return 0
}

// Distinct is the distinct-count estimate.
type Distinct struct {
	Estimate int64 `json:"estimate"`
	// HLL is the HyperLogLog sketch (axiomhq/hyperloglog encoding).
	HLL []byte `json:"hll"`
}

// Lengths are string lengths in characters.
type Lengths struct {
	Min  int64   `json:"min"`
	Max  int64   `json:"max"`
	Mean float64 `json:"mean"`
	Sum  int64   `json:"sum"`
}

// Booleans counts the values of a boolean column.
type Booleans struct {
	True  int64 `json:"true"`
	False int64 `json:"false"`
}

// Column returns the column with the given name.
func (p *Profile) Column(name string) (*Column, bool) {
	for i := range p.Columns {
		if p.Columns[i].Name == name {
			return &p.Columns[i], true
		}
	}
	return nil, false
}

// Marshal encodes the profile as indented JSON. The output is deterministic:
// columns keep the data's order, values are sorted.
func (p *Profile) Marshal() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", " ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		return nil, fmt.Errorf("encode profile: %w", err)
	}
	return b.Bytes(), nil
}

// FormatError is a profile file that cannot be used.
type FormatError struct {
	Path string
	Err  error
}

func (e *FormatError) Error() string { return fmt.Sprintf("profile %s: %v", e.Path, e.Err) }

func (e *FormatError) Unwrap() error { return e.Err }

// Parse decodes and validates a profile. path is only used in errors.
func Parse(path string, data []byte) (*Profile, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var p Profile
	if err := dec.Decode(&p); err != nil {
		return nil, &FormatError{Path: path, Err: fmt.Errorf("not a profile: %w", err)}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &FormatError{Path: path, Err: errors.New("trailing data after the profile")}
	}
	if err := p.validate(); err != nil {
		return nil, &FormatError{Path: path, Err: err}
	}
	return &p, nil
}

// Load reads a profile file.
func Load(path string) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read profile %q: %w", path, err)
	}
	return Parse(path, data)
}

// validate checks what the drift rules rely on, so a hand-edited or
// corrupt file is an error rather than a wrong verdict.
func (p *Profile) validate() error {
	switch {
	case p.ProfileVersion == 0:
		return errors.New("profileVersion missing")
	case p.ProfileVersion > Version:
		return fmt.Errorf("profileVersion %d is newer than this driftgate understands (%d)", p.ProfileVersion, Version)
	case p.ProfileVersion < 0:
		return fmt.Errorf("profileVersion %d", p.ProfileVersion)
	case p.Rows < 0 || p.Batches < 0:
		return errors.New("negative row or batch count")
	}
	seen := map[string]bool{}
	for i := range p.Columns {
		c := &p.Columns[i]
		if seen[c.Name] {
			return fmt.Errorf("column %q listed twice", c.Name)
		}
		seen[c.Name] = true
		if err := c.validate(); err != nil {
			return fmt.Errorf("column %q: %w", c.Name, err)
		}
	}
	return nil
}

// validate checks one column's counts, kind and sketches.
func (c *Column) validate() error {
	if c.Rows < 0 || c.Nulls < 0 || c.Invalid < 0 || c.Nulls+c.Invalid > c.Rows {
		return fmt.Errorf("inconsistent counts (rows %d, nulls %d, invalid %d)", c.Rows, c.Nulls, c.Invalid)
	}
	switch c.Kind {
	case Numeric, Temporal, String, Boolean, Other:
	default:
		return fmt.Errorf("unknown kind %q", c.Kind)
	}
	if n := c.Numeric; n != nil {
		if err := n.validate(); err != nil {
			return err
		}
	}
	for _, v := range []*Values{c.Values, c.Shapes} {
		if v != nil && !v.countsValid() {
			return errors.New("negative value count")
		}
	}
	if d := c.Distinct; d != nil {
		if _, err := decodeHLL(d.HLL); err != nil {
			return fmt.Errorf("hll: %w", err)
		}
	}
	if b := c.Booleans; b != nil && (b.True < 0 || b.False < 0) {
		return errors.New("negative boolean count")
	}
	return nil
}

func (n *NumericStats) validate() error {
	if n.Count < 0 || n.NonFinite < 0 {
		return errors.New("negative count")
	}
	if _, err := decodeDigest(n.TDigest); err != nil {
		return fmt.Errorf("tdigest: %w", err)
	}
	for _, f := range append(append([]float64{n.Min, n.Max}, n.SumParts...), n.SumSquaresParts...) {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return errors.New("non-finite statistic")
		}
	}
	return nil
}

func (v *Values) countsValid() bool {
	if v.MaxError < 0 || v.Total < 0 {
		return false
	}
	for _, it := range v.Items {
		if it.Count < 0 {
			return false
		}
	}
	return true
}

// WriteFile writes the profile to path atomically: a temporary file in the
// same directory, synced and renamed over path, so a reader never sees half
// a profile. Missing parent directories are created.
func (p *Profile) WriteFile(path string) (err error) {
	data, err := p.Marshal()
	if err != nil {
		return fmt.Errorf("write profile %q: %w", path, err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write profile %q: %w", path, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("write profile %q: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close() // the write already failed; that error is the one to report
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("write profile %q: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("write profile %q: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("write profile %q: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write profile %q: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write profile %q: %w", path, err)
	}
	return nil
}

// sortItems puts value counts in their canonical order.
func sortItems(items []ValueCount) {
	sort.Slice(items, func(i, j int) bool {
		if items[i].Count != items[j].Count {
			return items[i].Count > items[j].Count
		}
		return items[i].Value < items[j].Value
	})
}
