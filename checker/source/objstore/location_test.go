package objstore

import "testing"

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		raw                   string
		scheme                Scheme
		bucket, account, key  string
		pattern, prefix, fail bool
	}{
		{raw: "s3://lake/orders/dt=2026-11-30/part-0.parquet", scheme: S3, bucket: "lake", key: "orders/dt=2026-11-30/part-0.parquet"},
		{raw: "s3a://lake/orders/", scheme: S3, bucket: "lake", key: "orders/", prefix: true},
		{raw: "s3://lake", scheme: S3, bucket: "lake", prefix: true},
		{raw: "s3://lake/orders/*/part-?.parquet", scheme: S3, bucket: "lake", key: "orders/*/part-?.parquet", pattern: true},
		{raw: "s3://lake/a%20b#c.csv", scheme: S3, bucket: "lake", key: "a%20b#c.csv"},
		{raw: "gs://lake/orders/**/*.parquet", scheme: GCS, bucket: "lake", key: "orders/**/*.parquet", pattern: true},
		{raw: "az://container/path/x.csv", scheme: Azure, bucket: "container", key: "path/x.csv"},
		{raw: "abfss://container@acct.dfs.core.windows.net/path/", scheme: Azure, bucket: "container", account: "acct", key: "path/", prefix: true},
		{raw: "https://example.com/data/x.parquet?sig=1", scheme: HTTPS, bucket: "example.com", key: "data/x.parquet?sig=1"},
		{raw: "abfss://nocontainer.dfs.core.windows.net/x", fail: true},
		{raw: "s3:///key", fail: true},
		{raw: "ftp://host/x", fail: true},
	} {
		t.Run(tc.raw, func(t *testing.T) {
			loc, err := Parse(tc.raw)
			if tc.fail {
				if err == nil {
					t.Fatalf("Parse accepted %q: %+v", tc.raw, loc)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if loc.Scheme != tc.scheme || loc.Bucket != tc.bucket || loc.Account != tc.account || loc.Key != tc.key {
				t.Errorf("Parse = %+v", loc)
			}
			if loc.IsPattern() != tc.pattern || loc.IsPrefix() != tc.prefix {
				t.Errorf("pattern %v prefix %v, want %v %v", loc.IsPattern(), loc.IsPrefix(), tc.pattern, tc.prefix)
			}
		})
	}
}

func TestGlob(t *testing.T) {
	for _, tc := range []struct {
		glob  string
		match []string
		miss  []string
	}{
		{"orders/*.parquet", []string{"orders/a.parquet"}, []string{"orders/x/a.parquet", "orders/a.csv"}},
		{"orders/dt=*/part-?.csv", []string{"orders/dt=2026-11-30/part-0.csv"}, []string{"orders/dt=2026-11-30/part-10.csv"}},
		{"orders/**/*.parquet", []string{"orders/a.parquet", "orders/x/y/a.parquet"}, []string{"other/a.parquet"}},
		{"orders/**", []string{"orders/a", "orders/x/y"}, []string{"ordersx"}},
		{"d/[0-9].csv", []string{"d/7.csv"}, []string{"d/x.csv"}},
		{"d/[!0-9].csv", []string{"d/x.csv"}, []string{"d/7.csv"}},
		{"a.b/(x)+.csv", []string{"a.b/(x)+.csv"}, []string{"aXb/(x)+.csv", "a.b/xx.csv"}},
	} {
		t.Run(tc.glob, func(t *testing.T) {
			re, err := globRegexp(tc.glob)
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range tc.match {
				if !re.MatchString(k) {
					t.Errorf("%q does not match %q", tc.glob, k)
				}
			}
			for _, k := range tc.miss {
				if re.MatchString(k) {
					t.Errorf("%q matches %q", tc.glob, k)
				}
			}
		})
	}
	if _, err := globRegexp("d/[0-9.csv"); err == nil {
		t.Error("an unclosed [ is accepted")
	}
}

func TestPlanCoalescesNeighboursAndSplitsLargeRanges(t *testing.T) {
	f := &File{obj: Object{Size: 100 << 20}}
	f.Plan([]Range{
		{Offset: 1000, Length: 1000},
		{Offset: 0, Length: 500},               // merged with the first: a gap of 500 bytes
		{Offset: 10 << 20, Length: 20 << 20},   // split into 3 equal units
		{Offset: 99<<20 + 1, Length: 10 << 20}, // clipped to the object
		{Offset: 200 << 20, Length: 10},        // beyond the end: dropped
	})
	third := int64(20<<20+2) / 3 // rounded up
	want := []Range{{0, 2000}, {10 << 20, third}, {10<<20 + third, third}, {10<<20 + 2*third, 20<<20 - 2*third}, {99<<20 + 1, 1<<20 - 1}}
	if len(f.units) != len(want) {
		t.Fatalf("units = %v, want %v", f.units, want)
	}
	for i := range want {
		if f.units[i] != want[i] {
			t.Errorf("unit %d = %v, want %v", i, f.units[i], want[i])
		}
	}
}

// FuzzParse holds the location parser and the glob compiler to "a
// location or an error, never a panic", and a parsed location's URL to
// naming the same bucket and key again.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"s3://lake/orders/dt=*/part-?.parquet", "gs://b/**/x.csv", "abfss://c@acct.dfs.core.windows.net/p/", "az://c/k", "https://h:8080/a/b?x=1", "s3://b/[!0-9].csv", "s3://b/[", "s3:///"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		loc, err := Parse(raw)
		if err != nil {
			return
		}
		if loc.Bucket == "" {
			t.Fatalf("Parse(%q) has no bucket", raw)
		}
		if loc.Scheme != HTTPS {
			again, err := Parse(loc.URL(loc.Key))
			if err != nil || again.Bucket != loc.Bucket || again.Key != loc.Key {
				t.Fatalf("Parse(URL(%q)) = %+v, %v; want bucket %q key %q", raw, again, err, loc.Bucket, loc.Key)
			}
		}
		if re, err := globRegexp(loc.Key); err == nil {
			re.MatchString(loc.Key)
		}
		_ = listPrefix(loc.Key)
	})
}
