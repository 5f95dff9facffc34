package commands

import (
	"slices"
	"strings"
)

// parseLink reads "link @user [github:login] [aws:user[@account]] [idc:user]".
func parseLink(rest []token, env Env) (Command, error) {
	if len(rest) == 0 {
		return nil, fail(usageLink, "“link” needs a person and at least one account.")
	}
	id, err := target(rest[0], usageLink)
	if err != nil {
		return nil, err
	}
	l := Link{Target: id}
	seen := map[string]bool{}
	for _, t := range rest[1:] {
		key, raw, found := strings.Cut(t.raw, ":")
		switch {
		case found && foldEq(key, "github"):
			key = "github"
		case found && foldEq(key, "aws"):
			key = "aws"
		case found && foldEq(key, "idc"):
			key = "idc"
		default:
			return nil, fail(usageLink, "%s is not an account; write github:login, aws:user, aws:user@account or idc:user.", quote(unescape(t.raw)))
		}
		if seen[key] {
			return nil, fail(usageLink, "%s is given twice; link one account of each kind at a time.", quote(key+":"))
		}
		seen[key] = true
		val, err := linkValue(raw)
		if err != nil {
			return nil, err
		}
		if val == "" {
			return nil, fail(usageLink, "%s needs a name after the colon.", quote(key+":"))
		}
		if key == "github" {
			if !validLogin(val) {
				return nil, fail(usageLink, "%s is not a GitHub login: 1 to 39 letters, digits or single hyphens, not starting or ending with a hyphen.", quote(val))
			}
			l.GitHub = val
			continue
		}
		if key == "idc" {
			if len(val) > 128 {
				return nil, fail(usageLink, "%s is not an Identity Center user name: at most 128 characters.", quote(val))
			}
			l.IDC = val
			continue
		}
		if l.AWSUser, l.AWSAccount, err = awsUser(val, env.AWSAccounts); err != nil {
			return nil, err
		}
	}
	if l.GitHub == "" && l.AWSUser == "" && l.IDC == "" {
		return nil, fail(usageLink, "Say which accounts to link: github:login, aws:user, idc:user, or several.")
	}
	return l, nil
}

// linkValue decodes the text after "github:" or "aws:". Slack turns an
// e-mail-like IAM user name into a mailto link; the name is its label.
func linkValue(raw string) (string, *Error) {
	var b strings.Builder
	plain := 0
	for i := 0; i < len(raw); i++ {
		j := -1
		if raw[i] == '<' {
			j = entityEnd(raw, i)
		}
		if j < 0 {
			continue
		}
		b.WriteString(unescape(raw[plain:i]))
		e := parseEntity(raw[i+1 : j-1])
		if e.kind != entityLink {
			return "", fail(usageLink, "%s is not an account name.", quote(e.describe()))
		}
		name := unescape(e.label)
		if name == "" {
			name = strings.TrimPrefix(unescape(e.id), "mailto:")
		}
		b.WriteString(name)
		plain, i = j, j-1
	}
	b.WriteString(unescape(raw[plain:]))
	return b.String(), nil
}

// awsUser splits "user@account". The part after the last "@" is the
// account only if it is twelve digits or a configured account name;
// otherwise the whole value is the user name (IAM names may hold "@").
func awsUser(v string, accounts []string) (user, account string, err *Error) {
	user = v
	if at := strings.LastIndex(v, "@"); at >= 0 {
		if acct := v[at+1:]; (len(acct) == 12 && digits(acct)) || slices.Contains(accounts, acct) {
			user, account = v[:at], acct
		}
	}
	if user == "" {
		return "", "", fail(usageLink, "%s names no user before the @.", quote("aws:"+v))
	}
	if !validIAMUser(user) {
		return "", "", fail(usageLink, "%s is not an IAM user name: 1 to 64 letters, digits or + = , . @ _ -.", quote(user))
	}
	return user, account, nil
}

// validLogin is GitHub's ^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$
// by hand, since RE2 has no lookahead.
func validLogin(s string) bool {
	if len(s) < 1 || len(s) > 39 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !alnum(c) && (c != '-' || i == 0 || i == len(s)-1 || s[i+1] == '-') {
			return false
		}
	}
	return true
}

// validIAMUser is IAM's [\w+=,.@-]{1,64}.
func validIAMUser(s string) bool {
	if len(s) < 1 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !alnum(c) && !strings.ContainsRune("_+=,.@-", rune(c)) {
			return false
		}
	}
	return true
}

func alnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}
