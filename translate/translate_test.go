package translate_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/translate"
)

// newPipeline returns a pipeline over real stores in a temporary bbolt file,
// holding units and concepts.
func newPipeline(t *testing.T, units []memory.Unit, concepts []glossary.Concept) *translate.Pipeline {
	t.Helper()
	ctx := context.Background()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "t.db"), 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	mem, err := memory.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	gl, err := glossary.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mem.CreateMemory(ctx, memory.Memory{Name: "m", SourceLang: "nl", TargetLang: "en"}); err != nil {
		t.Fatal(err)
	}
	if _, err := mem.Add(ctx, "m", units, memory.Overwrite); err != nil {
		t.Fatal(err)
	}
	if _, err := gl.Upsert(ctx, concepts); err != nil {
		t.Fatal(err)
	}
	return &translate.Pipeline{Memory: mem, Glossary: gl}
}

func concept(id, nl, en string, extra ...glossary.Term) glossary.Concept {
	return glossary.Concept{ID: id, Terms: append([]glossary.Term{
		{Lang: "nl", Text: nl, Status: glossary.StatusPreferred},
		{Lang: "en", Text: en, Status: glossary.StatusPreferred},
	}, extra...)}
}

func TestTranslate(t *testing.T) {
	units := []memory.Unit{
		{Source: "De minister bezocht de ambassade.", Target: "The minister visited the embassy."},
		{Source: "Het staakt-het-vuren geldt sinds 26 september 2023.", Target: "The ceasefire has applied since 26 September 2023."},
		{Source: "De president sprak met de minister.", Target: "The president spoke with the minister."},
	}
	concepts := []glossary.Concept{
		concept("embassy", "ambassade", "embassy"),
		concept("ceasefire", "staakt-het-vuren", "ceasefire", glossary.Term{Lang: "en", Text: "cease-fire", Status: glossary.StatusForbidden}),
		concept("minister", "minister", "minister"),
		concept("president", "president", "President"),
	}
	p := newPipeline(t, units, concepts)
	text := "De minister bezocht de ambassade. Het staakt-het-vuren geldt sinds 1 oktober 2023.\n\nIets totaal anders zonder vertaling."
	segs, err := p.Translate(context.Background(), text, translate.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(segs) != 3 {
		t.Fatalf("%d segments, want 3: %+v", len(segs), segs)
	}
	for i, s := range segs {
		if s.Index != i || text[s.Start:s.End] != s.Text {
			t.Errorf("segment %d has index %d and offsets %d-%d for %q", i, s.Index, s.Start, s.End, s.Text)
		}
	}
	if s := segs[0]; s.Status != translate.Exact || s.Target != units[0].Target {
		t.Errorf("segment 0: %v %q, want an exact match", s.Status, s.Target)
	}
	if s := segs[1]; s.Status != translate.Fuzzy || !strings.Contains(s.Target, "1 October 2023") {
		t.Errorf("segment 1: %v %q, want a fuzzy match with the date adapted", s.Status, s.Target)
	}
	if s := segs[2]; s.Status != translate.None || s.Target != "" || s.Best != nil {
		t.Errorf("segment 2: %v %q, want no match", s.Status, s.Target)
	}
	checks := map[string]translate.TermCheck{}
	for _, s := range segs {
		for i, h := range s.Terms {
			if i < len(s.Checks) {
				checks[h.ConceptID] = s.Checks[i]
			}
		}
	}
	for id, want := range map[string]translate.TermCheck{"embassy": translate.TermOK, "minister": translate.TermOK, "ceasefire": translate.TermOK} {
		if checks[id] != want {
			t.Errorf("check of %s = %v, want %v", id, checks[id], want)
		}
	}
}

func TestCheck(t *testing.T) {
	h := glossary.Hit{Targets: []glossary.Term{
		{Lang: "en", Text: "armed force", Status: glossary.StatusPreferred},
		{Lang: "en", Text: "military", Status: glossary.StatusForbidden},
	}}
	tests := []struct {
		draft string
		want  translate.TermCheck
	}{
		{"", translate.Unchecked},
		{"The Armenian armed forces withdrew.", translate.TermOK},
		{"The Armenian military withdrew.", translate.TermForbidden},
		{"The Armenian troops withdrew.", translate.TermMissing},
	}
	for _, tt := range []struct{ draft, term string }{
		{"Weapons were seized.", "seize"},
		{"They were seizing weapons.", "seize"},
		{"The envoys accredited in Baku.", "accredit"},
		{"Two ministries agreed.", "ministry"},
		{"The talks stopped.", "stop"},
		{"Civilians were targeted.", "target"},
	} {
		hit := glossary.Hit{Targets: []glossary.Term{{Lang: "en", Text: tt.term}}}
		if got := translate.Check(tt.draft, hit); got != translate.TermOK {
			t.Errorf("Check(%q) for %q = %v, want ok", tt.draft, tt.term, got)
		}
	}
	for _, tt := range tests {
		if got := translate.Check(tt.draft, h); got != tt.want {
			t.Errorf("Check(%q) = %v, want %v", tt.draft, got, tt.want)
		}
	}
}

func TestOptionsValidated(t *testing.T) {
	p := newPipeline(t, []memory.Unit{{Source: "a", Target: "b"}}, nil)
	for _, opt := range []translate.Options{{MinScore: 10}, {MinScore: 200}, {MaxAlternatives: 50}, {MaxAlternatives: -2}} {
		if _, err := p.Translate(context.Background(), "Een zin.", opt); err == nil {
			t.Errorf("Translate with %+v: no error", opt)
		}
	}
}
