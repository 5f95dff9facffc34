package storage

import (
	"bytes"
	"encoding/json"
)

// withoutToken returns an envelope payload without its top-level "token"
// member: the verification token Slack puts in every slash command,
// interaction and event. Socket Mode needs no verification, so the token is
// of no use to us, and stored it would be a credential in every inbox row.
// A payload that is not a JSON object is returned as it is.
func withoutToken(p []byte) []byte {
	if !bytes.Contains(p, []byte(`"token"`)) {
		return p
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(p, &m); err != nil {
		return p
	}
	if _, ok := m["token"]; !ok {
		return p
	}
	delete(m, "token")
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // keep the payload's own text as it came
	if err := enc.Encode(m); err != nil {
		return p
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}
