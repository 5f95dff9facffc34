// Package bot is offboard's Slack side: the Socket Mode connection, the
// inbox that persists every envelope before it is acknowledged, the
// handlers that turn commands and clicks into calls on flows, the Block Kit
// rendering of what flows reports, and the outbox sender that delivers
// every message in order, within Slack's limits.
//
// It holds no offboarding logic of its own: who may approve what, and what
// an approval does, is decided in flows.
package bot
