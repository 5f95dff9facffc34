package fakegithub

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	gh "github.com/google/go-github/v60/github"
)

var ctx = context.Background()

// Deploy keys: GitHub's list gives added_by and last_used (null for a key
// never used); DELETE is 204, then 404.
func TestDeployKeysCarryAddedByAndLastUsed(t *testing.T) {
	s, c := start(t)
	used := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	id := s.AddDeployKey("acme", "api", DeployKey{Title: "ci", AddedBy: "dev", LastUsed: used})
	s.AddDeployKey("acme", "api", DeployKey{Title: "old", AddedBy: "boss", ReadOnly: true})
	keys, _, err := c.Repositories.ListKeys(ctx, "acme", "api", nil)
	if err != nil || len(keys) != 2 {
		t.Fatalf("ListKeys = %v, %v", keys, err)
	}
	if keys[0].GetAddedBy() != "dev" || !keys[0].GetLastUsed().Time.Equal(used) || keys[0].GetReadOnly() {
		t.Errorf("key = %+v, want added_by dev, last_used %v, read-write", keys[0], used)
	}
	if keys[1].LastUsed != nil || !keys[1].GetReadOnly() {
		t.Errorf("unused key = %+v, want last_used null and read-only", keys[1])
	}
	if resp, err := c.Repositories.DeleteKey(ctx, "acme", "api", id); err != nil || resp.StatusCode != 204 {
		t.Fatalf("DeleteKey = %v, %v", resp, err)
	}
	if len(s.DeployKeys("acme", "api")) != 1 {
		t.Errorf("keys after delete = %v", s.DeployKeys("acme", "api"))
	}
	if resp, _ := c.Repositories.DeleteKey(ctx, "acme", "api", id); resp.StatusCode != 404 {
		t.Errorf("second delete = %d, want 404", resp.StatusCode)
	}
	if st, _ := s.Snapshot("acme"); len(st.DeployKeys["api"]) != 1 || st.DeployKeys["api"][0].Title != "old" {
		t.Errorf("snapshot deploy keys = %+v", st.DeployKeys)
	}
}

func TestRepositoryInvitationsListAndCancel(t *testing.T) {
	s, c := start(t)
	id := s.AddRepoInvitation("acme", "docs", RepoInvitation{Invitee: "guest", Inviter: "boss", Permissions: "write"})
	invs, _, err := c.Repositories.ListInvitations(ctx, "acme", "docs", nil)
	if err != nil || len(invs) != 1 || invs[0].GetID() != id || invs[0].Invitee.GetLogin() != "guest" || invs[0].GetPermissions() != "write" || invs[0].Inviter.GetLogin() != "boss" {
		t.Fatalf("ListInvitations = %+v, %v", invs, err)
	}
	if resp, err := c.Repositories.DeleteInvitation(ctx, "acme", "docs", id); err != nil || resp.StatusCode != 204 {
		t.Fatalf("DeleteInvitation = %v, %v", resp, err)
	}
	if len(s.RepoInvitations("acme", "docs")) != 0 {
		t.Error("the invitation is still there")
	}
	if resp, _ := c.Repositories.DeleteInvitation(ctx, "acme", "docs", id); resp.StatusCode != 404 {
		t.Errorf("second delete = %d, want 404", resp.StatusCode)
	}
}

// Org Codespaces: the list wraps its items in {"total_count",
// "codespaces"}; deleting a member's codespace is 202 Accepted; a
// codespace that is not that member's is 404.
func TestOrgCodespacesListWrappedAndDeleteIsAccepted(t *testing.T) {
	s, c := start(t)
	s.AddCodespace("acme", Codespace{Name: "dev-api-x1", Owner: "dev", Repo: "api", Unpushed: true})
	req, _ := c.NewRequest("GET", "orgs/acme/codespaces", nil)
	var list gh.ListCodespaces
	if _, err := c.Do(ctx, req, &list); err != nil || list.GetTotalCount() != 1 || list.Codespaces[0].Owner.GetLogin() != "dev" || list.Codespaces[0].Repository.GetName() != "api" {
		t.Fatalf("list = %+v, %v", list, err)
	}
	if gs := list.Codespaces[0].GitStatus; gs == nil || !gs.GetHasUnpushedChanges() || gs.GetHasUncommittedChanges() {
		t.Errorf("git_status = %+v, want unpushed changes and nothing uncommitted", gs)
	}
	del := func(user string) *gh.Response {
		req, _ := c.NewRequest("DELETE", "orgs/acme/members/"+user+"/codespaces/dev-api-x1", nil)
		resp, _ := c.Do(ctx, req, nil)
		return resp
	}
	if resp := del("boss"); resp.StatusCode != 404 {
		t.Errorf("delete as another member's = %d, want 404", resp.StatusCode)
	}
	if resp := del("dev"); resp.StatusCode != http.StatusAccepted {
		t.Errorf("delete = %d, want 202", resp.StatusCode)
	}
	if len(s.Codespaces("acme")) != 0 {
		t.Error("codespace still listed")
	}
}

// An invitation sent to an address has a null login and the email.
func TestEmailInvitationHasNullLogin(t *testing.T) {
	s, c := start(t)
	s.AddInvitation("acme", Invitation{Email: "dev@example.com"})
	invs, _, err := c.Organizations.ListPendingOrgInvitations(ctx, "acme", nil)
	if err != nil || len(invs) != 1 || invs[0].Login != nil || invs[0].GetEmail() != "dev@example.com" {
		t.Fatalf("invitations = %+v, %v", invs, err)
	}
}

// Removing an outside collaborator: 204; a member is refused with 422.
func TestOutsideCollaboratorRemoval204Or422ForAMember(t *testing.T) {
	s, c := start(t)
	s.AddCollaborator("acme", "guest", "api")
	s.AddMember("acme", Member{Login: "dev"})
	if resp, err := c.Organizations.RemoveOutsideCollaborator(ctx, "acme", "guest"); err != nil || resp.StatusCode != 204 {
		t.Fatalf("remove guest = %v, %v", resp, err)
	}
	resp, err := c.Organizations.RemoveOutsideCollaborator(ctx, "acme", "dev")
	if err == nil || resp.StatusCode != 422 {
		t.Fatalf("remove member dev = %v, %v; want 422", resp, err)
	}
	if !s.IsMember("acme", "dev") {
		t.Error("the refusal removed dev")
	}
}

// The org's only owner cannot be removed, by either endpoint; once there
// is another owner, it can.
func TestLastOwnerIsRefused(t *testing.T) {
	s, c := start(t)
	s.AddMember("acme", Member{Login: "second", Role: "admin"})
	s.AddToken("tok-second", "second")
	if _, err := c.Organizations.RemoveMember(ctx, "acme", "second"); err != nil {
		t.Fatalf("removing one of two owners: %v", err)
	}
	for _, remove := range []func() (*gh.Response, error){
		func() (*gh.Response, error) { return c.Organizations.RemoveMember(ctx, "acme", "boss") },
		func() (*gh.Response, error) { return c.Organizations.RemoveOrgMembership(ctx, "boss", "acme") },
	} {
		resp, err := remove()
		if err == nil || resp.StatusCode != 403 || !strings.Contains(err.Error(), "last owner") {
			t.Errorf("removing the last owner = %v, %v; want 403", resp, err)
		}
	}
	if !s.IsMember("acme", "boss") {
		t.Error("the last owner was removed")
	}
}

// A secondary limit told by the body alone: go-github sees a plain 403,
// with no retry-after and requests left.
func TestSecondaryLimitBodyOnlyIsAPlain403(t *testing.T) {
	s, c := start(t)
	s.SecondaryLimitBodyOnly("", time.Minute)
	_, resp, err := c.Organizations.Get(ctx, "acme")
	var er *gh.ErrorResponse
	var abuse *gh.AbuseRateLimitError
	if errors.As(err, &abuse) || !errors.As(err, &er) || resp.StatusCode != 403 {
		t.Fatalf("got %T %v, want a plain *ErrorResponse 403", err, err)
	}
	if !strings.Contains(er.Message, "secondary rate limit") || resp.Header.Get("Retry-After") != "" || resp.Header.Get("X-RateLimit-Remaining") == "0" {
		t.Errorf("message %q, retry-after %q, remaining %q", er.Message, resp.Header.Get("Retry-After"), resp.Header.Get("X-RateLimit-Remaining"))
	}
}

// Writes cost 5 points of the 900 a minute: 180 DELETEs spend the
// minute, and the next call, a read, is refused as a secondary limit.
func TestWritesCostFivePointsOfTheMinute(t *testing.T) {
	s := New(Options{SecondaryPoints: 900})
	s.Start()
	t.Cleanup(s.Close)
	s.AddMember("acme", Member{Login: "boss", Role: "admin"})
	s.AddToken("tok-boss", "boss")
	c := gh.NewClient(nil).WithAuthToken("tok-boss")
	c.BaseURL, _ = url.Parse(s.APIURL())
	for i := range 180 {
		if resp, _ := c.Organizations.RemoveOutsideCollaborator(ctx, "acme", fmt.Sprintf("nobody%d", i)); resp.StatusCode != 404 {
			t.Fatalf("delete %d = %d, want 404 (within the budget)", i, resp.StatusCode)
		}
	}
	_, _, err := c.Organizations.Get(ctx, "acme")
	var abuse *gh.AbuseRateLimitError
	if !errors.As(err, &abuse) {
		t.Fatalf("read after 900 points = %v, want a secondary limit", err)
	}
	// Off by default: the same calls pass.
	_, off := start(t)
	for i := range 181 {
		if resp, _ := off.Organizations.RemoveOutsideCollaborator(ctx, "acme", fmt.Sprintf("nobody%d", i)); resp.StatusCode != 404 {
			t.Fatalf("without a budget, delete %d = %d, want 404", i, resp.StatusCode)
		}
	}
}

func TestLoopPagesLinksNextBackToTheFirstPage(t *testing.T) {
	s, c := start(t)
	s.LoopPages(RouteMembers)
	_, resp, err := c.Organizations.ListMembers(ctx, "acme", &gh.ListMembersOptions{ListOptions: gh.ListOptions{Page: 1}})
	if err != nil || resp.NextPage != 1 || resp.LastPage != 0 {
		t.Fatalf("next %d last %d, %v; want next 1 and no last", resp.NextPage, resp.LastPage, err)
	}
}

// issueComments lists a user's comments, oldest first, with the
// repository and its owner; contributions do not count them.
func TestIssueCommentsAreListedButAreNotContributions(t *testing.T) {
	s, _ := start(t)
	orgID := s.AddOrg("acme")
	s.AddMember("acme", Member{Login: "reviewer"})
	old, recent := time.Now().AddDate(0, 0, -100), time.Now().AddDate(0, 0, -2)
	s.AddComment("acme", "api", "reviewer", old)
	s.AddComment("other", "lib", "reviewer", recent)
	data := gql(t, s, "tok-boss", `query($id: ID!, $from: DateTime!, $to: DateTime!) { user(login: "reviewer") {
		issueComments(last: 2) { nodes { createdAt repository { name owner { login } } } }
		contributionsCollection(organizationID: $id, from: $from, to: $to) { hasAnyContributions } } }`,
		map[string]any{"id": orgID, "from": time.Now().AddDate(0, 0, -30).Format(time.RFC3339), "to": time.Now().Format(time.RFC3339)})
	u, ok := data["data"].(map[string]any)["user"].(map[string]any)
	if !ok {
		t.Fatalf("answer = %v", data)
	}
	nodes := u["issueComments"].(map[string]any)["nodes"].([]any)
	if len(nodes) != 2 {
		t.Fatalf("nodes = %v", nodes)
	}
	last := nodes[1].(map[string]any)["repository"].(map[string]any)
	if last["name"] != "lib" || last["owner"].(map[string]any)["login"] != "other" {
		t.Errorf("newest comment's repository = %v, want other/lib", last)
	}
	if u["contributionsCollection"].(map[string]any)["hasAnyContributions"] != false {
		t.Error("comments counted as contributions")
	}
}

// A query about a user whose data times out fails whole, with 502 and
// GitHub's timeout message; the same query without that user succeeds.
func TestTimeOutQueriesAboutOneUser(t *testing.T) {
	s, _ := start(t)
	s.AddMember("acme", Member{Login: "slow"})
	s.TimeOutQueriesAbout("slow")
	out := gql(t, s, "tok-boss", `{ a: user(login: "boss") { login } b: user(login: "slow") { login } }`, nil)
	if out["data"] != nil || !strings.Contains(fmt.Sprint(out["errors"]), "timeout") {
		t.Errorf("with slow: %v", out)
	}
	out = gql(t, s, "tok-boss", `{ a: user(login: "boss") { login } }`, nil)
	if out["data"] == nil {
		t.Errorf("without slow: %v", out)
	}
}

// GraphQL's deployKeys counts a repository's keys (without who added
// them) for callers that may read repository administration.
func TestGraphQLDeployKeysAreCountedForAdminsOnly(t *testing.T) {
	s, _ := start(t)
	s.AddDeployKey("acme", "api", DeployKey{AddedBy: "dev"})
	s.AddRepo("acme", "docs")
	s.AddToken("tok-norepo", "boss", "admin:org")
	q := `{ organization(login: "acme") { repositories(first: 10) { nodes { name deployKeys(first: 1) { totalCount } } } } }`
	out := gql(t, s, "tok-boss", q, nil)
	nodes := out["data"].(map[string]any)["organization"].(map[string]any)["repositories"].(map[string]any)["nodes"].([]any)
	counts := map[string]any{}
	for _, n := range nodes {
		m := n.(map[string]any)
		counts[m["name"].(string)] = m["deployKeys"].(map[string]any)["totalCount"]
	}
	if counts["api"] != float64(1) || counts["docs"] != float64(0) {
		t.Errorf("counts = %v, want api 1, docs 0", counts)
	}
	denied := gql(t, s, "tok-norepo", q, nil)
	if !strings.Contains(fmt.Sprint(denied["errors"]), "FORBIDDEN") {
		t.Errorf("without the repo scope: %v, want FORBIDDEN", denied)
	}
}

func TestLoopCursorsRepeatsTheEndCursor(t *testing.T) {
	s, _ := start(t)
	s.AddRepo("acme", "api")
	s.LoopCursors()
	q := `query($after: String) { organization(login: "acme") { repositories(first: 1, after: $after) { pageInfo { hasNextPage endCursor } } } }`
	var cursors []any
	var after any
	for range 2 {
		out := gql(t, s, "tok-boss", q, map[string]any{"after": after})
		pi := out["data"].(map[string]any)["organization"].(map[string]any)["repositories"].(map[string]any)["pageInfo"].(map[string]any)
		if pi["hasNextPage"] != true {
			t.Fatalf("pageInfo = %v, want a next page", pi)
		}
		after = pi["endCursor"]
		cursors = append(cursors, after)
	}
	if cursors[0] != cursors[1] {
		t.Errorf("cursors = %v, want the same twice", cursors)
	}
}
