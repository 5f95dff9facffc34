package aws

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

// emailTag is the user tag that links an IAM user to a person.
const emailTag = "email"

// emailCache is the account's index of user emails, reused for
// Options.EmailCacheTTL; concurrent lookups share one build.
type emailCache struct {
	mu       sync.Mutex
	index    map[string][]string // lower-cased email → user names
	built    time.Time
	building chan struct{} // closed when the build in progress ends
}

// FindByEmail returns the IAM users of this account whose `email` tag is
// email (case-insensitive), linked by email match.
func (c *Connector) FindByEmail(ctx context.Context, email string) ([]connectors.Account, error) {
	key := strings.ToLower(strings.TrimSpace(email))
	if key == "" {
		return nil, nil
	}
	ctx, cancel := awsapi.WithDeadline(ctx, c.opts.Timeout)
	defer cancel()
	idx, err := c.emailIndex(ctx)
	if err != nil {
		return nil, err
	}
	names := slices.Clone(idx[key])
	slices.Sort(names) // the per-user build finds them in any order
	var out []connectors.Account
	for _, name := range names {
		out = append(out, connectors.Account{System: connectors.AWS, Scope: c.accountID, ID: name, LinkedBy: connectors.LinkEmail})
	}
	return out, nil
}

func (c *Connector) emailIndex(ctx context.Context) (map[string][]string, error) {
	e := &c.emails
	for {
		e.mu.Lock()
		if e.index != nil && c.now().Sub(e.built) < c.opts.EmailCacheTTL {
			idx := e.index
			e.mu.Unlock()
			return idx, nil
		}
		if wait := e.building; wait != nil {
			e.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		done := make(chan struct{})
		e.building = done
		e.mu.Unlock()

		idx, err := c.buildEmailIndex(ctx)
		e.mu.Lock()
		e.building = nil
		if err == nil {
			e.index, e.built = idx, c.now()
		}
		e.mu.Unlock()
		close(done)
		return idx, err
	}
}

// buildEmailIndex reads every user's tags. GetAccountAuthorizationDetails
// returns them a thousand users per call; without permission for it, it
// falls back to ListUsers and one ListUserTags per user.
func (c *Connector) buildEmailIndex(ctx context.Context) (map[string][]string, error) {
	idx := map[string][]string{}
	add := func(user string, tags []types.Tag) {
		for _, t := range tags {
			if strings.EqualFold(awssdk.ToString(t.Key), emailTag) {
				key := strings.ToLower(strings.TrimSpace(awssdk.ToString(t.Value)))
				idx[key] = append(idx[key], user)
			}
		}
	}
	guard := awsapi.NewPageGuard(connectors.AWS, "get account authorization details")
	p := iam.NewGetAccountAuthorizationDetailsPaginator(c.iam, &iam.GetAccountAuthorizationDetailsInput{
		Filter: []types.EntityType{types.EntityTypeUser}, MaxItems: awssdk.Int32(1000)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err == nil {
			err = guard.Next(out.Marker)
		}
		if connectors.KindOf(wrap("", err)) == connectors.KindPermission {
			c.log.Info().Msg("no permission for GetAccountAuthorizationDetails; reading tags user by user")
			return c.buildEmailIndexByUser(ctx)
		}
		if err != nil {
			return nil, wrap("get account authorization details", err)
		}
		for _, u := range out.UserDetailList {
			add(awssdk.ToString(u.UserName), u.Tags)
		}
	}
	return idx, nil
}
