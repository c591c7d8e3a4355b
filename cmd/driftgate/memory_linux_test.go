package main

import (
	"os"
	"testing"
)

func TestCleanTextMappingsKeepsOnlyReadOnlyPagesOfTheBinaryNeverWritten(t *testing.T) {
	smaps := `00400000-00401000 r--p 00000000 fe:00 12 /opt/driftgate
Size:                  4 kB
Rss:                   4 kB
Anonymous:             0 kB
00401000-04f39000 r-xp 00001000 fe:00 12 /opt/driftgate
Size:              77024 kB
Rss:               13180 kB
Anonymous:             0 kB
VmFlags: rd ex mr mw me nh
04f39000-08810000 r--p 04b39000 fe:00 12 /opt/driftgate
Rss:               28096 kB
Anonymous:             0 kB
08810000-0889a000 r--p 0840f000 fe:00 12 /opt/driftgate
Rss:                 300 kB
Anonymous:             8 kB
0889a000-08c8b000 rw-p 08499000 fe:00 12 /opt/driftgate
Rss:                1284 kB
Anonymous:             0 kB
08c89000-0af05000 rw-p 00000000 00:00 0
Rss:                 260 kB
Anonymous:           260 kB
7f0000000000-7f0000100000 r-xp 00000000 fe:00 99 /usr/lib/other.so
Rss:                 100 kB
Anonymous:             0 kB
7f0000200000-7f0000300000 r-xp 00000000 fe:00 12 /opt/driftgate (deleted)
Rss:                 100 kB
Anonymous:             0 kB
`
	got := cleanTextMappings([]byte(smaps), "/opt/driftgate")
	want := []mapping{
		{start: 0x400000, end: 0x401000, rss: 4 << 10},
		{start: 0x401000, end: 0x4f39000, rss: 13180 << 10},
		{start: 0x4f39000, end: 0x8810000, rss: 28096 << 10},
	}
	if len(got) != len(want) {
		t.Fatalf("mappings %+v, want %+v (the relocated read-only data, writable data, anonymous memory and other files left alone)", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("mapping %d: %+v, want %+v", i, got[i], want[i])
		}
	}
}

// TestTrimTextLowersTheBinarysResidentPagesAndTheProgramRunsOn trims the
// test binary itself: its resident file pages drop, and code and read-only
// data still work afterwards (they fault back in from the page cache).
func TestTrimTextLowersTheBinarysResidentPagesAndTheProgramRunsOn(t *testing.T) {
	before := fileRSS(t)
	trimmed, err := trimText()
	if err != nil {
		t.Fatal(err)
	}
	after := fileRSS(t)
	if trimmed <= 0 || after >= before {
		t.Errorf("trimmed %d bytes; file-backed resident set %d kB before, %d kB after: want it lower", trimmed, before>>10, after>>10)
	}
	start := measureStart()
	p, err := planMemory(func(string) string { return "" }, start)
	switch {
	case err != nil:
		t.Errorf("after trimming, plan: %v", err)
	case raceEnabled:
		// The race detector's shadow memory leaves Go only the minimum.
		if p.goLimit < minGoLimit || p.goLimit >= defaultMemoryBudget-reserve {
			t.Errorf("after trimming (race detector on, %d MiB outside Go), plan %+v: want a Go limit from the minimum to the budget less the reserve", start.nonGo()>>20, p)
		}
	case p.goLimit <= minGoLimit || p.goLimit >= defaultMemoryBudget-reserve:
		t.Errorf("after trimming (%d MiB outside Go), plan %+v: want a Go limit between the minimum and the budget less the reserve", start.nonGo()>>20, p)
	}
}

func fileRSS(t *testing.T) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	n := statusKB(b, "RssFile:")
	if n <= 0 {
		t.Fatalf("no RssFile in /proc/self/status:\n%s", b)
	}
	return n
}
