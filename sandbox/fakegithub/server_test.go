package fakegithub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	gh "github.com/google/go-github/v60/github"
)

func start(t *testing.T) (*Server, *gh.Client) {
	t.Helper()
	s := New(Options{})
	s.Start()
	t.Cleanup(s.Close)
	s.AddMember("acme", Member{Login: "boss", Role: "admin"})
	s.AddToken("tok-boss", "boss")
	c := gh.NewClient(nil).WithAuthToken("tok-boss")
	c.BaseURL, _ = url.Parse(s.APIURL())
	return s, c
}

func TestMembersArePagedWithLinkHeaders(t *testing.T) {
	s, c := start(t)
	for i := range 250 {
		s.AddMember("acme", Member{Login: fmt.Sprintf("dev%03d", i)})
	}
	var all []*gh.User
	opts := &gh.ListMembersOptions{ListOptions: gh.ListOptions{PerPage: 100}}
	pages := 0
	for {
		users, resp, err := c.Organizations.ListMembers(context.Background(), "acme", opts)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		all = append(all, users...)
		if pages == 1 && resp.LastPage != 3 {
			t.Errorf("first page says last page %d, want 3", resp.LastPage)
		}
		if resp.Rate.Limit != 5000 || resp.Rate.Remaining != 5000-pages {
			t.Errorf("rate after %d calls = %+v", pages, resp.Rate)
		}
		if resp.NextPage == 0 {
			break
		}
		opts.Page = resp.NextPage
	}
	if len(all) != 251 || pages != 3 {
		t.Fatalf("got %d members in %d pages, want 251 in 3", len(all), pages)
	}
	admins, _, err := c.Organizations.ListMembers(context.Background(), "acme", &gh.ListMembersOptions{Role: "admin"})
	if err != nil || len(admins) != 1 || admins[0].GetLogin() != "boss" {
		t.Fatalf("role=admin gave %v, %v", admins, err)
	}
}

func TestWrongTokenIsBadCredentials(t *testing.T) {
	s, _ := start(t)
	c := gh.NewClient(nil).WithAuthToken("nope")
	c.BaseURL, _ = url.Parse(s.APIURL())
	_, _, err := c.Organizations.Get(context.Background(), "acme")
	var er *gh.ErrorResponse
	if !errors.As(err, &er) || er.Response.StatusCode != 401 || er.Message != "Bad credentials" {
		t.Fatalf("got %v, want 401 Bad credentials", err)
	}
}

func TestUnknownOrgIsNotFoundWithDocumentationURL(t *testing.T) {
	_, c := start(t)
	_, _, err := c.Organizations.Get(context.Background(), "nope")
	var er *gh.ErrorResponse
	if !errors.As(err, &er) || er.Response.StatusCode != 404 || er.Message != "Not Found" || er.DocumentationURL == "" {
		t.Fatalf("got %v, want 404 Not Found with documentation_url", err)
	}
}

func TestRemovingAMemberChangesStateAndSecondRemovalIs404(t *testing.T) {
	s, c := start(t)
	s.AddMember("acme", Member{Login: "dev"})
	s.AddTeam("acme", "core", "dev")
	if _, err := c.Organizations.RemoveMember(context.Background(), "acme", "dev"); err != nil {
		t.Fatal(err)
	}
	if s.IsMember("acme", "dev") {
		t.Fatal("dev is still a member")
	}
	st, _ := s.Snapshot("acme")
	if len(st.Teams[0].Members) != 0 {
		t.Errorf("team still lists %v", st.Teams[0].Members)
	}
	resp, err := c.Organizations.RemoveMember(context.Background(), "acme", "dev")
	if err == nil || resp.StatusCode != 404 {
		t.Fatalf("second removal: %v", err)
	}
}

func TestConditionalRequestIs304AndFree(t *testing.T) {
	s, _ := start(t)
	get := func(etag string) *http.Response {
		req, _ := http.NewRequest("GET", s.URL()+"/orgs/acme/members", nil)
		req.Header.Set("Authorization", "Bearer tok-boss")
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	first := get("")
	second := get(first.Header.Get("ETag"))
	if second.StatusCode != 304 {
		t.Fatalf("status %d, want 304", second.StatusCode)
	}
	if a, b := first.Header.Get("X-RateLimit-Remaining"), second.Header.Get("X-RateLimit-Remaining"); a != b {
		t.Errorf("remaining went %s → %s; a 304 must not count", a, b)
	}
}

func TestPrimaryLimitIsGoGithubRateLimitError(t *testing.T) {
	s, c := start(t)
	s.PrimaryLimit("core", 2*time.Second, 0)
	_, _, err := c.Organizations.Get(context.Background(), "acme")
	var rle *gh.RateLimitError
	if !errors.As(err, &rle) {
		t.Fatalf("got %T %v, want *RateLimitError", err, err)
	}
	if d := time.Until(rle.Rate.Reset.Time); d <= 0 || d > 3*time.Second {
		t.Errorf("reset in %v, want within 3s", d)
	}
}

func TestSecondaryLimitIsAbuseRateLimitError(t *testing.T) {
	s, c := start(t)
	s.SecondaryLimit("", 3*time.Second, 0)
	_, _, err := c.Organizations.Get(context.Background(), "acme")
	var ae *gh.AbuseRateLimitError
	if !errors.As(err, &ae) || ae.RetryAfter == nil || *ae.RetryAfter != 3*time.Second {
		t.Fatalf("got %T %v, want *AbuseRateLimitError with RetryAfter 3s", err, err)
	}
}

func TestFailNextAndLatency(t *testing.T) {
	s, c := start(t)
	s.FailNext(RouteOrg, 1, 503)
	s.SetLatency(30 * time.Millisecond)
	if _, _, err := c.Organizations.Get(context.Background(), "acme"); err == nil {
		t.Fatal("first call succeeded; want 503")
	}
	t0 := time.Now()
	if _, _, err := c.Organizations.Get(context.Background(), "acme"); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(t0); d < 30*time.Millisecond {
		t.Errorf("call took %v, want ≥ 30ms", d)
	}
	if n := s.CallCount(RouteOrg); n != 2 {
		t.Errorf("log counts %d calls, want 2", n)
	}
}

func TestHoldKeepsACallOpenUntilReleased(t *testing.T) {
	s, c := start(t)
	h := s.HoldCalls(RouteOrg)
	done := make(chan error, 1)
	go func() { _, _, err := c.Organizations.Get(context.Background(), "acme"); done <- err }()
	<-h.Arrived()
	select {
	case <-done:
		t.Fatal("call finished while held")
	case <-time.After(20 * time.Millisecond):
	}
	h.Release()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func gql(t *testing.T, s *Server, token, query string, vars map[string]any) map[string]any {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest("POST", s.GraphQLURL(), bytes.NewReader(b))
	req.Header.Set("Authorization", "bearer "+token)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestGraphQLAliasesAndNotFoundUsers(t *testing.T) {
	s, _ := start(t)
	id := s.AddOrg("acme")
	day := time.Now().AddDate(0, 0, -3)
	s.AddMember("acme", Member{Login: "a"})
	s.AddContribution("acme", "a", day, 2)
	s.AddRestrictedContribution("acme", "boss", day, 1)
	q := `query($org: ID!) {
	  u0: user(login: "a") { login contributionsCollection(organizationID: $org, from: "` + time.Now().AddDate(0, 0, -14).UTC().Format(time.RFC3339) + `") { totalCommitContributions restrictedContributionsCount hasAnyContributions } }
	  u1: user(login: "boss") { contributionsCollection(organizationID: $org) { restrictedContributionsCount hasAnyContributions } }
	  u2: user(login: "ghost") { login }
	}`
	out := gql(t, s, "tok-boss", q, map[string]any{"org": id})
	data := out["data"].(map[string]any)
	u0 := data["u0"].(map[string]any)["contributionsCollection"].(map[string]any)
	if u0["totalCommitContributions"].(float64) != 2 || u0["hasAnyContributions"] != true {
		t.Errorf("u0 = %v", u0)
	}
	u1 := data["u1"].(map[string]any)["contributionsCollection"].(map[string]any)
	if u1["restrictedContributionsCount"].(float64) != 1 || u1["hasAnyContributions"] != false {
		t.Errorf("u1 = %v", u1)
	}
	if data["u2"] != nil {
		t.Errorf("u2 = %v, want null", data["u2"])
	}
	errs := out["errors"].([]any)
	e := errs[0].(map[string]any)
	if len(errs) != 1 || e["type"] != "NOT_FOUND" || e["path"].([]any)[0] != "u2" {
		t.Errorf("errors = %v", errs)
	}
}

func TestGraphQLUnknownFieldRefusesTheQuery(t *testing.T) {
	s, _ := start(t)
	out := gql(t, s, "tok-boss", `{ organization(login: "acme") { id bogus } }`, nil)
	if _, has := out["data"]; has {
		t.Errorf("data present in %v", out)
	}
	errs, _ := out["errors"].([]any)
	if len(errs) != 1 || !strings.Contains(errs[0].(map[string]any)["message"].(string), "bogus") {
		t.Errorf("errors = %v", out["errors"])
	}
}

func TestGraphQLTeamsAndSAMLIdentities(t *testing.T) {
	s, _ := start(t)
	s.AddMember("acme", Member{Login: "dev"})
	s.AddTeam("acme", "core", "dev")
	s.AddTeam("acme", "web", "dev", "boss")
	s.AddTeam("acme", "ops", "boss")
	s.AddSAMLIdentity("acme", SAMLIdentity{NameID: "dev@acme.test", Emails: []string{"dev@acme.test"}, Login: "dev"})
	s.AddSAMLIdentity("acme", SAMLIdentity{NameID: "old@acme.test"})
	out := gql(t, s, "tok-boss", `{ organization(login:"acme") {
	  teams(first: 10, userLogins: ["dev"]) { totalCount nodes { slug } }
	  samlIdentityProvider { externalIdentities(first: 5, userName: "DEV@acme.test") { nodes { samlIdentity { nameId emails { value } } user { login } } } }
	} }`, nil)
	org := out["data"].(map[string]any)["organization"].(map[string]any)
	if n := org["teams"].(map[string]any)["totalCount"].(float64); n != 2 {
		t.Errorf("dev is in %v teams, want 2", n)
	}
	nodes := org["samlIdentityProvider"].(map[string]any)["externalIdentities"].(map[string]any)["nodes"].([]any)
	if len(nodes) != 1 || nodes[0].(map[string]any)["user"].(map[string]any)["login"] != "dev" {
		t.Errorf("identities = %v", nodes)
	}
}

func TestParseGraphQLRejectsBrokenQueries(t *testing.T) {
	for _, q := range []string{`{`, `{ user(login: "x" { login } }`, `mutation { x }`, `{ a: }`, `{ user(login: "x) { id } }`} {
		if _, err := parseGraphQL(q); err == nil {
			t.Errorf("parseGraphQL(%q) succeeded", q)
		}
	}
}
