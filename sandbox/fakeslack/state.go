package fakeslack

import (
	"encoding/json"
	"time"
)

// User is a member of the fake workspace.
type User struct {
	ID       string
	Name     string // the handle, "dana"
	RealName string
	Email    string
	TZ       string
	Deleted  bool
	IsBot    bool
	IsAdmin  bool
	// IsOwner and IsPrimaryOwner are the workspace roles above admin.
	IsOwner        bool
	IsPrimaryOwner bool
	// Created and LastActive are what admin.users.list reports as
	// date_created and last_active_ts (Enterprise Grid); zero is none.
	Created    time.Time
	LastActive time.Time
}

// UserGroup is a Slack user group (a "subteam", ID S…).
type UserGroup struct {
	ID          string
	Handle      string
	Name        string
	Description string
	Members     []string
	Disabled    bool
}

// Channel is a conversation. Only its members (and the bot, when it is a
// member) can post or receive ephemerals there.
type Channel struct {
	ID      string
	Name    string
	Private bool
	Members []string
}

// Metadata is the message metadata Slack stores with a message.
type Metadata struct {
	EventType    string          `json:"event_type"`
	EventPayload json.RawMessage `json:"event_payload"`
}

// Edit is an earlier version of a message that chat.update replaced.
type Edit struct {
	At     time.Time
	Text   string
	Blocks json.RawMessage
}

// Message is a message in a channel, top level or in a thread. Text and
// blocks are stored exactly as sent (mrkdwn unrendered, escapes intact),
// except that missing block_id and action_id are filled in, as Slack does.
type Message struct {
	Channel  string
	TS       string
	ThreadTS string // empty for a top-level message; the parent's TS for a reply
	User     string // the author; the bot user for bot messages
	BotID    string // set for messages the bot posted
	Text     string
	Blocks   json.RawMessage
	Metadata *Metadata
	Edits    []Edit // earlier versions, oldest first
	EditedTS string
	Deleted  bool
	At       time.Time
}

// Ephemeral is a message only one user sees.
type Ephemeral struct {
	User     string
	Channel  string
	TS       string
	ThreadTS string
	Text     string
	Blocks   json.RawMessage
	// Source says how it got there: "chat.postEphemeral", "ack",
	// "response_url" or "slack" (an error Slack itself shows the user).
	Source   string
	Replaced bool // a later response_url replace_original or delete_original hid it
	At       time.Time
}

// View is a modal or a Home tab as Slack holds it.
type View struct {
	ID              string
	Type            string // modal | home
	User            string
	CallbackID      string
	PrivateMetadata string
	ExternalID      string
	Hash            string
	Title           string
	Submit          string
	Close           string
	NotifyOnClose   bool
	Blocks          json.RawMessage
	RootViewID      string
	PreviousViewID  string
	// Errors are the field errors the app last answered a submission with
	// (response_action: errors), keyed by block_id.
	Errors map[string]string
}

// Warning is a non-fatal problem Slack reported to the app.
type Warning struct {
	Method string
	Code   string // e.g. missing_text_in_blocks
	At     time.Time
}

func (m *Message) clone() Message {
	c := *m
	c.Edits = append([]Edit(nil), m.Edits...)
	if m.Metadata != nil {
		md := *m.Metadata
		c.Metadata = &md
	}
	return c
}

func (v *View) clone() View {
	c := *v
	if v.Errors != nil {
		c.Errors = make(map[string]string, len(v.Errors))
		for k, e := range v.Errors {
			c.Errors[k] = e
		}
	}
	return c
}

func (u User) handle() string {
	if u.Name != "" {
		return u.Name
	}
	return u.ID
}
