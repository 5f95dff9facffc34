package aws

import (
	"context"
	"strings"
	"sync"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"golang.org/x/sync/errgroup"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

// buildEmailIndexByUser lists the users, then reads each one's tags with
// Options.MaxConcurrency workers (the call gate paces them further).
func (c *Connector) buildEmailIndexByUser(ctx context.Context) (map[string][]string, error) {
	p := iam.NewListUsersPaginator(c.iam, &iam.ListUsersInput{MaxItems: awssdk.Int32(1000)})
	users, err := collectPages(ctx, "list users", p, func(o *iam.ListUsersOutput) ([]string, *string) {
		names := make([]string, len(o.Users))
		for i, u := range o.Users {
			names[i] = awssdk.ToString(u.UserName)
		}
		return names, o.Marker
	})
	if err != nil {
		return nil, err
	}

	var mu sync.Mutex
	idx := map[string][]string{}
	names := make(chan string)
	g, gctx := errgroup.WithContext(ctx)
	for range c.opts.MaxConcurrency {
		g.Go(func() error {
			for name := range names {
				email, err := c.userEmail(gctx, name)
				if err != nil {
					return err
				}
				if email != "" {
					mu.Lock()
					idx[email] = append(idx[email], name)
					mu.Unlock()
				}
			}
			return nil
		})
	}
feed:
	for _, name := range users {
		select {
		case names <- name:
		case <-gctx.Done():
			break feed
		}
	}
	close(names)
	if err := g.Wait(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err // the feed stopped early: the index is partial
	}
	return idx, nil
}

// userEmail reads the user's email tag; a user deleted meanwhile has none.
func (c *Connector) userEmail(ctx context.Context, user string) (string, error) {
	guard := awsapi.NewPageGuard(connectors.AWS, "list user tags")
	p := iam.NewListUserTagsPaginator(c.iam, &iam.ListUserTagsInput{UserName: &user})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err == nil {
			err = guard.Next(out.Marker)
		}
		if isNoSuchEntity(err) {
			return "", nil
		}
		if err != nil {
			return "", wrap("list user tags", err)
		}
		for _, t := range out.Tags {
			if strings.EqualFold(awssdk.ToString(t.Key), emailTag) {
				return strings.ToLower(strings.TrimSpace(awssdk.ToString(t.Value))), nil
			}
		}
	}
	return "", nil
}
