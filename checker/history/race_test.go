//go:build race

package history

// seeds is the number of planted series per scenario. The race detector
// makes the detector ten times slower and adds nothing to a statistics
// test, so it runs fewer.
const seeds = 30
