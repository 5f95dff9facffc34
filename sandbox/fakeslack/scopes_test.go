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
