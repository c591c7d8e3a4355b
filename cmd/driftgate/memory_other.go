//go:build !linux

package main

// measureStart measures nothing outside Linux, where /proc is not there to
// read: the whole budget but reserve goes to Go's heap.
func measureStart() startMemory {
	g := goMapped()
	return startMemory{rssAnon: g, goMapped: g}
}
