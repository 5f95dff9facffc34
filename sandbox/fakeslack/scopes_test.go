package fakeslack

import (
	"errors"
	"os"
	"slices"
	"testing"

	"github.com/slack-go/slack"
	"gopkg.in/yaml.v3"
)

func TestTheDefaultScopesAreTheManifestsBotScopes(t *testing.T) {
	raw, err := os.ReadFile("../../manifest.yml")
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		OAuth struct {
			Scopes struct {
				Bot []string `yaml:"bot"`
			} `yaml:"scopes"`
		} `yaml:"oauth_config"`
	}
	if err := yaml.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	want, got := slices.Sorted(slices.Values(m.OAuth.Scopes.Bot)), slices.Sorted(slices.Values(DefaultScopes()))
	if !slices.Equal(got, want) {
		t.Errorf("fake scopes %v, manifest %v", got, want)
	}
}

func TestConversationMethodsNeedTheirScopes(t *testing.T) {
	srv := newServer(t, Options{Scopes: []string{"chat:write"}})
	c := api(srv)
	var se slack.SlackErrorResponse
	if _, err := c.GetConversationInfo(&slack.GetConversationInfoInput{ChannelID: appro}); !errors.As(err, &se) || se.Err != "missing_scope" {
		t.Errorf("conversations.info without channels:read: %v", err)
	}
	if _, err := c.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: appro}); !errors.As(err, &se) || se.Err != "missing_scope" {
		t.Errorf("conversations.history without channels:history: %v", err)
	}
	if _, _, _, err := c.GetConversationReplies(&slack.GetConversationRepliesParameters{ChannelID: appro, Timestamp: "1.000001"}); !errors.As(err, &se) || se.Err != "missing_scope" {
		t.Errorf("conversations.replies without channels:history: %v", err)
	}
}

// A private channel's history needs groups:history, a public one's
// channels:history; each scope opens only its own kind of channel.
func TestPrivateChannelHistoryNeedsGroupsHistory(t *testing.T) {
	for _, tc := range []struct {
		scope          string
		public, secret bool // readable
	}{
		{"channels:history", true, false},
		{"groups:history", false, true},
	} {
		t.Run(tc.scope, func(t *testing.T) {
			srv := newServer(t, Options{Scopes: []string{"chat:write", tc.scope}})
			srv.AddChannel(Channel{ID: "C0SECRET", Name: "secret", Private: true, Members: []string{dana}})
			c := api(srv)
			for ch, want := range map[string]bool{appro: tc.public, "C0SECRET": tc.secret} {
				var se slack.SlackErrorResponse
				_, err := c.GetConversationHistory(&slack.GetConversationHistoryParameters{ChannelID: ch})
				if want && err != nil {
					t.Errorf("history of %s: %v, want it read", ch, err)
				}
				if !want && (!errors.As(err, &se) || se.Err != "missing_scope") {
					t.Errorf("history of %s: %v, want missing_scope", ch, err)
				}
				_, _, _, err = c.GetConversationReplies(&slack.GetConversationRepliesParameters{ChannelID: ch, Timestamp: "1.000001"})
				if !want && (!errors.As(err, &se) || se.Err != "missing_scope") {
					t.Errorf("replies of %s: %v, want missing_scope", ch, err)
				}
			}
		})
	}
}
