package storage

import (
	"bytes"
	"encoding/json"
)

// withoutToken returns an envelope payload without its top-level "token"
// member: the verification token Slack puts in every slash command,
// interaction and event. Socket Mode needs no verification, so the token is
// of no use to us, and stored it would be a credential in every inbox row.
// A payload that is not a JSON object, or has no such member, is returned
// as it is.
//
// It cuts the member out of the bytes rather than decoding and encoding
// the payload: it runs for every envelope before its acknowledgement, and
// the rest of the payload stays byte for byte as Slack sent it.
func withoutToken(p []byte) []byte {
	if !bytes.Contains(p, []byte(`"token"`)) && !bytes.Contains(p, []byte(`\u`)) {
		return p // no such key, however spelled
	}
	i := skipSpace(p, 0)
	if i >= len(p) || p[i] != '{' {
		return p
	}
	comma := -1 // the comma before the current member, if any
	for i = skipSpace(p, i+1); i < len(p) && p[i] == '"'; {
		keyStart := i
		keyEnd := skipString(p, i)
		if keyEnd < 0 {
			return p
		}
		i = skipSpace(p, keyEnd)
		if i >= len(p) || p[i] != ':' {
			return p
		}
		valEnd := skipValue(p, skipSpace(p, i+1))
		if valEnd < 0 {
			return p
		}
		i = skipSpace(p, valEnd)
		if i >= len(p) || (p[i] != ',' && p[i] != '}') {
			return p
		}
		if isToken(p[keyStart:keyEnd]) {
			from, to := keyStart, i+1 // the member and the comma after it
			if p[i] == '}' {
				from, to = keyStart, valEnd // the last member: and the comma before it
				if comma >= 0 {
					from = comma
				}
			}
			out := make([]byte, 0, len(p)-(to-from))
			return append(append(out, p[:from]...), p[to:]...)
		}
		if p[i] == '}' {
			return p
		}
		comma = i
		i = skipSpace(p, i+1)
	}
	return p
}

func skipSpace(p []byte, i int) int {
	for i < len(p) && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at p[i], or -1.
func skipString(p []byte, i int) int {
	for i++; i < len(p); i++ {
		switch p[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return -1
}

// skipValue returns the index after the JSON value starting at p[i], or -1.
func skipValue(p []byte, i int) int {
	if i >= len(p) {
		return -1
	}
	switch p[i] {
	case '"':
		return skipString(p, i)
	case '{', '[':
		depth := 0
		for ; i < len(p); i++ {
			switch p[i] {
			case '"':
				if i = skipString(p, i); i < 0 {
					return -1
				}
				i--
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return -1
	}
	start := i
	for i < len(p) && bytes.IndexByte([]byte(",}] \t\r\n"), p[i]) < 0 {
		i++
	}
	if i == start {
		return -1
	}
	return i
}

// isToken says whether a key, quotes included, is "token". Slack writes it
// plainly; a spelling with escapes is decoded to be sure.
func isToken(key []byte) bool {
	if bytes.IndexByte(key, '\\') < 0 {
		return string(key) == `"token"`
	}
	var k string
	return json.Unmarshal(key, &k) == nil && k == "token"
}
