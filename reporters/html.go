package reporters

import (
	"bytes"
	"cmp"
	"fmt"
	"html"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/driftgate/driftgate/checker/report"
)

// HTML renders the report as one self-contained page for people: no
// scripts, no fonts, no network, so it opens from a CI artefact or an
// e-mail as it is. It shows the verdict and what was judged, the findings,
// and for a drift run each column with an inline SVG chart of baseline
// against current (a histogram on common bins, or bars of the top values)
// and the numbers behind it.
type HTML struct{}

// Report implements Reporter.
func (HTML) Report(w io.Writer, r *report.Report) error {
	var b bytes.Buffer
	writeHTML(&b, canonical(r))
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write html report: %w", err)
	}
	return nil
}

const htmlStyle = `
:root{--base:#4e79a7;--cur:#f28e2b;--bad:#c0392b;--warn:#b9770e;--ok:#1e8449;--mute:#666}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:24px;color:#222;background:#fafafa}
h1{font-size:22px;margin:0 0 12px}h2{font-size:18px;margin:28px 0 10px}h3{font-size:15px;margin:0}
.verdict{display:inline-block;padding:2px 10px;border-radius:4px;color:#fff;font-weight:600}
.pass{background:var(--ok)}.fail{background:var(--bad)}.error{background:#555}
.verdict-pass{color:var(--ok);font-weight:600}.verdict-fail,.verdict-error{color:var(--bad);font-weight:600}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0}
dl.meta dt{color:var(--mute)}dl.meta dd{margin:0}
code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eee;padding:0 3px;border-radius:3px}
table{border-collapse:collapse;background:#fff;width:100%}
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f0f0f0;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.sev-error{color:var(--bad);font-weight:600}.sev-warning{color:var(--warn);font-weight:600}.sev-info{color:var(--mute)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:16px}
.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px}
.card.drift{border-left:5px solid var(--bad)}.card.stable{border-left:5px solid var(--ok)}
.card.added,.card.removed,.card.retyped{border-left:5px solid var(--bad)}.card.excluded,.card.skipped{border-left:5px solid #aaa}
.head{display:flex;justify-content:space-between;align-items:baseline;gap:8px;margin-bottom:6px}
.tag{font-size:12px;padding:1px 7px;border-radius:10px;background:#eee;color:#333}
.tag.drift,.tag.added,.tag.removed,.tag.retyped{background:var(--bad);color:#fff}.tag.stable{background:var(--ok);color:#fff}
.note{color:var(--mute);font-size:12px;margin:4px 0}
.legend{font-size:12px;color:var(--mute)}.legend i{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px;vertical-align:-1px}
svg{display:block;margin:6px 0}
.small td,.small th{font-size:12px;padding:2px 6px}
.msg{white-space:pre-wrap}
td.doc{color:var(--mute);font-size:11px}
details.steady{margin-top:16px}details.steady>summary{cursor:pointer;color:var(--mute);margin-bottom:10px}
`

func writeHTML(b *bytes.Buffer, r *report.Report) {
	title := "driftgate"
	if r.Command != "" {
		title += " " + r.Command
	}
	status := cmp.Or(string(r.Status), "unknown")
	subject := ""
	if c := r.Contract; c != nil {
		subject = strings.TrimSpace(cmp.Or(c.Name, c.ID) + " " + c.Version)
	}
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	// No external resources may load: the page is an artefact.
	b.WriteString("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n")
	fmt.Fprintf(b, "<title>%s: %s%s</title>\n", esc(title), esc(verdict(r)), esc(prefixed(" — ", subject)))
	fmt.Fprintf(b, "<style>%s</style>\n</head>\n<body>\n", htmlStyle)
	fmt.Fprintf(b, "<h1>%s <span class=\"verdict %s\">%s</span></h1>\n", esc(title), esc(status), esc(verdict(r)))
	writeHTMLMeta(b, r, subject)
	writeHTMLDatasets(b, r.Datasets)
	writeHTMLFindings(b, r.Findings)
	writeHTMLDrift(b, r.Drift)
	b.WriteString("</body>\n</html>\n")
}

// writeHTMLMeta is the list of what was judged and the verdict's counts.
func writeHTMLMeta(b *bytes.Buffer, r *report.Report, subject string) {
	b.WriteString("<dl class=\"meta\">\n")
	if c := r.Contract; c != nil {
		fmt.Fprintf(b, "<dt>Contract</dt><dd>%s</dd>\n", htmlContract(c, subject))
	}
	if bl := r.Baseline; bl != nil {
		fmt.Fprintf(b, "<dt>Baseline</dt><dd>%s</dd>\n", htmlBaseline(bl))
	}
	fmt.Fprintf(b, "<dt>Data</dt><dd>%s</dd>\n", esc(dataTally(r)))
	for _, in := range r.Inputs {
		fmt.Fprintf(b, "<dt></dt><dd>%s</dd>\n", htmlInput(in))
	}
	if r.Status != report.StatusError {
		fmt.Fprintf(b, "<dt>Result</dt><dd>%s; %s; fail-on %s</dd>\n", esc(severityTally(r.Summary)), esc(checkTally(r)), esc(cmp.Or(r.FailOn, "error")))
	}
	if len(r.Drift) > 0 {
		fmt.Fprintf(b, "<dt>Columns</dt><dd>%s</dd>\n", esc(driftTally(r.Drift)))
	}
	if r.Error != "" {
		fmt.Fprintf(b, "<dt>Error</dt><dd class=\"sev-error\">%s</dd>\n", esc(r.Error))
	}
	for _, a := range r.Alerts {
		state := "delivered"
		if !a.Delivered {
			state = "NOT delivered: " + a.Error
		}
		fmt.Fprintf(b, "<dt>Alert</dt><dd>%s: %s (%d attempts)</dd>\n", esc(a.Target), esc(state), a.Attempts)
	}
	b.WriteString("</dl>\n")
}

func htmlContract(c *report.ContractRef, subject string) string {
	parts := []string{esc(subject)}
	if c.Name != "" && c.ID != "" {
		parts = append(parts, "<code>"+esc(c.ID)+"</code>")
	}
	if c.Path != "" {
		parts = append(parts, "<code>"+esc(c.Path)+"</code>")
	}
	if c.Schema != "" {
		parts = append(parts, "schema <code>"+esc(c.Schema)+"</code>")
	}
	return strings.Join(parts, ", ")
}

func htmlBaseline(bl *report.BaselineRef) string {
	s := fmt.Sprintf("<code>%s</code>, %s rows", esc(bl.Path), thousands(bl.Rows))
	if bl.Batches > 1 {
		s += fmt.Sprintf(" in %d batches", bl.Batches)
	}
	if bl.ContractVersion != "" {
		s += ", contract " + esc(bl.ContractVersion)
	}
	if bl.SHA256 != "" {
		s += ", sha256 <code>" + esc(shortHash(bl.SHA256)) + "</code>"
	}
	return s
}

// htmlInput is one input: path, format, rows, size and hash, and for an
// object the store's own identity of its content.
func htmlInput(in report.Input) string {
	s := fmt.Sprintf("<code>%s</code> %s, %s rows, %s bytes", esc(in.Path), esc(in.Format), thousands(in.Rows), thousands(in.Size))
	if in.SHA256 != "" {
		s += ", sha256 <code>" + esc(shortHash(in.SHA256)) + "</code>"
	}
	if in.HashScope != "" {
		s += " (" + esc(in.HashScope) + " only)"
	}
	if in.Object == nil {
		return s
	}
	var facts []string
	for _, f := range objectFacts(in) {
		if f.code {
			facts = append(facts, esc(f.name)+" <code>"+esc(f.value)+"</code>")
		} else {
			facts = append(facts, esc(f.name)+" "+esc(f.value))
		}
	}
	return s + "<br><span class=\"note\">object " + strings.Join(facts, ", ") + "</span>"
}

func writeHTMLDatasets(b *bytes.Buffer, datasets []report.Dataset) {
	if len(datasets) == 0 {
		return
	}
	b.WriteString("<h2>Datasets</h2>\n<table>\n<thead><tr><th>Dataset</th><th>Verdict</th><th>Contract</th><th>Files</th><th>Rows</th><th>Errors</th><th>Warnings</th><th>Info</th><th>Drifted columns</th></tr></thead>\n<tbody>\n")
	for _, d := range datasets {
		contract := ""
		if c := d.Contract; c != nil {
			contract = strings.TrimSpace(cmp.Or(c.Name, c.ID) + " " + c.Version)
		}
		word := statusWord(d.Status, d.Summary)
		if d.Status == report.StatusError {
			word += ": " + cmp.Or(d.Error, "could not be judged")
		}
		fmt.Fprintf(b, "<tr><td><code>%s</code></td><td class=\"verdict-%s\">%s</td><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n",
			esc(d.Name), esc(string(d.Status)), esc(word), esc(contract), thousands(int64(d.Inputs)), thousands(d.Summary.Rows),
			thousands(int64(d.Summary.Errors)), thousands(int64(d.Summary.Warnings)), thousands(int64(d.Summary.Infos)), thousands(int64(d.Drifted)))
	}
	b.WriteString("</tbody>\n</table>\n")
}

func writeHTMLFindings(b *bytes.Buffer, findings []report.Finding) {
	b.WriteString("<h2>Findings</h2>\n")
	if len(findings) == 0 {
		b.WriteString("<p>No findings.</p>\n")
		return
	}
	b.WriteString("<table>\n<thead><tr><th>Column</th><th>Severity</th><th>Rule</th><th>Message</th></tr></thead>\n<tbody>\n")
	for _, g := range groupFindings(findings) {
		for _, f := range g.findings {
			fmt.Fprintf(b, "<tr><td><code>%s</code></td><td class=\"sev-%s\">%s</td><td><code>%s</code></td><td class=\"msg\">%s</td></tr>\n",
				esc(g.name()), esc(string(f.Severity)), esc(string(f.Severity)), esc(f.Rule), htmlSpans(f.Message))
		}
	}
	b.WriteString("</tbody>\n</table>\n")
}

// writeHTMLDrift is a card per column: drifted columns first, where the
// reader looks; the others folded below them, still one click away.
func writeHTMLDrift(b *bytes.Buffer, drift []report.ColumnDrift) {
	if len(drift) == 0 {
		return
	}
	b.WriteString("<h2>Columns: baseline against current</h2>\n")
	b.WriteString("<p class=\"legend\">Bars are shares of non-null values.<i style=\"background:var(--base)\"></i>baseline<i style=\"background:var(--cur)\"></i>current</p>\n")
	var changed, steady []*report.ColumnDrift
	for i := range drift {
		if changedColumn(drift[i].Status) {
			changed = append(changed, &drift[i])
		} else {
			steady = append(steady, &drift[i])
		}
	}
	b.WriteString("<div class=\"cards\">\n")
	for _, c := range changed {
		writeColumnCard(b, c)
	}
	b.WriteString("</div>\n")
	if len(steady) > 0 {
		fmt.Fprintf(b, "<details class=\"steady\"%s><summary>%s</summary>\n<div class=\"cards\">\n", openIf(len(changed) == 0), esc(steadyTally(steady)))
		for _, c := range steady {
			writeColumnCard(b, c)
		}
		b.WriteString("</div>\n</details>\n")
	}
}

// changedColumn is whether a drift column status means something moved.
func changedColumn(status string) bool {
	switch status {
	case "drift", "added", "removed", "retyped":
		return true
	}
	return false
}

func openIf(open bool) string {
	if open {
		return " open"
	}
	return ""
}

// steadyTally is the summary line of the folded columns: "3 stable
// columns, 1 excluded".
func steadyTally(cols []*report.ColumnDrift) string {
	counts := map[string]int{}
	for _, c := range cols {
		counts[c.Status]++
	}
	var parts []string
	for _, s := range []string{"stable", "excluded", "skipped"} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	return plural(int64(len(cols)), "column", "columns") + " without drift: " + strings.Join(parts, ", ")
}

func driftTally(cols []report.ColumnDrift) string {
	counts := map[string]int{}
	for _, c := range cols {
		counts[c.Status]++
	}
	var parts []string
	for _, s := range []string{"drift", "added", "removed", "retyped", "stable", "excluded", "skipped"} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	return fmt.Sprintf("%d columns: %s", len(cols), strings.Join(parts, ", "))
}

func prefixed(p, s string) string {
	if s == "" {
		return ""
	}
	return p + s
}

func esc(s string) string { return html.EscapeString(s) }

func writeColumnCard(b *bytes.Buffer, c *report.ColumnDrift) {
	fmt.Fprintf(b, "<section class=\"card %s\" id=\"col-%s\">\n", esc(c.Status), esc(anchor(c.Column)))
	fmt.Fprintf(b, "<div class=\"head\"><h3><code>%s</code> <span class=\"legend\">%s</span></h3><span class=\"tag %s\">%s</span></div>\n",
		esc(c.Column), esc(cmp.Or(c.Current.Type, c.Baseline.Type, c.Kind)), esc(c.Status), esc(c.Status))
	if c.Note != "" {
		fmt.Fprintf(b, "<p class=\"note\">%s</p>\n", htmlSpans(c.Note))
	}
	if nullRateDrifted(c) {
		writeNullShare(b, c)
	}
	if c.Chart != nil && len(c.Chart.Labels) > 0 {
		if c.Chart.Kind == "bars" {
			writeBars(b, c)
		} else {
			writeHistogram(b, c)
		}
	}
	writeStatsTable(b, c)
	if len(c.Tests) > 0 {
		b.WriteString("<table class=\"small tests\"><thead><tr><th>Test</th><th>Value</th><th>Threshold</th><th>p</th><th>q (BH)</th><th>Drift</th><th>What it measures</th></tr></thead><tbody>\n")
		for _, t := range c.Tests {
			drift := "no"
			if t.Drift {
				drift = "<b class=\"sev-error\">yes</b>"
			}
			fmt.Fprintf(b, "<tr><td>%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td class=\"num\">%s</td><td>%s</td><td class=\"doc\">%s</td></tr>\n",
				esc(t.Name), fnum(t.Value), optNum(t.Threshold), optP(t.PValue), optP(t.QValue), drift, esc(t.Doc))
		}
		b.WriteString("</tbody></table>\n")
	}
	b.WriteString("</section>\n")
}

func anchor(s string) string {
	var out strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			out.WriteRune(r)
		} else {
			out.WriteByte('_')
		}
	}
	return out.String()
}

func writeStatsTable(b *bytes.Buffer, c *report.ColumnDrift) {
	type row struct {
		name       string
		base, curr string
	}
	bs, cs := &c.Baseline, &c.Current
	rows := []row{
		{"rows", thousands(bs.Rows), thousands(cs.Rows)},
		{"nulls", fmtShare(bs.NullRate), fmtShare(cs.NullRate)},
	}
	stat := func(name string, bv, cv *float64, spread, exact bool) {
		if bv == nil && cv == nil {
			return
		}
		f := func(v *float64) string {
			if v == nil {
				return ""
			}
			switch {
			case spread:
				return fspread(*v, c.Unit)
			case exact:
				return esc(report.ExactValue(*v, c.Unit))
			}
			return fvalue(*v, c.Unit)
		}
		rows = append(rows, row{name, f(bv), f(cv)})
	}
	stat("mean", bs.Mean, cs.Mean, false, false)
	stat("std dev", bs.StdDev, cs.StdDev, true, false)
	stat("median", bs.Median, cs.Median, false, false)
	stat("min", bs.Min, cs.Min, false, true)
	stat("max", bs.Max, cs.Max, false, true)
	if bs.Distinct > 0 || cs.Distinct > 0 {
		rows = append(rows, row{"distinct (est.)", thousands(bs.Distinct), thousands(cs.Distinct)})
	}
	if len(bs.Shapes) > 0 || len(cs.Shapes) > 0 {
		rows = append(rows, row{"shapes", shareList(bs.Shapes), shareList(cs.Shapes)})
	}
	if c.Chart == nil || c.Chart.Kind != "bars" {
		if len(bs.Top) > 0 || len(cs.Top) > 0 {
			rows = append(rows, row{"top values", shareList(bs.Top), shareList(cs.Top)})
		}
	}
	b.WriteString("<table class=\"small\"><thead><tr><th></th><th>baseline</th><th>current</th></tr></thead><tbody>\n")
	for _, r := range rows {
		fmt.Fprintf(b, "<tr><th>%s</th><td class=\"num\">%s</td><td class=\"num\">%s</td></tr>\n", esc(r.name), r.base, r.curr)
	}
	b.WriteString("</tbody></table>\n")
}

func shareList(vs []report.ValueShare) string {
	var parts []string
	for _, v := range vs {
		parts = append(parts, "<code>"+esc(v.Value)+"</code> "+fmtShare(v.Share))
	}
	return strings.Join(parts, "<br>")
}

// Chart geometry, in SVG user units.
const (
	chartW   = 496
	chartH   = 150
	chartPad = 28
)

// writeHistogram draws baseline and current side by side per bin.
func writeHistogram(b *bytes.Buffer, c *report.ColumnDrift) {
	ch := c.Chart
	n := len(ch.Labels)
	top := maxShare(ch)
	plotH := float64(chartH - chartPad - 8)
	slot := float64(chartW-16) / float64(n)
	barW := math.Max(slot/2-1, 1)
	fmt.Fprintf(b, "<svg role=\"img\" aria-label=\"histogram of %s, baseline against current\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">\n",
		esc(c.Column), chartW, chartH, chartW, chartH)
	fmt.Fprintf(b, "<line x1=\"8\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#999\"/>\n", 8+plotH, chartW-8, 8+plotH)
	for i := 0; i < n; i++ {
		x := 8 + float64(i)*slot
		for k, v := range []float64{at(ch.Baseline, i), at(ch.Current, i)} {
			h := plotH * v / top
			color := "#4e79a7"
			side := "baseline"
			if k == 1 {
				color, side = "#f28e2b", "current"
			}
			fmt.Fprintf(b, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s %s: %s</title></rect>\n",
				x+float64(k)*(barW+1), 8+plotH-h, barW, h, color, esc(ch.Labels[i]), side, fmtShare(v))
		}
	}
	// The axis ends are the real smallest and largest values (Axis); an
	// older report only has the bins' lower edges.
	lo, hi := ch.Labels[0], ch.Labels[n-1]
	if len(ch.Axis) == 2 {
		lo, hi = ch.Axis[0], ch.Axis[1]
	}
	fmt.Fprintf(b, "<text class=\"axis-min\" x=\"8\" y=\"%d\" font-size=\"11\" fill=\"#555\">%s</text>\n", chartH-8, esc(lo))
	if n > 1 || len(ch.Axis) == 2 {
		fmt.Fprintf(b, "<text class=\"axis-max\" x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#555\" text-anchor=\"end\">%s</text>\n", chartW-8, chartH-8, esc(hi))
	}
	fmt.Fprintf(b, "<text x=\"%d\" y=\"14\" font-size=\"11\" fill=\"#555\" text-anchor=\"end\">max %s</text>\n", chartW-8, fmtShare(top))
	b.WriteString("</svg>\n")
}

// writeBars draws one row per value: a baseline and a current bar.
func writeBars(b *bytes.Buffer, c *report.ColumnDrift) {
	writeBarsChart(b, "top values of "+c.Column, c.Chart)
}

// writeBarsChart draws a bars chart; what names it for screen readers.
func writeBarsChart(b *bytes.Buffer, what string, ch *report.Chart) {
	n := len(ch.Labels)
	top := maxShare(ch)
	const rowH, labelW, valueW = 22, 130, 110
	h := n*rowH + 8
	plotW := float64(chartW - labelW - valueW)
	fmt.Fprintf(b, "<svg role=\"img\" aria-label=\"%s, baseline against current\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">\n",
		esc(what), chartW, h, chartW, h)
	for i := 0; i < n; i++ {
		y := 4 + i*rowH
		label := ch.Labels[i]
		if len([]rune(label)) > 18 {
			label = string([]rune(label)[:17]) + "…"
		}
		fmt.Fprintf(b, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\" fill=\"#222\">%s</text>\n", labelW-6, y+14, esc(label))
		bv, cv := at(ch.Baseline, i), at(ch.Current, i)
		fmt.Fprintf(b, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"9\" fill=\"#4e79a7\"><title>%s baseline: %s</title></rect>\n", labelW, y+2, plotW*bv/top, esc(ch.Labels[i]), fmtShare(bv))
		fmt.Fprintf(b, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"9\" fill=\"#f28e2b\"><title>%s current: %s</title></rect>\n", labelW, y+11, plotW*cv/top, esc(ch.Labels[i]), fmtShare(cv))
		fmt.Fprintf(b, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#555\">%s → %s</text>\n", chartW-valueW+6, y+14, fmtShare(bv), fmtShare(cv))
	}
	b.WriteString("</svg>\n")
}

func at(xs []float64, i int) float64 {
	if i < len(xs) && xs[i] > 0 && !math.IsInf(xs[i], 0) {
		return xs[i]
	}
	return 0
}

func maxShare(ch *report.Chart) float64 {
	top := 0.0
	for i := range ch.Labels {
		top = math.Max(top, math.Max(at(ch.Baseline, i), at(ch.Current, i)))
	}
	if top == 0 {
		return 1
	}
	return top
}

// fnum writes a statistic with four significant digits and thousands
// separators, as every report does (report.Number).
func fnum(x float64) string {
	if math.IsNaN(x) {
		return "∞"
	}
	return report.Number(x)
}

func optNum(x float64) string {
	if x == 0 {
		return ""
	}
	return fnum(x)
}

func optP(p *float64) string {
	if p == nil {
		return ""
	}
	if *p < 1e-16 {
		return "&lt; 1e-16"
	}
	return strconv.FormatFloat(*p, 'g', 2, 64)
}

// fvalue writes a column statistic: dates and timestamps for temporal
// columns (whose numbers count days or seconds), else a number.
func fvalue(x float64, unit string) string {
	switch unit {
	case "days":
		return time.Unix(int64(math.Round(x*86400)), 0).UTC().Format(time.DateOnly)
	case "seconds":
		if x >= 0 && x < 2*86400 {
			return fnum(x) + "s"
		}
		return time.Unix(int64(math.Round(x)), 0).UTC().Format("2006-01-02 15:04:05")
	}
	return fnum(x)
}

func fspread(x float64, unit string) string {
	switch unit {
	case "days":
		return fnum(x) + " days"
	case "seconds":
		return fnum(x) + "s"
	}
	return fnum(x)
}

func fmtShare(x float64) string { return esc(report.Share(x)) }

// nullRateDrifted is whether the column's null-rate test found drift: its
// chart then shows the null share, which the value charts (shares of
// non-null values) cannot.
func nullRateDrifted(c *report.ColumnDrift) bool {
	for _, t := range c.Tests {
		if t.Name == "nullRate" && t.Drift {
			return true
		}
	}
	return false
}

// writeNullShare draws the share of nulls, baseline against current.
func writeNullShare(b *bytes.Buffer, c *report.ColumnDrift) {
	ch := &report.Chart{Kind: "bars", Labels: []string{"null", "not null"},
		Baseline: []float64{c.Baseline.NullRate, 1 - c.Baseline.NullRate},
		Current:  []float64{c.Current.NullRate, 1 - c.Current.NullRate}}
	fmt.Fprintf(b, "<p class=\"note\">Share of all rows that are null:</p>\n")
	writeBarsChart(b, "null share of "+c.Column, ch)
}

// htmlSpans escapes a message for HTML, showing `quoted` parts (values,
// shapes, names the message quotes in backticks) as code, never as raw
// backticks.
func htmlSpans(s string) string {
	var b strings.Builder
	for i, part := range backtickSpans(s) {
		if i%2 == 1 {
			b.WriteString("<code>" + esc(part) + "</code>")
		} else {
			b.WriteString(esc(part))
		}
	}
	return b.String()
}
