package idc

import (
	"context"
	"strings"
	"testing"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws"
	"github.com/offboard/offboard/sandbox/fakeaws"
)

func TestTheSessionDenyKeepsOtherStatementsAndAddsEachUserOnce(t *testing.T) {
	other := `{"Version":"2012-10-17","Statement":{"Sid":"S3","Effect":"Allow","Action":"s3:*","Resource":"*"}}`
	p1, changed, err := withDeny(other, "u1")
	if err != nil || !changed || !strings.Contains(p1, `"Sid":"S3"`) || !strings.Contains(p1, `"identitystore:userId":["u1"]`) {
		t.Fatalf("first deny: %s, %v, %v", p1, changed, err)
	}
	p2, changed, err := withDeny(p1, "u2")
	if err != nil || !changed || !strings.Contains(p2, `"identitystore:userId":["u1","u2"]`) || strings.Count(p2, denySid) != 1 {
		t.Fatalf("second user: %s, %v, %v", p2, changed, err)
	}
	p3, changed, err := withDeny(p2, "u1")
	if err != nil || changed || p3 != p2 {
		t.Errorf("a user already denied changed the policy: %s, %v, %v", p3, changed, err)
	}
	if p, changed, err := withDeny("", "u1"); err != nil || !changed || !strings.Contains(p, `"Version":"2012-10-17"`) {
		t.Errorf("no inline policy yet: %s, %v, %v", p, changed, err)
	}
	if _, _, err := withDeny("{not json", "u1"); err == nil {
		t.Errorf("a policy that is not JSON was rewritten")
	}
}

func TestAStatementChangedByHandIsADecisionNotARetry(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	dana, err := e.fake.AddIdCUser(fakeaws.IdCUser{UserName: "dana"})
	must(t, err)
	ps := e.permSet(t, "AdministratorAccess")
	e.assign(t, "111111111111", ps, "USER", dana.ID)
	must(t, e.fake.SetInlinePolicy(ps.ARN, `{"Version":"2012-10-17","Statement":[{"Sid":"`+denySid+`","Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringLike":{"identitystore:userId":"x*"}}}]}`))
	ic := e.connector(t, aws.IdentityCenterConfig{})
	rows, err := ic.Grants(context.Background(), idcAccount("dana"))
	must(t, err)
	_, err = ic.Revoke(context.Background(), byKind(rows, KindSessions)[0])
	if connectors.KindOf(err) != connectors.KindDecision {
		t.Errorf("got %v, want a decision for a person", err)
	}
	if e.fake.Count("sso", "PutInlinePolicyToPermissionSet") != 0 {
		t.Errorf("the hand-made statement was overwritten")
	}
}
