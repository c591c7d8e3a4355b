//go:build race

package drift

// raceEnabled shrinks the accuracy suite under the race detector, which
// makes profiling ten times slower and adds nothing to a statistics test.
const raceEnabled = true
