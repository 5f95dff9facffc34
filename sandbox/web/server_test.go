package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/offboard/offboard/sandbox/company"
	"github.com/offboard/offboard/sandbox/fakeaws"
	"github.com/offboard/offboard/sandbox/fakegithub"
	"github.com/offboard/offboard/sandbox/fakeslack"
	"github.com/offboard/offboard/sandbox/simclock"
)

// page is the web server over the seeded fakes, without a bot: the test
// plays the bot through slack-go and reads what the fakes received.
type page struct {
	t     *testing.T
	url   string
	clock *simclock.Clock
	slack *fakeslack.Server
	gh    *fakegithub.Server
	api   *slack.Client
}

func newPage(t *testing.T) *page {
	t.Helper()
	clock := simclock.New(nil)
	fs, err := fakeslack.Start(fakeslack.Options{Clock: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fs.Close() })
	company.SeedSlack(fs)
	gh := fakegithub.New(fakegithub.Options{Now: clock.Now})
	gh.Start()
	t.Cleanup(gh.Close)
	company.SeedGitHub(gh, clock.Now())
	iam := fakeaws.New(fakeaws.Options{Clock: clock.Now})
	if err := company.SeedAWS(iam, clock.Now()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(Options{Slack: fs, GitHub: gh, AWS: iam, Clock: clock, Config: company.Config}))
	t.Cleanup(srv.Close)
	p := &page{t: t, url: srv.URL, clock: clock, slack: fs, gh: gh,
		api: slack.New(fs.BotToken(), slack.OptionAPIURL(fs.APIURL()), slack.OptionAppLevelToken(fs.AppToken()))}
	p.connect()
	return p
}

// connect plays an app that acks every envelope and does nothing else.
func (p *page) connect() {
	sm := socketmode.New(p.api)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{}, 2)
	go func() { _ = sm.RunContext(ctx); done <- struct{}{} }()
	go func() {
		defer func() { done <- struct{}{} }()
		for {
			select {
			case <-ctx.Done():
				return
			case ev := <-sm.Events:
				if ev.Request != nil {
					_ = sm.Ack(*ev.Request)
				}
			}
		}
	}()
	p.t.Cleanup(func() { cancel(); <-done; <-done })
	if err := p.slack.WaitSockets(1, fakeslack.DefaultWait); err != nil {
		p.t.Fatal(err)
	}
}

// post sends an action as the page does and returns the status and body.
func (p *page) post(path, body string, header ...string) (int, string) {
	p.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, p.url+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (p *page) state(query string) stateJSON {
	p.t.Helper()
	resp, err := http.Get(p.url + "/state?" + query)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	var st stateJSON
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		p.t.Fatal(err)
	}
	return st
}

func (p *page) lastEnvelope() fakeslack.Envelope {
	p.t.Helper()
	es := p.slack.Envelopes()
	if len(es) == 0 {
		p.t.Fatal("Slack sent the app nothing")
	}
	return es[len(es)-1]
}

func TestThePageIsServedWithItsAssetsAndNoOutsideSources(t *testing.T) {
	p := newPage(t)
	resp, err := http.Get(p.url + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	if resp.StatusCode != 200 || !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "script-src 'self'") {
		t.Fatalf("GET / = %s, CSP %q", resp.Status, csp)
	}
	for _, want := range []string{`<option value="U0MARIA" selected>Maria Manager (@maria) — manager</option>`,
		`<label for="as">Acting as</label>`, `<label for="compose">`, "github: {org: acme}", `src="/static/app.js"`} {
		if !strings.Contains(string(body), want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(string(body), "http://") || strings.Contains(string(body), "https://") {
		t.Error("the page refers to another site")
	}
	for _, asset := range []string{"/static/app.js", "/static/style.css", "/static/icon.svg", "/favicon.ico"} {
		resp, err := http.Get(p.url + asset)
		if err != nil || resp.StatusCode != 200 {
			t.Errorf("GET %s: %v %v", asset, resp.Status, err)
		}
		resp.Body.Close()
	}
}

func TestActionsComeOnlyAsJSONFromThePageItself(t *testing.T) {
	p := newPage(t)
	slash := `{"as":"U0MARIA","channel":"C0APPROVALS","text":"/offboard @dana on tomorrow"}`
	req, _ := http.NewRequest(http.MethodPost, p.url+"/api/slash", strings.NewReader(slash))
	req.Header.Set("Content-Type", "text/plain") // what a cross-site form can send
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("a text/plain post got %s", resp.Status)
	}
	if code, _ := p.post("/api/slash", slash, "Origin", "https://evil.example"); code != http.StatusForbidden {
		t.Errorf("a cross-origin post got %d", code)
	}
	if code, _ := p.post("/api/slash", `{"as":"U0NOBODY","channel":"C0APPROVALS","text":"/offboard help"}`); code != http.StatusBadRequest {
		t.Errorf("acting as nobody got %d", code)
	}
	if n := len(p.slack.Envelopes()); n != 0 {
		t.Errorf("Slack sent the app %d envelopes for refused posts", n)
	}
}

func TestTheComposerSendsSlashCommandsAsTheChosenPerson(t *testing.T) {
	p := newPage(t)
	code, body := p.post("/api/slash", `{"as":"U0MARIA","channel":"C0APPROVALS","text":"/offboard @dana on tomorrow <b>"}`)
	if code != 200 {
		t.Fatalf("slash: %d %s", code, body)
	}
	e := p.lastEnvelope()
	var cmd slack.SlashCommand
	_ = json.Unmarshal(e.Payload, &cmd)
	if e.Type != "slash_commands" || cmd.UserID != company.Maria || cmd.ChannelID != company.Approvals ||
		cmd.Command != "/offboard" || cmd.Text != "<@U0DANA|dana> on tomorrow &lt;b&gt;" {
		t.Errorf("envelope %s %+v", e.Type, cmd)
	}
	code, body = p.post("/api/slash", `{"as":"U0MARIA","channel":"C0APPROVALS","text":"hello everyone"}`)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "slash commands only") {
		t.Errorf("a plain message: %d %s", code, body)
	}
	// Dana is not in #approvals, so Slack refuses her command there.
	if code, _ := p.post("/api/slash", `{"as":"U0DANA","channel":"C0APPROVALS","text":"/offboard list"}`); code != http.StatusUnprocessableEntity {
		t.Errorf("a command from a channel Dana is not in got %d", code)
	}
}

func TestClicksAndModalSubmissionsReachTheAppAsThePerson(t *testing.T) {
	p := newPage(t)
	btn := slack.NewButtonBlockElement("hold", "a7", slack.NewTextBlockObject("plain_text", "Hold", false, false))
	_, ts, err := p.api.PostMessage(company.Approvals, slack.MsgOptionText("row", false), slack.MsgOptionBlocks(slack.NewActionBlock("a7.act", btn)))
	if err != nil {
		t.Fatal(err)
	}
	if st := p.state("as=U0ALEX&view=C0APPROVALS"); !strings.Contains(st.Main, `data-ts="`+ts+`" data-block="a7.act" data-action="hold">Hold</button>`) {
		t.Fatalf("the button is not on the page:\n%s", st.Main)
	}
	code, body := p.post("/api/click", `{"as":"U0ALEX","where":"message","channel":"C0APPROVALS","ts":"`+ts+`","block":"a7.act","action":"hold"}`)
	if code != 200 {
		t.Fatalf("click: %d %s", code, body)
	}
	e := p.lastEnvelope()
	var cb slack.InteractionCallback
	_ = json.Unmarshal(e.Payload, &cb)
	if e.Kind != "block_actions" || cb.User.ID != company.Alex || len(cb.ActionCallback.BlockActions) != 1 ||
		cb.ActionCallback.BlockActions[0].ActionID != "hold" || cb.ActionCallback.BlockActions[0].Value != "a7" {
		t.Fatalf("envelope %s %+v", e.Kind, cb.ActionCallback)
	}

	// The app answers with a modal; the page shows it and submits it.
	reason := slack.NewPlainTextInputBlockElement(nil, "reason")
	until := slack.NewDatePickerBlockElement("until")
	optional := slack.NewInputBlock("until", slack.NewTextBlockObject("plain_text", "Until", false, false), nil, until)
	optional.Optional = true
	_, err = p.api.OpenView(cb.TriggerID, slack.ModalViewRequest{Type: slack.VTModal, CallbackID: "hold",
		Title:  slack.NewTextBlockObject("plain_text", "Hold action", false, false),
		Submit: slack.NewTextBlockObject("plain_text", "Hold", false, false),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			slack.NewInputBlock("reason", slack.NewTextBlockObject("plain_text", "Why?", false, false), nil, reason), optional}}})
	if err != nil {
		t.Fatal(err)
	}
	st := p.state("as=U0ALEX&view=C0APPROVALS")
	if !strings.Contains(st.Modal, `role="dialog"`) || !strings.Contains(st.Modal, `<h2 id="modal-title">Hold action</h2>`) ||
		!strings.Contains(st.Modal, `<button type="submit" class="btn primary">Hold</button>`) {
		t.Fatalf("modal:\n%s", st.Modal)
	}
	if other := p.state("as=U0MARIA&view=C0APPROVALS"); other.Modal != "" {
		t.Error("Maria sees Alex's modal")
	}
	code, body = p.post("/api/submit", `{"as":"U0ALEX","values":{"reason":{"kind":"plain_text_input","value":"<script>x</script>"},"until":{"kind":"datepicker","value":"2026-12-24"}}}`)
	if code != 200 {
		t.Fatalf("submit: %d %s", code, body)
	}
	e = p.lastEnvelope()
	var sub slack.InteractionCallback
	_ = json.Unmarshal(e.Payload, &sub)
	vals := sub.View.State.Values
	if e.Kind != "view_submission" || vals["reason"]["reason"].Value != "<script>x</script>" || vals["until"]["until"].SelectedDate != "2026-12-24" {
		t.Errorf("submission %s %+v", e.Kind, vals)
	}
}

func TestAPersonSeesOnlyTheirChannelsAndEphemerals(t *testing.T) {
	p := newPage(t)
	_, ts, err := p.api.PostMessage(company.Approvals, slack.MsgOptionText("Offboarding #1: *Dana*", false))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := p.api.PostMessage(company.Approvals, slack.MsgOptionText("checklist", false), slack.MsgOptionTS(ts)); err != nil {
		t.Fatal(err)
	}
	if _, err := p.api.PostEphemeral(company.Approvals, company.Maria, slack.MsgOptionText("only for Maria", false)); err != nil {
		t.Fatal(err)
	}
	maria := p.state("as=U0MARIA&view=C0APPROVALS&thread=" + ts)
	if !strings.Contains(maria.Main, "Offboarding #1: <b>Dana</b>") || !strings.Contains(maria.Main, "1 reply") ||
		!strings.Contains(maria.Main, "only for Maria") || !strings.Contains(maria.Thread, "checklist") {
		t.Errorf("Maria's view:\n%s\n%s", maria.Main, maria.Thread)
	}
	alex := p.state("as=U0ALEX&view=C0APPROVALS")
	if strings.Contains(alex.Main, "only for Maria") {
		t.Error("Alex sees Maria's ephemeral")
	}
	dana := p.state("as=U0DANA&view=C0APPROVALS&thread=" + ts)
	if strings.Contains(dana.Nav, "C0APPROVALS") || !strings.Contains(dana.Main, "not a member") || dana.Thread != "" {
		t.Errorf("Dana sees #approvals:\nnav %s\nmain %s\nthread %s", dana.Nav, dana.Main, dana.Thread)
	}
}

func TestTheClockAndTheFaultButtonsMoveTheFakes(t *testing.T) {
	p := newPage(t)
	before := p.clock.Now()
	if code, body := p.post("/api/clock", `{"step":"day"}`); code != 200 {
		t.Fatalf("+1 day: %d %s", code, body)
	}
	if d := p.clock.Now().Sub(before); d < 24*time.Hour || d > 25*time.Hour {
		t.Errorf("+1 day moved the clock %s", d)
	}
	if code, body := p.post("/api/clock", `{"step":"next"}`); code != http.StatusUnprocessableEntity || !strings.Contains(body, "starting") {
		t.Errorf("jump without a bot: %d %s", code, body)
	}
	if st := p.state("as=U0MARIA"); !strings.Contains(st.Clock, "(1 d ahead)") {
		t.Errorf("clock shows %q", st.Clock)
	}

	if code, _ := p.post("/api/fault", `{"fault":"slack-429"}`); code != 200 {
		t.Fatal(code)
	}
	_, _, err := p.api.PostMessage(company.Approvals, slack.MsgOptionText("x", false))
	var rl *slack.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter != time.Second {
		t.Errorf("after the 429 button chat.postMessage got %v", err)
	}
	p.clock.Advance(6 * time.Second) // the spell is over
	if _, _, err := p.api.PostMessage(company.Approvals, slack.MsgOptionText("x", false)); err != nil {
		t.Errorf("after the spell chat.postMessage got %v", err)
	}

	if code, _ := p.post("/api/fault", `{"fault":"github-fail"}`); code != 200 {
		t.Fatal(code)
	}
	get := func() int {
		req, _ := http.NewRequest(http.MethodGet, p.gh.APIURL()+"orgs/acme/members", nil)
		req.Header.Set("Authorization", "Bearer "+company.GitHubToken)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if first, second := get(), get(); first != http.StatusBadGateway || second != 200 {
		t.Errorf("GitHub answered %d then %d; want 502 once, then 200", first, second)
	}
	if code, _ := p.post("/api/fault", `{"fault":"nonsense"}`); code != http.StatusUnprocessableEntity {
		t.Errorf("an unknown fault got %d", code)
	}
}
