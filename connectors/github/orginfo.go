package github

import (
	"context"
	"errors"
	"time"

	"github.com/offboard/offboard/connectors"
)

// orgInfoTTL is how long the org's node ID and SAML setting are trusted.
const orgInfoTTL = time.Hour

// orgInfo is what GraphQL queries need about the org: its node ID (for
// contributionsCollection) and whether it has a SAML provider.
type orgInfo struct {
	id      string
	hasSAML bool
	fetched time.Time
}

const orgInfoQuery = `query($org: String!) { organization(login: $org) { id samlIdentityProvider { id } } }`

// orgInfo returns the cached org info, fetching it when missing or old.
// An org GitHub does not know is a configuration error.
func (c *Connector) orgInfo(ctx context.Context) (orgInfo, error) {
	c.infoMu.Lock()
	defer c.infoMu.Unlock()
	if c.info != nil && c.now().Sub(c.info.fetched) < orgInfoTTL {
		return *c.info, nil
	}
	var out struct {
		Organization *struct {
			ID   string `json:"id"`
			SAML *struct {
				ID string `json:"id"`
			} `json:"samlIdentityProvider"`
		} `json:"organization"`
	}
	// A FORBIDDEN beside the data means the credentials may not see the
	// SAML provider; that reads as "no SAML" rather than a failure.
	if _, err := c.graphql(ctx, "look up org", orgInfoQuery, map[string]any{"org": c.org}, &out); err != nil {
		return orgInfo{}, orgError(err)
	}
	if out.Organization == nil {
		return orgInfo{}, &connectors.Error{System: connectors.GitHub, Op: "look up org", Kind: connectors.KindConfig, Err: errNoOrg(c.org)}
	}
	c.info = &orgInfo{id: out.Organization.ID, hasSAML: out.Organization.SAML != nil, fetched: c.now()}
	return *c.info, nil
}

// orgError turns "not found" on an org-level call into what it means: the
// configured org does not exist or the credentials cannot see it.
func orgError(err error) error {
	var ce *connectors.Error
	if !notFound(err) || !errors.As(err, &ce) {
		return err
	}
	return &connectors.Error{System: ce.System, Op: ce.Op, Kind: connectors.KindConfig, Err: ce.Err}
}

type errNoOrg string

func (e errNoOrg) Error() string {
	return "no organization " + string(e) + " visible to these credentials"
}
