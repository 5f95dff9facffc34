package github

import (
	"context"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"
)

// streamMembers sends the org's member logins to out in batches of
// opts.Batch as pages arrive. It reads the first page, learns the last
// page number from its Link header, and fetches the rest in parallel.
func (c *Connector) streamMembers(ctx context.Context, out chan<- []string) error {
	first, resp, err := c.membersPage(ctx, 1)
	if err != nil {
		return err
	}
	if err := c.sendBatches(ctx, out, first); err != nil {
		return err
	}
	if resp.NextPage == 0 {
		return nil
	}
	if resp.LastPage == 0 { // no rel="last": follow rel="next" one by one
		for page := resp.NextPage; page != 0; {
			logins, r, err := c.membersPage(ctx, page)
			if err != nil {
				return err
			}
			if err := c.sendBatches(ctx, out, logins); err != nil {
				return err
			}
			page = r.NextPage
		}
		return nil
	}
	g, gctx := newGroup(ctx)
	pages := make(chan int)
	g.Go(func() error {
		defer close(pages)
		for p := resp.NextPage; p <= resp.LastPage; p++ {
			select {
			case pages <- p:
			case <-gctx.Done():
				return gctx.Err()
			}
		}
		return nil
	})
	for range max(c.opts.MaxConcurrency/2, 1) {
		g.Go(func() error {
			for p := range pages {
				logins, _, err := c.membersPage(gctx, p)
				if err != nil {
					return err
				}
				if err := c.sendBatches(gctx, out, logins); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return g.Wait()
}

func (c *Connector) membersPage(ctx context.Context, page int) ([]string, *gh.Response, error) {
	var users []*gh.User
	resp, err := c.call(ctx, "list members", func(ctx context.Context) (*gh.Response, error) {
		var resp *gh.Response
		var err error
		users, resp, err = c.rest.Organizations.ListMembers(ctx, c.org, &gh.ListMembersOptions{ListOptions: gh.ListOptions{Page: page, PerPage: 100}})
		return resp, err
	})
	if err != nil {
		return nil, nil, orgError(err)
	}
	logins := make([]string, len(users))
	for i, u := range users {
		logins[i] = u.GetLogin()
	}
	return logins, resp, nil
}

func (c *Connector) sendBatches(ctx context.Context, out chan<- []string, logins []string) error {
	for len(logins) > 0 {
		n := min(c.opts.Batch, len(logins))
		select {
		case out <- logins[:n]:
		case <-ctx.Done():
			return ctx.Err()
		}
		logins = logins[n:]
	}
	return nil
}

// recentJoins reads who joined the org since from, from the audit log
// (GitHub Enterprise Cloud; at most three pages). It is a refinement: an
// org or credentials without the audit log give an empty map, and
// members are then judged by their account's age alone.
func (c *Connector) recentJoins(ctx context.Context, from time.Time) map[string]time.Time {
	joined := map[string]time.Time{}
	opts := &gh.GetAuditLogOptions{
		Phrase:            gh.String("action:org.add_member created:>=" + from.UTC().Format("2006-01-02")),
		ListCursorOptions: gh.ListCursorOptions{PerPage: 100},
	}
	for range 3 {
		var entries []*gh.AuditEntry
		resp, err := c.call(ctx, "read audit log", func(ctx context.Context) (*gh.Response, error) {
			var resp *gh.Response
			var err error
			entries, resp, err = c.rest.Organizations.GetAuditLog(ctx, c.org, opts)
			return resp, err
		})
		if err != nil {
			c.log.Debug().Err(err).Msg("audit log unavailable; judging new members by account age")
			return joined
		}
		for _, e := range entries {
			at := e.GetCreatedAt().Time
			if e.Timestamp != nil {
				at = e.Timestamp.Time
			}
			key := strings.ToLower(e.GetUser())
			if at.After(joined[key]) {
				joined[key] = at
			}
		}
		if resp.After == "" {
			return joined
		}
		opts.After = resp.After
	}
	return joined
}
