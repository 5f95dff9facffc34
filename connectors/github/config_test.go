package github

import (
	"fmt"
	"strings"
	"testing"
)

func TestGraphQLURLFor(t *testing.T) {
	cases := map[string]string{
		"https://api.github.com/":              "https://api.github.com/graphql",
		"https://ghe.example.com/api/v3/":      "https://ghe.example.com/api/graphql",
		"http://127.0.0.1:8080/":               "http://127.0.0.1:8080/graphql",
		"https://proxy.example.com/github/v3/": "https://proxy.example.com/github/v3/graphql",
	}
	for api, want := range cases {
		if got := GraphQLURLFor(api); got != want {
			t.Errorf("GraphQLURLFor(%q) = %q, want %q", api, got, want)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	for org, ok := range map[string]bool{"acme": true, "acme-corp": true, "": false, "-acme": false, "ac me": false, "a--b": false, strings.Repeat("a", 40): false} {
		if err := (Config{Org: org}).Validate(); (err == nil) != ok {
			t.Errorf("Validate(%q) = %v, want ok=%v", org, err, ok)
		}
	}
}

func TestCredentialsValidateAndNeverPrintTheSecret(t *testing.T) {
	cases := []struct {
		name string
		c    Credentials
		ok   bool
	}{
		{"a token", Credentials{Token: "ghp_SECRET"}, true},
		{"a complete app", Credentials{AppID: 1, InstallationID: 2, PrivateKey: []byte("SECRET KEY")}, true},
		{"an app without its key", Credentials{AppID: 1, InstallationID: 2}, false},
		{"both together", Credentials{Token: "ghp_SECRET", AppID: 1, InstallationID: 2, PrivateKey: []byte("SECRET KEY")}, true},
		{"a token and half an app", Credentials{Token: "ghp_SECRET", AppID: 1}, false},
		{"nothing", Credentials{}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.c.Validate(); (err == nil) != tc.ok {
				t.Errorf("Validate = %v, want ok=%v", err, tc.ok)
			}
			for _, s := range []string{fmt.Sprint(tc.c), fmt.Sprintf("%+v", tc.c), fmt.Sprintf("%#v", tc.c)} {
				if strings.Contains(s, "SECRET") {
					t.Errorf("printed %q", s)
				}
			}
		})
	}
}

func TestNewRefusesBadConfiguration(t *testing.T) {
	if _, err := New(Config{}, Credentials{Token: "t"}, Options{}); err == nil {
		t.Error("New accepted an empty org")
	}
	if _, err := New(Config{Org: "acme"}, Credentials{AppID: 1, InstallationID: 2, PrivateKey: []byte("not pem")}, Options{}); err == nil {
		t.Error("New accepted a private key that is not PEM")
	}
}
