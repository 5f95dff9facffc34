package idc

import (
	"context"
	"testing"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws"
	"github.com/offboard/offboard/sandbox/fakeaws"
)

func TestDoctorReadsTheInstanceAndTheIdentityStore(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	ic := e.connector(t, aws.IdentityCenterConfig{})
	if ic.InstanceARN() != e.instance || ic.Scope() != e.storeID {
		t.Fatalf("found %s / %s, want %s / %s", ic.InstanceARN(), ic.Scope(), e.instance, e.storeID)
	}
	for _, ch := range ic.Check(context.Background()) {
		if !ch.OK {
			t.Errorf("%s failed: %s", ch.Name, ch.Detail)
		}
	}
	e.fake.Deny(mgmt, "identitystore:ListUsers", true)
	failed := 0
	for _, ch := range ic.Check(context.Background()) {
		if !ch.OK {
			failed++
		}
	}
	if failed != 1 {
		t.Errorf("%d checks failed with ListUsers denied, want the identity store's", failed)
	}
}

func TestNoInstanceVisibleIsAConfigurationError(t *testing.T) {
	e := newEnv(t, fakeaws.Options{})
	must(t, e.fake.AddAccount("999999999999"))
	must(t, e.fake.AddCredentials("AKIDMEMBER", "999999999999", "someone"))
	opts := e.options()
	member := e.cfg.Copy()
	member.Credentials = staticCreds("AKIDMEMBER")
	opts.AWSConfig = &member
	_, err := New(context.Background(), aws.IdentityCenterConfig{Region: "eu-west-1"}, opts)
	if connectors.KindOf(err) != connectors.KindConfig {
		t.Errorf("got %v, want a configuration error: no instance is visible from a member account", err)
	}
}
