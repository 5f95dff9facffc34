package github

import (
	"context"
	"reflect"
	"testing"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/sandbox/fakegithub"
)

func TestFindByEmailMatchesSAMLIdentities(t *testing.T) {
	e := newEnv(t)
	e.fake.AddMember(org, fakegithub.Member{Login: "dev"})
	e.fake.AddSAMLIdentity(org, fakegithub.SAMLIdentity{NameID: "Dev@Acme.test", Emails: []string{"dev@acme.test"}, Login: "dev"})
	e.fake.AddSAMLIdentity(org, fakegithub.SAMLIdentity{NameID: "unlinked@acme.test"})
	got, err := e.conn.FindByEmail(context.Background(), "dev@acme.test")
	if err != nil {
		t.Fatal(err)
	}
	want := []connectors.Account{{System: connectors.GitHub, Scope: org, ID: "dev", LinkedBy: connectors.LinkEmail}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	for _, email := range []string{"unlinked@acme.test", "nobody@acme.test", ""} {
		if got, err := e.conn.FindByEmail(context.Background(), email); err != nil || len(got) != 0 {
			t.Errorf("FindByEmail(%q) = %+v, %v; want nothing", email, got, err)
		}
	}
}

func TestFindByEmailWithoutSAMLIsEmpty(t *testing.T) {
	e := newEnv(t)
	got, err := e.conn.FindByEmail(context.Background(), "boss@acme.test")
	if err != nil || len(got) != 0 {
		t.Errorf("got %+v, %v; want nothing", got, err)
	}
}
