package awsapi

// Strings reads a policy document's element that IAM allows as one string
// or a list of them (Action, Resource, a condition's values), decoded from
// JSON; anything else reads as none.
func Strings(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case []string:
		return x
	}
	return nil
}
