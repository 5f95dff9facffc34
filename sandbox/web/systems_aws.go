package web

import (
	"fmt"
	"sort"
	"strings"

	"github.com/offboard/offboard/sandbox/company"
	"github.com/offboard/offboard/sandbox/fakeaws"
)

// awsSections lists each IAM user with what it holds: password, keys,
// MFA, SSH keys, groups and policies, one row each.
func (s *Server) awsSections() []section {
	sec := section{Tab: "aws", Title: "IAM users in " + company.Account}
	for _, u := range s.o.AWS.Users(company.Account) {
		p := "iam-" + u.Name
		add := func(key, h string, sig ...any) {
			r := row{Key: p + key, HTML: h}
			if len(sig) > 0 {
				r.Sig = fmt.Sprint(sig...)
			}
			sec.Rows = append(sec.Rows, r)
		}
		add("", `<b class="user">`+esc(u.Name)+`</b>`+tags(u.Tags))
		if u.LoginProfile != nil {
			used := "never signed in"
			if u.PasswordLastUsed != nil {
				used = "signed in " + ago(s.o.Clock.Now().Sub(*u.PasswordLastUsed))
			}
			add("-password", `<span class="sub">console password <span class="muted">`+esc(used)+`</span></span>`, *u.LoginProfile, stamp(u.PasswordLastUsed))
		}
		for _, k := range u.AccessKeys {
			used := "never used"
			if k.LastUsed != nil {
				used = "used " + ago(s.o.Clock.Now().Sub(*k.LastUsed)) + " (" + k.LastService + ")"
			}
			cls := "tag ok"
			if k.Status != fakeaws.StatusActive {
				cls = "tag off"
			}
			add("-key-"+k.ID, `<span class="sub">access key `+esc(k.ID)+` <span class="`+cls+`">`+esc(k.Status)+`</span> <span class="muted">`+esc(used)+`</span></span>`, k.Status, stamp(k.LastUsed))
		}
		for _, m := range u.MFADevices {
			add("-mfa-"+m.Serial, `<span class="sub">MFA `+esc(m.Serial[strings.LastIndex(m.Serial, "/")+1:])+`</span>`)
		}
		for _, k := range u.SSHKeys {
			add("-ssh-"+k.ID, `<span class="sub">SSH key `+esc(k.ID)+` <span class="tag">`+esc(k.Status)+`</span></span>`)
		}
		if len(u.Groups) > 0 {
			add("-groups", `<span class="sub">groups: `+esc(strings.Join(u.Groups, ", "))+`</span>`)
		}
		var pols []string
		for _, a := range u.AttachedPolicies {
			pols = append(pols, a[strings.LastIndex(a, "/")+1:])
		}
		for name := range u.InlinePolicies {
			pols = append(pols, name+" (inline)")
		}
		sort.Strings(pols)
		if len(pols) > 0 {
			add("-policies", `<span class="sub">policies: `+esc(strings.Join(pols, ", "))+`</span>`)
		}
	}
	return []section{sec}
}

func tags(t map[string]string) string {
	if len(t) == 0 {
		return ""
	}
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+"="+t[k])
	}
	return ` <span class="muted">` + esc(strings.Join(parts, " ")) + `</span>`
}
