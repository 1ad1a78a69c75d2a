package tmx

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tolkdev/tolk/memory"
)

// TestMissingDatesStayAbsent imports units with and without creationdate
// into a real memory: the undated one is stored without dates (not dated
// by the import), exported without creationdate or changedate, and ranks
// after the dated one of the same score (SCORING.md §4).
func TestMissingDatesStayAbsent(t *testing.T) {
	ctx := context.Background()
	_, s := openOn(t, filepath.Join(t.TempDir(), "t.db"))
	if _, err := s.CreateMemory(ctx, memory.Memory{Name: "m", SourceLang: "nl", TargetLang: "en"}); err != nil {
		t.Fatal(err)
	}
	doc := `<tmx version="1.4"><header srclang="nl"/><body>
<tu><tuv xml:lang="nl"><seg>De minister opent de brug.</seg></tuv><tuv xml:lang="en"><seg>The minister opens the bridge.</seg></tuv></tu>
<tu creationdate="20200102T030405Z"><tuv xml:lang="nl"><seg>De minister opent de brug.</seg></tuv><tuv xml:lang="en"><seg>The minister is opening the bridge.</seg></tuv></tu>
</body></tmx>`
	if _, err := Import(ctx, s, "m", strings.NewReader(doc), Options{}, memory.KeepBoth, nil); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w, err := NewWriter(&buf, Header{})
	if err != nil {
		t.Fatal(err)
	}
	var units []memory.Unit
	if err := s.Export(ctx, "m", func(u memory.Unit) error { units = append(units, u); return w.Write(u) }); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if len(units) != 2 || !units[0].Created.IsZero() || !units[0].Changed.IsZero() {
		t.Fatalf("stored %+v, want the first unit without dates", units)
	}
	if want := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC); !units[1].Created.Equal(want) {
		t.Errorf("the dated unit was created %v, want %v", units[1].Created, want)
	}
	out := buf.String()
	if n := strings.Count(out, "creationdate="); n != 1 || strings.Contains(out, "changedate=") {
		t.Errorf("the export has %d creationdates (want 1) or a changedate:\n%s", n, out)
	}
	ms, err := s.Lookup(ctx, memory.Query{Text: "De minister opent de brug."})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Unit.Target != "The minister is opening the bridge." {
		t.Errorf("matches %+v, want the dated unit first", ms)
	}
}
