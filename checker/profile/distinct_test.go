package profile

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestDistinctSketchIsTheLibrarys feeds the same hashes to distinctSketch
// and to the library's sparse sketch it stands in for, and wants the same
// bytes and the same estimate: for distinct counts around every switch of
// the library's state (its buffer of 41, a list of m bytes, dense), values
// repeated in runs and at random, and hashes whose bits below the register
// index are zero (the library's other encoding).
func TestDistinctSketchIsTheLibrarys(t *testing.T) {
	for _, distinct := range []int{0, 1, 40, 41, 42, 82, 500, 900, 1100, 1300, 1500, 2000, 5000, 60000} {
		for _, mode := range []string{"random repeats", "runs", "low bits zero"} {
			t.Run(fmt.Sprintf("%d distinct, %s", distinct, mode), func(t *testing.T) {
				r := rand.New(rand.NewPCG(uint64(distinct), 3))
				values := make([]uint64, distinct)
				for i := range values {
					values[i] = r.Uint64()
					if mode == "low bits zero" && i%3 == 0 {
						values[i] &^= (1<<13 - 1) << 39 // the bits below the index
					}
				}
				ref, ours := newHLL(), newDistinct()
				add := func(x uint64) {
					ref.InsertHash(x)
					ours.insertHash(x)
				}
				if distinct > 0 {
					for i := range 20 * distinct {
						switch mode {
						case "runs":
							add(values[i/20])
						default:
							add(values[r.IntN(distinct)])
						}
					}
				}
				want, err := ref.MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				sk := ours.sketch()
				got, err := sk.MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Fatalf("sketch bytes differ from the library's (%d bytes, want %d; sparse %v, want %v)", len(got), len(want), got[3] == 1, want[3] == 1)
				}
				if g, w := sk.Estimate(), ref.Estimate(); g != w {
					t.Errorf("estimate %d, want %d", g, w)
				}
			})
		}
	}
}
