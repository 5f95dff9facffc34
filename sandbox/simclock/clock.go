// Package simclock is the sandbox's shared clock: the bot, its storage, its
// connectors and the three fakes all read it, so moving it moves the whole
// simulated company at once. Between moves it runs at the wall clock's pace,
// so "revoked in 412 ms" and "last used 3 days ago" both stay true.
package simclock

import (
	"sync"
	"time"
)

// Clock is wall time plus an offset that only grows. The zero value is not
// usable; create one with New.
type Clock struct {
	wall func() time.Time

	mu      sync.Mutex
	offset  time.Duration
	changed chan struct{}
}

// New returns a clock that reads the wall clock now; wall nil means time.Now.
func New(wall func() time.Time) *Clock {
	if wall == nil {
		wall = time.Now
	}
	return &Clock{wall: wall, changed: make(chan struct{})}
}

// Now is the simulated time. Its signature fits every Clock option.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.wall().Add(c.offset)
}

// Offset is how far the simulated time is ahead of the wall clock.
func (c *Clock) Offset() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.offset
}

// Advance moves the clock forward by d. Time never goes back: the audit
// chain, message timestamps and leases all assume it, so d ≤ 0 does nothing.
func (c *Clock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.mu.Lock()
	c.offset += d
	close(c.changed)
	c.changed = make(chan struct{})
	c.mu.Unlock()
}

// AdvanceTo moves the clock to t, if t is ahead of it, and says how far it moved.
func (c *Clock) AdvanceTo(t time.Time) time.Duration {
	d := t.Sub(c.Now())
	c.Advance(d)
	return max(d, 0)
}

// Changed returns a channel closed at the next move.
func (c *Clock) Changed() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.changed
}
