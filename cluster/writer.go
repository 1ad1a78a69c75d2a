package cluster

import (
	"context"
	"time"

	"github.com/tolkdev/tolk/access"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/memory"
)

// The methods below make Node a server.Writer: each proposes one Command
// and returns the store's result once the command is committed and
// applied (on the leader).

// AddUnits adds units to a memory (memory.Store.Add).
func (n *Node) AddUnits(ctx context.Context, mem string, units []memory.Unit, p memory.Policy) (memory.AddResult, error) {
	r, err := n.propose(ctx, &Command{Op: OpAddUnits, Memory: mem, Units: units, Policy: p})
	if err != nil {
		return memory.AddResult{}, err
	}
	return derefOr(r.Add), nil
}

// DeleteUnit deletes a unit (memory.Store.Delete).
func (n *Node) DeleteUnit(ctx context.Context, mem string, id uint64) error {
	_, err := n.propose(ctx, &Command{Op: OpDeleteUnit, Memory: mem, UnitID: id})
	return err
}

// UpdateUnit changes a unit (memory.Store.UpdateUnit).
func (n *Node) UpdateUnit(ctx context.Context, mem string, id uint64, upd memory.UnitUpdate) (memory.Unit, error) {
	r, err := n.propose(ctx, &Command{Op: OpUpdateUnit, Memory: mem, UnitID: id, UnitUpdate: &upd})
	if err != nil {
		return memory.Unit{}, err
	}
	return derefOr(r.Unit), nil
}

// RecordUsage counts a use of units at time at (memory.Store.RecordUsage).
func (n *Node) RecordUsage(ctx context.Context, mem string, ids []uint64, at time.Time) error {
	_, err := n.propose(ctx, &Command{Op: OpRecordUsage, Memory: mem, UnitIDs: ids, At: at})
	return err
}

// CreateMemory creates a memory (memory.Store.CreateMemory).
func (n *Node) CreateMemory(ctx context.Context, m memory.Memory) (memory.Memory, error) {
	r, err := n.propose(ctx, &Command{Op: OpCreateMemory, NewMemory: &m})
	if err != nil {
		return memory.Memory{}, err
	}
	return derefOr(r.Memory), nil
}

// UpdateMemory changes a memory (memory.Store.UpdateMemory).
func (n *Node) UpdateMemory(ctx context.Context, name string, upd memory.MemoryUpdate) (memory.Memory, error) {
	r, err := n.propose(ctx, &Command{Op: OpUpdateMemory, Memory: name, MemoryUpdate: &upd})
	if err != nil {
		return memory.Memory{}, err
	}
	return derefOr(r.Memory), nil
}

// DeleteMemory deletes a memory (memory.Store.DeleteMemory).
func (n *Node) DeleteMemory(ctx context.Context, name string) error {
	_, err := n.propose(ctx, &Command{Op: OpDeleteMemory, Memory: name})
	return err
}

// UpsertConcepts stores concepts (glossary.Store.Upsert).
func (n *Node) UpsertConcepts(ctx context.Context, cs []glossary.Concept) (glossary.UpsertResult, error) {
	r, err := n.propose(ctx, &Command{Op: OpUpsertConcepts, Concepts: cs})
	if err != nil {
		return glossary.UpsertResult{}, err
	}
	return derefOr(r.Upsert), nil
}

// ImportGlossary reads src on this node (glossary.ReadImport) and commits
// each batch as one log entry (glossary.Store.ImportBatch on every node).
func (n *Node) ImportGlossary(ctx context.Context, name string, src glossary.Source, progress func(stored int)) (glossary.UpsertResult, error) {
	return glossary.ReadImport(src, progress, func(first int, batch []glossary.Concept) (glossary.UpsertResult, error) {
		r, err := n.propose(ctx, &Command{Op: OpImportBatch, Glossary: name, First: first, Concepts: batch})
		if err != nil {
			return glossary.UpsertResult{}, err
		}
		return derefOr(r.Upsert), nil
	})
}

// DeleteConcept deletes a concept (glossary.Store.Delete).
func (n *Node) DeleteConcept(ctx context.Context, id string) error {
	_, err := n.propose(ctx, &Command{Op: OpDeleteConcept, ConceptID: id})
	return err
}

// CreateGlossary creates a glossary (glossary.Store.CreateGlossary).
func (n *Node) CreateGlossary(ctx context.Context, g glossary.Glossary) (glossary.Glossary, error) {
	r, err := n.propose(ctx, &Command{Op: OpCreateGlossary, NewGlossary: &g})
	if err != nil {
		return glossary.Glossary{}, err
	}
	return derefOr(r.Glossary), nil
}

// UpdateGlossary changes a glossary (glossary.Store.UpdateGlossary).
func (n *Node) UpdateGlossary(ctx context.Context, name string, u glossary.GlossaryUpdate) (glossary.Glossary, error) {
	r, err := n.propose(ctx, &Command{Op: OpUpdateGlossary, Glossary: name, GlossaryUpdate: &u})
	if err != nil {
		return glossary.Glossary{}, err
	}
	return derefOr(r.Glossary), nil
}

// DeleteGlossary deletes a glossary and its concepts
// (glossary.Store.DeleteGlossary).
func (n *Node) DeleteGlossary(ctx context.Context, name string) (int, error) {
	r, err := n.propose(ctx, &Command{Op: OpDeleteGlossary, Glossary: name})
	if err != nil {
		return 0, err
	}
	return r.N, nil
}

// CreateToken makes a token (access.Store.Create); the leader draws its
// secret's entropy, so every node stores the same hash.
func (n *Node) CreateToken(ctx context.Context, name string, scopes []access.Scope) (access.Token, string, error) {
	r, err := n.propose(ctx, &Command{Op: OpCreateToken, Token: name, Scopes: scopes})
	if err != nil {
		return access.Token{}, "", err
	}
	return derefOr(r.Token), r.Secret, nil
}

// RevokeToken deletes a token (access.Store.Revoke).
func (n *Node) RevokeToken(ctx context.Context, idOrName string, allowOpen bool) error {
	_, err := n.propose(ctx, &Command{Op: OpRevokeToken, Token: idOrName, AllowOpen: allowOpen})
	return err
}
