// Package seeds holds what a new Tolk database starts with: the seed
// article (a Dutch news report, kept byte for byte), the team's English
// translation of it, sentence by sentence, as the seed translation memory,
// and the team's diplomatic glossary. Everything is embedded in the binary.
package seeds

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/glossary/termfile"
	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/segment"
)

//go:embed article.nl.txt article.en.txt glossary.csv
var files embed.FS

// MemoryName is the memory the seed units are loaded into.
const MemoryName = "seed"

// GlossaryName is the named glossary the seed concepts are loaded into.
const GlossaryName = "diplomatic"

// Article returns the Dutch seed article as it was published.
func Article() string { return mustRead("article.nl.txt") }

func mustRead(name string) string {
	b, err := files.ReadFile(name)
	if err != nil {
		panic(err) // embedded at build time: cannot fail
	}
	return string(b)
}

// Units returns the seed translation units: each sentence of the article
// with its English, in order, with its neighbours as context. It fails if
// the English file does not have one line per Dutch sentence.
func Units() ([]memory.Unit, error) {
	segs := segment.Split(Article())
	en := strings.Split(strings.TrimRight(mustRead("article.en.txt"), "\n"), "\n")
	if len(segs) != len(en) {
		return nil, fmt.Errorf("seed article has %d Dutch sentences but %d English lines", len(segs), len(en))
	}
	created := time.Date(2023, 9, 27, 12, 0, 0, 0, time.UTC) // the day after the article
	units := make([]memory.Unit, len(segs))
	for i, s := range segs {
		u := memory.Unit{
			Source: s.Text, Target: en[i],
			Origin: "seed", Created: created, Changed: created,
			CreatedBy: "tolk", ChangedBy: "tolk",
			Props: []memory.Prop{{Type: "x-document", Value: "000_e48ff61885ed78cc"}},
		}
		if i > 0 {
			u.PrevSource = segs[i-1].Text
		}
		if i+1 < len(segs) {
			u.NextSource = segs[i+1].Text
		}
		units[i] = u
	}
	return units, nil
}

// Concepts returns the seed glossary.
func Concepts() ([]glossary.Concept, error) {
	f, err := files.Open("glossary.csv")
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dec, err := termfile.NewDecoder(f, termfile.CSV, termfile.Options{})
	if err != nil {
		return nil, fmt.Errorf("reading the seed glossary: %w", err)
	}
	var cs []glossary.Concept
	for {
		c, err := dec.Next()
		if errors.Is(err, io.EOF) {
			return cs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading the seed glossary: %w", err)
		}
		cs = append(cs, c)
	}
}

// Loaded counts what Load wrote.
type Loaded struct{ Units, Concepts int }

// Load writes the seeds: it creates the seed memory if needed and stores
// the units (overwriting units with the same source and context), creates
// the glossary GlossaryName if needed and stores the concepts in it
// (replacing concepts with the same id). Loading twice changes
// nothing the second time.
func Load(ctx context.Context, mem *memory.Store, gl *glossary.Store) (Loaded, error) {
	return LoadWith(ctx, storeWriter{mem, gl})
}

// Writer is the writes Load makes; server.Writer and cluster.Node have
// them (a cluster seeds through its log).
type Writer interface {
	CreateMemory(ctx context.Context, m memory.Memory) (memory.Memory, error)
	AddUnits(ctx context.Context, mem string, units []memory.Unit, p memory.Policy) (memory.AddResult, error)
	CreateGlossary(ctx context.Context, g glossary.Glossary) (glossary.Glossary, error)
	UpsertConcepts(ctx context.Context, cs []glossary.Concept) (glossary.UpsertResult, error)
}

// storeWriter is the Writer of the stores themselves.
type storeWriter struct {
	mem *memory.Store
	gl  *glossary.Store
}

func (w storeWriter) CreateMemory(ctx context.Context, m memory.Memory) (memory.Memory, error) {
	return w.mem.CreateMemory(ctx, m)
}

func (w storeWriter) AddUnits(ctx context.Context, mem string, units []memory.Unit, p memory.Policy) (memory.AddResult, error) {
	return w.mem.Add(ctx, mem, units, p)
}

func (w storeWriter) CreateGlossary(ctx context.Context, g glossary.Glossary) (glossary.Glossary, error) {
	return w.gl.CreateGlossary(ctx, g)
}

func (w storeWriter) UpsertConcepts(ctx context.Context, cs []glossary.Concept) (glossary.UpsertResult, error) {
	return w.gl.Upsert(ctx, cs)
}

// LoadWith is Load through w.
func LoadWith(ctx context.Context, w Writer) (Loaded, error) {
	units, err := Units()
	if err != nil {
		return Loaded{}, err
	}
	concepts, err := Concepts()
	if err != nil {
		return Loaded{}, err
	}
	_, err = w.CreateMemory(ctx, memory.Memory{
		Name: MemoryName, SourceLang: "nl-NL", TargetLang: "en-GB",
		Description: "The seed article and the team's English translation",
	})
	if err != nil && tolk.ErrorCode(err) != tolk.EEXISTS {
		return Loaded{}, fmt.Errorf("creating the seed memory: %w", err)
	}
	memory.Stamp(units, time.Now())
	if _, err := w.AddUnits(ctx, MemoryName, units, memory.Overwrite); err != nil {
		return Loaded{}, fmt.Errorf("storing the seed units: %w", err)
	}
	_, err = w.CreateGlossary(ctx, glossary.Glossary{
		Name: GlossaryName, SourceLang: "nl-NL", TargetLang: "en-GB",
		Description: "The team's glossary of diplomacy",
	})
	if err != nil && tolk.ErrorCode(err) != tolk.EEXISTS {
		return Loaded{}, fmt.Errorf("creating the seed glossary: %w", err)
	}
	for i := range concepts {
		concepts[i].Glossary = GlossaryName
	}
	if _, err := w.UpsertConcepts(ctx, concepts); err != nil {
		return Loaded{}, fmt.Errorf("storing the seed glossary: %w", err)
	}
	return Loaded{Units: len(units), Concepts: len(concepts)}, nil
}

// LoadIfEmpty loads the seeds only into a database with no memory and no
// glossary concept, so that a user's deletions are not undone at restart.
func LoadIfEmpty(ctx context.Context, mem *memory.Store, gl *glossary.Store) (Loaded, error) {
	ms, err := mem.Memories(ctx)
	if err != nil {
		return Loaded{}, err
	}
	concepts, _, err := gl.Count(ctx)
	if err != nil {
		return Loaded{}, err
	}
	if len(ms) > 0 || concepts > 0 {
		return Loaded{}, nil
	}
	return Load(ctx, mem, gl)
}
