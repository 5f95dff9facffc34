package aws

import (
	"context"
	"encoding/json"
	"net/url"
	"path"
	"regexp"
	"strings"
	"sync"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"golang.org/x/sync/errgroup"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

// assumable is a role of this account the user's policies allow them to
// assume, and the policy that allows it.
type assumable struct{ role, via string }

// assumableRoles reads the user's policies and their groups' (inline, and
// customer managed: AWS managed policies name no roles of this account) and
// returns the roles of this account whose sessions the user may hold: the
// role ARNs an Allow of sts:AssumeRole names, wildcards matched against
// ListRoles. Which roles the user did assume only CloudTrail knows; the
// policies say which they could.
func (c *Connector) assumableRoles(ctx context.Context, user string, inv *inventory) ([]assumable, error) {
	var mu sync.Mutex
	var docs []policyDoc
	add := func(via, raw string) {
		doc, err := url.QueryUnescape(raw)
		if err != nil {
			doc = raw
		}
		mu.Lock()
		docs = append(docs, policyDoc{via: via, doc: doc})
		mu.Unlock()
	}
	g, gctx := errgroup.WithContext(ctx)
	for _, name := range inv.inline {
		g.Go(func() error {
			out, err := c.iam.GetUserPolicy(gctx, &iam.GetUserPolicyInput{UserName: &user, PolicyName: &name})
			if err == nil {
				add("inline policy "+name, awssdk.ToString(out.PolicyDocument))
			}
			return ignoreGone(wrap("get user policy", err))
		})
	}
	for _, p := range inv.attached {
		c.managedDoc(g, gctx, "", awssdk.ToString(p.PolicyArn), add)
	}
	for _, grp := range inv.groups {
		name := awssdk.ToString(grp.GroupName)
		g.Go(func() error { return c.groupDocs(g, gctx, name, add) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return c.matchRoles(ctx, docs)
}

type policyDoc struct{ via, doc string }

// managedDoc reads a customer managed policy's default version.
// owner, when set, names the group it is attached to ("group ops ").
func (c *Connector) managedDoc(g *errgroup.Group, ctx context.Context, owner, arn string, add func(via, raw string)) {
	if strings.Contains(arn, ":iam::aws:policy/") {
		return
	}
	g.Go(func() error {
		p, err := c.iam.GetPolicy(ctx, &iam.GetPolicyInput{PolicyArn: &arn})
		if err != nil {
			return ignoreGone(wrap("get policy", err))
		}
		v, err := c.iam.GetPolicyVersion(ctx, &iam.GetPolicyVersionInput{PolicyArn: &arn, VersionId: p.Policy.DefaultVersionId})
		if err != nil {
			return ignoreGone(wrap("get policy version", err))
		}
		add(owner+"policy "+path.Base(arn), awssdk.ToString(v.PolicyVersion.Document))
		return nil
	})
}

// groupDocs reads a group's inline policies and starts reading its
// customer managed ones.
func (c *Connector) groupDocs(g *errgroup.Group, ctx context.Context, group string, add func(via, raw string)) error {
	names, err := c.iam.ListGroupPolicies(ctx, &iam.ListGroupPoliciesInput{GroupName: &group})
	if err != nil {
		return ignoreGone(wrap("list group policies", err))
	}
	for _, name := range names.PolicyNames {
		g.Go(func() error {
			out, err := c.iam.GetGroupPolicy(ctx, &iam.GetGroupPolicyInput{GroupName: &group, PolicyName: &name})
			if err == nil {
				add("group "+group+" policy "+name, awssdk.ToString(out.PolicyDocument))
			}
			return ignoreGone(wrap("get group policy", err))
		})
	}
	attached, err := c.iam.ListAttachedGroupPolicies(ctx, &iam.ListAttachedGroupPoliciesInput{GroupName: &group})
	if err != nil {
		return ignoreGone(wrap("list attached group policies", err))
	}
	for _, p := range attached.AttachedPolicies {
		c.managedDoc(g, ctx, "group "+group+" ", awssdk.ToString(p.PolicyArn), add)
	}
	return nil
}

// ignoreGone drops a not-found: a policy removed meanwhile allows nothing.
func ignoreGone(err error) error {
	if connectors.KindOf(err) == connectors.KindNotFound {
		return nil
	}
	return err
}

// matchRoles turns the Resource patterns of the Allow statements for
// sts:AssumeRole into this account's roles, listing the roles only when a
// pattern has a wildcard.
func (c *Connector) matchRoles(ctx context.Context, docs []policyDoc) ([]assumable, error) {
	type pattern struct {
		re  *regexp.Regexp
		via string
	}
	var patterns []pattern
	for _, d := range docs {
		for _, res := range assumeResources(d.doc) {
			patterns = append(patterns, pattern{globRE(res), d.via})
		}
	}
	if len(patterns) == 0 {
		return nil, nil
	}
	var roles []string
	err := awsapi.Pages(ctx, connectors.AWS, "list roles", 0, func(ctx context.Context, token *string) (*string, error) {
		out, err := c.iam.ListRoles(ctx, &iam.ListRolesInput{Marker: token})
		if err != nil {
			return nil, err
		}
		for _, r := range out.Roles {
			// Service-linked roles' sessions cannot be revoked.
			if !strings.HasPrefix(awssdk.ToString(r.Path), "/aws-service-role/") {
				roles = append(roles, awssdk.ToString(r.Arn))
			}
		}
		if !out.IsTruncated {
			return nil, nil
		}
		return out.Marker, nil
	})
	if err != nil {
		return nil, err
	}
	var out []assumable
	for _, arn := range roles {
		for _, p := range patterns {
			if p.re.MatchString(arn) {
				out = append(out, assumable{role: path.Base(arn), via: p.via})
				break
			}
		}
	}
	return out, nil
}

// assumeResources returns the Resource patterns of a policy's Allow
// statements whose Action covers sts:AssumeRole.
func assumeResources(doc string) []string {
	var p struct{ Statement json.RawMessage }
	if json.Unmarshal([]byte(doc), &p) != nil {
		return nil
	}
	type statement struct {
		Effect           string
		Action, Resource any
	}
	var stmts []statement
	if json.Unmarshal(p.Statement, &stmts) != nil {
		var one statement
		if json.Unmarshal(p.Statement, &one) != nil {
			return nil
		}
		stmts = []statement{one}
	}
	var out []string
	for _, s := range stmts {
		if s.Effect != "Allow" {
			continue
		}
		for _, a := range awsapi.Strings(s.Action) {
			if globRE(strings.ToLower(a)).MatchString("sts:assumerole") {
				out = append(out, awsapi.Strings(s.Resource)...)
				break
			}
		}
	}
	return out
}

// globRE compiles an IAM pattern: * is any run of characters, ? one.
func globRE(p string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	for _, r := range p {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}
