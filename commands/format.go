package commands

import "time"

// FormatInstant renders t as a person reads it in a confirmation, e.g.
// "Mon 1 Jul 2024 09:00 Europe/Berlin". When that wall time occurs twice
// (the autumn overlap) the zone abbreviation follows, "(CEST)", so the two
// readings cannot be confused. A nil loc means UTC.
func FormatInstant(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	s := t.Format("Mon 2 Jan 2006 15:04") + " " + loc.String()
	if len(wallInstants(civilOf(t), t.Hour(), t.Minute(), t.Second(), loc)) > 1 {
		abbr, _ := t.Zone()
		s += " (" + abbr + ")"
	}
	return s
}
