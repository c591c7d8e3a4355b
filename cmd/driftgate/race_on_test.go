//go:build race

package main

// raceEnabled says the race detector is built in: its shadow memory is
// anonymous memory the Go runtime does not count, which the memory budget
// rightly takes off Go's soft limit.
const raceEnabled = true
