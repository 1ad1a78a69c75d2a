package glossary

import (
	"context"
	"encoding/binary"
	"io"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tolkdev/tolk"
)

func nlEn(id, g, nl, en string) Concept {
	return Concept{ID: id, Glossary: g, Terms: []Term{{Lang: "nl", Text: nl}, {Lang: "en", Text: en, Status: StatusPreferred}}}
}

func TestGlossaryLifecycle(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	if _, err := s.CreateGlossary(ctx, Glossary{Name: "house", Description: "the house style", TargetLang: "en-GB"}); err != nil {
		t.Fatal(err)
	}
	_, err := s.CreateGlossary(ctx, Glossary{Name: "house"})
	if tolk.ErrorReason(err) != tolk.ReasonGlossaryExists {
		t.Fatalf("second create: %v, want GLOSSARY_EXISTS", err)
	}
	if _, err := s.CreateGlossary(ctx, Glossary{Name: "bad name"}); tolk.ErrorCode(err) != tolk.EINVALID || tolk.ErrorField(err) != "name" {
		t.Fatalf("bad name: %v", err)
	}
	// Unknown glossary: refused, nothing stored.
	_, err = s.Upsert(ctx, []Concept{nlEn("", "nope", "verdrag", "treaty")})
	if tolk.ErrorReason(err) != tolk.ReasonGlossaryNotFound || tolk.ErrorField(err) != "glossary" {
		t.Fatalf("upsert into unknown glossary: %v", err)
	}
	if n, _, _ := s.Count(ctx); n != 0 {
		t.Fatalf("%d concepts after a refused write", n)
	}
	// No name: the default glossary, created on demand.
	if _, err := s.Upsert(ctx, []Concept{nlEn("", "", "verdrag", "treaty")}); err != nil {
		t.Fatal(err)
	}
	// The same terms in another glossary are another concept.
	res, err := s.Upsert(ctx, []Concept{nlEn("", "house", "verdrag", "accord")})
	if err != nil || res.Created != 1 {
		t.Fatalf("upsert into house: %+v %v, want one created", res, err)
	}
	// An id of another glossary is refused.
	mainID := s.FindIn("het verdrag", time.Time{}, []string{DefaultGlossary})[0].ConceptID
	_, err = s.Upsert(ctx, []Concept{nlEn(mainID, "house", "pact", "pact")})
	if tolk.ErrorCode(err) != tolk.EINVALID || tolk.ErrorField(err) != "concepts[0].id" {
		t.Fatalf("id of another glossary: %v", err)
	}
	// By id without a glossary: stays in its own.
	if _, err := s.Upsert(ctx, []Concept{nlEn(mainID, "", "verdrag", "treaty")}); err != nil {
		t.Fatal(err)
	}
	if c, _ := s.Concept(ctx, mainID); c.Glossary != DefaultGlossary {
		t.Fatalf("rewritten by id: in %q", c.Glossary)
	}
	// Import into house of a record with main's id: stored by its terms
	// (merged into house's verdrag), with a warning; main keeps its own.
	recs := []Concept{nlEn(mainID, "", "verdrag", "accord")}
	res, err = s.Import(ctx, "house", SourceFunc(func() (Concept, error) {
		if len(recs) == 0 {
			return Concept{}, io.EOF
		}
		c := recs[0]
		recs = recs[1:]
		return c, nil
	}), nil)
	if err != nil || res.Updated != 1 || len(res.Warnings) != 1 {
		t.Fatalf("import with another glossary's id: %+v %v", res, err)
	}
	if c, _ := s.Concept(ctx, mainID); c.Glossary != DefaultGlossary || len(c.Terms) != 2 {
		t.Fatalf("main's concept after the import: %+v", c)
	}
	gs, err := s.Glossaries(ctx)
	if err != nil || len(gs) != 2 || gs[0].Name != "house" || gs[0].Concepts != 1 || gs[1].Name != DefaultGlossary || gs[1].Concepts != 1 {
		t.Fatalf("Glossaries = %+v, %v", gs, err)
	}
	desc := "desk B"
	g, err := s.UpdateGlossary(ctx, "house", GlossaryUpdate{Description: &desc})
	if err != nil || g.Description != desc || g.TargetLang != "en-GB" {
		t.Fatalf("update: %+v %v", g, err)
	}
	if _, err := s.UpdateGlossary(ctx, "nope", GlossaryUpdate{Description: &desc}); tolk.ErrorReason(err) != tolk.ReasonGlossaryNotFound {
		t.Fatalf("update unknown: %v", err)
	}
	if err := s.CheckGlossaries("glossaries", []string{"house", "nope"}); tolk.ErrorReason(err) != tolk.ReasonGlossaryNotFound || tolk.ErrorField(err) != "glossaries[1]" {
		t.Fatalf("CheckGlossaries: %v", err)
	}
	var n int
	if err := s.Each(ctx, Filter{Glossary: "house"}, func(c Concept) error { n++; return nil }); err != nil || n != 1 {
		t.Fatalf("Each in house: %d %v", n, err)
	}
	if gone, err := s.DeleteGlossary(ctx, "house"); err != nil || gone != 1 {
		t.Fatalf("delete: %d %v", gone, err)
	}
	if hits := s.Find("het verdrag", time.Time{}); len(hits) != 1 || hits[0].Glossary != DefaultGlossary || hits[0].Others != nil {
		t.Fatalf("after delete: %+v", hits)
	}
	if _, err := s.DeleteGlossary(ctx, "house"); tolk.ErrorReason(err) != tolk.ReasonGlossaryNotFound {
		t.Fatalf("delete twice: %v", err)
	}
	// Reopened, the glossaries are still there.
	s2, err := Open(ctx, s.db)
	if err != nil {
		t.Fatal(err)
	}
	if gs, _ := s2.Glossaries(ctx); len(gs) != 1 || gs[0].Name != DefaultGlossary || gs[0].Concepts != 1 {
		t.Fatalf("after reopen: %+v", gs)
	}
}

func TestFindInPriority(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	for _, g := range []string{"diplomatic", "house"} {
		if _, err := s.CreateGlossary(ctx, Glossary{Name: g}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Upsert(ctx, []Concept{nlEn("d1", "diplomatic", "verdrag", "treaty"), nlEn("d2", "diplomatic", "gezant", "envoy")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Upsert(ctx, []Concept{nlEn("h1", "house", "verdrag", "accord"), nlEn("h2", "house", "vredesverdrag", "peace deal")}); err != nil {
		t.Fatal(err)
	}
	text := "De gezant tekende het verdrag."
	for _, tc := range []struct {
		order      []string
		want, also string
	}{
		{[]string{"house", "diplomatic"}, "accord", "treaty"},
		{[]string{"diplomatic", "house"}, "treaty", "accord"},
	} {
		var got *Hit
		hits := s.FindIn(text, time.Time{}, tc.order)
		for i := range hits {
			if hits[i].Text == "verdrag" {
				if got != nil {
					t.Fatalf("%v: two hits for verdrag: %+v", tc.order, hits)
				}
				got = &hits[i]
			}
		}
		if got == nil || got.Targets[0].Text != tc.want || got.Glossary != tc.order[0] {
			t.Fatalf("%v: hit %+v, want %q from %s", tc.order, got, tc.want, tc.order[0])
		}
		if len(got.Others) != 1 || got.Others[0].Targets[0].Text != tc.also || got.Others[0].Glossary != tc.order[1] {
			t.Fatalf("%v: others %+v, want %q from %s", tc.order, got.Others, tc.also, tc.order[1])
		}
	}
	// Only the diplomatic glossary: no house term, not even the longer one.
	hits := s.FindIn("het vredesverdrag", time.Time{}, []string{"diplomatic"})
	if len(hits) != 1 || hits[0].ConceptID != "d1" || !hits[0].Compound || hits[0].Others != nil {
		t.Fatalf("diplomatic only: %+v", hits)
	}
	// A compound whose longest head is house's: the diplomatic search
	// finds its shorter head.
	hits = s.FindIn("het handelsvredesverdrag", time.Time{}, []string{"diplomatic"})
	if len(hits) != 1 || hits[0].ConceptID != "d1" || !hits[0].Compound || hits[0].Text != "verdrag" {
		t.Fatalf("handelsvredesverdrag, diplomatic only: %+v", hits)
	}
	hits = s.FindIn("het handelsvredesverdrag", time.Time{}, []string{"house"})
	if len(hits) != 1 || hits[0].ConceptID != "h2" || hits[0].Text != "vredesverdrag" {
		t.Fatalf("handelsvredesverdrag, house only: %+v", hits)
	}
	hits = s.FindIn("het vredesverdrag", time.Time{}, []string{"house"})
	if len(hits) != 1 || hits[0].ConceptID != "h2" {
		t.Fatalf("house only: %+v", hits)
	}
	if hits := s.FindIn("De gezant", time.Time{}, []string{"house"}); len(hits) != 0 {
		t.Fatalf("gezant in house: %+v", hits)
	}
	// All glossaries: name order.
	hits = s.FindIn("het verdrag", time.Time{}, nil)
	if len(hits) != 1 || hits[0].Glossary != "diplomatic" || len(hits[0].Others) != 1 {
		t.Fatalf("all: %+v", hits)
	}
}

// encodeV1 writes a concept as schema 1 did (no glossary name).
func encodeV1(c *Concept) []byte {
	b := []byte{1}
	for _, s := range [...]string{c.ID, c.Subject, c.Definition, c.Note} {
		b = appendString(b, s)
	}
	for _, t := range [...]time.Time{c.ValidFrom, c.ValidUntil, c.Changed} {
		b = appendTime(b, t)
	}
	b = binary.AppendUvarint(b, uint64(len(c.Terms)))
	for _, t := range c.Terms {
		for _, s := range [...]string{t.Lang, t.Text, string(t.Status), t.POS, t.Usage, t.Example, t.Note} {
			b = appendString(b, s)
		}
	}
	return b
}

func TestMigrateSchema1(t *testing.T) {
	ctx := context.Background()
	db, _ := openDB(t)
	c := nlEn("c1", "", "verdrag", "treaty")
	err := db.Update(func(tx *bbolt.Tx) error {
		meta, err := tx.CreateBucket(bucketMeta)
		if err != nil {
			return err
		}
		if err := meta.Put(schemaKey, []byte("1")); err != nil {
			return err
		}
		bc, err := tx.CreateBucket(bucketConcepts)
		if err != nil {
			return err
		}
		bt, err := tx.CreateBucket(bucketTerms)
		if err != nil {
			return err
		}
		for _, tm := range c.Terms {
			if err := bt.Put(termKey(tm, c.ID), nil); err != nil {
				return err
			}
		}
		return bc.Put([]byte(c.ID), encodeV1(&c))
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Concept(ctx, "c1")
	if err != nil || got.Glossary != DefaultGlossary {
		t.Fatalf("migrated concept: %+v %v", got, err)
	}
	if gs, _ := s.Glossaries(ctx); len(gs) != 1 || gs[0].Name != DefaultGlossary || gs[0].Concepts != 1 {
		t.Fatalf("glossaries after migration: %+v", gs)
	}
	if hits := s.FindIn("het verdrag", time.Time{}, []string{DefaultGlossary}); len(hits) != 1 || hits[0].Glossary != DefaultGlossary {
		t.Fatalf("hits after migration: %+v", hits)
	}
	_ = db.View(func(tx *bbolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get(schemaKey); string(v) != schemaVersion {
			t.Errorf("schema %q after migration, want %q", v, schemaVersion)
		}
		return nil
	})
	// Opening again migrates nothing and keeps it.
	if s, err = Open(ctx, db); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Concept(ctx, "c1"); got.Glossary != DefaultGlossary {
		t.Fatalf("after reopen: %+v", got)
	}
}
