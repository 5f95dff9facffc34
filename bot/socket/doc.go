// Package socket owns the Socket Mode receive path: it opens and keeps the
// connections (apps.connections.open, hello, disconnect, pings, reconnects
// with backoff), reads each frame into a reused buffer, decodes only what
// must be known before the acknowledgement (envelope_id, type, the retry
// fields, the dedupe key) and hands the raw payload on. Decoding payloads
// into slack-go's types is left to the caller's workers, after the ack: a
// full decode of a block_actions payload costs ten times the envelope's.
//
// It knows nothing of offboard's storage or handlers; the bot decides what
// to store and when to call Ack (see docs/design.md, persist before ack).
package socket
