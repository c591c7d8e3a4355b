package checker

import (
	"fmt"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/driftgate/driftgate/checker/report"
	"github.com/driftgate/driftgate/checker/rules"
	"github.com/driftgate/driftgate/checker/source"
	"github.com/driftgate/driftgate/checker/source/objstore"
	"github.com/driftgate/driftgate/contracts"
)

// slaCheck is one slaProperties entry the batch can answer: latency
// (ODCS's freshness; datacontract-cli's freshness too) wants the newest
// value of its element column no older than now minus the agreed span,
// retention wants the oldest no older than now minus the retention.
type slaCheck struct {
	sla    *contracts.SLAProperty
	rule   *rules.Rule
	column string // data name of the element column
	span   time.Duration
	limit  time.Time // now - span
	now    time.Time

	// What the batch held, as Unix microseconds.
	seen           bool
	newest, oldest int64
	older          int64 // values before limit (retention)
	first          report.Example

	// byInputTime judges freshness by the inputs' modification times (a
	// file's mtime, an object's Last-Modified): the SLA names no element
	// column. newestInput is the input the newest time is of; untimed the
	// inputs that state none (standard input, a pipe).
	byInputTime bool
	newestInput string
	untimed     []string
}

// slaSkip is an SLA property the run lists as not executed, with why.
type slaSkip struct {
	sla *contracts.SLAProperty
	why string
}

// compileSLA sorts the contract's SLA properties into checks on the
// columns of schema s and the ones this run cannot judge.
func (p *plan) compileSLA(now time.Time) ([]*slaCheck, []slaSkip) {
	var checks []*slaCheck
	var skips []slaSkip
	c, s := p.contract, p.schema
	for i := range c.SLA {
		sla := &c.SLA[i]
		prop := strings.ToLower(sla.Property)
		rule := rules.ForSLA(prop)
		if rule == rules.SLANotExecuted {
			skips = append(skips, slaSkip{sla, fmt.Sprintf("SLA property %q is not judged from a batch of data", sla.Property)})
			continue
		}
		element := sla.Element
		if element == "" {
			element = c.SLADefaultElement
		}
		if element == "" && rule != rules.SLAFreshness {
			skips = append(skips, slaSkip{sla, fmt.Sprintf("SLA %s names no element (table.column) to judge it on", sla.Property)})
			continue
		}
		span, err := slaSpan(prop, sla.Value, sla.Unit)
		if err != nil {
			skips = append(skips, slaSkip{sla, fmt.Sprintf("SLA %s: %v", sla.Property, err)})
			continue
		}
		if element == "" {
			// Freshness without an element column is the data's own age:
			// when its newest input was last written.
			checks = append(checks, &slaCheck{sla: sla, rule: rule, span: span, limit: now.Add(-span), now: now, byInputTime: true})
			continue
		}
		for _, el := range strings.Split(element, ",") {
			el = strings.TrimSpace(el)
			table, col, ok := strings.Cut(el, ".")
			if !ok {
				table, col = "", el
			}
			if table != "" && table != s.Name && table != s.PhysicalName {
				// Another schema object's SLA: judged when that one is
				// checked, not a gap in this run.
				continue
			}
			cc := p.slaColumn(col)
			if cc == nil {
				skips = append(skips, slaSkip{sla, fmt.Sprintf("SLA %s element %q is not a column of %s", sla.Property, el, s.Name)})
				continue
			}
			checks = append(checks, &slaCheck{sla: sla, rule: rule, column: cc.name, span: span, limit: now.Add(-span), now: now})
		}
	}
	return checks, skips
}

func (p *plan) slaColumn(name string) *column {
	for _, c := range p.columns {
		if c.prop.Name == name || c.name == name {
			return c
		}
	}
	return nil
}

// slaSpan turns an SLA value and unit into a duration. Units follow
// datacontract-cli, so a contract means the same in both tools: for
// latency, m is minutes; for retention, m is months (30 days) and a year is
// 365 days. A string value is an ISO 8601 duration (P3Y, PT4H).
func slaSpan(property string, value any, unit string) (time.Duration, error) {
	var n float64
	switch v := value.(type) {
	case int64:
		n = float64(v)
	case float64:
		n = v
	case string:
		if d, ok := isoDuration(v); ok {
			return d, nil
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return 0, fmt.Errorf("value %q is neither a number nor an ISO 8601 duration", v)
		}
		n = f
	default:
		return 0, fmt.Errorf("value %v is not a number", value)
	}
	if n < 0 || math.IsInf(n, 0) || math.IsNaN(n) {
		return 0, fmt.Errorf("value %v is not a span of time", value)
	}
	day := 24 * time.Hour
	var u time.Duration
	switch strings.ToLower(strings.TrimSpace(unit)) {
	case "", "d", "day", "days":
		u = day
	case "h", "hr", "hrs", "hour", "hours":
		u = time.Hour
	case "min", "mins", "minute", "minutes":
		u = time.Minute
	case "s", "sec", "secs", "second", "seconds":
		u = time.Second
	case "w", "week", "weeks":
		u = 7 * day
	case "m":
		if property == "retention" {
			u = 30 * day
		} else {
			u = time.Minute
		}
	case "mo", "month", "months":
		u = 30 * day
	case "y", "yr", "yrs", "year", "years":
		u = 365 * day
	default:
		return 0, fmt.Errorf("unit %q is not a unit of time (want d, h, min, s, w, mo or y)", unit)
	}
	if n*float64(u) > float64(math.MaxInt64) {
		return 0, fmt.Errorf("%v %s is too long a span", value, unit)
	}
	return time.Duration(n * float64(u)), nil
}

var isoDurationRe = regexp.MustCompile(`^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$`)

// isoDuration parses an ISO 8601 duration, a year being 365 days and a
// month 30, as datacontract-cli counts them.
func isoDuration(s string) (time.Duration, bool) {
	m := isoDurationRe.FindStringSubmatch(strings.ToUpper(strings.TrimSpace(s)))
	if m == nil || s == "P" || strings.HasSuffix(strings.ToUpper(s), "T") {
		return 0, false
	}
	day := 24 * time.Hour
	units := []time.Duration{365 * day, 30 * day, 7 * day, day, time.Hour, time.Minute, time.Second}
	var total float64
	for i, u := range units {
		if m[i+1] != "" {
			f, _ := strconv.ParseFloat(m[i+1], 64)
			total += f * float64(u)
		}
	}
	if total > float64(math.MaxInt64) {
		return 0, false
	}
	return time.Duration(total), true
}

// observe takes the newest and oldest value of one batch of the element
// column. Values that are not times (a text column that does not parse)
// are left to the column's own checks.
func (s *slaCheck) observe(file string, firstRow int64, arr arrow.Array) {
	each := func(i int, us int64) {
		if !s.seen || us > s.newest {
			s.newest = us
		}
		if !s.seen || us < s.oldest {
			s.oldest = us
		}
		s.seen = true
		if us < s.limit.UnixMicro() {
			if s.older == 0 {
				s.first = report.Example{File: file, Row: firstRow + int64(i), Value: time.UnixMicro(us).UTC().Format(time.RFC3339Nano)}
			}
			s.older++
		}
	}
	if d, ok := arr.(*array.Dictionary); ok {
		dict := d.Dictionary()
		for i := 0; i < d.Len(); i++ {
			if d.IsValid(i) {
				if us, ok := timeValue(dict, d.GetValueIndex(i)); ok {
					each(i, us)
				}
			}
		}
		return
	}
	for i := 0; i < arr.Len(); i++ {
		if arr.IsValid(i) {
			if us, ok := timeValue(arr, i); ok {
				each(i, us)
			}
		}
	}
}

// timeValue is value i of a date, timestamp or text column as Unix
// microseconds (UTC when the column has no zone).
func timeValue(arr arrow.Array, i int) (int64, bool) {
	switch a := arr.(type) {
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return a.Value(i).ToTime(unit).UnixMicro(), true
	case *array.Date32:
		return a.Value(i).ToTime().UnixMicro(), true
	case *array.Date64:
		return a.Value(i).ToTime().UnixMicro(), true
	case *array.String:
		return textTime(a.Value(i))
	case *array.LargeString:
		return textTime(a.Value(i))
	}
	return 0, false
}

func textTime(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05Z07:00", "2006-01-02 15:04:05", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UnixMicro(), true
		}
	}
	return 0, false
}

// inputTime gives the SLAs judged by the inputs' times the modification
// time of one input that was read: the object's Last-Modified for an
// object in a store, else the file's mtime; none for standard input and
// other streams.
func (r *run) inputTime(path string, obj *objstore.Object) {
	var mod time.Time
	switch {
	case obj != nil:
		mod = obj.LastModified
	case !source.IsRemote(path):
		if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
			mod = fi.ModTime()
		}
	}
	for _, s := range r.sla {
		if !s.byInputTime {
			continue
		}
		if mod.IsZero() {
			s.untimed = append(s.untimed, path)
			continue
		}
		if us := mod.UnixMicro(); !s.seen || us > s.newest {
			s.newest, s.newestInput = us, path
		}
		s.seen = true
	}
}

// inputFindings judges freshness by the newest input's modification time.
func (s *slaCheck) inputFindings(b *builder, agreed, at string, loc *report.Location) {
	if !s.seen {
		b.add(s.rule, report.Finding{Message: fmt.Sprintf("%s: no input states when it was written (%s), and the SLA names no element column to judge instead (%s)",
			agreed, strings.Join(s.untimed, ", "), at), Expected: "a modification time", Actual: "none", Location: loc})
		return
	}
	if s.newest >= s.limit.UnixMicro() {
		return
	}
	newest := time.UnixMicro(s.newest).UTC()
	b.add(s.rule, report.Finding{
		Message: fmt.Sprintf("the newest input, %s, was written %s, %s ago, want at most %s (%s, judged by the inputs' modification times: the SLA names no element; %s)",
			s.newestInput, newest.Format(time.RFC3339), age(s.now.Sub(newest)), age(s.span), agreed, at),
		Expected: "written at or after " + s.limit.UTC().Format(time.RFC3339), Actual: newest.Format(time.RFC3339), Count: 1, Location: loc})
}

// findings judges the check: freshness fails when no value is as new as
// the limit, retention when any value is older.
func (s *slaCheck) findings(b *builder) {
	b.check(s.rule, s.column)
	if s.byInputTime {
		sla := s.sla
		s.inputFindings(b, strings.TrimSpace(fmt.Sprintf("%s %v %s", sla.Property, sla.Value, sla.Unit)),
			"now "+s.now.UTC().Format(time.RFC3339), b.loc(sla.PosOf("value")))
		return
	}
	sla := s.sla
	agreed := fmt.Sprintf("%s %v %s", sla.Property, sla.Value, sla.Unit)
	at := fmt.Sprintf("now %s", s.now.UTC().Format(time.RFC3339))
	loc := b.loc(sla.PosOf("value"))
	switch {
	case !s.seen:
		b.add(s.rule, report.Finding{Column: s.column, Message: fmt.Sprintf("%s: the column holds no date or time value to judge (%s)", strings.TrimSpace(agreed), at),
			Expected: "values", Actual: "none", Location: loc})
	case s.rule == rules.SLAFreshness && s.newest < s.limit.UnixMicro():
		newest := time.UnixMicro(s.newest).UTC()
		b.add(s.rule, report.Finding{Column: s.column,
			Message:  fmt.Sprintf("newest value %s is %s old, want at most %s (%s; %s)", newest.Format(time.RFC3339), age(s.now.Sub(newest)), age(s.span), strings.TrimSpace(agreed), at),
			Expected: "newest at or after " + s.limit.UTC().Format(time.RFC3339), Actual: newest.Format(time.RFC3339), Count: 1, Location: loc})
	case s.rule == rules.SLARetention && s.older > 0:
		oldest := time.UnixMicro(s.oldest).UTC()
		b.add(s.rule, report.Finding{Column: s.column,
			Message: fmt.Sprintf("%s older than the retention of %s (oldest %s, %s old; %s; first at row %d of %s)",
				rules.ValuesVerb(s.older, "is", "are"), age(s.span), oldest.Format(time.RFC3339), age(s.now.Sub(oldest)), at, s.first.Row, s.first.File),
			Expected: "none before " + s.limit.UTC().Format(time.RFC3339), Actual: itoa(s.older) + " older", Count: s.older,
			Examples: []report.Example{s.first}, Location: loc})
	}
}

// age writes a span in the largest whole unit that shows it well.
func age(d time.Duration) string {
	day := 24 * time.Hour
	switch {
	case d >= 2*day:
		return strconv.FormatFloat(d.Hours()/24, 'f', 1, 64) + " days"
	case d >= 2*time.Hour:
		return strconv.FormatFloat(d.Hours(), 'f', 1, 64) + " hours"
	}
	return d.Round(time.Second).String()
}

// slaNotExecuted lists an SLA property the run did not judge.
func (k slaSkip) findings(b *builder) {
	b.check(rules.SLANotExecuted, "")
	b.add(rules.SLANotExecuted, report.Finding{Message: k.why, Expected: "judged", Actual: "not executed",
		Location: b.loc(k.sla.Pos)})
}
