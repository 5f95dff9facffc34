package web

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/offboard/offboard/sandbox/fakeslack"
)

// names reads who and what the workspace's IDs are.
func (s *Server) names() Names {
	n := Names{Users: map[string]string{}, Channels: map[string]string{}, Groups: map[string]string{}}
	for _, u := range s.o.Slack.Users() {
		n.Users[u.ID] = u.Name
	}
	for _, c := range s.o.Slack.Channels() {
		n.Channels[c.ID] = c.Name
	}
	for _, g := range s.o.Slack.UserGroups() {
		n.Groups[g.ID] = g.Handle
	}
	return n
}

// view is what one person sees in the workspace.
type view struct {
	As      string // the person's user ID
	Channel string // the open channel, or "home"
	Thread  string // the open thread's parent ts, or ""
}

// channelsOf lists the channels the person is in, in workspace order.
func (s *Server) channelsOf(user string) []fakeslack.Channel {
	var out []fakeslack.Channel
	for _, c := range s.o.Slack.Channels() {
		if slices.Contains(c.Members, user) && !strings.HasPrefix(c.ID, "D") {
			out = append(out, c)
		}
	}
	return out
}

// member says whether the person is in the channel and so may read it.
func (s *Server) member(user, channel string) bool {
	for _, c := range s.channelsOf(user) {
		if c.ID == channel {
			return true
		}
	}
	return false
}

// nav renders the list of places: the person's channels and App Home.
func (s *Server) nav(v view) string {
	var b strings.Builder
	b.WriteString(`<li id="nav-home"><button type="button" class="nav" data-view="home"` + current(v.Channel == "home") + `>🏠 App Home</button></li>`)
	for _, c := range s.channelsOf(v.As) {
		b.WriteString(`<li id="nav-` + esc(c.ID) + `"><button type="button" class="nav" data-view="` + esc(c.ID) + `"` +
			current(v.Channel == c.ID) + `># ` + esc(c.Name) + `</button></li>`)
	}
	return b.String()
}

func current(on bool) string {
	if on {
		return ` aria-current="page"`
	}
	return ""
}

// item is a message or an ephemeral in time order.
type item struct {
	ts  string
	htm string
}

// channel renders the open channel's top-level messages and the person's
// ephemerals there, oldest first.
func (s *Server) channel(v view, n Names) string {
	var ch *fakeslack.Channel
	for _, c := range s.o.Slack.Channels() {
		if c.ID == v.Channel {
			ch = &c
		}
	}
	if ch == nil || !slices.Contains(ch.Members, v.As) {
		return `<p class="empty" id="not-member">You are not a member of this channel, so you see nothing in it.</p>`
	}
	all := s.o.Slack.AllMessages(ch.ID)
	replies := map[string]int{}
	for _, m := range all {
		if m.ThreadTS != "" && m.ThreadTS != m.TS && !m.Deleted {
			replies[m.ThreadTS]++
		}
	}
	var items []item
	for _, m := range all {
		if m.Deleted || (m.ThreadTS != "" && m.ThreadTS != m.TS) {
			continue
		}
		items = append(items, item{m.TS, s.message(m, n, replies[m.TS], false)})
	}
	for _, e := range s.o.Slack.Ephemerals(v.As) {
		if e.Channel == ch.ID && e.ThreadTS == "" && !e.Replaced {
			items = append(items, item{e.TS, s.ephemeral(e, n)})
		}
	}
	if len(items) == 0 {
		return `<p class="empty" id="empty">No messages yet.</p>`
	}
	sort.SliceStable(items, func(i, j int) bool { return tsLess(items[i].ts, items[j].ts) })
	var b strings.Builder
	for _, it := range items {
		b.WriteString(it.htm)
	}
	return b.String()
}

// tsLess orders Slack timestamps ("1700000000.000123").
func tsLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// thread renders the open thread: the parent, its replies and the
// person's ephemerals in it.
func (s *Server) thread(v view, n Names) string {
	if v.Thread == "" || v.Channel == "home" || !s.member(v.As, v.Channel) {
		return ""
	}
	msgs := s.o.Slack.Thread(v.Channel, v.Thread)
	if len(msgs) == 0 {
		return ""
	}
	var items []item
	for i, m := range msgs {
		items = append(items, item{m.TS, s.message(m, n, 0, i == 0)})
	}
	for _, e := range s.o.Slack.Ephemerals(v.As) {
		if e.Channel == v.Channel && e.ThreadTS == v.Thread && !e.Replaced {
			items = append(items, item{e.TS, s.ephemeral(e, n)})
		}
	}
	sort.SliceStable(items[1:], func(i, j int) bool { return tsLess(items[1+i].ts, items[1+j].ts) })
	var b strings.Builder
	b.WriteString(`<div class="thread-head" id="thread-head"><h2>Thread</h2><button type="button" class="btn" data-close-thread>Close thread</button></div>`)
	for _, it := range items {
		b.WriteString(it.htm)
	}
	return b.String()
}

// message renders one channel message as Slack shows it.
func (s *Server) message(m fakeslack.Message, n Names, replies int, open bool) string {
	var b strings.Builder
	id := "m-" + m.Channel + "-" + m.TS
	if open {
		id = "t-" + m.Channel + "-" + m.TS
	}
	b.WriteString(`<article class="msg" id="` + esc(id) + `" data-ts="` + esc(m.TS) + `">`)
	b.WriteString(`<header><span class="author">` + esc(s.author(m, n)) + `</span>`)
	if m.BotID != "" {
		b.WriteString(` <span class="app">APP</span>`)
	}
	b.WriteString(` <time>` + esc(s.when(m.At)) + `</time>`)
	if m.EditedTS != "" {
		b.WriteString(` <span class="muted">(edited)</span>`)
	}
	b.WriteString(`</header><div class="body">`)
	b.WriteString(s.content(m.Text, m.Blocks, n, surface{Where: "message", Channel: m.Channel, TS: m.TS}))
	b.WriteString(`</div>`)
	if replies > 0 {
		word := "replies"
		if replies == 1 {
			word = "reply"
		}
		b.WriteString(fmt.Sprintf(`<button type="button" class="replies" data-thread="%s">%d %s</button>`, esc(m.TS), replies, word))
	}
	b.WriteString(`</article>`)
	return b.String()
}

func (s *Server) ephemeral(e fakeslack.Ephemeral, n Names) string {
	var b strings.Builder
	b.WriteString(`<article class="msg ephemeral" id="e-` + esc(e.Channel+"-"+e.TS) + `" data-ts="` + esc(e.TS) + `">`)
	b.WriteString(`<header><span class="author">offboarder</span> <span class="app">APP</span> <time>` + esc(s.when(e.At)) +
		`</time> <span class="only-you">Only visible to you</span></header><div class="body">`)
	b.WriteString(s.content(e.Text, e.Blocks, n, surface{Where: "ephemeral", Channel: e.Channel, TS: e.TS}))
	b.WriteString(`</div></article>`)
	return b.String()
}

// content is a message's blocks, or its text when it has none.
func (s *Server) content(text string, blocks []byte, n Names, sf surface) string {
	if len(blocks) > 0 && string(blocks) != "null" && string(blocks) != "[]" {
		return n.renderBlocks(blocks, sf, nil)
	}
	return `<div class="blk-text">` + n.mrkdwn(text) + `</div>`
}

func (s *Server) author(m fakeslack.Message, n Names) string {
	if m.BotID != "" {
		return "offboarder"
	}
	if name, ok := n.Users[m.User]; ok {
		return name
	}
	return m.User
}

func (s *Server) when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(s.o.Location).Format("Mon 2 Jan 15:04")
}
