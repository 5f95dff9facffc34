package connectors

import "context"

type caseKey struct{}

// WithCase returns a context that carries the ID of the offboarding case a
// call works for, so that a connector can name it where the other system
// records who did what (the AWS STS session name, say).
func WithCase(ctx context.Context, caseID string) context.Context {
	return context.WithValue(ctx, caseKey{}, caseID)
}

// CaseOf returns the case ID WithCase put in ctx, "" when there is none
// (a dormancy scan, a doctor check).
func CaseOf(ctx context.Context) string {
	id, _ := ctx.Value(caseKey{}).(string)
	return id
}
