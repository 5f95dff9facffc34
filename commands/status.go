package commands

// parseStatus reads "status [@user]".
func parseStatus(rest []token) (Command, error) {
	if len(rest) == 0 {
		return Status{}, nil
	}
	id, err := target(rest[0], usageStatus)
	if err != nil {
		return nil, err
	}
	if len(rest) > 1 {
		return nil, fail(usageStatus, "“status” takes at most one person; remove %s.", quote(unescape(rest[1].raw)))
	}
	return Status{Target: id}, nil
}
