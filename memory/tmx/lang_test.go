package tmx

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tolkdev/tolk/memory"
)

// TestRegionSubtagsKept imports a TMX whose variants are nl-BE and en-US
// (and one unit of plain nl/en) into a real memory: the tags are stored as
// written and exported so, while lookups take nl-BE for Dutch.
func TestRegionSubtagsKept(t *testing.T) {
	ctx := context.Background()
	_, s := openOn(t, filepath.Join(t.TempDir(), "t.db"))
	if _, err := s.CreateMemory(ctx, memory.Memory{Name: "m", SourceLang: "nl-NL", TargetLang: "en-GB"}); err != nil {
		t.Fatal(err)
	}
	doc := `<tmx version="1.4"><header srclang="nl-BE"/><body>
<tu><tuv xml:lang="nl-BE"><seg>De burgemeester van Gent opent de brug.</seg></tuv><tuv xml:lang="en-US"><seg>The mayor of Ghent opens the bridge.</seg></tuv></tu>
<tu><tuv xml:lang="nl"><seg>De minister belt.</seg></tuv><tuv xml:lang="en"><seg>The minister calls.</seg></tuv></tu>
</body></tmx>`
	if _, err := Import(ctx, s, "m", strings.NewReader(doc), Options{}, memory.Overwrite, nil); err != nil {
		t.Fatal(err)
	}
	ms, err := s.Lookup(ctx, memory.Query{Text: "De burgemeester van Gent opent de brug."})
	if err != nil || len(ms) != 1 || ms[0].Score != 100 {
		t.Fatalf("lookup = %+v, %v; want the nl-BE unit at 100", ms, err)
	}
	if u := ms[0].Unit; u.SourceLang != "nl-BE" || u.TargetLang != "en-US" {
		t.Errorf("stored languages %q → %q, want nl-BE → en-US", u.SourceLang, u.TargetLang)
	}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, Header{SrcLang: "nl-NL", TargetLang: "en-GB"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Export(ctx, "m", w.Write); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`xml:lang="nl-BE"`, `xml:lang="en-US"`, `xml:lang="nl"`, `xml:lang="en"`} {
		if !strings.Contains(out, want) {
			t.Errorf("the export lacks %s:\n%s", want, out)
		}
	}
	if strings.Contains(out, `xml:lang="en-GB"`) {
		t.Errorf("a unit took the memory's en-GB instead of its own tag:\n%s", out)
	}
	if _, err := s.Add(ctx, "m", []memory.Unit{{Source: "Hallo.", Target: "Hello.", SourceLang: "fr-BE"}}, memory.Overwrite); err == nil {
		t.Error("a unit whose source is fr-BE was stored")
	}
}
