package fakeaws

import (
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

func getCallerIdentity(c *call, w *xmlw) *apiError {
	w.str("UserId", c.who.userID)
	w.str("Account", c.who.account)
	w.str("Arn", c.who.arn)
	return nil
}

// assumeRole hands out temporary keys that act in the role's account, so
// one server can host the accounts a connector reaches through roles.
func assumeRole(c *call, w *xmlw) *apiError {
	roleARN := c.param("RoleArn")
	session := c.param("RoleSessionName")
	acctID, roleName, ok := parseRoleARN(roleARN)
	s := c.srv
	target, known := s.accounts[acctID]
	if !ok || !known || !target.roles[roleName] || session == "" {
		return &apiError{Status: http.StatusForbidden, Code: "AccessDenied",
			Message: "User: " + c.who.arn + " is not authorized to perform: sts:AssumeRole on resource: " + roleARN}
	}
	// Setting a source identity needs sts:SetSourceIdentity in the role's
	// trust policy; Deny(roleAccount, "sts:SetSourceIdentity") leaves it out.
	if c.param("SourceIdentity") != "" && target.denied["sts:SetSourceIdentity"] {
		return &apiError{Status: http.StatusForbidden, Code: "AccessDenied",
			Message: "User: " + c.who.arn + " is not authorized to perform: sts:SetSourceIdentity on resource: " + roleARN}
	}
	ttl := time.Hour
	if v := c.param("DurationSeconds"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 900 || n > 43200 {
			return errValidation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.")
		}
		ttl = time.Duration(n) * time.Second
	}
	akid := s.newID("ASIA", 16)
	p := principal{
		account: acctID,
		arn:     "arn:aws:sts::" + acctID + ":assumed-role/" + roleName + "/" + session,
		userID:  s.newID("AROA", 17) + ":" + session,
	}
	s.creds[akid] = p
	secret := s.newID("", 40)
	s.secrets[akid] = secret // minted keys are always checked
	w.open("Credentials")
	w.str("AccessKeyId", akid)
	w.str("SecretAccessKey", secret)
	w.str("SessionToken", "FwoGZXIvYXdzE"+s.newID("", 64))
	// The SDK checks expiry against the real clock, whatever Options.Clock says.
	w.time("Expiration", time.Now().Add(ttl))
	w.close("Credentials")
	w.open("AssumedRoleUser")
	w.str("AssumedRoleId", p.userID)
	w.str("Arn", p.arn)
	w.close("AssumedRoleUser")
	return nil
}

// parseRoleARN splits arn:PARTITION:iam::ACCOUNT:role/PATH/NAME.
func parseRoleARN(arn string) (account, name string, ok bool) {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "iam" || !strings.HasPrefix(parts[5], "role/") {
		return "", "", false
	}
	return parts[4], path.Base(parts[5]), true
}
