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
	type acc struct {
		col             Column
		sum, sumSq      exactSum
		strCount        int64
		freq, shapes    *frequent
		exactVals       map[string]int64
		exactOK         bool
		first           bool
		digestParts     [][]byte
		hllParts        [][]byte
		lenMin, lenMax  int64
		lenSum          int64
		min, max        float64
		count, nonFinit int64
	}
	var order []string
	accs := map[string]*acc{}
	for pi, p := range ps {
		if p.Contract != nil {
			switch {
			case out.Contract == nil:
				cr := *p.Contract
				out.Contract = &cr
			case out.Contract.ID != p.Contract.ID || out.Contract.Schema != p.Contract.Schema:
				return nil, fmt.Errorf("merge: profile %d is of contract %s schema %q, profile 1 of %s schema %q", pi+1, p.Contract.ID, p.Contract.Schema, out.Contract.ID, out.Contract.Schema)
			}
		}
		out.Sources = append(out.Sources, p.Sources...)
		out.Rows += p.Rows
		out.Batches += max(p.Batches, 1)
		for _, c := range p.Columns {
			a, ok := accs[c.Name]
			if !ok {
				a = &acc{col: Column{Name: c.Name, Type: c.Type, Kind: c.Kind}, exactOK: true, first: true, lenMin: -1, min: math.Inf(1), max: math.Inf(-1)}
				accs[c.Name] = a
				order = append(order, c.Name)
				switch c.Kind {
				case String:
					a.freq = newFrequent(TopK)
				case Numeric, Boolean:
					a.exactVals = map[string]int64{}
				}
			} else if a.col.Kind != c.Kind {
				return nil, fmt.Errorf("merge: column %q is %s (%s) in profile %d but %s (%s) before", c.Name, c.Kind, c.Type, pi+1, a.col.Kind, a.col.Type)
			}
			a.col.Rows += c.Rows
			a.col.Nulls += c.Nulls
			a.col.Invalid += c.Invalid
			if n := c.Numeric; n != nil {
				a.count += n.Count
				a.nonFinit += n.NonFinite
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
			if d := c.Distinct; d != nil {
				a.hllParts = append(a.hllParts, d.HLL)
			}
			if v := c.Values; v != nil {
				switch {
				case a.freq != nil:
					a.freq.merge(v)
					a.strCount += v.Total
				case a.exactVals != nil:
					for _, it := range v.Items {
						a.exactVals[it.Value] += it.Count
					}
				}
			} else if c.Kind == Numeric {
				a.exactOK = false // a part had too many distinct values
			}
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
	}
	for _, name := range order {
		a := accs[name]
		col := a.col
		if a.digestParts != nil {
			d := newDigest()
			for _, b := range a.digestParts {
				part, err := decodeDigest(b)
				if err != nil {
					return nil, fmt.Errorf("merge: column %q: tdigest: %w", name, err)
				}
				if err := d.Merge(part); err != nil {
					return nil, fmt.Errorf("merge: column %q: tdigest: %w", name, err)
				}
			}
			ns, err := numericStats(a.count, a.nonFinit, a.min, a.max, &a.sum, &a.sumSq, d)
			if err != nil {
				return nil, fmt.Errorf("merge: column %q: %w", name, err)
			}
			col.Numeric = ns
		}
		if a.hllParts != nil {
			s := newHLL()
			for _, b := range a.hllParts {
				part, err := decodeHLL(b)
				if err != nil {
					return nil, fmt.Errorf("merge: column %q: hll: %w", name, err)
				}
				if err := s.Merge(part); err != nil {
					return nil, fmt.Errorf("merge: column %q: hll: %w", name, err)
				}
			}
			d, err := distinct(s)
			if err != nil {
				return nil, fmt.Errorf("merge: column %q: %w", name, err)
			}
			col.Distinct = d
		}
		switch col.Kind {
		case String:
			col.Values = a.freq.values()
			col.Lengths = &Lengths{Sum: a.lenSum, Max: a.lenMax}
			if a.lenMin >= 0 {
				col.Lengths.Min = a.lenMin
			}
			if a.strCount > 0 {
				col.Lengths.Mean = float64(a.lenSum) / float64(a.strCount)
			}
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
		out.Columns = append(out.Columns, col)
	}
	if out.Columns == nil {
		out.Columns = []Column{}
	}
	return out, nil
}
