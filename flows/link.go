package flows

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/offboard/offboard/connectors"
	"github.com/offboard/offboard/storage"
)

// Named is a connector that has a configured name besides its scope (an
// AWS account's name).
type Named interface {
	Name() string
}

// SyncConfigIdentities records the links the configuration file makes, at
// start. A link made by hand is replaced by the file's.
func (s *Service) SyncConfigIdentities(ctx context.Context) error {
	return s.db.Write(ctx, func(tx *storage.Tx) error {
		for _, ic := range s.cfg.Identities {
			var ident storage.Identity
			var err error
			if ic.Slack != "" {
				ident, err = tx.IdentityBySlack(ctx, ic.Slack, ic.Name, ic.Email)
			} else {
				// A person with no Slack user is the identity their
				// accounts are already linked to (the last start made it),
				// not a new one at every start.
				ident, err = s.existingIdentity(ctx, tx, ic)
				if errors.Is(err, storage.ErrNotFound) {
					ident, err = tx.NewIdentity(ctx, ic.Name, ic.Email)
				}
			}
			if err != nil {
				return err
			}
			for _, l := range s.links(ident.ID, ic.GitHub, ic.AWS, storage.AccountLink{LinkedBy: string(connectors.LinkConfig)}) {
				changed, err := tx.Link(ctx, l)
				if err != nil {
					return err
				}
				if changed {
					// Every link is a fact of the trail, the file's too.
					if err := tx.Audit(ctx, &storage.Event{Type: storage.EventLinkChanged, Actor: System.ID,
						Details: storage.Details(map[string]any{"identity": ident.ID, "slack": ident.SlackUser, "system": l.System,
							"scope": l.Scope, "account": l.Account, "linked_by": l.LinkedBy})}); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
}

// existingIdentity finds the identity a Slack-less entry of the file made
// before: the owner of one of its accounts.
func (s *Service) existingIdentity(ctx context.Context, tx *storage.Tx, ic IdentityConfig) (storage.Identity, error) {
	for _, l := range s.links(0, ic.GitHub, ic.AWS, storage.AccountLink{}) {
		owner, err := storage.LoadAccountOwner(ctx, tx, l.System, l.Scope, l.Account)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return storage.Identity{}, err
		}
		return storage.LoadIdentity(ctx, tx, owner.IdentityID)
	}
	return storage.Identity{}, storage.ErrNotFound
}

// links expands a GitHub login and an AWS user[@account] into account
// links for the configured connectors.
func (s *Service) links(identityID int64, github, aws string, tmpl storage.AccountLink) []storage.AccountLink {
	var out []storage.AccountLink
	add := func(sys connectors.System, scope, acct string) {
		l := tmpl
		l.IdentityID, l.System, l.Scope, l.Account = identityID, string(sys), scope, acct
		out = append(out, l)
	}
	if github != "" {
		for _, c := range s.conns.Of(connectors.GitHub) {
			add(connectors.GitHub, c.Scope(), github)
		}
		if len(s.conns.Of(connectors.GitHub)) == 0 {
			add(connectors.GitHub, "", github)
		}
	}
	if aws != "" {
		user, account := aws, ""
		if i := strings.LastIndex(aws, "@"); i > 0 {
			if c := s.awsConnector(aws[i+1:]); c != nil {
				user, account = aws[:i], c.Scope()
			}
		}
		for _, c := range s.conns.Of(connectors.AWS) {
			if account == "" || c.Scope() == account {
				add(connectors.AWS, c.Scope(), user)
			}
		}
	}
	return out
}

// awsConnector finds the AWS connector of an account ID or name.
func (s *Service) awsConnector(ref string) Connector {
	for _, c := range s.conns.Of(connectors.AWS) {
		if c.Scope() == ref {
			return c
		}
		if n, ok := c.(Named); ok && n.Name() == ref {
			return c
		}
	}
	return nil
}

// linkByEmail links the person's accounts found by email in each system
// that can search by email, without replacing links made by
// the file or by hand.
func (s *Service) linkByEmail(ctx context.Context, target storage.Identity) error {
	if target.Email == "" {
		return nil
	}
	// Every system is asked at once: discovery waits for this.
	var (
		mu    sync.Mutex
		found []storage.AccountLink
		errs  []error
		wg    sync.WaitGroup
	)
	for _, c := range s.conns {
		f, ok := c.(EmailFinder)
		if !ok || c.System() == connectors.Slack {
			continue
		}
		wg.Add(1)
		go func(c Connector, f EmailFinder) {
			defer wg.Done()
			accts, err := f.FindByEmail(ctx, target.Email)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			for _, a := range accts {
				scope := a.Scope
				if scope == "" {
					scope = c.Scope()
				}
				found = append(found, storage.AccountLink{IdentityID: target.ID, System: string(c.System()), Scope: scope, Account: a.ID,
					LinkedBy: string(connectors.LinkEmail)})
			}
		}(c, f)
	}
	wg.Wait()
	if len(found) > 0 {
		if err := s.db.Write(ctx, func(tx *storage.Tx) error {
			for _, l := range found {
				changed, err := tx.Link(ctx, l)
				var elsewhere *storage.LinkedElsewhere
				if errors.As(err, &elsewhere) {
					continue // an email match never moves another person's account
				}
				if err != nil {
					return err
				}
				if changed {
					if err := tx.Audit(ctx, &storage.Event{Type: storage.EventLinkChanged, Actor: System.ID,
						Details: storage.Details(map[string]any{"identity": target.ID, "slack": target.SlackUser, "system": l.System,
							"scope": l.Scope, "account": l.Account, "linked_by": l.LinkedBy, "email": target.Email})}); err != nil {
						return err
					}
				}
			}
			return nil
		}); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// LinkInput is an /offboard link command.
type LinkInput struct {
	Target     Person
	GitHub     string
	AWSUser    string
	AWSAccount string
	// IDC is an IAM Identity Center user name.
	IDC string
}

// Link links accounts to a person by hand (approvers only). When the person
// has an open case, the new accounts' grants are discovered and added to
// its checklist.
// It returns the links it made.
func (s *Service) Link(ctx context.Context, actor Actor, in LinkInput) ([]storage.AccountLink, error) {
	if !actor.Approver {
		return nil, s.refuse(ctx, actor, refused(NotApprover, "link"), nil)
	}
	if actor.ID == in.Target.SlackID {
		return nil, s.refuse(ctx, actor, refused(IsTarget, "link"), nil)
	}
	if c, err := storage.ActiveCaseOfSlackUser(ctx, s.reader(), in.Target.SlackID); err == nil {
		if own, err := s.isTarget(ctx, s.reader(), c.IdentityID, actor.ID); err != nil || own {
			if own {
				return nil, s.refuse(ctx, actor, refused(IsTarget, "link"), nil)
			}
			return nil, err
		}
	}
	aws := in.AWSUser
	if in.AWSUser != "" && in.AWSAccount != "" {
		aws = in.AWSUser + "@" + in.AWSAccount
		if s.awsConnector(in.AWSAccount) == nil {
			return nil, &Refusal{Kind: UnknownAWSAccount, Verb: "link", Detail: in.AWSAccount}
		}
	}
	if in.AWSUser != "" && len(s.conns.Of(connectors.AWS)) == 0 {
		return nil, &Refusal{Kind: ConnectorOff, Verb: "link", Detail: string(connectors.AWS)}
	}
	if in.IDC != "" && len(s.conns.Of(connectors.IdentityCenter)) == 0 {
		return nil, &Refusal{Kind: ConnectorOff, Verb: "link", Detail: string(connectors.IdentityCenter)}
	}
	var linked, fresh []storage.AccountLink
	var pending []string
	var ident storage.Identity
	err := s.db.Write(ctx, func(tx *storage.Tx) error {
		linked, fresh, pending = nil, nil, nil
		var err error
		ident, err = tx.IdentityBySlack(ctx, in.Target.SlackID, in.Target.Name, in.Target.Email)
		if err != nil {
			return err
		}
		links := s.links(ident.ID, in.GitHub, aws, storage.AccountLink{LinkedBy: string(connectors.LinkManual), LinkedActor: actor.ID})
		for _, c := range s.conns.Of(connectors.IdentityCenter) {
			if in.IDC != "" {
				links = append(links, storage.AccountLink{IdentityID: ident.ID, System: string(connectors.IdentityCenter), Scope: c.Scope(),
					Account: in.IDC, LinkedBy: string(connectors.LinkManual), LinkedActor: actor.ID})
			}
		}
		for _, l := range links {
			changed, err := tx.Link(ctx, l)
			var elsewhere *storage.LinkedElsewhere
			if errors.As(err, &elsewhere) {
				// A move waits for a second approver's confirmation.
				req := storage.LinkRequest{Link: l, FromIdentity: elsewhere.IdentityID}
				if err := tx.AddLinkRequest(ctx, &req); err != nil {
					return err
				}
				pending = append(pending, connectors.System(l.System).Title()+" "+l.Account)
				if err := tx.Audit(ctx, &storage.Event{Type: storage.EventLinkChanged, Actor: actor.ID,
					Details: storage.Details(map[string]any{"identity": ident.ID, "slack": in.Target.SlackID, "system": l.System,
						"scope": l.Scope, "account": l.Account, "linked_by": l.LinkedBy, "pending": true, "request": req.ID,
						"from_identity": elsewhere.IdentityID})}); err != nil {
					return err
				}
				continue
			}
			if err != nil {
				return err
			}
			linked = append(linked, l)
			if !changed {
				continue // linked so already: nothing new to audit or discover
			}
			fresh = append(fresh, l)
			if err := tx.Audit(ctx, &storage.Event{Type: storage.EventLinkChanged, Actor: actor.ID,
				Details: storage.Details(map[string]any{"identity": ident.ID, "slack": in.Target.SlackID, "system": l.System,
					"scope": l.Scope, "account": l.Account, "linked_by": l.LinkedBy})}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.addToOpenCase(ctx, ident, fresh); err != nil {
		return linked, err
	}
	if len(pending) > 0 {
		return linked, &Refusal{Kind: NeedsConfirmation, Verb: "link", Detail: strings.Join(pending, ", ")}
	}
	return linked, nil
}

// ConfirmLink applies a move of an account's link that another approver
// asked for. The one who asked cannot confirm it, nor can either person
// the account moves between.
func (s *Service) ConfirmLink(ctx context.Context, actor Actor, requestID int64) error {
	const verb = "confirm the link"
	if !actor.Approver {
		return s.refuse(ctx, actor, refused(NotApprover, verb), nil)
	}
	req, err := storage.LoadLinkRequest(ctx, s.reader(), requestID)
	if errors.Is(err, storage.ErrNotFound) {
		return refused(UnknownAction, verb)
	}
	if err != nil {
		return err
	}
	if req.State != "pending" {
		return refused(AlreadyActedOn, verb)
	}
	if actor.ID == req.Link.LinkedActor {
		return s.refuse(ctx, actor, refused(TwoPerson, verb), map[string]any{"request": req.ID})
	}
	for _, id := range []int64{req.Link.IdentityID, req.FromIdentity} {
		if own, err := s.isTarget(ctx, s.reader(), id, actor.ID); err != nil || own {
			if own {
				return s.refuse(ctx, actor, refused(IsTarget, verb), map[string]any{"request": req.ID})
			}
			return err
		}
	}
	var done bool
	err = s.db.Write(ctx, func(tx *storage.Tx) error {
		ok, err := tx.ConfirmLinkRequest(ctx, req.ID, actor.ID)
		if err != nil || !ok {
			done = false
			return err
		}
		done = true
		if err := tx.MoveLink(ctx, req.Link); err != nil {
			return err
		}
		return tx.Audit(ctx, &storage.Event{Type: storage.EventLinkChanged, Actor: actor.ID,
			Details: storage.Details(map[string]any{"identity": req.Link.IdentityID, "system": req.Link.System, "scope": req.Link.Scope,
				"account": req.Link.Account, "linked_by": req.Link.LinkedBy, "request": req.ID, "confirmed": true,
				"asked_by": req.Link.LinkedActor, "from_identity": req.FromIdentity})})
	})
	if err != nil {
		return err
	}
	if !done {
		return refused(AlreadyActedOn, verb)
	}
	ident, err := storage.LoadIdentity(ctx, s.reader(), req.Link.IdentityID)
	if err != nil {
		return err
	}
	return s.addToOpenCase(ctx, ident, []storage.AccountLink{req.Link})
}

// addToOpenCase discovers the grants of newly linked accounts and adds them
// to the person's open case, if there is one.
func (s *Service) addToOpenCase(ctx context.Context, ident storage.Identity, links []storage.AccountLink) error {
	c, err := storage.ActiveCase(ctx, s.reader(), ident.ID)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && c.State != storage.CaseOpen) {
		return nil
	}
	if err != nil {
		return err
	}
	var grants []connectors.Grant
	for _, r := range s.discover(connectors.WithCase(ctx, fmt.Sprint(c.ID)), ident, links) {
		if r.conn.System() == connectors.Slack || r.conn.System() == connectors.Manual {
			continue // already on the checklist
		}
		grants = append(grants, r.grants...)
	}
	if len(grants) == 0 {
		return nil
	}
	return s.db.Write(ctx, func(tx *storage.Tx) error {
		actions, err := storage.ListActions(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		before := len(actions)
		if _, err := s.insertActions(ctx, tx, c, grants, before); err != nil {
			return err
		}
		if err := tx.Audit(ctx, &storage.Event{Type: storage.EventDiscovered, CaseID: c.ID, Actor: System.ID,
			Details: storage.Details(map[string]any{"grants": len(grants), "after": "link"})}); err != nil {
			return err
		}
		return tx.Audit(ctx, &storage.Event{Type: storage.EventChecklistPosted, CaseID: c.ID, Actor: System.ID,
			Details: storage.Details(map[string]any{"actions": before + len(grants), "before": before})})
	})
}
