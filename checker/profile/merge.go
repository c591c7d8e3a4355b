package profile

import (
	"fmt"
	"math"
)

// Merge combines profiles of disjoint parts of the same data (partitions,
// days) into the profile of all of them. Counts, minimum, maximum and the
// exact sums (so mean and standard deviation) equal those of one profile of
// everything; sketches and frequent values are within their stated error.
// The profiles must be of the same contract and schema object; a column
// must have the same kind in every profile it appears in.
func Merge(ps ...*Profile) (*Profile, error) {
	if len(ps) == 0 {
		return nil, fmt.Errorf("merge: no profiles")
	}
	out := &Profile{ProfileVersion: Version, Tool: ps[0].Tool, Sources: []Source{}}
	var order []string
	accs := map[string]*merged{}
	for pi, p := range ps {
		if err := out.mergeContract(p, pi); err != nil {
			return nil, err
		}
		out.Sources = append(out.Sources, p.Sources...)
		out.Rows += p.Rows
		out.Batches += max(p.Batches, 1)
		for _, c := range p.Columns {
			a, ok := accs[c.Name]
			if !ok {
				a = newMerged(c)
				accs[c.Name] = a
				order = append(order, c.Name)
			} else if a.col.Kind != c.Kind {
				return nil, fmt.Errorf("merge: column %q is %s (%s) in profile %d but %s (%s) before", c.Name, c.Kind, c.Type, pi+1, a.col.Kind, a.col.Type)
			}
			a.add(c)
		}
	}
	out.Columns = make([]Column, 0, len(order))
	for _, name := range order {
		col, err := accs[name].column()
		if err != nil {
			return nil, fmt.Errorf("merge: column %q: %w", name, err)
		}
		out.Columns = append(out.Columns, col)
	}
	return out, nil
}

// mergeContract takes the contract of the pi-th profile p: the first one
// that names a contract sets it, and every other must name the same.
func (out *Profile) mergeContract(p *Profile, pi int) error {
	switch {
	case p.Contract == nil:
	case out.Contract == nil:
		cr := *p.Contract
		out.Contract = &cr
	case out.Contract.ID != p.Contract.ID || out.Contract.Schema != p.Contract.Schema:
		return fmt.Errorf("merge: profile %d is of contract %s schema %q, profile 1 of %s schema %q", pi+1, p.Contract.ID, p.Contract.Schema, out.Contract.ID, out.Contract.Schema)
	}
	return nil
}

// merged accumulates one column over the profiles merged.
type merged struct {
	col            Column
	sum, sumSq     exactSum
	strCount       int64
	freq, shapes   *frequent
	exactVals      map[string]int64
	exactOK        bool
	digestParts    [][]byte
	hllParts       [][]byte
	lenMin, lenMax int64
	lenSum         int64
	min, max       float64
	count, nonFin  int64
}

func newMerged(c Column) *merged {
	a := &merged{col: Column{Name: c.Name, Type: c.Type, Kind: c.Kind}, exactOK: true, lenMin: -1, min: math.Inf(1), max: math.Inf(-1)}
	switch c.Kind {
	case String:
		a.freq = newFrequent(TopK)
	case Numeric, Boolean:
		a.exactVals = map[string]int64{}
	}
	return a
}

// add adds the profile of one part of the column.
func (a *merged) add(c Column) {
	a.col.Rows += c.Rows
	a.col.Nulls += c.Nulls
	a.col.Invalid += c.Invalid
	if n := c.Numeric; n != nil {
		a.addNumeric(n)
	}
	if d := c.Distinct; d != nil {
		a.hllParts = append(a.hllParts, d.HLL)
	}
	a.addValues(c)
	if s := c.Shapes; s != nil {
		if a.shapes == nil {
			a.shapes = newFrequent(ShapeK)
		}
		a.shapes.merge(s)
	}
	if l := c.Lengths; l != nil && c.Values != nil && c.Values.Total > 0 {
		if a.lenMin < 0 || l.Min < a.lenMin {
			a.lenMin = l.Min
		}
		a.lenMax = max(a.lenMax, l.Max)
		a.lenSum += l.Sum
	}
}

func (a *merged) addNumeric(n *NumericStats) {
	a.count += n.Count
	a.nonFin += n.NonFinite
	if n.Count > 0 {
		a.min, a.max = math.Min(a.min, n.Min), math.Max(a.max, n.Max)
	}
	for _, x := range n.SumParts {
		a.sum.add(x)
	}
	for _, x := range n.SumSquaresParts {
		a.sumSq.add(x)
	}
	a.digestParts = append(a.digestParts, n.TDigest)
}

// addValues merges frequent values (strings) or exact value tables
// (numbers, booleans). A numeric part without a table had too many
// distinct values: the merge has none either.
func (a *merged) addValues(c Column) {
	v := c.Values
	switch {
	case v == nil && c.Kind == Numeric:
		a.exactOK = false
	case v == nil:
	case a.freq != nil:
		a.freq.merge(v)
		a.strCount += v.Total
	case a.exactVals != nil:
		for _, it := range v.Items {
			a.exactVals[it.Value] += it.Count
		}
	}
}

// column is the merged column.
func (a *merged) column() (Column, error) {
	col := a.col
	var err error
	if a.digestParts != nil {
		if col.Numeric, err = a.numeric(); err != nil {
			return col, err
		}
	}
	if a.hllParts != nil {
		if col.Distinct, err = a.distinct(); err != nil {
			return col, err
		}
	}
	switch col.Kind {
	case String:
		col.Values = a.freq.values()
		col.Lengths = lengths(a.lenMin, a.lenMax, a.lenSum, a.strCount)
	case Numeric:
		if a.exactOK && len(a.exactVals) <= ExactValuesK {
			col.Values = &Values{Exact: true, Total: a.count, Items: []ValueCount{}}
			for v, n := range a.exactVals {
				col.Values.Items = append(col.Values.Items, ValueCount{Value: v, Count: n})
			}
			sortItems(col.Values.Items)
		}
	case Boolean:
		t, f := a.exactVals["true"], a.exactVals["false"]
		col.Booleans = &Booleans{True: t, False: f}
		col.Values = boolValues(t, f)
	}
	if a.shapes != nil {
		col.Shapes = a.shapes.values()
	}
	return col, nil
}

func (a *merged) numeric() (*NumericStats, error) {
	d := newDigest()
	for _, b := range a.digestParts {
		part, err := decodeDigest(b)
		if err == nil {
			err = d.Merge(part)
		}
		if err != nil {
			return nil, fmt.Errorf("tdigest: %w", err)
		}
	}
	return numericStats(a.count, a.nonFin, a.min, a.max, &a.sum, &a.sumSq, d)
}

func (a *merged) distinct() (*Distinct, error) {
	s := newHLL()
	for _, b := range a.hllParts {
		part, err := decodeHLL(b)
		if err == nil {
			err = s.Merge(part)
		}
		if err != nil {
			return nil, fmt.Errorf("hll: %w", err)
		}
	}
	return distinct(s)
}
