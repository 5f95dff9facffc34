//go:build race

package slack

// raceEnabled shrinks the load tests, which the race detector slows tenfold.
const raceEnabled = true
