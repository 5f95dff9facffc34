package socket

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestTheTokenIsRemovedWhereverItStands(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"first of several", `{"token":"sekret","a":1,"b":"x"}`, `{"a":1,"b":"x"}`},
		{"in the middle", `{"a":1,"token":"sekret","b":"x"}`, `{"a":1,"b":"x"}`},
		{"last", `{"a":1,"b":"x","token":"sekret"}`, `{"a":1,"b":"x"}`},
		{"alone", `{"token":"sekret"}`, `{}`},
		{"with spaces", `{ "a" : 1 , "token" : "sek\"ret" , "b" : 2 }`, `{ "a" : 1 , "b" : 2 }`},
		{"absent", `{"a":{"token":"nested stays"}}`, `{"a":{"token":"nested stays"}}`},
		{"a value that looks like a member", `{"text":"\"token\":\"x\"","token":"sekret"}`, `{"text":"\"token\":\"x\""}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _, _, err := payloadFields([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
			if !json.Valid(got) {
				t.Errorf("%s is not valid JSON", got)
			}
		})
	}
}

func TestTheHeaderAndTheDedupeKeyAreReadWithoutDecodingThePayload(t *testing.T) {
	for _, tc := range []struct {
		name, frame                  string
		id, typ, kind, dedup, reason string
		retry                        int
		accepts                      bool
	}{
		{name: "a slash command", frame: `{"envelope_id":"e1","type":"slash_commands","accepts_response_payload":true,"payload":{"token":"t","command":"/offboard","trigger_id":"tr1"}}`,
			id: "e1", typ: "slash_commands", dedup: "trigger:tr1", accepts: true},
		{name: "a click", frame: `{"payload":{"type":"block_actions","trigger_id":"tr2","actions":[{"type":"button","value":"{\"type\":\"x\"}"}]},"envelope_id":"e2","type":"interactive"}`,
			id: "e2", typ: "interactive", kind: "block_actions", dedup: "trigger:tr2"},
		{name: "an event retried", frame: `{"envelope_id":"e3","type":"events_api","retry_attempt":2,"retry_reason":"timeout","payload":{"type":"event_callback","event_id":"Ev1","event":{"user":"U","type":"app_home_opened"}}}`,
			id: "e3", typ: "events_api", kind: "app_home_opened", dedup: "event:Ev1", retry: 2, reason: "timeout"},
		{name: "an escaped id", frame: `{"envelope_id":"e\u0034","type":"interactive","payload":{}}`, id: "e4", typ: "interactive"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env, control, _, err := parseEnvelope([]byte(tc.frame))
			if err != nil || control != "" {
				t.Fatalf("parse: %v (control %q)", err, control)
			}
			if env.ID != tc.id || env.Type != tc.typ || env.Kind != tc.kind || env.DedupKey != tc.dedup ||
				env.RetryAttempt != tc.retry || env.RetryReason != tc.reason || env.AcceptsResponsePayload != tc.accepts {
				t.Errorf("got %+v", env)
			}
			if strings.Contains(string(env.Payload), `"token"`) {
				t.Errorf("payload kept its token: %s", env.Payload)
			}
		})
	}
}

func TestControlFramesAndBrokenFrames(t *testing.T) {
	_, control, reason, err := parseEnvelope([]byte(`{"type":"disconnect","reason":"warning","debug_info":{"host":"h"}}`))
	if err != nil || control != "disconnect" || reason != "warning" {
		t.Errorf("disconnect: %q %q %v", control, reason, err)
	}
	_, control, _, err = parseEnvelope([]byte(`{"type":"hello","num_connections":1}`))
	if err != nil || control != "hello" {
		t.Errorf("hello: %q %v", control, err)
	}
	for _, bad := range []string{``, `[]`, `{"envelope_id":"e1","type":"interactive","payload":{"a":}`, `{"type":"interactive","payload":{}}`, `{"envelope_id":"e1"`, `{"envelope_id":"e1","payload":{"a":"unterminated}}`} {
		if _, _, _, err := parseEnvelope([]byte(bad)); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestAnUnreadableFrameIsKeptWithoutItsToken(t *testing.T) {
	got := string(redact([]byte(`{"envelope_id":"e1","payload":{"token": "se\"kret","text":"x"`)))
	if strings.Contains(got, "kret") || !strings.Contains(got, `"text":"x"`) {
		t.Errorf("redacted = %s", got)
	}
}

func FuzzParseEnvelope(f *testing.F) {
	f.Add([]byte(`{"envelope_id":"e1","type":"slash_commands","payload":{"token":"t","trigger_id":"x"}}`))
	f.Add([]byte(`{"envelope_id":"e2","type":"events_api","payload":{"a":[1,{"b":"}"}],"token":"t"}}`))
	f.Fuzz(func(t *testing.T, frame []byte) {
		env, _, _, err := parseEnvelope(frame)
		if err != nil || !json.Valid(frame) {
			return
		}
		// A valid frame's payload stays valid JSON once the token is out.
		if len(env.Payload) > 0 && !json.Valid(env.Payload) {
			t.Errorf("payload %s from %s is not JSON", env.Payload, frame)
		}
	})
}
