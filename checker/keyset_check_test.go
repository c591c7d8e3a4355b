package checker

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
)

// TestUniqueIntegerColumnsOfEveryShapeReportAsAMapSays checks unique
// integer columns of the shapes the key set treats differently — dense
// ids with outliers (kept as a bitmap), random 62-bit ids (deferred to
// finish in Parquet, in the tables in CSV, whose examples carry lines),
// random unsigned ids past int64's maximum (Parquet only: CSV reads an
// integer column as int64) — with planted repeats, through the real check:
// the count, duplicateValues' rows beyond the first, and the first
// examples' rows and values must be what a map of the values says, and the
// same for CSV and Parquet.
func TestUniqueIntegerColumnsOfEveryShapeReportAsAMapSays(t *testing.T) {
	const rows = 3000
	r := lcg(17)
	dense, random, unsigned := make([]string, rows), make([]string, rows), make([]string, rows)
	for i := range rows {
		dense[i] = strconv.Itoa(i + 1)
		random[i] = strconv.FormatInt(int64(r.next()>>2), 10)
		unsigned[i] = strconv.FormatUint(r.next()|1<<63, 10)
		if i%7 == 6 {
			random[i] = null
		}
	}
	dense[10], dense[20], dense[30] = "0", "-1", strconv.Itoa(math.MaxInt64)
	for _, at := range [][2]int{{100, 40}, {700, 40}, {1500, 3}, {2999, 2998}, {1200, 900}} {
		dense[at[0]], random[at[0]], unsigned[at[0]] = dense[at[1]], random[at[1]], unsigned[at[1]]
	}
	random[2000] = random[6] // a null: not a key
	cols := []col{ints("dense", dense...), ints("random", random...), {"unsigned", arrow.PrimitiveTypes.Uint64, unsigned}}
	props := "- name: dense\n  logicalType: integer\n  unique: true\n" +
		"- name: random\n  logicalType: integer\n  unique: true\n" +
		"- name: unsigned\n  logicalType: integer\n  unique: true\n" +
		"  quality:\n  - type: library\n    metric: duplicateValues\n    mustBe: 0"
	contract := doc(props)
	var reports []string // column, count, example rows and values
	for _, format := range []string{"parquet", "csv"} {
		path := filepath.Join(t.TempDir(), "t."+format)
		if format == "csv" {
			writeCSV(t, path, cols)
		} else {
			writeParquet(t, path, cols)
		}
		rep := mustCheck(t, contract, path)
		got := ""
		for _, c := range cols {
			if format == "csv" && c.name == "unsigned" {
				continue
			}
			count, beyond, first := repeatsOf(c.vals)
			var f *report.Finding
			for i := range rep.Findings {
				if rep.Findings[i].Rule == rules.ValueUnique.ID && rep.Findings[i].Column == c.name {
					f = &rep.Findings[i]
				}
			}
			if f == nil {
				t.Fatalf("%s: no %s finding for %s", format, rules.ValueUnique.ID, c.name)
			}
			var rowsGot []int64
			var valuesGot []string
			for _, e := range f.Examples {
				rowsGot = append(rowsGot, e.Row)
				valuesGot = append(valuesGot, e.Value)
			}
			var valuesWant []string
			for _, row := range first {
				valuesWant = append(valuesWant, c.vals[row-1])
			}
			if f.Count != count || !slices.Equal(rowsGot, first) || !slices.Equal(valuesGot, valuesWant) {
				t.Errorf("%s, column %s: %d duplicate rows, examples at rows %v values %v; want %d, rows %v values %v",
					format, c.name, f.Count, rowsGot, valuesGot, count, first, valuesWant)
			}
			if format == "csv" && len(f.Examples) > 0 && f.Examples[0].Line != f.Examples[0].Row+1 {
				t.Errorf("csv, column %s: first example at line %d, want %d", c.name, f.Examples[0].Line, f.Examples[0].Row+1)
			}
			if c.name == "unsigned" {
				if m := duplicateValues(rep); m != beyond {
					t.Errorf("%s: duplicateValues %d, want %d", format, m, beyond)
				}
				continue
			}
			got += fmt.Sprintln(c.name, f.Count, rowsGot, valuesGot)
		}
		reports = append(reports, got)
	}
	if reports[0] != reports[1] {
		t.Errorf("Parquet and CSV differ:\n%v\n%v", reports[0], reports[1])
	}
}

// repeatsOf counts vals as VALUE_UNIQUE and duplicateValues do and gives the
// 1-based rows of the first report.MaxExamples values seen before.
func repeatsOf(vals []string) (count, beyond int64, first []int64) {
	seen := map[string]int{}
	for i, v := range vals {
		if v == null {
			continue
		}
		if seen[v]++; seen[v] > 1 && len(first) < report.MaxExamples {
			first = append(first, int64(i+1))
		}
	}
	for _, n := range seen {
		if n > 1 {
			count += int64(n)
			beyond += int64(n - 1)
		}
	}
	return count, beyond, first
}

// duplicateValues is the count of the report's duplicateValues finding, or
// -1.
func duplicateValues(rep *report.Report) int64 {
	for _, f := range rep.Findings {
		if f.Rule == rules.QualityDuplicateValues.ID {
			return f.Count
		}
	}
	return -1
}
