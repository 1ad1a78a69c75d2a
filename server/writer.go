package server

import (
	"context"
	"time"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/access"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/memory"
)

// Writer is every write the services make to the stores. A single node
// writes to its own stores (localWriter); a cluster node (package cluster)
// proposes each write as a log entry and returns once it is committed and
// applied here, the result being the one the stores gave. The methods have
// the meaning of the store methods of the same names.
type Writer interface {
	AddUnits(ctx context.Context, mem string, units []memory.Unit, p memory.Policy) (memory.AddResult, error)
	DeleteUnit(ctx context.Context, mem string, id uint64) error
	UpdateUnit(ctx context.Context, mem string, id uint64, upd memory.UnitUpdate) (memory.Unit, error)
	RecordUsage(ctx context.Context, mem string, ids []uint64, at time.Time) error
	CreateMemory(ctx context.Context, m memory.Memory) (memory.Memory, error)
	UpdateMemory(ctx context.Context, name string, upd memory.MemoryUpdate) (memory.Memory, error)
	DeleteMemory(ctx context.Context, name string) error

	UpsertConcepts(ctx context.Context, cs []glossary.Concept) (glossary.UpsertResult, error)
	ImportGlossary(ctx context.Context, name string, src glossary.Source, progress func(stored int)) (glossary.UpsertResult, error)
	DeleteConcept(ctx context.Context, id string) error
	CreateGlossary(ctx context.Context, g glossary.Glossary) (glossary.Glossary, error)
	UpdateGlossary(ctx context.Context, name string, u glossary.GlossaryUpdate) (glossary.Glossary, error)
	DeleteGlossary(ctx context.Context, name string) (int, error)

	CreateToken(ctx context.Context, name string, scopes []access.Scope) (access.Token, string, error)
	RevokeToken(ctx context.Context, idOrName string, allowOpen bool) error
}

// LocalWriter returns the Writer of a single node: the stores' own
// methods. acc may be nil (no token store: token writes fail).
func LocalWriter(mem *memory.Store, gl *glossary.Store, acc *access.Store) Writer {
	return localWriter{mem: mem, gl: gl, acc: acc}
}

type localWriter struct {
	mem *memory.Store
	gl  *glossary.Store
	acc *access.Store
}

func (w localWriter) AddUnits(ctx context.Context, mem string, units []memory.Unit, p memory.Policy) (memory.AddResult, error) {
	return w.mem.Add(ctx, mem, units, p)
}

func (w localWriter) DeleteUnit(ctx context.Context, mem string, id uint64) error {
	return w.mem.Delete(ctx, mem, id)
}

func (w localWriter) UpdateUnit(ctx context.Context, mem string, id uint64, upd memory.UnitUpdate) (memory.Unit, error) {
	return w.mem.UpdateUnit(ctx, mem, id, upd)
}

func (w localWriter) RecordUsage(ctx context.Context, mem string, ids []uint64, at time.Time) error {
	return w.mem.RecordUsage(ctx, mem, ids, at)
}

func (w localWriter) CreateMemory(ctx context.Context, m memory.Memory) (memory.Memory, error) {
	return w.mem.CreateMemory(ctx, m)
}

func (w localWriter) UpdateMemory(ctx context.Context, name string, upd memory.MemoryUpdate) (memory.Memory, error) {
	return w.mem.UpdateMemory(ctx, name, upd)
}

func (w localWriter) DeleteMemory(ctx context.Context, name string) error {
	return w.mem.DeleteMemory(ctx, name)
}

func (w localWriter) UpsertConcepts(ctx context.Context, cs []glossary.Concept) (glossary.UpsertResult, error) {
	return w.gl.Upsert(ctx, cs)
}

func (w localWriter) ImportGlossary(ctx context.Context, name string, src glossary.Source, progress func(stored int)) (glossary.UpsertResult, error) {
	return w.gl.Import(ctx, name, src, progress)
}

func (w localWriter) DeleteConcept(ctx context.Context, id string) error {
	return w.gl.Delete(ctx, id)
}

func (w localWriter) CreateGlossary(ctx context.Context, g glossary.Glossary) (glossary.Glossary, error) {
	return w.gl.CreateGlossary(ctx, g)
}

func (w localWriter) UpdateGlossary(ctx context.Context, name string, u glossary.GlossaryUpdate) (glossary.Glossary, error) {
	return w.gl.UpdateGlossary(ctx, name, u)
}

func (w localWriter) DeleteGlossary(ctx context.Context, name string) (int, error) {
	return w.gl.DeleteGlossary(ctx, name)
}

func (w localWriter) CreateToken(ctx context.Context, name string, scopes []access.Scope) (access.Token, string, error) {
	if w.acc == nil {
		return access.Token{}, "", noTokenStore()
	}
	return w.acc.Create(ctx, name, scopes)
}

func (w localWriter) RevokeToken(ctx context.Context, idOrName string, allowOpen bool) error {
	if w.acc == nil {
		return noTokenStore()
	}
	return w.acc.Revoke(ctx, idOrName, allowOpen)
}

// noTokenStore is the error of a token call on a server without a token
// store.
func noTokenStore() error {
	return tolk.Errorf(tolk.EFAILEDPRE, "this server has no token store")
}
