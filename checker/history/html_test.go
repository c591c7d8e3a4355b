package history

import (
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/driftgate/driftgate/fixtures/testenv"
)

// TestHistoryPageInABrowser renders a page of three weeks of runs with one
// anomaly in headless Chromium: the chart, its red anomaly dot and the
// failed run's square must be on the screenshot, with no console errors.
func TestHistoryPageInABrowser(t *testing.T) {
	var runs []Run
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for d := range 21 {
		r := Run{Dataset: "orders", AsOf: day.AddDate(0, 0, d), Status: "pass",
			Metrics: []Metric{{Name: MetricRows, Value: float64(4700 + d%5*10)}, {Column: "amount", Name: MetricNullRate, Value: 0.01}}}
		if d == 20 {
			r.Status, r.Metrics[0].Value, r.Metrics[0].Anomalous = "fail", 310, true
		}
		runs = append(runs, r)
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "history.html")
	f, err := os.Create(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := BuildPage("driftgate history", runs).WriteHTML(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	chromium := testenv.NewChromium(t)
	dom, logs := chromium.Run("--enable-logging=stderr", "--v=0", "--dump-dom", "file://"+page)
	for _, want := range []string{"<svg", `class="anomaly"`, "1 anomalies", "21 runs, from 2026-11-01 to 2026-11-21"} {
		if !strings.Contains(dom, want) {
			t.Errorf("the rendered page lacks %q: %.400s", want, dom)
		}
	}
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, "CONSOLE") || strings.Contains(line, "Uncaught") {
			t.Errorf("console error: %s", line)
		}
	}
	shot := filepath.Join(dir, "history.png")
	chromium.Run("--screenshot="+shot, "--window-size=1000,800", "file://"+page)
	sf, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer sf.Close()
	img, err := png.Decode(sf)
	if err != nil {
		t.Fatal(err)
	}
	var red, blue int
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			switch {
			case r > 180 && g < 80 && bl < 80: // the anomaly dot and the failed run, #cf222e
				red++
			case r < 40 && g > 80 && g < 130 && bl > 190: // the series line, #0969da
				blue++
			}
		}
	}
	if red < 20 || blue < 50 {
		t.Errorf("screenshot shows %d red and %d blue pixels; want the anomaly marked on a drawn series", red, blue)
	}
}
