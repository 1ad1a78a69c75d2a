package xliff

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tolkdev/tolk/internal/shareddata"
)

// FuzzRead checks that Read never panics, that what it returns is
// well-formed (known states, term offsets inside the source), and that
// Write and Read give back the same texts and states.
//
//	go test -run XXX -fuzz FuzzRead -fuzztime 60s ./translate/xliff
func FuzzRead(f *testing.F) {
	f.Add([]byte(xliff12))
	f.Add([]byte(xliff20))
	f.Add([]byte(`<xliff version="1.2"><file><body><trans-unit id="1"><source>a<x id="1"/></source></trans-unit></body></file></xliff>`))
	if golden, err := os.ReadFile(filepath.Join("testdata", "sample.xlf")); err == nil {
		f.Add(golden)
	}
	for _, rel := range []string{
		"okapi_xliff12_tests/segsource.xlf", "okapi_xliff12_tests/Balancing/3LevelGTags.xlf",
		"okapi_xliff20_tests/test01.xlf", "okapi_lib-xliff2_validation/valid/everything-core.xlf",
		"okapi_lib-xliff2_validation/valid/withGlossary.xlf", "okapi_lib-xliff2_validation/valid/withMatches.xlf",
		"real_nl/symfony-security-core-security.nl.xlf", "matecat_tests/sdlxliff-with-mrk-and-note.xlf.sdlxliff",
	} {
		b, err := os.ReadFile(shareddata.Path(f, "xliff/"+rel))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		d, err := Read(bytes.NewReader(in))
		if err != nil {
			return
		}
		for _, s := range segs(d) {
			switch s.State {
			case StateInitial, StateTranslated, StateReviewed, StateFinal:
			default:
				t.Fatalf("state %q", s.State)
			}
			for _, tm := range s.Terms {
				if tm.Start < 0 || tm.End < tm.Start || tm.End > len(s.Source) {
					t.Fatalf("term %+v outside source %q", tm, s.Source)
				}
			}
			if !utf8.ValidString(s.Source) || !utf8.ValidString(s.Target) {
				t.Fatalf("invalid UTF-8 in %q / %q", s.Source, s.Target)
			}
		}
		// Write what was read (with ids and languages Write accepts) and
		// read it again.
		w := Document{}
		if isLangTag(d.SrcLang) {
			w.SrcLang = d.SrcLang
		}
		if isLangTag(d.TrgLang) {
			w.TrgLang = d.TrgLang
		}
		for _, file := range d.Files {
			if len(file.Units) == 0 {
				continue
			}
			nf := File{Original: file.Original}
			for _, u := range file.Units {
				nu := Unit{Notes: u.Notes}
				for _, s := range u.Segments {
					nu.Segments = append(nu.Segments, Segment{Source: s.Source, Target: s.Target, State: s.State})
				}
				nf.Units = append(nf.Units, nu)
			}
			w.Files = append(w.Files, nf)
		}
		if len(w.Files) == 0 {
			return
		}
		var b bytes.Buffer
		if err := Write(&b, w); err != nil {
			t.Fatalf("Write of what Read returned: %v", err)
		}
		back, err := Read(io.MultiReader(&b))
		if err != nil {
			t.Fatalf("Read of what Write wrote: %v\n%s", err, b.String())
		}
		type text struct{ src, trg, state string }
		var want, got []text
		for _, s := range segs(w) {
			want = append(want, text{s.Source, s.Target, s.State})
		}
		for _, s := range segs(back) {
			got = append(got, text{s.Source, s.Target, s.State})
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("round trip changed the segments\n got %q\nwant %q", got, want)
		}
		var wn, gn []string
		for _, f := range w.Files {
			for _, u := range f.Units {
				wn = append(wn, strings.Join(u.Notes, "|"))
			}
		}
		for _, f := range back.Files {
			for _, u := range f.Units {
				gn = append(gn, strings.Join(u.Notes, "|"))
			}
		}
		if !reflect.DeepEqual(gn, wn) {
			t.Fatalf("round trip changed the notes\n got %q\nwant %q", gn, wn)
		}
	})
}

// xmlSafe is what Write makes of text outside inline content: characters
// XML cannot carry, and invalid UTF-8 bytes, become U+FFFD.
func xmlSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		if !isXMLChar(r) {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String()
}

// FuzzWrite checks that Write escapes any text so that Read gives it back:
// inline content exactly (characters XML cannot carry travel as <cp/>),
// other text with those characters replaced.
//
//	go test -run XXX -fuzz FuzzWrite -fuzztime 60s ./translate/xliff
func FuzzWrite(f *testing.F) {
	f.Add("De kat & de <hond>.", "The \"cat\".", "note\r\nline", "memory:a b", "Kat", 3, 6)
	f.Add("\x00\x01 \U00100000x\U00100001 \uFFFE\r", "\t\n", "]]>", "\"'<&>", "", 0, 1)
	f.Add("\xff\xfe bad", "", "\x7f", "", "t", 1, 2)
	f.Add("", "", "", "", "", 0, 0)
	f.Fuzz(func(t *testing.T, src, trg, note, origin, term string, start, end int) {
		seg := Segment{
			Source: src, Target: trg, State: StateTranslated,
			Matches: []Match{{Similarity: 50, Origin: origin, Source: trg, Target: src, Ref: origin}},
			Terms:   []Term{{Source: term, Translation: note, Status: origin, Start: start, End: end}},
		}
		d := Document{Files: []File{{Original: origin, Units: []Unit{{Notes: []string{note}, Segments: []Segment{seg}}}}}}
		var b bytes.Buffer
		if err := Write(&b, d); err != nil {
			// Only the term's offsets can be wrong.
			if start == end || start >= 0 && end >= start && end <= len(src) && boundary(src, start) && boundary(src, end) {
				t.Fatalf("Write: %v", err)
			}
			return
		}
		back, err := Read(&b)
		if err != nil {
			t.Fatalf("Read of what Write wrote: %v\n%s", err, b.String())
		}
		s := back.Files[0].Units[0].Segments[0]
		inline := func(s string) string { return string([]rune(s)) } // invalid UTF-8 bytes → U+FFFD
		if s.Source != renumbered(inline(src)) || s.Target != renumbered2(inline(src), inline(trg)) {
			t.Errorf("texts %q / %q, want %q / %q", s.Source, s.Target, inline(src), inline(trg))
		}
		if len(s.Matches) != 1 || s.Matches[0].Origin != xmlSafe(origin) || s.Matches[0].Ref != xmlSafe(origin) {
			t.Errorf("match %+v, want origin and ref %q", s.Matches, xmlSafe(origin))
		}
		if len(s.Terms) != 1 || s.Terms[0].Source != xmlSafe(term) || s.Terms[0].Translation != xmlSafe(note) {
			t.Errorf("term %+v, want %q → %q", s.Terms, xmlSafe(term), xmlSafe(note))
		}
		if n := back.Files[0].Units[0].Notes; len(n) != 1 || n[0] != xmlSafe(note) {
			t.Errorf("notes %q, want %q", n, xmlSafe(note))
		}
		if back.Files[0].Original != xmlSafe(origin) {
			t.Errorf("original %q, want %q", back.Files[0].Original, xmlSafe(origin))
		}
	})
}

// renumbered and renumbered2 apply Read's numbering of code placeholders.
func renumbered(src string) string {
	s, _, _ := renumber(src, "", nil)
	return s
}

func renumbered2(src, trg string) string {
	_, t, _ := renumber(src, trg, nil)
	return t
}
