package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/offboard/offboard/sandbox/fakeslack"
)

// request is what the page posts: who acts, and what they do.
type request struct {
	As      string           `json:"as"`
	Channel string           `json:"channel"`
	Text    string           `json:"text"`
	Where   string           `json:"where"`
	TS      string           `json:"ts"`
	Block   string           `json:"block"`
	Action  string           `json:"action"`
	Values  map[string]field `json:"values"`
	Step    string           `json:"step"`
	Fault   string           `json:"fault"`
}

// field is one modal input as the page read it.
type field struct {
	Kind   string   `json:"kind"`
	Value  string   `json:"value"`
	Values []string `json:"values"`
}

// errUser is a mistake the person made; the page shows it to them.
type errUser struct{ msg string }

func (e *errUser) Error() string { return e.msg }

// post wraps an action: only JSON from this page's own origin is accepted,
// so another site open in the same browser cannot drive the sandbox.
func (s *Server) post(fn func(ctx context.Context, req request) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "JSON only", http.StatusUnsupportedMediaType)
			return
		}
		if o := r.Header.Get("Origin"); o != "" {
			if u, err := url.Parse(o); err != nil || u.Host != r.Host {
				http.Error(w, "cross-origin request refused", http.StatusForbidden)
				return
			}
		}
		var req request
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&req); err != nil {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		if _, ok := s.o.Slack.User(req.As); !ok && req.As != "" {
			http.Error(w, "no such person", http.StatusBadRequest)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "application/json")
		if err := fn(ctx, req); err != nil {
			w.WriteHeader(http.StatusUnprocessableEntity)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
			return
		}
		_, _ = w.Write([]byte(`{"ok":true}`))
	}
}

// slash sends what the person typed in the composer. Only slash commands
// reach the app; plain messages would only be seen by other people.
func (s *Server) slash(_ context.Context, req request) error {
	cmd, rest := req.Text, ""
	for i, r := range req.Text {
		if r == ' ' {
			cmd, rest = req.Text[:i], req.Text[i+1:]
			break
		}
	}
	if cmd != "/offboard" {
		return &errUser{"The sandbox's composer sends slash commands only: type /offboard …"}
	}
	_, err := s.o.Slack.SlashTyped(req.As, req.Channel, rest)
	return err
}

// click clicks one button as the person.
func (s *Server) click(_ context.Context, req request) error {
	var where fakeslack.Where
	switch req.Where {
	case "message":
		where = fakeslack.InMessage(req.Channel, req.TS)
	case "ephemeral":
		where = fakeslack.InEphemeral(req.TS)
	case "home":
		where = fakeslack.InHome()
	case "modal":
		where = fakeslack.InModal()
	default:
		return &errUser{"unknown surface"}
	}
	_, err := s.o.Slack.ClickButton(req.As, where, func(b fakeslack.Button) bool {
		return b.BlockID == req.Block && b.ActionID == req.Action
	})
	return err
}

// submit submits the person's open modal with what they entered.
func (s *Server) submit(_ context.Context, req request) error {
	values := map[string]fakeslack.Input{}
	for block, f := range req.Values {
		var in fakeslack.Input
		switch f.Kind {
		case "plain_text_input":
			in.Value = f.Value
		case "users_select":
			in.SelectedUser = f.Value
		case "multi_users_select":
			in.SelectedUsers = f.Values
		case "datepicker":
			in.SelectedDate = f.Value
		case "timepicker":
			in.SelectedTime = f.Value
		case "conversations_select", "channels_select":
			in.SelectedConv = f.Value
		default:
			in.SelectedOption = f.Value
		}
		values[block] = in
	}
	_, err := s.o.Slack.SubmitView(req.As, values)
	return err
}

func (s *Server) closeView(_ context.Context, req request) error {
	_, err := s.o.Slack.CloseView(req.As)
	return err
}

// openHome is the person opening the app's Home tab: Slack sends the app
// app_home_opened, and the app publishes the view.
func (s *Server) openHome(_ context.Context, req request) error {
	_, err := s.o.Slack.OpenHome(req.As)
	return err
}

// moveClock moves the whole company's time and has the bot do what is due.
func (s *Server) moveClock(ctx context.Context, req request) error {
	switch req.Step {
	case "hour":
		s.o.Clock.Advance(time.Hour)
	case "day":
		s.o.Clock.Advance(24 * time.Hour)
	case "next":
		b := s.o.Bot()
		if b == nil {
			return &errUser{"the bot is still starting"}
		}
		at, _, ok := b.NextDue(ctx, s.o.Clock.Now())
		if !ok {
			return &errUser{"nothing is scheduled"}
		}
		s.o.Clock.AdvanceTo(at.Add(time.Second))
	default:
		return &errUser{"unknown step"}
	}
	if b := s.o.Bot(); b != nil {
		b.Tick(ctx)
	}
	return nil
}

// fault injects a fault into the company, as the page's buttons offer.
func (s *Server) fault(_ context.Context, req request) error {
	switch req.Fault {
	case "slack-429":
		// Slack throttles posting for a while; Retry-After says how long.
		for _, m := range []string{"chat.postMessage", "chat.update", "chat.postEphemeral"} {
			s.o.Slack.InjectFault(m, fakeslack.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second, For: 5 * time.Second})
		}
	case "github-fail":
		s.o.GitHub.FailNext("", 1, http.StatusBadGateway)
	case "drop-socket":
		s.o.Slack.DropSockets()
	case "clear":
		s.o.Slack.ClearFaults()
		s.o.GitHub.ClearFailures()
	default:
		return errors.New("unknown fault")
	}
	return nil
}
