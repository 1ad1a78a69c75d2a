package tbx

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/internal/shareddata"
)

func FuzzReader(f *testing.F) {
	if dir, ok := shareddata.Root(); ok {
		files, _ := filepath.Glob(filepath.Join(dir, "termbase", "*", "*.tbx"))
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil && len(b) < 32*1024 {
				f.Add(b)
			}
		}
	}
	f.Add([]byte(`<martif><text><body><termEntry><langSet xml:lang="nl"><tig><term>vrede</term></tig></langSet></termEntry></body></text></martif>`))
	f.Add([]byte(`<tbx type="TBX-Min" style="dca" xmlns="urn:iso:std:iso:30042:ed-2"><text><body><conceptEntry id="a"><langSec xml:lang="nl"><termSec><term>x</term></termSec></langSec></conceptEntry></body></text></tbx>`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := NewReader(bytes.NewReader(b))
		if err != nil {
			return
		}
		readAll(t, r) // validates every concept it returns
	})
}

// FuzzWriter checks that whatever concept the writer is given, the reader
// reads its output back.
func FuzzWriter(f *testing.F) {
	f.Add("c1", "vrede", "peace", "note & <x>", "noun")
	f.Fuzz(func(t *testing.T, id, nl, en, note, pos string) {
		c := glossaryConcept(id, nl, en, note, pos)
		var b bytes.Buffer
		w := NewWriter(&b)
		w.Write(c)
		if err := w.Close(); err != nil {
			return
		}
		r, err := NewReader(&b)
		if err != nil {
			t.Fatalf("output unreadable: %v\n%s", err, b.String())
		}
		if _, err := readAll(t, r); err != nil {
			// Invalid input (control characters...) may be rejected, but
			// only as EINVALID with a position.
			if !bytes.Contains([]byte(err.Error()), []byte("line ")) {
				t.Fatalf("unpositioned error %v", err)
			}
		}
	})
}

func glossaryConcept(id, nl, en, note, pos string) glossary.Concept {
	return glossary.Concept{ID: id, Note: note, Terms: []glossary.Term{{Lang: "nl", Text: nl, POS: pos}, {Lang: "en", Text: en}}}
}
