package socket

import (
	"strings"
	"testing"
)

// BenchmarkParseEnvelope reads a real-size block_actions frame (about 5 KB,
// a checklist of six actions) as the receive path does before the ack.
//
//	go test ./bot/socket -run XXX -bench ParseEnvelope -benchmem
func BenchmarkParseEnvelope(b *testing.B) {
	block := `{"type":"section","block_id":"act-1","text":{"type":"mrkdwn","text":"*GitHub* remove dev-gh from acme (member since 2021)"},"accessory":{"type":"button","action_id":"approve","text":{"type":"plain_text","text":"Approve"},"value":"{\"case\":1,\"action\":1}"}},`
	frame := []byte(`{"envelope_id":"6b0eb85e-fa4e-4000-8000-000000000008","type":"interactive","accepts_response_payload":false,"payload":{"type":"block_actions","token":"fake-verification","user":{"id":"U0NOBODY","username":"olly","team_id":"T0FAKE"},"api_app_id":"A0FAKE","trigger_id":"tr-1","team":{"id":"T0FAKE","domain":"fakeco"},"container":{"type":"message","message_ts":"1719820800.000100","channel_id":"C0APPROVALS","is_ephemeral":false},"channel":{"id":"C0APPROVALS","name":"offboarding"},"message":{"ts":"1719820800.000100","blocks":[` +
		strings.TrimSuffix(strings.Repeat(block, 22), ",") + `]},"response_url":"http://127.0.0.1/response/r1","actions":[{"type":"button","action_id":"approve","block_id":"act-1","value":"{\"case\":1}","action_ts":"1719820801.000200"}],"state":{"values":{}}}}`)
	b.SetBytes(int64(len(frame)))
	b.ReportAllocs()
	for b.Loop() {
		env, _, _, err := parseEnvelope(frame)
		if err != nil || env.DedupKey != "trigger:tr-1" {
			b.Fatal(err, env.DedupKey)
		}
	}
}
