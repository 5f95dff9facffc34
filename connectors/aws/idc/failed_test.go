package idc

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws"
	"github.com/offboard/offboard/sandbox/fakeaws"
)

func TestAFailedDeletionIsARetryableFailureThatARetryCompletes(t *testing.T) {
	e := newEnv(t, fakeaws.Options{AsyncPolls: 1})
	dana, err := e.fake.AddIdCUser(fakeaws.IdCUser{UserName: "dana"})
	must(t, err)
	direct := e.assign(t, "111111111111", e.permSet(t, "AdministratorAccess"), "USER", dana.ID)
	e.fake.FailNextDeletion(direct, "Received a 404 status error: Not supported account")
	ic := e.connector(t, aws.IdentityCenterConfig{})
	rows, err := ic.Grants(context.Background(), idcAccount("dana"))
	must(t, err)
	row := byKind(rows, KindAssignment)[0]

	_, err = ic.Revoke(context.Background(), row)
	if connectors.KindOf(err) != connectors.KindRetryable || !strings.Contains(err.Error(), "Not supported account") {
		t.Fatalf("got %v, want a retryable failure that gives the service's reason", err)
	}
	if len(e.fake.Assignments()) != 1 {
		t.Fatalf("the failed deletion removed the assignment")
	}
	out, err := ic.Revoke(context.Background(), row)
	if err != nil || out != connectors.Revoked || len(e.fake.Assignments()) != 0 {
		t.Errorf("retry: %v, %v, %d assignments left; want revoked and none", out, err, len(e.fake.Assignments()))
	}
}

func TestADeletionStillInProgressAtTheDeadlineIsRetryableAndTheRetryFindsItGone(t *testing.T) {
	e := newEnv(t, fakeaws.Options{AsyncPolls: 1000})
	dana, err := e.fake.AddIdCUser(fakeaws.IdCUser{UserName: "dana"})
	must(t, err)
	e.assign(t, "111111111111", e.permSet(t, "AdministratorAccess"), "USER", dana.ID)
	ic := e.connector(t, aws.IdentityCenterConfig{})
	rows, err := ic.Grants(context.Background(), idcAccount("dana"))
	must(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = ic.Revoke(ctx, byKind(rows, KindAssignment)[0])
	if connectors.KindOf(err) != connectors.KindRetryable {
		t.Fatalf("got %v, want retryable once the lease's deadline passed", err)
	}
	// The service finishes the deletion later; the retry sees it done.
	e2 := e.fake.Assignments()
	if len(e2) != 1 {
		t.Fatalf("assignments %v", e2)
	}
	must(t, e.fake.RemoveAssignment(e2[0]))
	out, err := ic.Revoke(context.Background(), byKind(rows, KindAssignment)[0])
	if err != nil || out != connectors.AlreadyGone {
		t.Errorf("retry: %v, %v; want already gone", out, err)
	}
}
