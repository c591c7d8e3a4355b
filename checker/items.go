package checker

import (
	"math"
	"slices"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/driftgate/driftgate/checker/rules"
)

// The array rules' side of the engine: the loop over one array of lists
// that shows each list to the column's ItemsObservers as rules.Items.

// listItems is one list of an array of lists: items lo to hi of vals.
// One value serves a whole array, list after list, so that judging a list
// allocates nothing but the set Repeats fills (kept between lists).
type listItems struct {
	vals   arrow.Array
	key    func(j int) string
	lo, hi int
	seen   map[string]struct{}
}

func (l *listItems) Len() int { return l.hi - l.lo }

// Repeats compares the items by their value's key; two nulls are equal
// and a null equals no value. A short list is compared pair by pair, a
// longer one through a set.
func (l *listItems) Repeats() bool {
	var short [8]string
	keys, nulls := short[:0], 0
	if l.hi-l.lo > len(short) {
		if l.seen == nil {
			l.seen = map[string]struct{}{}
		}
		clear(l.seen)
	}
	for j := l.lo; j < l.hi; j++ {
		if l.vals.IsNull(j) {
			if nulls++; nulls > 1 {
				return true
			}
			continue
		}
		k := l.key(j)
		if l.hi-l.lo > len(short) {
			if _, dup := l.seen[k]; dup {
				return true
			}
			l.seen[k] = struct{}{}
			continue
		}
		if slices.Contains(keys, k) {
			return true
		}
		keys = append(keys, k)
	}
	return false
}

// itemKey is how the items of vals compare: text by its bytes, floats by
// number (0 and -0 are one value, as in JSON), everything else (numbers,
// dates, structs, lists) by Arrow's text of the value, which is the same
// exactly when the values are.
func itemKey(vals arrow.Array) func(int) string {
	switch a := vals.(type) {
	case *array.String:
		return a.Value
	case *array.LargeString:
		return a.Value
	case *array.StringView:
		return a.Value
	case *array.Binary:
		return a.ValueString
	case *array.Float64:
		return func(j int) string { return floatKey(a.Value(j)) }
	case *array.Float32:
		return func(j int) string { return floatKey(float64(a.Value(j))) }
	}
	return vals.ValueStr
}

func floatKey(f float64) string {
	if f == 0 {
		f = 0 // -0 is 0
	}
	if math.IsNaN(f) {
		return "NaN"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// startLists readies the array rules for an array of lists: nil when the
// column has none, or the array holds no lists (a CSV cell is text).
func (c *column) startLists(arr arrow.Array) array.ListLike {
	ll, ok := arr.(array.ListLike)
	if len(c.items) == 0 || !ok || !isList(arr.DataType()) {
		return nil
	}
	c.lists = true
	c.listItems.vals = ll.ListValues()
	c.listItems.key = itemKey(c.listItems.vals)
	return ll
}

// judgeList runs the column's array rules on list i of ll (arr).
func (c *column) judgeList(file string, row int64, arr arrow.Array, ll array.ListLike, i int) {
	l := &c.listItems
	lo, hi := ll.ValueOffsets(i)
	l.lo, l.hi = int(lo), int(hi)
	for _, t := range c.items {
		if out := t.o.Items(l); out != rules.Pass {
			count(t.t, out, file, row, arr, i)
		}
	}
}
