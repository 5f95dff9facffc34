package aws

import (
	"context"
	"errors"
	"fmt"
	"testing"

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
