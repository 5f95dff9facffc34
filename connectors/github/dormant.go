package github

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/offboard/offboard/connectors"
)

// Dormant lists org members with no contributions to the org and no
// issue or pull-request comments in its repositories in the inactiveDays
// before now. It reads the member list (100 a page, pages fetched in
// parallel) and asks GraphQL for Batch members' contributions and newest
// comments per query, so for M members it makes ⌈M/100⌉ + ⌈M/50⌉ calls
// plus at most five (the org's node ID, recent joins from the audit log,
// the owners). Members whose account or org membership is younger than
// the window are not dormant; private contributions the member shares
// (restrictedContributionsCount) count as activity. Owners, members whose
// activity could not be read, and members whose comments could hide
// older ones come back with Check set, for a person to look at, rather
// than as dormant. A batch that fails is split and retried; one member's
// failure never fails the scan.
func (c *Connector) Dormant(ctx context.Context, now time.Time, inactiveDays int) ([]connectors.Dormant, error) {
	if inactiveDays <= 0 {
		return nil, &connectors.Error{System: connectors.GitHub, Op: "list dormant members", Kind: connectors.KindConfig, Err: fmt.Errorf("inactive days must be positive, got %d", inactiveDays)}
	}
	info, err := c.orgInfo(ctx)
	if err != nil {
		return nil, err
	}
	scan := &dormancyScan{c: c, info: info, now: now, from: now.AddDate(0, 0, -inactiveDays), days: inactiveDays}
	scan.joined = c.recentJoins(ctx, scan.from)
	owners, err := c.owners(ctx)
	if err != nil {
		return nil, fmt.Errorf("list dormant members: %w", err)
	}
	scan.owners = map[string]bool{}
	for _, o := range owners {
		scan.owners[strings.ToLower(o)] = true
	}

	var mu sync.Mutex
	var out []connectors.Dormant
	g, gctx := newGroup(ctx)
	batches := make(chan []string)
	g.Go(func() error {
		defer close(batches)
		return c.streamMembers(gctx, batches)
	})
	for range c.opts.MaxConcurrency {
		g.Go(func() error {
			for b := range batches {
				found, err := scan.judge(gctx, b)
				if err != nil {
					return err
				}
				mu.Lock()
				out = append(out, found...)
				mu.Unlock()
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("list dormant members: %w", err)
	}
	sort.Slice(out, func(i, j int) bool { return strings.ToLower(out[i].Account.ID) < strings.ToLower(out[j].Account.ID) })
	c.noteScan(out)
	return out, nil
}

// dormancyScan is one run of Dormant.
type dormancyScan struct {
	c         *Connector
	info      orgInfo
	now, from time.Time
	days      int
	joined    map[string]time.Time // lower login → join time, when known
	owners    map[string]bool      // lower login of the org's owners
}

// windows cuts [from, now] into spans GitHub accepts (at most a year).
func (s *dormancyScan) windows() [][2]time.Time {
	var out [][2]time.Time
	for start := s.from; start.Before(s.now); {
		end := start.AddDate(1, 0, 0).Add(-time.Second)
		if end.After(s.now) {
			end = s.now
		}
		out = append(out, [2]time.Time{start, end})
		start = end
		if end.Equal(s.now) {
			break
		}
	}
	return out
}
