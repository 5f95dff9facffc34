package fakeslack

import (
	"net/http"
	"slices"
	"testing"

	"github.com/slack-go/slack"
)

func TestUsersInfoAndLookup(t *testing.T) {
	srv := newServer(t, Options{})
	c := api(srv)
	u, err := c.GetUserInfo(dana)
	if err != nil || u.Name != "dana" || u.Profile.Email != "dana@example.com" || u.Deleted {
		t.Fatalf("users.info = %+v, %v", u, err)
	}
	if _, err := c.GetUserInfo("U0NOBODY"); err == nil || err.Error() != "user_not_found" {
		t.Errorf("unknown user: %v", err)
	}
	if u, err := c.GetUserByEmail("DANA@example.com"); err != nil || u.ID != dana {
		t.Errorf("lookup = %+v, %v", u, err)
	}
	_ = srv.SetDeleted(dana, true)
	if _, err := c.GetUserByEmail("dana@example.com"); err == nil || err.Error() != "users_not_found" {
		t.Errorf("lookup of a deactivated user: %v, want users_not_found", err)
	}
	users, err := c.GetUsers(slack.GetUsersOptionLimit(2))
	if err != nil || len(users) != 4 {
		t.Errorf("users.list paged = %d users, %v; want all 4", len(users), err)
	}
}

func TestEmailNeedsItsScope(t *testing.T) {
	srv := newServer(t, Options{Scopes: []string{"users:read"}})
	u, err := api(srv).GetUserInfo(dana)
	if err != nil || u.Profile.Email != "" {
		t.Errorf("users.info without users:read.email = %q, %v; want no email", u.Profile.Email, err)
	}
}

func TestUserGroups(t *testing.T) {
	srv := newServer(t, Options{})
	srv.AddUserGroup(UserGroup{ID: "S0OLD", Handle: "old", Members: []string{dana}, Disabled: true})
	c := api(srv)
	groups, err := c.GetUserGroups(slack.GetUserGroupsOptionIncludeUsers(true))
	if err != nil || len(groups) != 2 || groups[0].Handle != "security" || !slices.Equal(groups[0].Users, []string{alex, dana}) {
		t.Fatalf("usergroups.list = %+v, %v", groups, err)
	}
	if g, _ := c.GetUserGroups(); len(g[0].Users) != 0 {
		t.Errorf("users listed without include_users: %v", g[0].Users)
	}
	if members, err := c.GetUserGroupMembers("S0SEC"); err != nil || !slices.Equal(members, []string{alex, dana}) {
		t.Errorf("members = %v, %v", members, err)
	}
	if _, err := c.GetUserGroupMembers("S0NOPE"); err == nil || err.Error() != "no_such_subteam" {
		t.Errorf("unknown group: %v", err)
	}
	if _, err := c.UpdateUserGroupMembers("S0SEC", alex); err != nil {
		t.Fatal(err)
	}
	if g, _ := srv.UserGroup("S0SEC"); !slices.Equal(g.Members, []string{alex}) {
		t.Errorf("members after update = %v", g.Members)
	}
	if _, err := c.UpdateUserGroupMembers("S0SOLO", ""); err == nil || err.Error() != "no_users_provided" {
		t.Errorf("emptying a group: %v, want no_users_provided", err)
	}
	if g, _ := srv.UserGroup("S0SOLO"); !slices.Equal(g.Members, []string{dana}) {
		t.Errorf("a refused update changed the group: %v", g.Members)
	}
	if _, err := c.UpdateUserGroupMembers("S0SEC", alex+",U0NOBODY"); err == nil || err.Error() != "invalid_users" {
		t.Errorf("unknown member: %v, want invalid_users", err)
	}
}

func TestConversationsRepliesWithMetadata(t *testing.T) {
	srv := newServer(t, Options{})
	c := api(srv)
	_, parent, _ := c.PostMessage(appro, slack.MsgOptionText("parent", false),
		slack.MsgOptionMetadata(slack.SlackMetadata{EventType: "case", EventPayload: map[string]any{"id": 7.0}}))
	for _, txt := range []string{"one", "two", "three"} {
		_, _, _ = c.PostMessage(appro, slack.MsgOptionText(txt, false), slack.MsgOptionTS(parent))
	}
	msgs, hasMore, next, err := c.GetConversationReplies(&slack.GetConversationRepliesParameters{
		ChannelID: appro, Timestamp: parent, Limit: 3, IncludeAllMetadata: true})
	if err != nil || len(msgs) != 3 || !hasMore || next == "" {
		t.Fatalf("page 1: %d msgs, more %v, next %q, %v", len(msgs), hasMore, next, err)
	}
	if msgs[0].Metadata.EventType != "case" || msgs[0].ReplyCount != 3 || msgs[1].Text != "one" {
		t.Errorf("page 1 = %+v", msgs)
	}
	msgs, hasMore, _, _ = c.GetConversationReplies(&slack.GetConversationRepliesParameters{ChannelID: appro, Timestamp: parent, Cursor: next})
	if len(msgs) != 1 || hasMore || msgs[0].Text != "three" {
		t.Errorf("page 2 = %+v", msgs)
	}
	msgs, _, _, _ = c.GetConversationReplies(&slack.GetConversationRepliesParameters{ChannelID: appro, Timestamp: parent})
	if msgs[0].Metadata.EventType != "" {
		t.Errorf("metadata without include_all_metadata: %+v", msgs[0].Metadata)
	}
	if got := srv.Thread(appro, parent); len(got) != 4 {
		t.Errorf("thread = %d messages, want 4", len(got))
	}
}

func TestSCIM(t *testing.T) {
	srv := newServer(t, Options{})
	do := func(method, path, token string) int {
		req, _ := http.NewRequest(method, srv.SCIMURL()+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := do(http.MethodDelete, "Users/"+dana, "xoxp-wrong"); got != http.StatusUnauthorized {
		t.Errorf("wrong token: %d", got)
	}
	if got := do(http.MethodGet, "Users/"+dana, srv.SCIMToken()); got != http.StatusOK {
		t.Errorf("get: %d", got)
	}
	if got := do(http.MethodDelete, "Users/"+dana, srv.SCIMToken()); got != http.StatusNoContent {
		t.Errorf("delete: %d", got)
	}
	if u, _ := srv.User(dana); !u.Deleted {
		t.Error("the user is still active")
	}
	if got := do(http.MethodDelete, "Users/U0NOBODY", srv.SCIMToken()); got != http.StatusNotFound {
		t.Errorf("delete of nobody: %d", got)
	}
	srv.RateLimit("scim", 2e9, 1)
	if got := do(http.MethodDelete, "Users/"+sam, srv.SCIMToken()); got != http.StatusTooManyRequests {
		t.Errorf("rate limited: %d", got)
	}
}
