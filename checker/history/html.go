package history

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"
	"strings"
	"time"
)

// Page is the history report: per dataset, a time series of each metric
// with its anomalies marked, and the verdict of every run.
type Page struct {
	Title    string
	Datasets []PageDataset
}

// PageDataset is one dataset's part of the page.
type PageDataset struct {
	Name        string
	First, Last string
	Runs        []PageRun
	Charts      []Chart
}

// PageRun is one run's verdict.
type PageRun struct {
	AsOf   string
	Status string
}

// Chart is one metric's series.
type Chart struct {
	Title     string
	Anomalies int
	SVG       template.HTML
}

// chartsPerDataset bounds the page: the dataset metrics, then the column
// metrics with anomalies, then the others, up to this many charts.
const chartsPerDataset = 24

// BuildPage turns stored runs (as Runs returns them) into the report.
func BuildPage(title string, runs []Run) Page {
	byDataset := map[string][]Run{}
	var names []string
	for _, r := range runs {
		if _, ok := byDataset[r.Dataset]; !ok {
			names = append(names, r.Dataset)
		}
		byDataset[r.Dataset] = append(byDataset[r.Dataset], r)
	}
	sort.Strings(names)
	page := Page{Title: title}
	for _, name := range names {
		rs := byDataset[name]
		d := PageDataset{Name: name}
		type key struct{ column, metric string }
		series := map[key][]Sample{}
		var keys []key
		for _, r := range rs {
			d.Runs = append(d.Runs, PageRun{AsOf: r.AsOf.Format("2006-01-02"), Status: r.Status})
			for _, m := range r.Metrics {
				k := key{m.Column, m.Name}
				if _, ok := series[k]; !ok {
					keys = append(keys, k)
				}
				series[k] = append(series[k], Sample{AsOf: r.AsOf, Value: m.Value, Anomalous: m.Anomalous})
			}
		}
		anomalies := func(k key) int {
			n := 0
			for _, s := range series[k] {
				if s.Anomalous {
					n++
				}
			}
			return n
		}
		sort.SliceStable(keys, func(i, j int) bool {
			a, b := keys[i], keys[j]
			if (a.column == "") != (b.column == "") {
				return a.column == ""
			}
			if na, nb := anomalies(a) > 0, anomalies(b) > 0; na != nb {
				return na
			}
			if a.column != b.column {
				return a.column < b.column
			}
			return a.metric < b.metric
		})
		for i, k := range keys {
			if i == chartsPerDataset {
				break
			}
			title := k.metric
			if k.column != "" {
				title = k.column + " · " + strings.ReplaceAll(k.metric, "_", " ")
			}
			d.Charts = append(d.Charts, Chart{Title: title, Anomalies: anomalies(k), SVG: lineChart(series[k])})
		}
		d.First, d.Last = d.Runs[0].AsOf, d.Runs[len(d.Runs)-1].AsOf
		page.Datasets = append(page.Datasets, d)
	}
	return page
}

// lineChart draws a series as an inline SVG line with its anomalies as red
// dots; the axis labels are the real minimum and maximum and the first and
// last day.
func lineChart(s []Sample) template.HTML {
	const w, h, left, right, top, bottom = 420.0, 140.0, 64.0, 8.0, 10.0, 22.0
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, p := range s {
		lo, hi = math.Min(lo, p.Value), math.Max(hi, p.Value)
	}
	if len(s) == 0 {
		return ""
	}
	if hi == lo {
		hi, lo = hi+1, lo-1
	}
	t0, t1 := s[0].AsOf, s[len(s)-1].AsOf
	span := t1.Sub(t0)
	if span <= 0 {
		span = time.Hour
	}
	x := func(t time.Time) float64 { return left + (w-left-right)*float64(t.Sub(t0))/float64(span) }
	y := func(v float64) float64 { return top + (h-top-bottom)*(1-(v-lo)/(hi-lo)) }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %g %g" width="%g" height="%g" role="img">`, w, h, w, h)
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" class="axis"/>`, left, h-bottom, w-right, h-bottom)
	fmt.Fprintf(&b, `<text x="%g" y="%g" class="label" text-anchor="end">%s</text>`, left-4, top+8, template.HTMLEscapeString(Number(hi)))
	fmt.Fprintf(&b, `<text x="%g" y="%g" class="label" text-anchor="end">%s</text>`, left-4, h-bottom, template.HTMLEscapeString(Number(lo)))
	fmt.Fprintf(&b, `<text x="%g" y="%g" class="label">%s</text>`, left, h-6, t0.Format("2006-01-02"))
	fmt.Fprintf(&b, `<text x="%g" y="%g" class="label" text-anchor="end">%s</text>`, w-right, h-6, t1.Format("2006-01-02"))
	b.WriteString(`<polyline class="series" points="`)
	for i, p := range s {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%.1f,%.1f", x(p.AsOf), y(p.Value))
	}
	b.WriteString(`"/>`)
	for _, p := range s {
		if p.Anomalous {
			fmt.Fprintf(&b, `<circle class="anomaly" cx="%.1f" cy="%.1f" r="4"><title>%s: %s (anomaly)</title></circle>`,
				x(p.AsOf), y(p.Value), p.AsOf.Format("2006-01-02"), template.HTMLEscapeString(Number(p.Value)))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // built above from numbers and escaped text
}

var pageTemplate = template.Must(template.New("history").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1f2328;max-width:1400px}
h1{font-size:20px}h2{font-size:17px;margin-top:32px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.runs{display:flex;flex-wrap:wrap;gap:2px;margin:8px 0}
.run{width:10px;height:14px;border-radius:2px}
.pass{background:#1a7f37}.fail{background:#cf222e}.error{background:#6e7781}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(430px,1fr));gap:12px}
figure{margin:0;border:1px solid #d0d7de;border-radius:6px;padding:8px}
figcaption{font-weight:600;margin-bottom:4px}.count{color:#cf222e;font-weight:400}
.series{fill:none;stroke:#0969da;stroke-width:1.5}.axis{stroke:#8c959f}
.label{font-size:10px;fill:#57606a}.anomaly{fill:#cf222e}
</style></head><body>
<h1>{{.Title}}</h1>
{{if not .Datasets}}<p>The history holds no runs yet.</p>{{end}}
{{range .Datasets}}<section class="dataset">
<h2>{{.Name}}</h2>
<p>{{len .Runs}} runs, from {{.First}} to {{.Last}}. Each square is one run's verdict (green pass, red fail, grey error).</p>
<div class="runs">{{range .Runs}}<span class="run {{.Status}}" title="{{.AsOf}}: {{.Status}}"></span>{{end}}</div>
<div class="charts">{{range .Charts}}<figure class="chart"><figcaption>{{.Title}}{{if .Anomalies}} <span class="count">{{.Anomalies}} anomalies</span>{{end}}</figcaption>{{.SVG}}</figure>{{end}}</div>
</section>{{end}}
</body></html>
`))

// WriteHTML writes the page as one self-contained HTML document.
func (p Page) WriteHTML(w io.Writer) error {
	return pageTemplate.Execute(w, p)
}
