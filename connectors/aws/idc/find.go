package idc

import (
	"context"
	"strings"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/identitystore"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/document"
	"github.com/aws/aws-sdk-go-v2/service/identitystore/types"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/connectors/aws/internal/awsapi"
)

// userID finds a user by a unique attribute (userName or emails.value, the
// only two GetUserId accepts); "" when there is none.
func (c *Connector) userID(ctx context.Context, path, value string) (string, error) {
	out, err := c.store.GetUserId(ctx, &identitystore.GetUserIdInput{IdentityStoreId: &c.storeID,
		AlternateIdentifier: &types.AlternateIdentifierMemberUniqueAttribute{Value: types.UniqueAttribute{
			AttributePath: awssdk.String(path), AttributeValue: document.NewLazyDocument(value)}}})
	if awsapi.IsNotFound(err) {
		return "", nil
	}
	if err != nil {
		return "", wrap("get user id", err)
	}
	return awssdk.ToString(out.UserId), nil
}

// resolve finds the user an account names: by user name, else (for a name
// that is an email) by email. Credentials not allowed GetUserId fall back
// to ListUsers with a UserName filter, the one filter ListUsers documents.
func (c *Connector) resolve(ctx context.Context, name string) (string, error) {
	id, err := c.userID(ctx, "userName", name)
	if connectors.KindOf(err) == connectors.KindPermission {
		return c.listUserID(ctx, name)
	}
	if id != "" || err != nil {
		return id, err
	}
	if strings.Contains(name, "@") {
		return c.userID(ctx, "emails.value", name)
	}
	return "", nil
}

func (c *Connector) listUserID(ctx context.Context, name string) (string, error) {
	out, err := c.store.ListUsers(ctx, &identitystore.ListUsersInput{IdentityStoreId: &c.storeID, MaxResults: awssdk.Int32(1),
		Filters: []types.Filter{{AttributePath: awssdk.String("UserName"), AttributeValue: &name}}})
	if err != nil {
		return "", wrap("list users", err)
	}
	if len(out.Users) == 0 {
		return "", nil
	}
	return awssdk.ToString(out.Users[0].UserId), nil
}

// FindByEmail returns the Identity Center user whose email is email,
// linked by email match.
func (c *Connector) FindByEmail(ctx context.Context, email string) ([]connectors.Account, error) {
	email = strings.TrimSpace(email)
	if email == "" {
		return nil, nil
	}
	ctx, cancel := awsapi.WithDeadline(ctx, c.opts.Timeout)
	defer cancel()
	id, err := c.userID(ctx, "emails.value", email)
	if err != nil || id == "" {
		return nil, err
	}
	u, err := c.store.DescribeUser(ctx, &identitystore.DescribeUserInput{IdentityStoreId: &c.storeID, UserId: &id})
	if awsapi.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap("describe user", err)
	}
	return []connectors.Account{{System: connectors.IdentityCenter, Scope: c.storeID,
		ID: awssdk.ToString(u.UserName), LinkedBy: connectors.LinkEmail}}, nil
}
