package github

import (
	"context"
	"fmt"
	"net/url"

	gh "github.com/google/go-github/v60/github"
)

// listAll reads every page of a list endpoint, 100 items a page, in order.
func listAll[T any](ctx context.Context, c *Connector, op string, page func(ctx context.Context, opts gh.ListOptions) ([]T, *gh.Response, error)) ([]T, error) {
	var all []T
	opts := gh.ListOptions{PerPage: 100}
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
		if resp == nil || resp.NextPage == 0 {
			return all, nil
		}
		opts.Page = resp.NextPage
	}
}

// getRaw is a GET of path (relative to the API base) with query, for the
// endpoints and parameters go-github v60 lacks, decoded into out.
func (c *Connector) getRaw(ctx context.Context, path string, query url.Values, out any) (*gh.Response, error) {
	req, err := c.rest.NewRequest("GET", path+"?"+query.Encode(), nil)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	return c.rest.Do(ctx, req, out)
}

// sendRaw is a method call on path with a JSON body (nil for none).
func (c *Connector) sendRaw(ctx context.Context, method, path string, body any) (*gh.Response, error) {
	req, err := c.rest.NewRequest(method, path, body)
	if err != nil {
		return nil, fmt.Errorf("build request: %w", err)
	}
	return c.rest.Do(ctx, req, nil)
}
