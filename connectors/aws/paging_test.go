package aws

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
	"github.com/offboard/offboard/sandbox/fakeaws"
)

func TestAListingThatRepeatsItsPageTokenEndsWithAnError(t *testing.T) {
	t.Run("organization accounts", func(t *testing.T) {
		e := newEnv(t, fakeaws.Options{})
		var members []fakeaws.OrgAccount
		for i := range 50 {
			members = append(members, fakeaws.OrgAccount{ID: fmt.Sprintf("2000000000%02d", i)})
		}
		must(t, e.fake.SetOrganization(acctID, members))
		e.fake.LoopPages("ListAccounts")
		_, err := New(context.Background(), Config{Organization: &OrganizationConfig{RoleName: "offboard"}}, e.fastOptions())
		if !errors.Is(err, awsapi.ErrPageLoop) {
			t.Errorf("got %v, want the page loop named", err)
		}
		if n := e.fake.Count("organizations", "ListAccounts"); n > 3 {
			t.Errorf("%d ListAccounts calls, want the walk stopped at the first repeat", n)
		}
	})
	t.Run("IAM users by email", func(t *testing.T) {
		e := newEnv(t, fakeaws.Options{})
		seedTagged(t, e.fake, 2500)
		e.fake.LoopPages("GetAccountAuthorizationDetails")
		c := e.connector(t, ModeDisable)
		_, err := c.FindByEmail(context.Background(), "user0002@example.com")
		if !errors.Is(err, awsapi.ErrPageLoop) {
			t.Errorf("got %v, want the page loop named", err)
		}
	})
}

// TestACredentialListingThatRepeatsItsMarkerEndsWithAnError pins the page
// guard of the shared credential lists, the hand-paged one among them.
func TestACredentialListingThatRepeatsItsMarkerEndsWithAnError(t *testing.T) {
	for _, tc := range []struct {
		action string
		user   fakeaws.User
	}{
		{"ListSSHPublicKeys", fakeaws.User{SSHKeys: make([]fakeaws.SSHKey, 250)}},
		{"ListServiceSpecificCredentials", fakeaws.User{ServiceCreds: make([]fakeaws.ServiceCred, 250)}},
	} {
		t.Run(tc.action, func(t *testing.T) {
			e := newEnv(t, fakeaws.Options{})
			tc.user.Name = "dev"
			_, err := e.fake.AddUser(acctID, tc.user)
			must(t, err)
			e.fake.LoopPages(tc.action)
			c := e.connector(t, ModeDisable)
			_, err = c.Grants(context.Background(), connectors.Account{ID: "dev"})
			if !errors.Is(err, awsapi.ErrPageLoop) {
				t.Errorf("got %v, want the page loop named", err)
			}
			if n := e.fake.Count("iam", tc.action); n > 3 {
				t.Errorf("%d %s calls, want the walk stopped at the first repeat", n, tc.action)
			}
		})
	}
}
