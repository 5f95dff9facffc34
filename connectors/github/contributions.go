package github

import "time"

// contributions is the part of a contributionsCollection offboard reads.
type contributions struct {
	Commits      int  `json:"totalCommitContributions"`
	Issues       int  `json:"totalIssueContributions"`
	PullRequests int  `json:"totalPullRequestContributions"`
	Reviews      int  `json:"totalPullRequestReviewContributions"`
	Repositories int  `json:"totalRepositoryContributions"`
	Restricted   int  `json:"restrictedContributionsCount"`
	HasAny       bool `json:"hasAnyContributions"`
	Calendar     *struct {
		Weeks []struct {
			Days []struct {
				Date  string `json:"date"`
				Count int    `json:"contributionCount"`
			} `json:"contributionDays"`
		} `json:"weeks"`
	} `json:"contributionCalendar"`
}

// total counts every contribution, including those in repositories the
// credentials cannot see: work in a private repository is still work.
func (c contributions) total() int {
	return c.Commits + c.Issues + c.PullRequests + c.Reviews + c.Repositories + c.Restricted
}

// active says whether there was any contribution at all.
func (c contributions) active() bool { return c.HasAny || c.total() > 0 }

// lastDay is the latest calendar day with a contribution, nil when none.
func (c contributions) lastDay() *time.Time {
	if c.Calendar == nil {
		return nil
	}
	var last *time.Time
	for _, w := range c.Calendar.Weeks {
		for _, d := range w.Days {
			if d.Count == 0 {
				continue
			}
			t, err := time.Parse(time.DateOnly, d.Date)
			if err == nil && (last == nil || t.After(*last)) {
				last = &t
			}
		}
	}
	return last
}
