package commands

import (
	"slices"
	"time"
)

// wallInstants returns every instant at which the clocks in loc show the
// given wall time on day c, earliest first: none in a spring-forward gap,
// two in an autumn overlap, one otherwise. time.Date alone does not say
// which case it met, so the candidates come from the offsets of the zone
// in force and its neighbours, each checked by reading the clock back.
func wallInstants(c civil, h, mi, s int, loc *time.Location) []time.Time {
	guess := time.Date(c.y, c.m, c.d, h, mi, s, 0, loc)
	naive := time.Date(c.y, c.m, c.d, h, mi, s, 0, time.UTC)
	var offsets []int
	add := func(t time.Time) {
		if _, off := t.Zone(); !slices.Contains(offsets, off) {
			offsets = append(offsets, off)
		}
	}
	add(guess)
	start, end := guess.ZoneBounds()
	if !start.IsZero() {
		add(start.Add(-time.Second))
	}
	if !end.IsZero() {
		add(end)
	}
	var out []time.Time
	for _, off := range offsets {
		t := naive.Add(-time.Duration(off) * time.Second).In(loc)
		if civilOf(t) == c && t.Hour() == h && t.Minute() == mi && t.Second() == s {
			out = append(out, t)
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return slices.CompactFunc(out, time.Time.Equal)
}

// place puts a wall time of day c into loc. A time in a DST gap is an
// error that says where the clocks jump; a time that occurs twice is the
// first occurrence (still summer time), the earlier of the two, so that
// nothing is revoked later than the person could have meant.
func place(c civil, h, mi, s int, loc *time.Location) (time.Time, *Error) {
	ts := wallInstants(c, h, mi, s, loc)
	if len(ts) > 0 {
		return ts[0], nil
	}
	guess := time.Date(c.y, c.m, c.d, h, mi, s, 0, loc)
	wall := time.Date(c.y, c.m, c.d, h, mi, s, 0, time.UTC).Format("2006-01-02 15:04")
	start, end := guess.ZoneBounds()
	jump := start
	if start.IsZero() || (!end.IsZero() && end.Sub(guess).Abs() < guess.Sub(start).Abs()) {
		jump = end
	}
	if jump.IsZero() {
		return time.Time{}, fail(usageWhen, "%s does not exist in %s; pick another time.", quote(wall), loc)
	}
	_, before := jump.Add(-time.Second).In(loc).Zone()
	from, to := jump.In(time.FixedZone("", before)), jump.In(loc)
	layout := "15:04"
	if civilOf(from) != civilOf(to) {
		layout = "2006-01-02 15:04" // a whole day skipped, as Samoa did in 2011
	}
	return time.Time{}, fail(usageWhen, "%s does not exist in %s: that night the clocks jump from %s to %s. Pick a time outside the jump.", quote(wall), loc, from.Format(layout), to.Format(layout))
}
