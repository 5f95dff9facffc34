package web

import (
	"html"
	"strings"
)

// home renders the person's App Home tab as the bot last published it.
func (s *Server) home(v view, n Names) string {
	hv, ok := s.o.Slack.HomeView(v.As)
	if !ok {
		return `<p class="empty" id="home-empty">The app has not published a Home tab for you yet.</p>`
	}
	return `<section class="home" id="home-` + esc(hv.ID) + `-` + esc(hv.Hash) + `">` +
		n.renderBlocks(hv.Blocks, surface{Where: "home"}, nil) + `</section>`
}

// modal renders the person's open modal, the top of their stack.
func (s *Server) modal(v view, n Names) string {
	mv, ok := s.o.Slack.OpenView(v.As)
	if !ok {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<div class="overlay"><form class="modal" role="dialog" aria-modal="true" aria-labelledby="modal-title" data-view="` +
		esc(mv.ID) + `" novalidate>`)
	b.WriteString(`<h2 id="modal-title">` + plainText(mv.Title, true) + `</h2><div class="modal-body">`)
	b.WriteString(n.renderBlocks(mv.Blocks, surface{Where: "modal"}, mv.Errors))
	b.WriteString(`</div><div class="modal-foot">`)
	closeText := mv.Close
	if closeText == "" {
		closeText = "Cancel"
	}
	b.WriteString(`<button type="button" class="btn" data-close-modal>` + html.EscapeString(closeText) + `</button>`)
	if mv.Submit != "" {
		b.WriteString(` <button type="submit" class="btn primary">` + html.EscapeString(mv.Submit) + `</button>`)
	}
	b.WriteString(`</div><p class="form-error" role="alert"></p></form></div>`)
	return b.String()
}
