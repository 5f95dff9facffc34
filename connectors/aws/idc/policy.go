package idc

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

// denySid names the statement offboard owns in a permission set's inline
// policy; it lists every user whose sessions were ended.
const denySid = "OffboardEndActiveSessions"

// denyKey is the condition key the IAM Identity Center guide uses to
// revoke a user's active permission-set sessions: the user's identity
// store ID, which unlike aws:userid does not change with a rename.
const denyKey = "identitystore:userId"

// withDeny returns policy with userID in offboard's deny statement (made
// when absent) and whether that changed it. Statements it does not own are
// kept as they are.
func withDeny(policy, userID string) (string, bool, error) {
	doc := map[string]any{}
	if policy != "" {
		if err := json.Unmarshal([]byte(policy), &doc); err != nil {
			return "", false, fmt.Errorf("inline policy is not JSON: %w", err)
		}
	}
	if _, ok := doc["Version"]; !ok {
		doc["Version"] = "2012-10-17"
	}
	var stmts []any
	switch s := doc["Statement"].(type) {
	case nil:
	case []any:
		stmts = s
	case map[string]any:
		stmts = []any{s}
	default:
		return "", false, fmt.Errorf("inline policy Statement is neither an object nor a list")
	}
	for _, s := range stmts {
		st, _ := s.(map[string]any)
		if st == nil || st["Sid"] != denySid {
			continue
		}
		cond, _ := st["Condition"].(map[string]any)
		eq, _ := cond["StringEquals"].(map[string]any)
		if eq == nil {
			return "", false, fmt.Errorf("statement %s was changed by hand; fix it first", denySid)
		}
		ids := awsapi.Strings(eq[denyKey])
		if slices.Contains(ids, userID) {
			return policy, false, nil
		}
		eq[denyKey] = append(ids, userID)
		return marshal(doc, stmts)
	}
	stmts = append(stmts, map[string]any{
		"Sid": denySid, "Effect": "Deny", "Action": "*", "Resource": "*",
		"Condition": map[string]any{"StringEquals": map[string]any{denyKey: []string{userID}}},
	})
	return marshal(doc, stmts)
}

func marshal(doc map[string]any, stmts []any) (string, bool, error) {
	doc["Statement"] = stmts
	b, err := json.Marshal(doc)
	if err != nil {
		return "", false, fmt.Errorf("write inline policy: %w", err)
	}
	return string(b), true, nil
}
