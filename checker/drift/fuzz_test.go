package drift

import (
	"testing"

	"github.com/driftgate/driftgate/checker/profile"
)

// FuzzBaseline loads arbitrary bytes as a baseline profile, the file the
// README says to commit and so one anyone can edit, and compares the
// current data with it both ways round: every profile that loads gives a
// drift result or an error, never a panic (histograms of another length,
// NaN or negative counts, quantiles out of order).
func FuzzBaseline(f *testing.F) {
	cur := profileBatch(f, 1, 500, plant{})
	good, err := baseline(f, 2, 1500).Marshal()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(`{"profileVersion": 1, "rows": -5, "columns": []}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		base, err := profile.Parse("baseline.json", data)
		if err != nil {
			return
		}
		_, _ = Compare(base, cur, defaultConfig())
		_, _ = Compare(cur, base, defaultConfig())
		_, _ = Compare(base, base, defaultConfig())
	})
}
