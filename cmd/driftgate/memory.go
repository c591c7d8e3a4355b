package main

import (
	"fmt"
	"math"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"

	"github.com/driftgate/driftgate/checker/sqlpush/duckdb"
)

// The memory policy: a process-wide budget for the resident set (what
// `/usr/bin/time -v` and a container's memory accounting see), from which
// the Go runtime's soft limit is derived. A check's live data is bounded
// (a batch per column in flight plus the uniqueness tables, which spill to
// disk past their budget), so the collector need only run near the limit:
// GC percent 400 lets the limit, not heap growth, trigger collection.
//
// The resident set is more than Go's heap: the binary's own pages (code and
// read-only data mapped from the file, 3-15 MB once trimText has run, more
// as a run reaches code it had not used) and memory Go does not manage (C
// allocations and thread stacks in the cgo build). Go's soft limit is
// therefore the budget minus what start-up measured outside Go's heap,
// minus reserve: for the code a run faults in later and for the soft
// limit's overshoot (a collection that falls behind the allocation lets the
// heap pass the limit for a while).
//
// Measured on the 5M-row benchmark, before this policy (a fixed 188 MiB Go
// limit, binary pages left as start-up mapped them): peak 247 MB pure Go,
// 279 MB with DuckDB linked, of which 65 and 93 MB were the binary's pages.
const (
	// defaultMemoryBudget is the resident set a run aims to stay under
	// unless DRIFTGATE_MEMORY_LIMIT says otherwise.
	defaultMemoryBudget = 240 << 20
	// reserve is what the resident set may hold beyond Go's soft limit
	// and the start-up pages: the binary's pages a run maps later (a check
	// of either format grew them by 16-22 MB) and the heap's overshoot of
	// the soft limit, up to 10 MiB on a 50M-row Parquet check at load 20.
	// With 24 MiB the peak passed the budget by up to 11 MiB.
	reserve = 40 << 20
	// minGoLimit keeps a tiny budget from starving the collector into
	// running without pause: below it the run would not finish.
	minGoLimit = 64 << 20
	// defaultGCPercent applies whenever a soft limit is in force.
	defaultGCPercent = 400
)

// memoryEnv is the variable that sets the budget: a size as GOMEMLIMIT
// spells it (240MiB, 1GiB, 268435456) or "off".
const memoryEnv = "DRIFTGATE_MEMORY_LIMIT"

// startMemory is what the process holds before a run begins.
type startMemory struct {
	rssFile  int64 // resident pages mapped from files (the binary)
	rssAnon  int64 // resident anonymous memory, Go's and C's
	goMapped int64 // memory the Go runtime holds (counted by its soft limit)
}

// nonGo is the resident memory Go's soft limit does not see.
func (m startMemory) nonGo() int64 {
	return m.rssFile + max(0, m.rssAnon-m.goMapped)
}

// memoryPlan is the policy applied to one process.
type memoryPlan struct {
	budget    int64 // the resident-set budget; 0 when off or GOMEMLIMIT rules
	goLimit   int64 // Go's soft limit set here; 0 when left to the runtime
	gcPercent int   // GC percent set here; 0 when left to the runtime
}

// planMemory derives the Go runtime's settings from the environment and
// the memory measured at start. GOMEMLIMIT and GOGC, when set, are the Go
// runtime's own and win; DRIFTGATE_MEMORY_LIMIT=off leaves both to it.
func planMemory(getenv func(string) string, start startMemory) (memoryPlan, error) {
	var p memoryPlan
	budget, err := budgetOf(getenv)
	if err != nil {
		return p, err
	}
	limited := false
	switch {
	case getenv("GOMEMLIMIT") != "":
		limited = true // the runtime read it
	case budget > 0:
		p.budget = budget
		p.goLimit = max(minGoLimit, budget-start.nonGo()-reserve)
		limited = true
	}
	if limited && getenv("GOGC") == "" {
		p.gcPercent = defaultGCPercent
	}
	return p, nil
}

// budgetOf is the resident-set budget the environment sets: the default,
// DRIFTGATE_MEMORY_LIMIT's size, or 0 for off.
func budgetOf(getenv func(string) string) (int64, error) {
	v := strings.TrimSpace(getenv(memoryEnv))
	switch v {
	case "":
		return defaultMemoryBudget, nil
	case "off":
		return 0, nil
	}
	n, err := parseSize(v)
	if err != nil {
		return 0, fmt.Errorf("%s=%q: %w", memoryEnv, v, err)
	}
	return n, nil
}

// duckDBShare is the part of the budget embedded DuckDB's buffer manager
// may hold. DuckDB runs once the Arrow check has returned its heap to the
// system (duckdb.Files), but the binary's pages, what Go keeps and
// DuckDB's memory outside its buffer manager (the query's own state, its
// threads) count too: with 64 MiB of a 240 MiB budget a COUNT(DISTINCT)
// over 5M rows peaked at 248-255 MB. A quarter of the budget, at least
// minDuckDB: below it DuckDB refuses queries it would run (its CSV reader
// alone asks for a 30.5 MiB block, and with 16 MiB creating the view over
// a one-line CSV failed). Off leaves DuckDB its own default (80% of the
// machine's memory), and GOMEMLIMIT, which bounds Go only, changes nothing
// here.
const minDuckDB = 64 << 20

func duckDBShare(getenv func(string) string) duckdb.MemoryLimit {
	budget, err := budgetOf(getenv)
	switch {
	case err != nil:
		// main stopped on a value that does not parse, before any run.
		return duckdb.DefaultMemoryLimit
	case budget == 0:
		return duckdb.NoMemoryLimit
	}
	return duckdb.MemoryLimit(max(budget/4, minDuckDB))
}

// sqlOnFiles runs a contract's sql rules on files in embedded DuckDB,
// within its share of the budget.
func sqlOnFiles(getenv func(string) string) duckdb.Files {
	return duckdb.Files{Memory: duckDBShare(getenv)}
}

// apply sets the plan in the Go runtime.
func (p memoryPlan) apply() {
	if p.goLimit > 0 {
		debug.SetMemoryLimit(p.goLimit)
	}
	if p.gcPercent > 0 {
		debug.SetGCPercent(p.gcPercent)
	}
}

// setupMemory trims the binary's pages, measures what the process holds
// and applies the memory policy.
func setupMemory(getenv func(string) string) error {
	start := measureStart()
	p, err := planMemory(getenv, start)
	if err != nil {
		return err
	}
	p.apply()
	return nil
}

// goMapped is the memory the Go runtime has mapped and not returned to
// the system: what its soft limit counts.
func goMapped() int64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	var v [2]int64
	for i := range s {
		if s[i].Value.Kind() == metrics.KindUint64 {
			v[i] = int64(min(s[i].Value.Uint64(), math.MaxInt64))
		}
	}
	return v[0] - v[1]
}

// sizeUnits are GOMEMLIMIT's suffixes.
var sizeUnits = []struct {
	suffix string
	shift  uint
}{{"TiB", 40}, {"GiB", 30}, {"MiB", 20}, {"KiB", 10}, {"B", 0}}

// parseSize reads a byte count as GOMEMLIMIT spells it: digits and an
// optional unit, B, KiB, MiB, GiB or TiB.
func parseSize(s string) (int64, error) {
	num, shift := s, uint(0)
	for _, u := range sizeUnits {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			num, shift = rest, u.shift
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || n <= 0 || n > math.MaxInt64>>shift {
		return 0, fmt.Errorf("want a size such as 240MiB or 1GiB (units B, KiB, MiB, GiB, TiB), or off")
	}
	return n << shift, nil
}
