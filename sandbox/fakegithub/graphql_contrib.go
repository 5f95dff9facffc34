package fakegithub

import (
	"fmt"
	"strings"
	"time"
)

// contributions resolves User.contributionsCollection(from, to,
// organizationID). Visible contributions count as commits and appear in
// the calendar; restricted ones appear only in restrictedContributionsCount.
// hasAnyContributions reflects visible contributions only, the reading of
// GitHub's docs under which a client that ignores the restricted count
// gets private work wrong.
func (ex *gqlExec) contributions(u *user, args map[string]any) (any, error) {
	to := ex.s.now()
	if v := argString(args, "to"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return nil, &gqlError{Message: fmt.Sprintf("Argument 'to' on Field 'contributionsCollection' has an invalid value (%s). Expected type 'DateTime'.", v), invalid: true}
		}
		to = t
	}
	from := to.AddDate(-1, 0, 0)
	if v := argString(args, "from"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return nil, &gqlError{Message: fmt.Sprintf("Argument 'from' on Field 'contributionsCollection' has an invalid value (%s). Expected type 'DateTime'.", v), invalid: true}
		}
		from = t
	}
	if to.Sub(from) > 366*24*time.Hour || from.After(to) {
		return nil, &gqlError{Message: "The total time spanned by 'from' and 'to' must not exceed 1 year"}
	}
	var orgs []*org
	if id := argString(args, "organizationID"); id != "" {
		for _, o := range ex.s.orgs {
			if o.nodeID() == id {
				orgs = append(orgs, o)
			}
		}
		if len(orgs) == 0 {
			return nil, notFound(fmt.Sprintf("Could not resolve to a node with the global id of '%s'", id))
		}
	} else {
		for _, o := range ex.s.orgs {
			orgs = append(orgs, o)
		}
	}
	c := &contribObj{from: from, to: to, days: map[string]int{}}
	for d := dateOf(from); !d.After(dateOf(to)); d = d.AddDate(0, 0, 1) {
		for _, o := range orgs {
			dc := o.contributions[strings.ToLower(u.login)][dayKey(d)]
			c.visible += dc.visible
			c.restricted += dc.restricted
			if dc.visible > 0 {
				c.days[dayKey(d)] += dc.visible
			}
		}
	}
	return c, nil
}

func dateOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

type contribObj struct {
	from, to            time.Time
	visible, restricted int
	days                map[string]int
}

func (*contribObj) typeName() string { return "ContributionsCollection" }

func (c *contribObj) field(ex *gqlExec, f *gqlField, args map[string]any) (any, error) {
	switch f.name {
	case "startedAt":
		return c.from.UTC().Format(time.RFC3339), nil
	case "endedAt":
		return c.to.UTC().Format(time.RFC3339), nil
	case "hasAnyContributions":
		return c.visible > 0, nil
	case "hasAnyRestrictedContributions":
		return c.restricted > 0, nil
	case "restrictedContributionsCount":
		return c.restricted, nil
	case "totalCommitContributions":
		return c.visible, nil
	case "totalIssueContributions", "totalPullRequestContributions",
		"totalPullRequestReviewContributions", "totalRepositoryContributions":
		return 0, nil
	case "contributionCalendar":
		return calendarObj{c: c}, nil
	}
	return nil, undefinedField("ContributionsCollection", f)
}

type calendarObj struct{ c *contribObj }

func (calendarObj) typeName() string { return "ContributionCalendar" }

func (v calendarObj) field(ex *gqlExec, f *gqlField, args map[string]any) (any, error) {
	switch f.name {
	case "totalContributions":
		return v.c.visible, nil
	case "weeks":
		var weeks []gqlObject
		var cur *weekObj
		for d := dateOf(v.c.from); !d.After(dateOf(v.c.to)); d = d.AddDate(0, 0, 1) {
			if cur == nil || d.Weekday() == time.Sunday {
				cur = &weekObj{first: d}
				weeks = append(weeks, cur)
			}
			cur.days = append(cur.days, dayObj{date: d, n: v.c.days[dayKey(d)]})
		}
		return weeks, nil
	}
	return nil, undefinedField("ContributionCalendar", f)
}

type weekObj struct {
	first time.Time
	days  []gqlObject
}

func (*weekObj) typeName() string { return "ContributionCalendarWeek" }

func (w *weekObj) field(ex *gqlExec, f *gqlField, args map[string]any) (any, error) {
	switch f.name {
	case "firstDay":
		return dayKey(w.first), nil
	case "contributionDays":
		return w.days, nil
	}
	return nil, undefinedField("ContributionCalendarWeek", f)
}

type dayObj struct {
	date time.Time
	n    int
}

func (dayObj) typeName() string { return "ContributionCalendarDay" }

func (d dayObj) field(ex *gqlExec, f *gqlField, args map[string]any) (any, error) {
	switch f.name {
	case "date":
		return dayKey(d.date), nil
	case "contributionCount":
		return d.n, nil
	case "weekday":
		return int(d.date.Weekday()), nil
	}
	return nil, undefinedField("ContributionCalendarDay", f)
}
