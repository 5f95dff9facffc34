package github

import (
	"context"
	"errors"

	"github.com/offboard/offboard/connectors"
)

// judge runs batch over logins; when the batch fails in a way a smaller
// query may not (a timeout, a 502 from a query too heavy for GitHub, an
// error nobody classified), it splits the logins in two and judges each
// half, down to one member, whose failure marks that member "activity
// could not be read" instead of failing the scan. Failures a smaller
// query cannot cure (the credentials, the configuration, a rate limit
// past the wait allowed, the caller giving up) fail the scan.
//
// A halved batch is sent once, without the transport's immediate retries:
// a query that timed out would time out again, and the halves are the
// retry. A single member's query keeps its retries, so that one member is
// marked unread only after those too have failed.
func (s *dormancyScan) judge(ctx context.Context, logins []string) ([]connectors.Dormant, error) {
	return s.judgeSplit(ctx, logins, false)
}

func (s *dormancyScan) judgeSplit(ctx context.Context, logins []string, halved bool) ([]connectors.Dormant, error) {
	bctx := ctx
	if halved && len(logins) > 1 {
		bctx = withoutRetries(ctx)
	}
	found, err := s.batch(bctx, logins)
	if err == nil || ctx.Err() != nil || !splittable(err) {
		return found, err
	}
	if len(logins) == 1 {
		s.c.log.Warn().Err(err).Str("login", logins[0]).Msg("member's activity could not be read")
		return []connectors.Dormant{s.unread(logins[0])}, nil
	}
	half := len(logins) / 2
	a, err := s.judgeSplit(ctx, logins[:half], true)
	if err != nil {
		return nil, err
	}
	b, err := s.judgeSplit(ctx, logins[half:], true)
	if err != nil {
		return nil, err
	}
	return append(a, b...), nil
}

// splittable says whether a smaller query might succeed where err failed.
func splittable(err error) bool {
	var ce *connectors.Error
	if errors.As(err, &ce) && ce.RetryAfter > 0 {
		return false // a rate limit: more, smaller calls make it worse
	}
	switch connectors.KindOf(err) {
	case connectors.KindRetryable, connectors.KindUnknown:
		return true
	}
	return false
}

// unread is the finding for a member whose activity could not be read:
// not dormant on a guess, but not silently active either.
func (s *dormancyScan) unread(login string) connectors.Dormant {
	return connectors.Dormant{
		Account: connectors.Account{System: connectors.GitHub, Scope: s.c.org, ID: login},
		Why:     "activity could not be read",
		Check:   "activity could not be read: GitHub failed the query for this member; check by hand",
	}
}
