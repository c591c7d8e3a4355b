package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"
	"syscall"
)

// measureStart trims the binary's pages and measures what the process
// holds. A measurement that fails counts as nothing outside Go: the
// reserve still covers the binary's pages.
func measureStart() startMemory {
	_, _ = trimText() // an optimisation: where madvise refuses, pages stay mapped
	m := startMemory{goMapped: goMapped()}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		m.rssAnon = m.goMapped
		return m
	}
	m.rssFile, m.rssAnon = statusKB(status, "RssFile:"), statusKB(status, "RssAnon:")
	return m
}

// statusKB reads one "Name: N kB" line of /proc/self/status, in bytes.
func statusKB(status []byte, name string) int64 {
	for line := range bytes.Lines(status) {
		if rest, ok := bytes.CutPrefix(line, []byte(name)); ok {
			n, _ := strconv.ParseInt(string(bytes.TrimSuffix(bytes.TrimSpace(rest), []byte(" kB"))), 10, 64)
			return n << 10
		}
	}
	return 0
}

// trimText unmaps the pages of the executable's own code and read-only
// data that start-up touched, and keeps them from coming back in 2 MiB
// blocks, so that the resident set counts only the code a run uses.
//
// Why: on kernels whose page cache holds files in large folios (ext4 and
// xfs since Linux 6.x), a fault in a text page maps the whole 2 MiB folio
// around it. The package initialisers (and, in the cgo build, DuckDB's C++
// static initialisers) touch code and tables all over a 90-140 MB binary,
// so a process that has done nothing yet showed 61 MB (pure Go) or 89 MB
// (with DuckDB) of the binary resident, counted in its RSS.
// MADV_NOHUGEPAGE makes later faults map small pages (and the kernel's
// 64 KiB fault-around); MADV_DONTNEED drops what is mapped now. Both are
// safe on a private mapping of the file that was never written to (no
// anonymous, copied-on-write page: checked per mapping): its pages come
// back from the page cache, unchanged, on the next access, as they would
// after the kernel reclaimed them. Writable mappings and the relocated
// read-only data are never touched.
//
// It returns the bytes unmapped, for the measurement of start-up memory.
func trimText() (int64, error) {
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return 0, fmt.Errorf("find the executable: %w", err)
	}
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		return 0, fmt.Errorf("read the process's mappings: %w", err)
	}
	var trimmed int64
	for _, m := range cleanTextMappings(smaps, exe) {
		for _, advice := range []uintptr{syscall.MADV_NOHUGEPAGE, syscall.MADV_DONTNEED} {
			if _, _, errno := syscall.Syscall(syscall.SYS_MADVISE, m.start, m.end-m.start, advice); errno != 0 {
				return trimmed, fmt.Errorf("madvise %#x-%#x: %w", m.start, m.end, errno)
			}
		}
		trimmed += m.rss
	}
	return trimmed, nil
}

// mapping is one mapping of /proc/self/smaps that trimText may drop.
type mapping struct {
	start, end uintptr
	rss        int64 // resident bytes
}

// cleanTextMappings parses smaps and returns the private, read-only (never
// writable) mappings of the file exe that hold no anonymous page.
func cleanTextMappings(smaps []byte, exe string) []mapping {
	var out []mapping
	var cur *mapping
	var anon int64
	keep := func() {
		if cur != nil && anon == 0 {
			out = append(out, *cur)
		}
		cur = nil
	}
	sc := bufio.NewScanner(bytes.NewReader(smaps))
	for sc.Scan() {
		line := sc.Bytes()
		fields := bytes.Fields(line)
		if len(fields) == 0 {
			continue
		}
		if !bytes.HasSuffix(fields[0], []byte(":")) { // a mapping's header line
			keep()
			anon = 0
			if len(fields) != 6 || string(fields[5]) != exe {
				continue
			}
			perms := string(fields[1])
			if perms != "r-xp" && perms != "r--p" {
				continue
			}
			lo, hi, ok := bytes.Cut(fields[0], []byte("-"))
			if !ok {
				continue
			}
			s, err1 := strconv.ParseUint(string(lo), 16, 64)
			e, err2 := strconv.ParseUint(string(hi), 16, 64)
			if err1 != nil || err2 != nil || e <= s {
				continue
			}
			cur = &mapping{start: uintptr(s), end: uintptr(e)}
			continue
		}
		if cur == nil || len(fields) < 2 {
			continue
		}
		kb, err := strconv.ParseInt(string(fields[1]), 10, 64)
		if err != nil {
			continue
		}
		switch string(fields[0]) {
		case "Rss:":
			cur.rss = kb << 10
		case "Anonymous:":
			anon = kb
		}
	}
	keep()
	return out
}
