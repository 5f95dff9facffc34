package bot

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"

	"github.com/offboard/offboard/flows"
)

// maxRolesTTL is the longest a group's membership is trusted:
// someone removed from the approvers group loses the right within it.
const maxRolesTTL = 5 * time.Minute

// Roles resolves who is a requester and who an approver, reading user-group
// membership from Slack and caching it briefly.
type Roles struct {
	api        *slack.Client
	requesters []string
	approvers  []string
	ttl        time.Duration
	now        func() time.Time

	mu     sync.Mutex
	groups map[string]groupEntry
}

type groupEntry struct {
	members map[string]bool
	fetched time.Time
}

// NewRoles returns a resolver for the configured requesters and approvers.
func NewRoles(api *slack.Client, cfg Config, ttl time.Duration, now func() time.Time) *Roles {
	if ttl <= 0 || ttl > maxRolesTTL {
		ttl = maxRolesTTL
	}
	return &Roles{api: api, requesters: cfg.Requesters, approvers: cfg.Approvers, ttl: ttl, now: now, groups: map[string]groupEntry{}}
}

// Actor resolves a user's roles. When Slack cannot say whether the user is
// in a group, the answer is an error: no role is granted on a guess.
func (r *Roles) Actor(ctx context.Context, user string) (flows.Actor, error) {
	req, err := r.in(ctx, user, r.requesters)
	if err != nil {
		return flows.Actor{ID: user}, err
	}
	appr, err := r.in(ctx, user, r.approvers)
	if err != nil {
		return flows.Actor{ID: user}, err
	}
	return flows.Actor{ID: user, Requester: req, Approver: appr}, nil
}

func (r *Roles) in(ctx context.Context, user string, principals []string) (bool, error) {
	for _, p := range principals {
		if p == user {
			return true, nil
		}
	}
	for _, p := range principals {
		if !strings.HasPrefix(p, "S") {
			continue
		}
		members, err := r.members(ctx, p)
		if err != nil {
			return false, err
		}
		if members[user] {
			return true, nil
		}
	}
	return false, nil
}

func (r *Roles) members(ctx context.Context, group string) (map[string]bool, error) {
	r.mu.Lock()
	e, ok := r.groups[group]
	r.mu.Unlock()
	if ok && r.now().Sub(e.fetched) < r.ttl {
		return e.members, nil
	}
	ids, err := r.api.GetUserGroupMembersContext(ctx, group)
	if err != nil {
		return nil, fmt.Errorf("read members of user group %s: %w", group, err)
	}
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	r.mu.Lock()
	r.groups[group] = groupEntry{members: m, fetched: r.now()}
	r.mu.Unlock()
	return m, nil
}

// Forget drops a group's cached membership, so that the next question asks
// Slack again: offboard has just removed someone from it, and their role
// must go now, not when the cache expires.
func (r *Roles) Forget(group string) {
	r.mu.Lock()
	delete(r.groups, group)
	r.mu.Unlock()
}
