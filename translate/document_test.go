package translate_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/internal/shareddata"
	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/memory/tmx"
	"github.com/tolkdev/tolk/segment"
	"github.com/tolkdev/tolk/translate"
	"github.com/tolkdev/tolk/translate/xliff"
	"go.etcd.io/bbolt"
)

// TestRealXLIFFImports reads every real Dutch–English XLIFF file of the
// shared data as a memory import does, stores the units in a real memory
// with their inline codes, and exports them as TMX with the codes intact.
func TestRealXLIFFImports(t *testing.T) {
	dir := shareddata.Path(t, "xliff/real_nl")
	for _, tc := range []struct {
		file           string
		units, skipped int
		withCodes      int    // units whose source holds inline codes
		source, target string // one unit, after turning round
		langs          string // the units' languages as the file writes them, after turning round
		err            tolk.Code
	}{
		// 4 targets in state needs-translation (English copied)
		{file: "symfony-validator-validators.nl.xlf", units: 112, skipped: 4, source: "Deze waarde mag niet leeg zijn.", target: "This value should not be blank."},
		{file: "symfony-security-core-security.nl.xlf", units: 19, source: "Ongeldige inloggegevens.", target: "Invalid credentials."},
		{file: "badgr-ui-messages.nl.xlf", units: 47, skipped: 13, withCodes: 1},
		// 201 targets in state new, 8 that are only codes or white space
		{file: "peertube-angular.nl-NL.xlf.gz", units: 2039, skipped: 209, withCodes: 1, langs: "nl-NL en-US"},
		{file: "wise-client-messages.nl.xlf.gz", skipped: 2611},         // every target needs translation
		{file: "kadaster-sensrnet-messages.nl.xlf", err: tolk.EINVALID}, // labelled nl → nl
	} {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			head := make([]byte, 2048)
			n, _ := f.Read(head)
			if !translate.IsXLIFFFile(head[:n]) {
				t.Fatalf("IsXLIFFFile: not XLIFF")
			}
			f.Seek(0, 0)
			units, skipped, err := translate.ReadXLIFFUnits(f, 64<<20)
			if tc.err != "" {
				if tolk.ErrorCode(err) != tc.err {
					t.Fatalf("ReadXLIFFUnits = %v, want a %s error", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(units) != tc.units || skipped != tc.skipped {
				t.Errorf("%d units, %d skipped; want %d and %d", len(units), skipped, tc.units, tc.skipped)
			}
			codes := 0
			for _, u := range units {
				if len(u.SourceCodes) > 0 {
					codes++
				}
			}
			if codes < tc.withCodes {
				t.Errorf("%d units with inline codes, want at least %d", codes, tc.withCodes)
			}
			if tc.langs != "" && len(units) > 0 && units[0].SourceLang+" "+units[0].TargetLang != tc.langs {
				t.Errorf("languages %q %q, want %s (region subtags kept)", units[0].SourceLang, units[0].TargetLang, tc.langs)
			}
			if tc.source != "" && !hasUnit(units, tc.source, tc.target) {
				t.Errorf("no unit %q → %q (turned round from en→nl)", tc.source, tc.target)
			}
			if len(units) > 0 {
				storeAndExport(t, units)
			}
		})
	}
}

func hasUnit(units []memory.Unit, src, trg string) bool {
	for _, u := range units {
		if u.Source == src && u.Target == trg {
			return true
		}
	}
	return false
}

// storeAndExport adds units to a memory in a real bbolt file and writes
// them as TMX: every code a unit's text refers to must be there.
func storeAndExport(t *testing.T, units []memory.Unit) {
	t.Helper()
	ctx := context.Background()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "t.db"), 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mem, err := memory.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mem.CreateMemory(ctx, memory.Memory{Name: "m", SourceLang: "nl", TargetLang: "en"}); err != nil {
		t.Fatal(err)
	}
	res, err := mem.Add(ctx, "m", units, memory.KeepBoth)
	if err != nil {
		t.Fatalf("storing the units: %v", err)
	}
	if res.Added == 0 {
		t.Fatalf("no unit added: %+v", res)
	}
	var b bytes.Buffer
	if err := tmx.WriteAll(&b, tmx.Header{SrcLang: "nl"}, units); err != nil {
		t.Fatalf("TMX export: %v", err)
	}
}

// TestUnitsFromXLIFF: drafts are skipped and counted, en→nl is turned
// round, codes become TMX codes with the original data, other languages
// are refused.
func TestUnitsFromXLIFF(t *testing.T) {
	codes := []xliff.Code{{Kind: xliff.CodeOpen, ID: "1", Data: "<b>"}, {Kind: xliff.CodeClose, ID: "1", Data: "</b>"}, {Kind: xliff.CodeStandalone, ID: "2", Data: "<br/>"}}
	c := func(n int) string { return string(segment.CodeRune(n)) }
	doc := func(src, trg string) xliff.Document {
		return xliff.Document{SrcLang: src, TrgLang: trg, Files: []xliff.File{{Units: []xliff.Unit{{Segments: []xliff.Segment{
			{Source: "Een " + c(0) + "vet" + c(1) + " woord." + c(2), Target: "A " + c(0) + "bold" + c(1) + " word." + c(2), State: xliff.StateTranslated, Codes: codes},
			{Source: "Concept.", Target: "Draft.", State: xliff.StateInitial},
			{Source: "Leeg.", State: xliff.StateTranslated},
			{Source: c(2), Target: c(2), State: xliff.StateFinal, Codes: codes[2:]},
		}}}}}}
	}
	units, skipped, err := translate.UnitsFromXLIFF(doc("nl-NL", "en-GB"))
	if err != nil || len(units) != 1 || skipped != 3 {
		t.Fatalf("nl→en: %d units, %d skipped, %v; want 1, 3", len(units), skipped, err)
	}
	u := units[0]
	want := []memory.Code{{Kind: "bpt", I: "1", Content: "&lt;b&gt;"}, {Kind: "ept", I: "1", Content: "&lt;/b&gt;"}, {Kind: "ph", Content: "&lt;br/&gt;"}}
	if len(u.SourceCodes) != 3 || u.SourceCodes[0] != want[0] || u.SourceCodes[1] != want[1] || u.SourceCodes[2] != want[2] {
		t.Errorf("codes %+v, want %+v", u.SourceCodes, want)
	}
	units, _, err = translate.UnitsFromXLIFF(doc("en-US", "nl"))
	if err != nil || len(units) != 1 || !strings.HasPrefix(units[0].Source, "A ") {
		t.Errorf("en→nl: %+v, %v; want the unit turned round", units, err)
	}
	if _, _, err := translate.UnitsFromXLIFF(doc("de", "en")); tolk.ErrorCode(err) != tolk.EINVALID {
		t.Errorf("de→en: %v, want EINVALID", err)
	}
}

// TestIsXLIFFFile: the root element decides, whatever its prefix, plain or
// gzip-compressed; a TMX file that mentions <xliff> in a comment is TMX.
func TestIsXLIFFFile(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		z := gzip.NewWriter(&b)
		z.Write([]byte(s))
		z.Close()
		return b.Bytes()
	}
	xlf := `<?xml version="1.0"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file>`
	for _, tc := range []struct {
		name string
		head []byte
		want bool
	}{
		{"plain", []byte(xlf), true},
		{"prefixed", []byte(`<?xml version="1.0"?><x:xliff xmlns:x="urn:oasis:names:tc:xliff:document:2.0" version="2.0">`), true},
		{"comment first", []byte(`<!-- made by a tool --><xliff version="1.2">`), true},
		{"gzip", gz(xlf), true},
		{"TMX mentioning xliff", []byte(`<?xml version="1.0"?><!-- converted from <xliff> --><tmx version="1.4"><header/>`), false},
		{"gzip TMX", gz(`<tmx version="1.4">`), false},
		{"text", []byte("<xliff is not a root here"), false},
	} {
		if got := translate.IsXLIFFFile(tc.head); got != tc.want {
			t.Errorf("%s: IsXLIFFFile = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestCodeCheck: a draft that lacks inline codes of its segment, or holds
// codes the segment does not, says how many; one with the same codes is
// OK. The numbers of the codes do not count, only how many there are.
// (Since drafts carry the query's codes, a draft from memory never holds
// more codes than its segment.)
func TestCodeCheck(t *testing.T) {
	c := func(n int) string { return string(segment.CodeRune(n)) }
	bold := []memory.Code{{Kind: "bpt", I: "1", Content: "&lt;b&gt;"}, {Kind: "ept", I: "1", Content: "&lt;/b&gt;"}}
	p := newPipeline(t, []memory.Unit{
		{Source: "Klik " + c(0) + "hier" + c(1) + " om te beginnen.", Target: "Click here to start.", SourceCodes: bold},
		{Source: "Lees " + c(0) + "dit" + c(1) + " eerst.", Target: "Read " + c(0) + "this" + c(1) + " first.", SourceCodes: bold, TargetCodes: bold},
	}, nil)
	for _, tc := range []struct {
		text string
		want translate.CodeCheck
	}{
		{"Klik " + c(0) + "hier" + c(1) + " om te beginnen.", translate.CodeCheck{Missing: 2}},
		{"Lees " + c(0) + "dit" + c(1) + " eerst.", translate.CodeCheck{}},
		// The draft follows the query's codes: the unit's two are left
		// out of it (Best.Codes.Dropped), so none is extra.
		{"Lees dit eerst.", translate.CodeCheck{}},
	} {
		segs, err := p.Translate(context.Background(), tc.text, translate.Options{SkipGlossary: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(segs) != 1 || segs[0].Target == "" {
			t.Fatalf("%q: %+v, want one drafted segment", tc.text, segs)
		}
		if got := segs[0].Codes; got != tc.want {
			t.Errorf("%q → %q: code check %+v, want %+v", tc.text, segs[0].Target, got, tc.want)
		}
	}
}

// TestTranslated: which targets of a translated XLIFF file confirm takes,
// over every state, Tolk's source copies as OmegaT 3.6 leaves them, and
// --accept-state new.
func TestTranslated(t *testing.T) {
	const src, draft, own = "De hond blaft.", "The dog barks.", "The dog is barking."
	tolkDraft := []xliff.Match{{Similarity: 100, Origin: "seed", Tool: xliff.ToolTolk, Source: src, Target: draft}}
	otherDraft := []xliff.Match{{Similarity: 100, Origin: "mt", Tool: "other", Source: src, Target: draft}}
	copyOf := func(target string, m []xliff.Match) xliff.Segment {
		return xliff.Segment{Source: src, Target: target, State: xliff.StateInitial, StateQualifier: xliff.QualifierSourceCopy, Matches: m}
	}
	tests := []struct {
		name         string
		s            xliff.Segment
		want, accept bool // without and with --accept-state new
	}{
		{"translated", xliff.Segment{Source: src, Target: own, State: xliff.StateTranslated}, true, true},
		{"reviewed", xliff.Segment{Source: src, Target: own, State: xliff.StateReviewed}, true, true},
		{"final", xliff.Segment{Source: src, Target: own, State: xliff.StateFinal}, true, true},
		{"final, same as the source", xliff.Segment{Source: src, Target: src, State: xliff.StateFinal}, true, true},
		{"no target", xliff.Segment{Source: src, State: xliff.StateTranslated}, false, false},
		{"blank target", xliff.Segment{Source: src, Target: " \t", State: xliff.StateTranslated}, false, false},
		{"initial draft", xliff.Segment{Source: src, Target: draft, State: xliff.StateInitial}, false, true},
		{"initial, foreign qualifier", xliff.Segment{Source: src, Target: own, State: xliff.StateInitial, StateQualifier: "exact-match"}, false, true},
		{"initial, same as the source", xliff.Segment{Source: src, Target: src, State: xliff.StateInitial}, false, false},
		{"Tolk's copy untouched", copyOf(src, tolkDraft), false, false},
		{"Tolk's copy, spaces added", copyOf(" "+src+"\n", tolkDraft), false, false},
		{"Tolk's copy translated", copyOf(own, tolkDraft), true, true},
		{"Tolk's copy translated, no draft", copyOf(own, nil), true, true},
		{"Tolk's copy holding Tolk's draft", copyOf(draft, tolkDraft), false, true},
		{"Tolk's copy holding another tool's candidate", copyOf(draft, otherDraft), true, true},
		{"Tolk's copy holding Tolk's second candidate", copyOf("The dog barked.", append(tolkDraft[:1:1],
			xliff.Match{Similarity: 80, Tool: xliff.ToolTolk, Source: "De hond blafte.", Target: "The dog barked."})), false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := translate.Translated(tt.s, false); got != tt.want {
				t.Errorf("Translated(%+v, false) = %v, want %v", tt.s, got, tt.want)
			}
			if got := translate.Translated(tt.s, true); got != tt.accept {
				t.Errorf("Translated(%+v, true) = %v, want %v", tt.s, got, tt.accept)
			}
		})
	}
}

// TestConfirmedSegments: the translated segments in order with the skipped
// counted; a target whose codes differ from its source's, or a document in
// other languages, is refused with the segment or the languages named.
func TestConfirmedSegments(t *testing.T) {
	c := func(n int) string { return string(segment.CodeRune(n)) }
	codes := []xliff.Code{{Kind: xliff.CodeStandalone, ID: "1", Data: `<x id="1"/>`}, {Kind: xliff.CodeStandalone, ID: "2", Data: `<x id="2"/>`}}
	doc := func(target string) xliff.Document {
		return xliff.Document{SrcLang: "nl-NL", TrgLang: "en", Files: []xliff.File{{Original: "a.txt", Units: []xliff.Unit{
			{ID: "u1", Segments: []xliff.Segment{
				{ID: "s1", Source: "Concept.", Target: "Draft.", State: xliff.StateInitial},
				{ID: "s2", Source: "Een" + c(0) + " woord.", Target: target, State: xliff.StateTranslated, Codes: codes},
			}},
			{ID: "u2", Segments: []xliff.Segment{{ID: "s3", Source: "Ja.", Target: "Yes.", State: xliff.StateFinal}}},
		}}}}
	}
	segs, skipped, err := translate.ConfirmedSegments(doc("A"+c(0)+" word."), false)
	if err != nil || skipped != 1 || len(segs) != 2 || segs[0].ID != "s2" || segs[1].ID != "s3" {
		t.Fatalf("ConfirmedSegments = %+v, %d, %v; want s2 and s3, 1 skipped", segs, skipped, err)
	}
	for _, tt := range []struct{ name, target, want string }{
		{"code missing", "A word.", `lacks the source's inline code <x id="1"/>`},
		{"code added", "A" + c(0) + " word" + c(1) + ".", `has the inline code <x id="2"/>, which its source has not`},
		{"code twice", "A" + c(0) + " word" + c(0) + ".", `has the inline code <x id="1"/> 2 times, its source 1`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			segs, _, err := translate.ConfirmedSegments(doc(tt.target), false)
			if tolk.ErrorCode(err) != tolk.EINVALID || tolk.ErrorField(err) != "Files[0].Units[0].Segments[1]" ||
				!strings.Contains(err.Error(), `unit "u1", segment "s2"`) || !strings.Contains(err.Error(), tt.want) || segs != nil {
				t.Errorf("ConfirmedSegments = %d segments, %v (field %q); want EINVALID naming unit u1, segment s2 and %q",
					len(segs), err, tolk.ErrorField(err), tt.want)
			}
		})
	}
	for _, langs := range [][2]string{{"de", "en"}, {"en-US", "nl"}, {"nl", "fr"}} {
		d := doc("A" + c(0) + " word.")
		d.SrcLang, d.TrgLang = langs[0], langs[1]
		if _, _, err := translate.ConfirmedSegments(d, false); tolk.ErrorCode(err) != tolk.EINVALID ||
			!strings.Contains(err.Error(), langs[0]+" into "+langs[1]) {
			t.Errorf("%s→%s: %v, want EINVALID naming the languages", langs[0], langs[1], err)
		}
	}
}
