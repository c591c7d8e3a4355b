package project

import (
	"slices"
	"testing"

	"github.com/driftgate/driftgate/checker/source/objstore/objstoretest"
)

// TestFilesSelectsRemotePartitions resolves driftgate.yaml data paths with
// {placeholders} in an object store as in directories: the latest
// partition, or all of them.
func TestFilesSelectsRemotePartitions(t *testing.T) {
	st := objstoretest.S3(t)
	for _, k := range []string{"orders/dt=2026-11-29/part-0.csv", "orders/dt=2026-11-30/part-0.csv", "orders/dt=2026-11-30/part-1.csv", "orders/dt=2026-11-30/_SUCCESS"} {
		st.Put(t, k, []byte("id\n1\n"))
	}
	cfg := &Config{Dir: t.TempDir(), Remote: st.Client}
	for _, tc := range []struct {
		partitions string
		want       []string
	}{
		{"", []string{"orders/dt=2026-11-30/part-0.csv", "orders/dt=2026-11-30/part-1.csv"}},
		{"all", []string{"orders/dt=2026-11-29/part-0.csv", "orders/dt=2026-11-30/part-0.csv", "orders/dt=2026-11-30/part-1.csv"}},
	} {
		t.Run("partitions "+tc.partitions, func(t *testing.T) {
			got, err := cfg.Files(&Dataset{Data: []string{st.URL("orders/dt={dt}/")}, Partitions: tc.partitions}, nil)
			if err != nil {
				t.Fatal(err)
			}
			var want []string
			for _, k := range tc.want {
				want = append(want, st.URL(k))
			}
			if !slices.Equal(got, want) {
				t.Errorf("Files = %q, want %q", got, want)
			}
		})
	}
}
