package simclock

import (
	"testing"
	"time"
)

func TestClockMovesForwardOnlyAndSaysSo(t *testing.T) {
	wall := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	c := New(func() time.Time { return wall })
	if got := c.Now(); !got.Equal(wall) {
		t.Fatalf("Now = %v, want the wall clock %v", got, wall)
	}
	ch := c.Changed()
	c.Advance(time.Hour)
	select {
	case <-ch:
	default:
		t.Error("Advance did not signal a change")
	}
	if got := c.Now(); !got.Equal(wall.Add(time.Hour)) {
		t.Errorf("after +1h Now = %v", got)
	}
	c.Advance(-2 * time.Hour)
	if got := c.AdvanceTo(wall); got != 0 || !c.Now().Equal(wall.Add(time.Hour)) {
		t.Errorf("the clock went back: moved %v, now %v", got, c.Now())
	}
	if got := c.AdvanceTo(wall.Add(25 * time.Hour)); got != 24*time.Hour || c.Offset() != 25*time.Hour {
		t.Errorf("AdvanceTo moved %v, offset %v; want 24h, 25h", got, c.Offset())
	}
}
