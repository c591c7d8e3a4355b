//go:build !race

package history

// seeds is the number of planted series per scenario.
const seeds = 100
