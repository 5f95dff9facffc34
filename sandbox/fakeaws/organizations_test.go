package fakeaws_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"

	"github.com/offboard/offboard/sandbox/fakeaws"
)

func TestListAccountsPagesTwentyAtATimeForTheManagementAccountOnly(t *testing.T) {
	fake, cfg := start(t, fakeaws.Options{})
	var members []fakeaws.OrgAccount
	for i := range 40 {
		members = append(members, fakeaws.OrgAccount{ID: fmt.Sprintf("2000000000%02d", i), Name: fmt.Sprintf("acct-%d", i)})
	}
	must(t, fake.SetOrganization(acct, members))
	p := organizations.NewListAccountsPaginator(organizations.NewFromConfig(cfg), &organizations.ListAccountsInput{})
	var got []orgtypes.Account
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(context.Background())
		must(t, err)
		pages++
		got = append(got, out.Accounts...)
	}
	if len(got) != 41 || pages != 3 || got[0].Status != orgtypes.AccountStatusActive || *got[0].Id != acct {
		t.Errorf("got %d accounts in %d pages, want the management account and 40 members, ACTIVE, in 3", len(got), pages)
	}

	must(t, fake.AddCredentials("AKIDMEMBER", members[0].ID, "someone"))
	member := cfg.Copy()
	member.Credentials = credentials.NewStaticCredentialsProvider("AKIDMEMBER", "x", "")
	_, err := organizations.NewFromConfig(member).ListAccounts(context.Background(), &organizations.ListAccountsInput{})
	var denied *orgtypes.AccessDeniedException
	if !errors.As(err, &denied) {
		t.Errorf("a member account listing accounts: got %v, want AccessDeniedException", err)
	}
}

func TestLoopPagesHandsBackTheSameTokenForever(t *testing.T) {
	fake, cfg := start(t, fakeaws.Options{})
	var members []fakeaws.OrgAccount
	for i := range 50 {
		members = append(members, fakeaws.OrgAccount{ID: fmt.Sprintf("2000000000%02d", i)})
	}
	must(t, fake.SetOrganization(acct, members))
	fake.LoopPages("ListAccounts")
	c := organizations.NewFromConfig(cfg)
	first, err := c.ListAccounts(context.Background(), &organizations.ListAccountsInput{})
	must(t, err)
	second, err := c.ListAccounts(context.Background(), &organizations.ListAccountsInput{NextToken: first.NextToken})
	must(t, err)
	if first.NextToken == nil || second.NextToken == nil || *first.NextToken != *second.NextToken {
		t.Errorf("tokens %v then %v, want the same one again", first.NextToken, second.NextToken)
	}
}

func TestOrganizationsThrottlesWithTooManyRequestsThatTheSDKRetries(t *testing.T) {
	fake, cfg := start(t, fakeaws.Options{})
	must(t, fake.SetOrganization(acct, nil))
	fake.ThrottleJSON("organizations", 2)
	out, err := organizations.NewFromConfig(cfg).ListAccounts(context.Background(), &organizations.ListAccountsInput{})
	must(t, err)
	if len(out.Accounts) != 1 {
		t.Errorf("%d accounts, want the management account", len(out.Accounts))
	}
	if got := codes(fake); len(got) != 2 || got[0] != "ListAccounts:TooManyRequestsException" {
		t.Errorf("error codes %v, want two TooManyRequestsException", got)
	}
}
