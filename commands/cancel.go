package commands

// parseCancel reads "cancel @user". It takes no reason: the grammar has
// none, and a word after the person is more likely a mistake than a note.
func parseCancel(rest []token) (Command, error) {
	if len(rest) == 0 {
		return nil, fail(usageCancel, "“cancel” needs the person whose case to cancel.")
	}
	id, err := target(rest[0], usageCancel)
	if err != nil {
		return nil, err
	}
	if len(rest) > 1 {
		return nil, fail(usageCancel, "“cancel” takes one person and nothing else; remove %s.", quote(unescape(rest[1].raw)))
	}
	return Cancel{Target: id}, nil
}
