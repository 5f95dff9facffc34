package github

import (
	"context"
	"fmt"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/offboard/offboard/connectors"
)

// activeWindow is the span of "recent activity" shown on a membership,
// the one policy rules like active_within_days: 14 look at.
const activeWindow = 14 * 24 * time.Hour

// activity is what an approver wants to know about a member.
type activity struct {
	teams, contributions, private int
	last                          *time.Time
}

func (c *Connector) membershipGrant(ctx context.Context, acct connectors.Account) (*connectors.Grant, error) {
	var m *gh.Membership
	var act activity
	g, gctx := newGroup(ctx)
	g.Go(func() error {
		_, err := c.call(gctx, "get org membership", func(ctx context.Context) (*gh.Response, error) {
			var resp *gh.Response
			var err error
			m, resp, err = c.rest.Organizations.GetOrgMembership(ctx, acct.ID, c.org) // (user, org)
			return resp, err
		})
		if notFound(err) {
			m = nil
			return nil
		}
		return err
	})
	g.Go(func() (err error) { act, err = c.activity(gctx, acct.ID); return err })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if m == nil || m.GetState() != "active" {
		return nil, nil // a pending membership is the invitation grant
	}
	var protected string
	if m.GetRole() == "admin" {
		var err error
		if protected, err = c.lastOwner(ctx, acct.ID); err != nil {
			return nil, err
		}
	}
	ctxs := []string{m.GetRole(), plural(act.teams, "team")}
	if act.private > 0 {
		ctxs = append(ctxs, fmt.Sprintf("%s in 14 days (%d private)", plural(act.contributions, "contribution"), act.private))
	} else {
		ctxs = append(ctxs, plural(act.contributions, "contribution")+" in 14 days")
	}
	return &connectors.Grant{
		Account: acct, Kind: KindMembership, Ref: acct.ID, Title: "org membership",
		Context: ctxs, LastActive: act.last, Protected: protected,
	}, nil
}

const activityQuery = `query($org: String!, $orgID: ID!, $login: String!, $logins: [String!], $from: DateTime!, $to: DateTime!) {
  organization(login: $org) { teams(first: 1, userLogins: $logins) { totalCount } }
  user(login: $login) {
    contributionsCollection(organizationID: $orgID, from: $from, to: $to) {
      totalCommitContributions totalIssueContributions totalPullRequestContributions
      totalPullRequestReviewContributions totalRepositoryContributions restrictedContributionsCount
      contributionCalendar { weeks { contributionDays { date contributionCount } } }
    }
  }
}`

// activity counts login's teams and contributions to the org in the last
// 14 days; the latest day with a visible contribution is its last activity.
func (c *Connector) activity(ctx context.Context, login string) (activity, error) {
	info, err := c.orgInfo(ctx)
	if err != nil {
		return activity{}, err
	}
	now := c.now()
	var out struct {
		Organization struct {
			Teams struct {
				TotalCount int `json:"totalCount"`
			} `json:"teams"`
		} `json:"organization"`
		User *struct {
			CC contributions `json:"contributionsCollection"`
		} `json:"user"`
	}
	vars := map[string]any{
		"org": c.org, "orgID": info.id, "login": login, "logins": []string{login},
		"from": gqlTime(now.Add(-activeWindow)), "to": gqlTime(now),
	}
	if _, err := c.graphql(ctx, "get member activity", activityQuery, vars, &out); err != nil {
		return activity{}, err
	}
	act := activity{teams: out.Organization.Teams.TotalCount}
	if out.User != nil {
		act.contributions = out.User.CC.total()
		act.private = out.User.CC.Restricted
		act.last = out.User.CC.lastDay()
	}
	return act, nil
}

// removeMember removes an active member (and so their team memberships).
// It looks first, because GitHub's DELETE does not say whether there was
// anything to remove, and a pending invitation is not a membership.
func (c *Connector) removeMember(ctx context.Context, login string) (connectors.Outcome, error) {
	var m *gh.Membership
	_, err := c.call(ctx, "get org membership", func(ctx context.Context) (*gh.Response, error) {
		var resp *gh.Response
		var err error
		m, resp, err = c.rest.Organizations.GetOrgMembership(ctx, login, c.org)
		return resp, err
	})
	if notFound(err) || (err == nil && m.GetState() != "active") {
		return connectors.AlreadyGone, nil
	}
	if err != nil {
		return 0, err
	}
	if m.GetRole() == "admin" {
		// The row was protected when listed; the org may have lost its
		// other owners since.
		why, err := c.lastOwner(ctx, login)
		if err != nil {
			return 0, err
		}
		if why != "" {
			return 0, &connectors.Error{System: connectors.GitHub, Op: "remove org member", Kind: connectors.KindDecision, Err: fmt.Errorf("%s is %s", login, why)}
		}
	}
	return c.remove(ctx, "remove org member", func(ctx context.Context) (*gh.Response, error) {
		return c.rest.Organizations.RemoveMember(ctx, c.org, login)
	})
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if stem, ok := strings.CutSuffix(word, "y"); ok {
		return fmt.Sprintf("%d %sies", n, stem)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
