// Package flows owns the offboarding lifecycle: requests and due cases,
// discovery through the connectors, the approval policy, the state machine
// of actions, durable execution with leases and retries, reminders, held
// actions coming back, and the dormancy scan.
//
// It knows nothing of Slack or Block Kit: it speaks in cases, actions,
// actors and events, and records every change with its audit event and the
// notices it causes in one storage transaction. Package bot renders those
// notices and turns clicks back into calls on flows.
package flows
