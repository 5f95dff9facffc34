package github

import (
	"context"
	"fmt"
	"net/url"

	gh "github.com/google/go-github/v60/github"

	"github.com/offboard/offboard/connectors"
)

// maxPages caps a walk whose first response names no last page: 100,000
// items at 100 a page, far beyond any org's list.
const maxPages = 1000

// pageWalk keeps a walk over numbered pages finite. The first response's
// Link rel="last" fixes the cap (with room for a list that grows by a
// page or two while it is read); a rel="next" already visited means the
// server is sending the client round in a circle, and ends the walk with
// an error rather than looping.
type pageWalk struct {
	op   string
	last int
	seen map[int]bool
}

func newPageWalk(op string) *pageWalk { return &pageWalk{op: op, seen: map[int]bool{1: true}} }

// next returns the page to read after resp, 0 when the walk is done.
func (w *pageWalk) next(resp *gh.Response) (int, error) {
	if resp == nil || resp.NextPage == 0 {
		return 0, nil
	}
	if w.last == 0 {
		w.last = maxPages
		if resp.LastPage > 0 {
			w.last = resp.LastPage + 2
		}
	}
	switch {
	case w.seen[resp.NextPage]:
		return 0, w.fail(fmt.Errorf("pagination loops: page %d was read before", resp.NextPage))
	case resp.NextPage > w.last:
		return 0, w.fail(fmt.Errorf("pagination runs past page %d, the last the first page announced", w.last))
	}
	w.seen[resp.NextPage] = true
	return resp.NextPage, nil
}

func (w *pageWalk) fail(err error) error {
	return &connectors.Error{System: connectors.GitHub, Op: w.op, Kind: connectors.KindRetryable, Err: err}
}

// listAll reads every page of a list endpoint, 100 items a page, in order.
func listAll[T any](ctx context.Context, c *Connector, op string, page func(ctx context.Context, opts gh.ListOptions) ([]T, *gh.Response, error)) ([]T, error) {
	var all []T
	opts := gh.ListOptions{PerPage: 100}
	walk := newPageWalk(op)
	for {
		var items []T
		resp, err := c.call(ctx, op, func(ctx context.Context) (*gh.Response, error) {
			var (
				resp *gh.Response
				err  error
			)
			items, resp, err = page(ctx, opts)
			return resp, err
		})
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
		next, err := walk.next(resp)
		if err != nil || next == 0 {
			return all, err
		}
		opts.Page = next
	}
}

// getRaw is a GET of path (relative to the API base) with query, for the
// endpoints and parameters go-github v60 lacks, decoded into out.
// It goes through cl, the client of the credential allowed to call path.
func getRaw(ctx context.Context, cl *gh.Client, path string, query url.Values, out any) (*gh.Response, error) {
	req, err := cl.NewRequest("GET", path+"?"+query.Encode(), nil)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	return cl.Do(ctx, req, out)
}

// sendRaw is a method call on path with a JSON body (nil for none).
func sendRaw(ctx context.Context, cl *gh.Client, method, path string, body any) (*gh.Response, error) {
	req, err := cl.NewRequest(method, path, body)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	return cl.Do(ctx, req, nil)
}

// cursorLoop is the error of a GraphQL walk whose endCursor repeats: the
// same loop pageWalk stops for numbered pages.
func cursorLoop(op, cursor string) error {
	return &connectors.Error{System: connectors.GitHub, Op: op, Kind: connectors.KindRetryable, Err: fmt.Errorf("pagination loops: cursor %q was read before", cursor)}
}
