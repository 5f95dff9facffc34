package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/offboard/offboard/sandbox/company"
)

var pageTmpl = template.Must(template.ParseFS(assets, "assets/index.html"))

// page serves the page's shell; its content comes from /state.
func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	err := pageTmpl.Execute(w, map[string]any{
		"People": s.people(),
		"Config": s.o.Config,
		"Start":  company.Maria,
	})
	if err != nil {
		s.o.Logger.Error().Err(err).Msg("render the page")
	}
}

// stateJSON is everything the page shows, rendered, for one viewer.
type stateJSON struct {
	Version int64             `json:"version"`
	Nav     string            `json:"nav"`
	Main    string            `json:"main"`
	Thread  string            `json:"thread"`
	Modal   string            `json:"modal"`
	Panel   map[string]string `json:"panel"`
	Audit   string            `json:"audit"`
	Clock   string            `json:"clock"`
	Next    string            `json:"next"`
	Status  string            `json:"status"`
	Title   string            `json:"title"`
}

// state renders the page's parts for the viewer the query names.
func (s *Server) state(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := view{As: q.Get("as"), Channel: q.Get("view"), Thread: q.Get("thread")}
	if _, ok := s.o.Slack.User(v.As); !ok {
		v.As = company.Maria
	}
	if v.Channel == "" {
		v.Channel = company.Approvals
	}
	version, _ := s.watch()
	n := s.names()
	st := stateJSON{Version: version, Nav: s.nav(v), Modal: s.modal(v, n), Panel: s.panelHTML()}
	if v.Channel == "home" {
		st.Main, st.Title = s.home(v, n), "App Home"
	} else {
		st.Main, st.Thread, st.Title = s.channel(v, n), s.thread(v, n), "#"+n.Channels[v.Channel]
	}
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	st.Audit = s.auditHTML(ctx)
	now := s.o.Clock.Now().In(s.o.Location)
	st.Clock = now.Format("Mon 2 Jan 2006 15:04") + " " + s.o.Location.String()
	if off := s.o.Clock.Offset(); off > 0 {
		st.Clock += " (" + span(off) + " ahead)"
	}
	st.Next, st.Status = "nothing is scheduled", "the bot is starting…"
	if b := s.o.Bot(); b != nil {
		if at, what, ok := b.NextDue(ctx, s.o.Clock.Now()); ok {
			st.Next = what + ", " + at.In(s.o.Location).Format("Mon 2 Jan 15:04")
		}
		st.Status = "the bot is connected"
		if !b.Connected() {
			st.Status = "the bot is reconnecting…"
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(st)
}

// span says how long in days and hours.
func span(d time.Duration) string {
	days, hours := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
	switch {
	case days > 0 && hours > 0:
		return fmt.Sprintf("%d d %d h", days, hours)
	case days > 0:
		return fmt.Sprintf("%d d", days)
	case hours > 0:
		return fmt.Sprintf("%d h", hours)
	}
	return fmt.Sprintf("%d min", int(d/time.Minute))
}

// panelHTML renders the side panel's sections, one HTML string per tab.
func (s *Server) panelHTML() map[string]string {
	out := map[string]*strings.Builder{"github": {}, "aws": {}, "slack": {}}
	for _, sec := range s.panel.observe(s.systems(), time.Now()) {
		b := out[sec.Tab]
		b.WriteString(`<section id="sec-` + esc(sec.Tab) + `-` + esc(strings.ReplaceAll(sec.Title, " ", "-")) + `"><h3>` + esc(sec.Title) + `</h3><ul>`)
		if len(sec.Rows) == 0 {
			b.WriteString(`<li class="muted">none</li>`)
		}
		for _, r := range sec.Rows {
			cls := ""
			if r.Changed {
				cls += " changed"
			}
			if r.Gone {
				cls += " gone"
			}
			b.WriteString(`<li id="` + esc(r.Key) + `" class="` + strings.TrimSpace(cls) + `">`)
			if r.Gone {
				b.WriteString(`<del>` + r.HTML + `</del> <span class="tag off">removed</span>`)
			} else {
				b.WriteString(r.HTML)
			}
			b.WriteString(`</li>`)
		}
		b.WriteString(`</ul></section>`)
	}
	res := map[string]string{}
	for k, b := range out {
		res[k] = b.String()
	}
	return res
}

// auditHTML renders the audit tab: the chain's verification and the
// newest events.
func (s *Server) auditHTML(ctx context.Context) string {
	b := s.o.Bot()
	if b == nil {
		return `<p class="muted">The bot is starting.</p>`
	}
	head, err := b.AuditHead(ctx)
	s.auditMu.Lock()
	defer s.auditMu.Unlock()
	if err == nil && head == s.auditSeq && s.auditOut != "" {
		return s.auditOut
	}
	out := s.renderAudit(ctx, b)
	if err == nil {
		s.auditSeq, s.auditOut = head, out
	}
	return out
}

func (s *Server) renderAudit(ctx context.Context, b Bot) string {
	events, ver, err := b.Audit(ctx, 200)
	if err != nil {
		return `<p class="field-error">Could not read the audit log: ` + esc(err.Error()) + `</p>`
	}
	var h strings.Builder
	if ver.OK {
		h.WriteString(fmt.Sprintf(`<p class="verify ok" id="verify">✅ <b>audit verify</b>: the chain of %d events is intact.</p>`, ver.Events))
	} else {
		h.WriteString(`<p class="verify bad" id="verify">❌ <b>audit verify</b>: ` + esc(ver.Broken) + `</p>`)
	}
	h.WriteString(`<table class="audit"><thead><tr><th scope="col">#</th><th scope="col">when</th><th scope="col">event</th><th scope="col">case</th><th scope="col">by</th><th scope="col">details</th></tr></thead><tbody>`)
	for _, e := range events {
		c := ""
		if e.CaseID != 0 {
			c = fmt.Sprint(e.CaseID)
		}
		h.WriteString(fmt.Sprintf(`<tr id="ev-%d"><td>%d</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class="details" title="hash %s">%s</td></tr>`,
			e.Seq, e.Seq, esc(e.At.In(s.o.Location).Format("2 Jan 15:04:05")), esc(e.Type), c, esc(e.Actor), esc(e.Hash), esc(e.Details)))
	}
	h.WriteString(`</tbody></table>`)
	return h.String()
}
