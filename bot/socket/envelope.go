package socket

import (
	"encoding/json"
	"strconv"
	"time"
)

// Envelope is one Socket Mode envelope as read from the wire, decoded only
// as far as the ack needs.
type Envelope struct {
	// ID is the envelope_id, the key of the ack.
	ID string
	// Type is slash_commands, interactive or events_api (or an unknown type,
	// passed on for the caller to record).
	Type string
	// Kind is the payload's own type: block_actions, view_submission … for
	// interactive, the event's type for events_api, "" for a slash command.
	Kind string
	// DedupKey names what the envelope delivers, so that a redelivery under
	// another envelope_id is recognised: "event:<event_id>" or
	// "trigger:<trigger_id>"; "" when the payload has neither.
	DedupKey     string
	RetryAttempt int
	RetryReason  string
	// AcceptsResponsePayload says whether the ack may carry a payload.
	AcceptsResponsePayload bool
	// Payload is the envelope's payload with its verification `token`
	// removed; the Envelope owns it.
	Payload []byte
	// Unreadable is set when the frame could not be decoded as an envelope;
	// Raw then holds the frame (with any token redacted) and ID is "".
	Unreadable error
	Raw        []byte
	// Received is when the frame was read; Socket numbers the connection.
	Received time.Time
	Socket   int

	conn   *conn
	client *Client
}

// parseEnvelope decodes a frame's header and copies out its payload without
// the token. kind reports hello and disconnect frames, which carry no
// envelope.
func parseEnvelope(frame []byte) (env Envelope, control string, reason string, err error) {
	var payload []byte
	err = members(frame, func(m member) bool {
		switch string(m.key) {
		case "envelope_id":
			env.ID = str(m.val)
		case "type":
			env.Type = str(m.val)
		case "payload":
			payload = m.val
		case "retry_attempt":
			env.RetryAttempt, _ = strconv.Atoi(string(m.val))
		case "retry_reason":
			env.RetryReason = str(m.val)
		case "accepts_response_payload":
			env.AcceptsResponsePayload = string(m.val) == "true"
		case "reason":
			reason = str(m.val)
		}
		return true
	})
	if err != nil {
		return Envelope{}, "", "", err
	}
	switch env.Type {
	case "hello", "disconnect":
		return Envelope{}, env.Type, reason, nil
	}
	if env.ID == "" {
		return Envelope{}, "", "", errNoEnvelopeID
	}
	if len(payload) == 0 || payload[0] != '{' {
		env.Payload = []byte("{}")
		return env, "", "", nil
	}
	env.Payload, env.Kind, env.DedupKey, err = payloadFields(payload)
	return env, "", "", err
}

// payloadFields copies the payload without its token and reads the fields
// that name it.
func payloadFields(p []byte) (out []byte, kind, dedup string, err error) {
	var token *member
	var event []byte
	var trigger, eventID string
	err = members(p, func(m member) bool {
		switch string(m.key) {
		case "token":
			mm := m
			token = &mm
		case "type":
			kind = str(m.val)
		case "trigger_id":
			trigger = str(m.val)
		case "event_id":
			eventID = str(m.val)
		case "event":
			event = m.val
		}
		return true
	})
	if err != nil {
		return nil, "", "", err
	}
	switch {
	case eventID != "":
		dedup = "event:" + eventID
	case trigger != "":
		dedup = "trigger:" + trigger
	}
	if kind == "event_callback" && len(event) > 0 {
		_ = members(event, func(m member) bool {
			if string(m.key) == "type" {
				kind = str(m.val)
				return false
			}
			return true
		})
	}
	return without(p, token), kind, dedup, nil
}

// without copies the object p leaving out one member and its separator.
func without(p []byte, m *member) []byte {
	if m == nil {
		return append([]byte(nil), p...)
	}
	from, to := m.start, m.end
	if i := skipSpace(p, to); i < len(p) && p[i] == ',' {
		to = skipSpace(p, i+1) // a member follows: take the comma after
	} else if p[m.sep] == ',' {
		from = m.sep // the last member: take the comma before
	}
	out := make([]byte, 0, len(p)-(to-from))
	out = append(out, p[:from]...)
	return append(out, p[to:]...)
}

// str decodes a raw JSON string value; anything else gives "".
func str(raw []byte) string {
	if len(raw) < 2 || raw[0] != '"' {
		return ""
	}
	inner := raw[1 : len(raw)-1]
	for _, c := range inner {
		if c == '\\' {
			var s string
			_ = json.Unmarshal(raw, &s)
			return s
		}
	}
	return string(inner)
}
