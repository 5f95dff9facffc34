package fakeslack

import (
	"fmt"
	"time"
)

// Slash sends user's `/offboard text` from channel ("" for the user's DM
// with the app) and returns the envelope id. text is what Slack delivers
// with should_escape:true: mentions as Mention gives them, &, < and >
// escaped; SlashTyped converts what a person types.
func (s *Server) Slash(user, channel, text string) (string, error) {
	return s.SlashCommand(user, channel, "/offboard", text)
}

// SlashTyped is Slash with text as a person types it ("@dana on tomorrow"):
// it is escaped and its mentions resolved the way Slack does first.
func (s *Server) SlashTyped(user, channel, typed string) (string, error) {
	return s.Slash(user, channel, s.EscapeTyped(typed))
}

// SlashWait sends a command and waits for its ack, which it returns.
func (s *Server) SlashWait(user, channel, text string, timeout time.Duration) (Ack, error) {
	id, err := s.Slash(user, channel, text)
	if err != nil {
		return Ack{}, err
	}
	return s.WaitAck(id, timeout)
}

// SlashCommand sends any slash command.
func (s *Server) SlashCommand(user, channel, command, text string) (string, error) {
	s.mu.Lock()
	u, ok := s.users[user]
	if !ok || u.Deleted {
		s.mu.Unlock()
		return "", fmt.Errorf("fakeslack: no active user %s", user)
	}
	if channel == "" {
		channel = dmChannel(user)
	}
	ch := s.channelLocked(channel)
	if ch == nil || !ch.has(user) {
		s.mu.Unlock()
		return "", fmt.Errorf("fakeslack: %s is not in channel %s", user, channel)
	}
	trig := s.issueTriggerLocked(user)
	e := s.newEnvelopeLocked("slash_commands", command, user, map[string]any{
		"token": s.opts.VerificationToken, "team_id": s.opts.TeamID, "team_domain": s.opts.TeamDomain,
		"channel_id": ch.ID, "channel_name": ch.Name, "user_id": u.ID, "user_name": u.Name,
		"command": command, "text": text, "api_app_id": s.opts.AppID, "is_enterprise_install": false,
		"response_url": s.newResponseURLLocked(user, ch.ID, "", false), "trigger_id": trig,
	})
	e.triggerID, e.channel = trig, ch.ID
	s.mu.Unlock()
	return e.ID, s.deliver(e)
}
