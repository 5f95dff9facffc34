package aws

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"path"
	"strings"
	"time"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/offboard/offboard/connectors"
)

// KindRoleSessions ends the sessions of one role the user may have assumed.
const KindRoleSessions = "role_sessions"

// revokeSessionsPolicy is the name the IAM console gives the inline policy
// that revokes a role's older sessions; reusing it keeps one such policy
// per role whoever revoked last.
const revokeSessionsPolicy = "AWSRevokeOlderSessions"

// roleSessionGrants offer, for each role the user's policies let them
// assume, to end the sessions already issued: removing the user's access
// does not end a role session they hold. The row is absent once the user
// is denied (disable mode), as it is offered alongside that deny.
func (c *Connector) roleSessionGrants(acct connectors.Account, roles []assumable) []connectors.Grant {
	var gs []connectors.Grant
	since := c.now().UTC().Format(time.RFC3339)
	for _, r := range roles {
		g := c.newGrant(acct, KindRoleSessions, r.role+"|"+since, "end active sessions of role "+r.role,
			"allowed by "+r.via)
		g.Warning = "ends every session of role " + r.role + " issued before now, for everyone who holds one, " +
			"not only this person; approve it after the user's own access is gone, or they can assume the role again"
		if c.isOwnRole(r.role) {
			g.Protected = "the bot's own role"
		}
		gs = append(gs, g)
	}
	return gs
}

// isOwnRole says whether the bot works through the role in this account.
func (c *Connector) isOwnRole(role string) bool {
	if c.roleARN != "" && path.Base(c.roleARN) == role {
		return true
	}
	_, rest, ok := strings.Cut(c.caller, ":assumed-role/")
	name, _, _ := strings.Cut(rest, "/")
	return ok && name == role && strings.Contains(c.caller, ":"+c.accountID+":")
}

// revokeRoleSessions puts the documented revoke-older-sessions deny on
// the role: every action is denied to sessions whose aws:TokenIssueTime is
// before now. A deny already there dated at or after the grant's discovery
// means those sessions are already ended.
func (c *Connector) revokeRoleSessions(ctx context.Context, ref string) (connectors.Outcome, error) {
	role, sinceText, _ := strings.Cut(ref, "|")
	since, _ := time.Parse(time.RFC3339, sinceText)
	cur, err := c.iam.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: &role, PolicyName: awssdk.String(revokeSessionsPolicy)})
	switch {
	case isNoSuchEntity(err):
		// No such policy yet (or no such role: the put below says which).
	case err != nil:
		return 0, wrap("get role policy", err)
	default:
		if t, ok := revokedBefore(awssdk.ToString(cur.PolicyDocument)); ok && !t.Before(since) {
			return connectors.AlreadyGone, nil
		}
	}
	now := c.now().UTC().Format(time.RFC3339)
	doc := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":["*"],"Resource":["*"],"Condition":{"DateLessThan":{"aws:TokenIssueTime":%q}}}]}`, now)
	_, err = c.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: &role, PolicyName: awssdk.String(revokeSessionsPolicy), PolicyDocument: &doc})
	return outcome("put role policy "+revokeSessionsPolicy, err)
}

// revokedBefore reads the time of a revoke-older-sessions policy.
func revokedBefore(raw string) (time.Time, bool) {
	doc, err := url.QueryUnescape(raw)
	if err != nil {
		doc = raw
	}
	var p struct {
		Statement []struct {
			Condition struct {
				DateLessThan map[string]string
			}
		}
	}
	if json.Unmarshal([]byte(doc), &p) != nil || len(p.Statement) == 0 {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, p.Statement[0].Condition.DateLessThan["aws:TokenIssueTime"])
	return t, err == nil
}
