package github

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/offboard/offboard/connectors"
)

// graphQLError is one entry of a GraphQL response's "errors".
type graphQLError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
	Path    []any  `json:"path"`
}

// graphQLErrors is a GraphQL answer that carried errors and no usable data.
type graphQLErrors []graphQLError

func (e *graphQLErrors) Error() string {
	msgs := make([]string, 0, len(*e))
	for _, x := range *e {
		msgs = append(msgs, x.Message)
	}
	return "graphql: " + strings.Join(msgs, "; ")
}

func (e *graphQLErrors) kind() connectors.ErrorKind {
	for _, x := range *e {
		switch x.Type {
		case "NOT_FOUND":
			return connectors.KindNotFound
		case "FORBIDDEN", "INSUFFICIENT_SCOPES":
			return connectors.KindPermission
		}
	}
	return connectors.KindUnknown
}

// graphQLRateLimited is GitHub's GraphQL way of saying "primary limit":
// a 200 whose errors have type RATE_LIMITED.
type graphQLRateLimited struct{ reset time.Time }

func (e *graphQLRateLimited) Error() string { return "graphql: rate limited" }

// graphql posts query with vars and decodes "data" into out. It returns
// the field errors GitHub sent beside the data (a login that does not
// resolve, say) for the caller to judge; an answer with errors and no
// data is an error.
func (c *Connector) graphql(ctx context.Context, op, query string, vars map[string]any, out any) ([]graphQLError, error) {
	var body struct {
		Data   json.RawMessage `json:"data"`
		Errors []graphQLError  `json:"errors"`
	}
	_, err := c.call(ctx, op, func(ctx context.Context) (*gh.Response, error) {
		req, err := c.gql.NewRequest("POST", c.opts.GraphQLURL, map[string]any{"query": query, "variables": vars})
		if err != nil {
			return nil, err
		}
		body.Data, body.Errors = nil, nil
		resp, err := c.gql.Do(ctx, req, &body)
		if err == nil {
			for _, e := range body.Errors {
				if e.Type == "RATE_LIMITED" {
					return resp, &graphQLRateLimited{reset: resp.Rate.Reset.Time}
				}
			}
		}
		return resp, err
	})
	if err != nil {
		return nil, err
	}
	if len(body.Data) == 0 || string(body.Data) == "null" {
		errs := graphQLErrors(body.Errors)
		return nil, classify(op, &errs)
	}
	if err := json.Unmarshal(body.Data, out); err != nil {
		return nil, classify(op, fmt.Errorf("decode graphql data: %w", err))
	}
	return body.Errors, nil
}

// quote renders s as a GraphQL string literal; GraphQL's escapes are a
// subset of JSON's.
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// gqlTime formats t as a GraphQL DateTime.
func gqlTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
