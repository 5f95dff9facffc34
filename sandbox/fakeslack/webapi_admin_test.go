package fakeslack

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

// adminAPI is slack-go with the admin user token.
func adminAPI(srv *Server) *slack.Client {
	return slack.New(srv.AdminToken(), slack.OptionAPIURL(srv.APIURL()))
}

// rawCall posts a form the way Slack documents, for methods slack-go lacks.
func rawCall(t *testing.T, srv *Server, method, token string, form url.Values) (ok bool, code string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.APIURL()+method, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		OK    bool   `json:"ok"`
		Error string `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return body.OK, body.Error
}

func TestAdminOnlyUserGroupsRefuseTheBot(t *testing.T) {
	srv := newServer(t, Options{})
	srv.SetUserGroupsAdminOnly(true)
	c := api(srv)
	if _, err := c.UpdateUserGroupMembers("S0SEC", alex); err == nil || err.Error() != "permission_denied" {
		t.Errorf("update by the bot: %v, want permission_denied", err)
	}
	if _, err := c.DisableUserGroup("S0SOLO"); err == nil || err.Error() != "permission_denied" {
		t.Errorf("disable by the bot: %v, want permission_denied", err)
	}
	if g, _ := srv.UserGroup("S0SEC"); !slices.Equal(g.Members, []string{alex, dana}) || g.Disabled {
		t.Errorf("a refused call changed the group: %+v", g)
	}
	if g, _ := srv.UserGroup("S0SOLO"); g.Disabled {
		t.Error("a refused disable disabled the group")
	}
	// Reads stay open, and everyone-may-edit lets the bot write again.
	if _, err := c.GetUserGroupMembers("S0SEC"); err != nil {
		t.Errorf("read under admin-only: %v", err)
	}
	srv.SetUserGroupsAdminOnly(false)
	if _, err := c.UpdateUserGroupMembers("S0SEC", alex); err != nil {
		t.Errorf("update once everyone may edit: %v", err)
	}
}

func TestDisableUserGroup(t *testing.T) {
	srv := newServer(t, Options{})
	c := api(srv)
	g, err := c.DisableUserGroup("S0SOLO")
	if err != nil || g.ID != "S0SOLO" || g.DateDelete == 0 {
		t.Fatalf("disable = %+v, %v; want date_delete set", g, err)
	}
	if got, _ := srv.UserGroup("S0SOLO"); !got.Disabled || !slices.Equal(got.Members, []string{dana}) {
		t.Errorf("group = %+v, want disabled with its members kept", got)
	}
	listed, _ := c.GetUserGroups()
	if slices.ContainsFunc(listed, func(g slack.UserGroup) bool { return g.ID == "S0SOLO" }) {
		t.Error("a disabled group is listed without include_disabled")
	}
	all, _ := c.GetUserGroups(slack.GetUserGroupsOptionIncludeDisabled(true))
	if !slices.ContainsFunc(all, func(g slack.UserGroup) bool { return g.ID == "S0SOLO" && g.DateDelete != 0 }) {
		t.Errorf("include_disabled = %+v, want S0SOLO with date_delete", all)
	}
	if _, err := c.DisableUserGroup("S0SOLO"); err != nil {
		t.Errorf("second disable: %v", err)
	}
	if _, err := c.DisableUserGroup("S0NOPE"); err == nil || err.Error() != "no_such_subteam" {
		t.Errorf("unknown group: %v", err)
	}
	nowrite := newServer(t, Options{Scopes: []string{"usergroups:read"}})
	if _, err := api(nowrite).DisableUserGroup("S0SOLO"); err == nil || err.Error() != "missing_scope" {
		t.Errorf("without usergroups:write: %v", err)
	}
}

func TestAccessLogsPageNewestFirstUpToBefore(t *testing.T) {
	t0 := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	srv := newServer(t, Options{Clock: func() time.Time { return t0 }})
	for i, u := range []string{dana, sam, alex, dana} {
		_ = srv.AddLogin(Login{User: u, IP: "10.0.0.1", Last: t0.Add(-time.Duration(i+1) * time.Hour)})
	}
	_ = srv.AddLogin(Login{User: sam, Last: t0.Add(time.Hour)}) // after `before`
	c := adminAPI(srv)
	var got []slack.Login
	params := slack.AccessLogParameters{Limit: 3, Before: int(t0.Unix())}
	for pages := 0; ; pages++ {
		logins, next, err := c.GetAccessLogs(params)
		if err != nil || pages > 3 {
			t.Fatalf("page %d: %v", pages, err)
		}
		got = append(got, logins...)
		if next == "" {
			break
		}
		params.Cursor = next
	}
	var users []string
	for _, l := range got {
		users = append(users, l.UserID)
	}
	if want := []string{dana, sam, alex, dana}; !slices.Equal(users, want) {
		t.Errorf("logins = %v, want %v (newest first, none after before)", users, want)
	}
	if got[0].DateLast != int(t0.Add(-time.Hour).Unix()) || got[0].Username != "dana" || got[0].Count != 1 {
		t.Errorf("first login = %+v", got[0])
	}
	older, _, _ := c.GetAccessLogs(slack.AccessLogParameters{Before: int(t0.Add(-150 * time.Minute).Unix())})
	if len(older) != 2 {
		t.Errorf("before 2.5 h ago: %d logins, want 2", len(older))
	}
}

func TestAccessLogsLimits(t *testing.T) {
	srv := newServer(t, Options{})
	for i := range 5 {
		_ = srv.AddLogin(Login{User: dana, Last: time.Now().Add(-time.Duration(i) * time.Minute)})
	}
	if _, _, err := adminAPI(srv).GetAccessLogs(slack.AccessLogParameters{Limit: 1001}); err == nil || err.Error() != "invalid_limit" {
		t.Errorf("limit 1001: %v", err)
	}
	if ok, code := rawCall(t, srv, "team.accessLogs", srv.AdminToken(), url.Values{"count": {"2"}, "page": {"101"}}); ok || code != "over_pagination_limit" {
		t.Errorf("page 101: %v %s", ok, code)
	}
	if ok, code := rawCall(t, srv, "team.accessLogs", srv.AdminToken(), url.Values{"count": {"2"}, "page": {"3"}}); !ok {
		t.Errorf("classic page 3: %s", code)
	}
	if _, _, err := api(srv).GetAccessLogs(slack.AccessLogParameters{}); err == nil || err.Error() != "not_allowed_token_type" {
		t.Errorf("bot token: %v", err)
	}
	free := newServer(t, Options{Admin: AdminOptions{FreePlan: true}})
	if _, _, err := adminAPI(free).GetAccessLogs(slack.AccessLogParameters{}); err == nil || err.Error() != "paid_only" {
		t.Errorf("free plan: %v", err)
	}
	noAdmin := newServer(t, Options{Admin: AdminOptions{Scopes: []string{"admin.users:read"}}})
	if _, _, err := adminAPI(noAdmin).GetAccessLogs(slack.AccessLogParameters{}); err == nil || err.Error() != "missing_scope" {
		t.Errorf("without the admin scope: %v", err)
	}
}

func TestAccessLogsCursorStopsAtPage100(t *testing.T) {
	srv := newServer(t, Options{})
	for i := range 102 {
		_ = srv.AddLogin(Login{User: dana, Last: time.Now().Add(-time.Duration(i) * time.Minute)})
	}
	c := adminAPI(srv)
	params := slack.AccessLogParameters{Limit: 1}
	var err error
	pages := 0
	for ; pages < 102; pages++ {
		if _, params.Cursor, err = c.GetAccessLogs(params); err != nil {
			break
		}
	}
	if pages != 100 || err == nil || err.Error() != "over_pagination_limit" {
		t.Errorf("stopped after %d pages with %v, want over_pagination_limit after 100", pages, err)
	}
}

func TestAdminUsersList(t *testing.T) {
	created := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
	srv := newServer(t, Options{Admin: AdminOptions{Enterprise: true}})
	srv.AddUser(User{ID: "U0ADMIN", Name: "root", IsOwner: true})
	srv.AddUser(User{ID: "U0KIM", Name: "kim", Email: "kim@example.com", Created: created, LastActive: created.AddDate(0, 1, 0)})
	_ = srv.SetDeleted(sam, true)
	c := adminAPI(srv)
	var users []slack.AdminUser
	cursor := ""
	for {
		resp, err := c.AdminUsersList(t.Context(), slack.AdminUsersListOptionLimit(2), slack.AdminUsersListOptionCursor(cursor))
		if err != nil {
			t.Fatal(err)
		}
		users = append(users, resp.Users...)
		if cursor = resp.ResponseMetadata.Cursor; cursor == "" {
			break
		}
	}
	i := slices.IndexFunc(users, func(u slack.AdminUser) bool { return u.ID == "U0KIM" })
	if len(users) != 5 || i < 0 { // bot, dana, alex, admin, kim; sam is deactivated
		t.Fatalf("users = %+v", users)
	}
	if k := users[i]; k.DateCreated != created.Unix() || k.LastActiveTimestamp != created.AddDate(0, 1, 0).Unix() || !k.IsActive || k.Email != "kim@example.com" {
		t.Errorf("kim = %+v", k)
	}
	gone, _ := c.AdminUsersList(t.Context(), slack.AdminUsersListOptionIsActive(false))
	if len(gone.Users) != 1 || gone.Users[0].ID != sam {
		t.Errorf("is_active=false = %+v", gone.Users)
	}
	if _, err := api(srv).AdminUsersList(t.Context()); err == nil || err.Error() != "not_allowed_token_type" {
		t.Errorf("bot token: %v", err)
	}
	notGrid := newServer(t, Options{})
	if _, err := adminAPI(notGrid).AdminUsersList(t.Context()); err == nil || err.Error() != "feature_not_enabled" {
		t.Errorf("off Grid: %v", err)
	}
}

func TestSessionReset(t *testing.T) {
	srv := newServer(t, Options{Admin: AdminOptions{Enterprise: true}})
	srv.AddUser(User{ID: "U0ADMIN", Name: "root", IsAdmin: true})
	srv.AddUser(User{ID: "U0BOSS", Name: "boss", IsPrimaryOwner: true})
	if ok, code := rawCall(t, srv, "admin.users.session.reset", srv.AdminToken(), url.Values{"user_id": {dana}}); !ok {
		t.Fatalf("reset: %s", code)
	}
	if n := srv.SessionResets(dana); n != 1 {
		t.Errorf("dana's sessions reset %d times, want 1", n)
	}
	for _, tc := range []struct{ name, token, user, want string }{
		{"bot user", srv.AdminToken(), srv.BotUserID(), "cannot_reset_bot"},
		{"primary owner by an admin", srv.AdminToken(), "U0BOSS", "cannot_reset_primary_owner"},
		{"unknown user", srv.AdminToken(), "U0NOBODY", "user_not_found"},
		{"bot token", srv.BotToken(), dana, "not_allowed_token_type"},
	} {
		if ok, code := rawCall(t, srv, "admin.users.session.reset", tc.token, url.Values{"user_id": {tc.user}}); ok || code != tc.want {
			t.Errorf("%s: ok=%v %s, want %s", tc.name, ok, code, tc.want)
		}
	}
	if n := srv.SessionResets("U0BOSS"); n != 0 {
		t.Errorf("a refused reset counted: %d", n)
	}
	notGrid := newServer(t, Options{})
	if ok, code := rawCall(t, notGrid, "admin.users.session.reset", notGrid.AdminToken(), url.Values{"user_id": {dana}}); ok || code != "feature_not_enabled" {
		t.Errorf("off Grid: %v %s", ok, code)
	}
	member := newServer(t, Options{Admin: AdminOptions{Enterprise: true, UserID: dana}})
	if ok, code := rawCall(t, member, "admin.users.session.reset", member.AdminToken(), url.Values{"user_id": {sam}}); ok || code != "not_an_admin" {
		t.Errorf("a member's token: %v %s", ok, code)
	}
}

func TestAuthTestWithUserTokens(t *testing.T) {
	srv := newServer(t, Options{Admin: AdminOptions{Enterprise: true, SCIMUserID: alex}})
	resp, err := adminAPI(srv).AuthTest()
	if err != nil || resp.UserID != "U0ADMIN" || resp.EnterpriseID != "E0FAKE" {
		t.Errorf("admin auth.test = %+v, %v", resp, err)
	}
	if !strings.Contains(resp.Header.Get("X-OAuth-Scopes"), "admin.users:write") {
		t.Errorf("scopes header = %q, want the admin token's", resp.Header.Get("X-OAuth-Scopes"))
	}
	scim := slack.New(srv.SCIMToken(), slack.OptionAPIURL(srv.APIURL()))
	if resp, err := scim.AuthTest(); err != nil || resp.UserID != alex || resp.User != "alex" {
		t.Errorf("scim token auth.test = %+v, %v", resp, err)
	}
	if _, err := adminAPI(newServer(t, Options{})).AuthTest(); err != nil {
		t.Errorf("off Grid: %v", err)
	}
}

func TestSCIMCannotDeactivateAbove(t *testing.T) {
	srv := newServer(t, Options{Admin: AdminOptions{SCIMUserID: alex}}) // alex is an admin
	srv.AddUser(User{ID: "U0OWN", Name: "own", IsOwner: true})
	srv.AddUser(User{ID: "U0BOSS", Name: "boss", IsPrimaryOwner: true})
	del := func(id string) int {
		req, _ := http.NewRequest(http.MethodDelete, srv.SCIMURL()+"Users/"+id, nil)
		req.Header.Set("Authorization", "Bearer "+srv.SCIMToken())
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := del("U0OWN"); got != http.StatusForbidden {
		t.Errorf("owner by an admin's token: %d, want 403", got)
	}
	if got := del("U0BOSS"); got != http.StatusForbidden {
		t.Errorf("primary owner: %d, want 403", got)
	}
	if got := del(dana); got != http.StatusNoContent {
		t.Errorf("member: %d, want 204", got)
	}
	for _, id := range []string{"U0OWN", "U0BOSS"} {
		if u, _ := srv.User(id); u.Deleted {
			t.Errorf("%s was deactivated", id)
		}
	}
}
