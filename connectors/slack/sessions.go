package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	slackapi "github.com/slack-go/slack"

	"github.com/offboard/offboard/connectors"
)

// errNoAdminToken is the cause when a row needs SLACK_ADMIN_TOKEN and none was given.
var errNoAdminToken = errors.New("no admin user token: set SLACK_ADMIN_TOKEN")

// resetSessions ends every session of the user on every device
// (admin.users.session.reset, Enterprise Grid). slack-go has no call for
// it, so this is a plain form POST with the admin token in the header.
// Slack cannot tell whether there were sessions to end, so a success is
// always Revoked; a user that no longer exists is AlreadyGone.
func (c *Connector) resetSessions(ctx context.Context, userID string) (connectors.Outcome, error) {
	const op = "end slack sessions"
	if c.opts.AdminToken == "" {
		return 0, &connectors.Error{System: connectors.Slack, Op: op, Kind: connectors.KindConfig, Err: errNoAdminToken}
	}
	err := c.call(ctx, "admin.users.session.reset", c.lim.admin, func(ctx context.Context) error {
		return c.postAdmin(ctx, "admin.users.session.reset", url.Values{"user_id": {userID}})
	})
	if slackCode(err) == "user_not_found" {
		return connectors.AlreadyGone, nil
	}
	if err != nil {
		return 0, classify(op, err)
	}
	return connectors.Revoked, nil
}

// postAdmin calls a Web API method with the admin token and turns the
// answer into the errors slack-go would return, so that call and classify
// treat it alike: ok:false is a SlackErrorResponse, a 429 with Retry-After
// a RateLimitedError, any other non-200 a StatusCodeError.
func (c *Connector) postAdmin(ctx context.Context, method string, form url.Values) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.opts.APIURL+method, strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+c.opts.AdminToken)
	resp, err := c.opts.HTTPClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusTooManyRequests {
		if secs, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil {
			return &slackapi.RateLimitedError{RetryAfter: time.Duration(secs) * time.Second}
		}
	}
	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return slackapi.StatusCodeError{Code: resp.StatusCode, Status: resp.Status}
	}
	var body slackapi.SlackResponse
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&body); err != nil {
		return fmt.Errorf("decode %s answer: %w", method, err)
	}
	if !body.Ok {
		return slackapi.SlackErrorResponse{Err: body.Error, ResponseMetadata: body.ResponseMetadata}
	}
	return nil
}
