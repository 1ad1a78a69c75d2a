package xliff

import (
	"bytes"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/internal/shareddata"
)

func mustRead(t *testing.T, s string) Document {
	t.Helper()
	d, err := Read(strings.NewReader(s))
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return d
}

// segs returns the segments of every file in order.
func segs(d Document) []Segment {
	var out []Segment
	for _, f := range d.Files {
		for _, u := range f.Units {
			out = append(out, u.Segments...)
		}
	}
	return out
}

const xliff12 = `<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0">
<file original="a.html" source-language="nl-NL" target-language="en-GB" datatype="html">
<header><skl><external-file href="a.skl"/></skl></header>
<body>
<group id="g">
<trans-unit id="1">
<source>Klik <g id="1">hier</g> voor <x id="2"/>meer<bpt id="3">&lt;b&gt;</bpt>info<ept id="3">&lt;/b&gt;</ept>.</source>
<target state="needs-review-translation">Click <g id="1">here</g> for <x id="2"/>more<bpt id="3">&lt;b&gt;</bpt>info<ept id="3">&lt;/b&gt;</ept>.</target>
<alt-trans match-quality="80"><source>Klik hier.</source><target>Click here.</target></alt-trans>
<note from="developer">Knop op de startpagina</note>
</trans-unit>
</group>
<trans-unit id="2" translate="no"><source>Tolk</source><target>Tolk</target></trans-unit>
<trans-unit id="3">
<source>Eén. Twee.</source>
<seg-source><mrk mtype="seg" mid="a">Eén.</mrk> <mrk mtype="seg" mid="b">Twee.</mrk></seg-source>
<target><mrk mtype="seg" mid="a">One.</mrk> <mrk mtype="seg" mid="b"></mrk></target>
<sdl:seg-defs><sdl:seg id="a" conf="ApprovedSignOff"/><sdl:seg id="b" conf="Draft"/></sdl:seg-defs>
</trans-unit>
<trans-unit id="4" approved="yes"><source>Ja</source><target>Yes</target></trans-unit>
<trans-unit id="5"><source>Nee</source></trans-unit>
<trans-unit id="6"><source>Dag</source><target state="x-custom">Bye</target></trans-unit>
</body>
</file>
</xliff>`

func TestRead12(t *testing.T) {
	d := mustRead(t, xliff12)
	if d.SrcLang != "nl-NL" || d.TrgLang != "en-GB" {
		t.Errorf("languages %q → %q", d.SrcLang, d.TrgLang)
	}
	f := d.Files[0]
	if f.Original != "a.html" || f.ID != "" {
		t.Errorf("file %q %q", f.ID, f.Original)
	}
	var ids []string
	for _, u := range f.Units {
		ids = append(ids, u.ID)
	}
	if want := []string{"1", "3", "4", "5", "6"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("units %v, want %v (translate=no skipped)", ids, want)
	}
	u1 := f.Units[0]
	// <g> is two codes around its text; the data of an empty code is the
	// element, of a code with content its native code.
	want := Segment{
		ID:         "1",
		Source:     "Klik \U00100000hier\U00100001 voor \U00100002meer\U00100003info\U00100004.",
		Target:     "Click \U00100000here\U00100001 for \U00100002more\U00100003info\U00100004.",
		State:      StateTranslated,
		Matches:    []Match{{Similarity: 80, Source: "Klik hier.", Target: "Click here."}},
		NextSource: "Eén.",
		Codes: []Code{
			{CodeOpen, "1", `<g id="1">`}, {CodeClose, "1", "</g>"},
			{CodeStandalone, "2", `<x id="2"/>`},
			{CodeOpen, "3", "<b>"}, {CodeClose, "3", "</b>"},
		},
	}
	if !reflect.DeepEqual(u1.Segments[0], want) {
		t.Errorf("unit 1\n got %#v\nwant %#v", u1.Segments[0], want)
	}
	if !reflect.DeepEqual(u1.Notes, []string{"Knop op de startpagina"}) {
		t.Errorf("notes %q", u1.Notes)
	}
	u3 := f.Units[1].Segments
	if len(u3) != 2 || u3[0].ID != "a" || u3[0].Source != "Eén." || u3[0].Target != "One." || u3[0].State != StateFinal ||
		u3[1].ID != "b" || u3[1].Source != "Twee." || u3[1].Target != "" || u3[1].State != StateInitial {
		t.Errorf("seg-source unit: %#v", u3)
	}
	if u3[1].PrevSource != "Eén." || u3[1].NextSource != "Ja" {
		t.Errorf("context of %q: %q / %q", u3[1].Source, u3[1].PrevSource, u3[1].NextSource)
	}
	states := map[string]string{}
	for _, u := range f.Units[2:] {
		states[u.ID] = u.Segments[0].State
	}
	if want := map[string]string{"4": StateFinal, "5": StateInitial, "6": StateTranslated}; !reflect.DeepEqual(states, want) {
		t.Errorf("states %v, want %v", states, want)
	}
}

const xliff20 = `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="nl" trgLang="en"
 xmlns:mtc="urn:oasis:names:tc:xliff:matches:2.0" xmlns:gls="urn:oasis:names:tc:xliff:glossary:2.0">
 <file id="f1">
  <group id="g1"><unit id="u1">
   <mtc:matches>
    <mtc:match ref="#m1" similarity="80" origin="tm" type="tm"><source>De <pc id="1">hond</pc>.</source><target>The dog.</target></mtc:match>
   </mtc:matches>
   <gls:glossary>
    <gls:glossEntry ref="#t1"><gls:term>kat</gls:term><gls:translation>cat</gls:translation><gls:translation>puss</gls:translation></gls:glossEntry>
    <gls:glossEntry><gls:term>muis</gls:term><gls:definition>een knaagdier</gls:definition></gls:glossEntry>
   </gls:glossary>
   <notes><note category="location">home.html</note></notes>
   <originalData><data id="d1">&lt;br/&gt;</data></originalData>
   <segment id="s1" state="reviewed">
    <source><mrk id="m1" type="mtc:match">De <mrk id="t1" type="term">kat</mrk><ph id="1" dataRef="d1"/>slaapt.</mrk></source>
    <target>The cat<ph id="1" dataRef="d1"/>sleeps.</target>
   </segment>
   <ignorable><source> </source></ignorable>
   <segment id="s2"><source><sc id="2"/>De muis<ec startRef="2"/> <cp hex="0001"/>piept.</source></segment>
  </unit></group>
  <unit id="u2" translate="no"><segment><source>Tolk</source></segment></unit>
 </file>
</xliff>`

func TestRead20(t *testing.T) {
	d := mustRead(t, xliff20)
	if len(d.Files) != 1 || len(d.Files[0].Units) != 1 {
		t.Fatalf("want one unit (u2 has translate=no): %+v", d)
	}
	u := d.Files[0].Units[0]
	want := []Segment{
		{
			ID: "s1", Source: "De kat\U00100000slaapt.", Target: "The cat\U00100000sleeps.", State: StateReviewed,
			Matches:    []Match{{Similarity: 80, Origin: "tm", Type: "tm", Source: "De \U00100000hond\U00100001.", Target: "The dog."}},
			Terms:      []Term{{Source: "kat", Translation: "cat", Start: 3, End: 6}},
			NextSource: "\U00100000De muis\U00100001 \x01piept.",
			Codes:      []Code{{CodeStandalone, "1", "<br/>"}}, // from originalData
		},
		{
			ID: "s2", Source: "\U00100000De muis\U00100001 \x01piept.", State: StateInitial,
			Terms:      []Term{{Source: "muis", Definition: "een knaagdier"}},
			PrevSource: "De kat\U00100000slaapt.",
			Codes:      []Code{{CodeOpen, "2", `<sc id="2"/>`}, {CodeClose, "2", `<ec startRef="2"/>`}},
		},
	}
	if !reflect.DeepEqual(u.Segments, want) {
		t.Errorf("segments\n got %#v\nwant %#v", u.Segments, want)
	}
	if !reflect.DeepEqual(u.Notes, []string{"home.html"}) {
		t.Errorf("notes %q", u.Notes)
	}
}

func TestReadEncodings(t *testing.T) {
	doc := `<?xml version="1.0" encoding="%s"?><xliff version="1.2"><file source-language="nl" target-language="en"><body>` +
		`<trans-unit id="1"><source>Één café</source><target>One café</target></trans-unit></body></file></xliff>`
	utf8doc := strings.Replace(doc, "%s", "UTF-8", 1)
	utf16doc := strings.Replace(doc, "%s", "UTF-16", 1)
	le, _ := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewEncoder().String(utf16doc)
	be, _ := xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM).NewEncoder().String(utf16doc)
	leNoBOM, _ := xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM).NewEncoder().String(utf16doc)
	beNoBOM, _ := xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM).NewEncoder().String(utf16doc)
	cp1252, _ := charmap.Windows1252.NewEncoder().String(strings.Replace(doc, "%s", "windows-1252", 1))
	latin1, _ := charmap.ISO8859_1.NewEncoder().String(strings.Replace(doc, "%s", "ISO-8859-1", 1))
	for name, in := range map[string]string{
		"utf-8":           utf8doc,
		"utf-8 bom":       "\xEF\xBB\xBF" + utf8doc,
		"utf-16le bom":    le,
		"utf-16be bom":    be,
		"utf-16le no bom": leNoBOM,
		"utf-16be no bom": beNoBOM,
		"windows-1252":    cp1252,
		"iso-8859-1":      latin1,
	} {
		t.Run(name, func(t *testing.T) {
			d, err := Read(strings.NewReader(in))
			if err != nil {
				t.Fatal(err)
			}
			if s := segs(d); len(s) != 1 || s[0].Source != "Één café" || s[0].Target != "One café" {
				t.Errorf("got %#v", s)
			}
		})
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, in string
		line     int
		want     string
	}{
		{"empty", "", 1, "no XML element"},
		{"not xml", "hallo & dag", 1, "not an XLIFF document"},
		{"tmx", "<?xml version='1.0'?>\n<tmx version='1.4'/>", 2, "root element is <tmx>"},
		{"truncated", "<xliff version='1.2'><file><body><trans-unit id='7'><source>a", 1, `unit "7"`},
		{"unknown namespace", `<xliff xmlns="urn:example" version="3.0"/>`, 1, "unknown XLIFF namespace"},
		{"version mismatch", `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="1.2"/>`, 1, "does not match"},
		{"unsupported encoding", `<?xml version="1.0" encoding="x-klingon"?><xliff/>`, 1, "x-klingon"},
		{"no source 1.2", "<xliff version='1.2'><file><body>\n<trans-unit id='9'><target>a</target></trans-unit></body></file></xliff>", 2, `unit "9": <trans-unit> has no <source>`},
		{"no srcLang", `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0"><file id="f"/></xliff>`, 1, "no srcLang"},
		{"bad inline 2.0", `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="nl"><file id="f"><unit id="u">` +
			"\n<segment><source>a<b>vet</b></source></segment></unit></file></xliff>", 2, `unit "u": <b> is not an XLIFF 2 inline element`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tt.in))
			if err == nil {
				t.Fatal("Read accepted it")
			}
			if tolk.ErrorCode(err) != tolk.EINVALID {
				t.Errorf("code %s, want invalid: %v", tolk.ErrorCode(err), err)
			}
			if f := tolk.ErrorField(err); f != "line "+strconv.Itoa(tt.line) {
				t.Errorf("field %q, want line %d: %v", f, tt.line, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
		})
	}
}

// TestReadRealFiles checks the content Read gets from the kinds of files
// translators send back.
func TestReadRealFiles(t *testing.T) {
	read := func(t *testing.T, rel string) Document {
		t.Helper()
		d, err := Read(open(t, shareddata.Path(t, filepath.Join("xliff", rel))))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	t.Run("symfony", func(t *testing.T) {
		d := read(t, "real_nl/symfony-security-core-security.nl.xlf")
		s := segs(d)[0]
		if d.SrcLang != "en" || d.TrgLang != "nl" || s.ID != "1" || s.Source != "An authentication exception occurred." ||
			s.Target != "Er heeft zich een authenticatieprobleem voorgedaan." || s.State != StateTranslated {
			t.Errorf("%s→%s %#v", d.SrcLang, d.TrgLang, s)
		}
	})
	t.Run("angular 1.2", func(t *testing.T) {
		for _, s := range segs(read(t, "real_nl/badgr-ui-messages.nl.xlf")) {
			if s.Source == "Access with \U00100000" {
				if s.Target != "Aanmelden met \U00100000" {
					t.Errorf("target %q", s.Target)
				}
				return
			}
		}
		t.Error("no segment with an INTERPOLATION placeholder")
	})
	t.Run("angular 2.0", func(t *testing.T) {
		d := read(t, "real_nl/kadaster-sensrnet-messages.nl.xlf")
		u := d.Files[0].Units[0]
		if len(u.Notes) == 0 || u.Segments[0].State != StateTranslated || u.Segments[0].Target == "" {
			t.Errorf("%#v", u)
		}
	})
	t.Run("states", func(t *testing.T) {
		for _, c := range []struct {
			rel  string
			want map[string]int
		}{
			// 1,531 state="translated", 201 "new", the rest without a state but with a target.
			{"real_nl/peertube-angular.nl-NL.xlf.gz", map[string]int{StateInitial: 201, StateTranslated: 2047}},
			// Every target is state="needs-translation", a copy of the source.
			{"real_nl/wise-client-messages.nl.xlf.gz", map[string]int{StateInitial: 2611}},
			{"real_nl/kadaster-sensrnet-messages.nl.xlf", map[string]int{StateTranslated: 345, StateFinal: 20}},
		} {
			n := map[string]int{}
			for _, s := range segs(read(t, c.rel)) {
				n[s.State]++
			}
			if !reflect.DeepEqual(n, c.want) {
				t.Errorf("%s: states %v, want %v", c.rel, n, c.want)
			}
		}
	})
	t.Run("memoq", func(t *testing.T) {
		d := read(t, "translate5_tests/testcases_editorAPI_SegmentCommentRoundtripTest_testfiles_workfiles_02-memoq-de-en.mqxliff")
		for _, s := range segs(d) {
			if s.State != StateTranslated { // mq:status="ManuallyConfirmed"
				t.Errorf("segment %q: state %q", s.ID, s.State)
			}
		}
	})
	t.Run("trados", func(t *testing.T) {
		d := read(t, "translate5_tests/testcases_editorAPI_ProjectTaskTest_testfiles_workfiles_install-unix.apache2.html.sdlxliff")
		n := map[string]int{}
		codes := 0
		for _, s := range segs(d) {
			n[s.State]++
			if strings.ContainsRune(s.Source, '\U00100000') {
				codes++
			}
		}
		if codes == 0 {
			t.Error("no <x>/<g> code became a placeholder")
		}
		if n[StateTranslated] == 0 || n[StateInitial] == 0 {
			t.Errorf("states %v: want translated (conf=Translated) and initial (conf=Draft) ones", n)
		}
	})
}

func TestReadWriteReadCorpus(t *testing.T) {
	// Every segment Read gets from a real file survives Write and Read.
	for _, rel := range []string{"real_nl/symfony-validator-validators.nl.xlf", "real_nl/badgr-ui-messages.nl.xlf",
		"okapi_xliff12_tests/MQ-12-Test01.xlf", "okapi_xliff20_tests/test01.xlf"} {
		t.Run(rel, func(t *testing.T) {
			d, err := Read(open(t, shareddata.Path(t, filepath.Join("xliff", rel))))
			if err != nil {
				t.Fatal(err)
			}
			// Write needs ASCII NMTOKEN ids and unique unit ids.
			for fi := range d.Files {
				d.Files[fi].ID = ""
				for ui := range d.Files[fi].Units {
					d.Files[fi].Units[ui].ID = ""
					for si := range d.Files[fi].Units[ui].Segments {
						d.Files[fi].Units[ui].Segments[si].ID = ""
					}
				}
			}
			var b bytes.Buffer
			if err := Write(&b, d); err != nil {
				t.Fatal(err)
			}
			xmllint(t, b.Bytes())
			back, err := Read(&b)
			if err != nil {
				t.Fatal(err)
			}
			got, want := segs(back), segs(d)
			if len(got) != len(want) {
				t.Fatalf("%d segments, want %d", len(got), len(want))
			}
			for i := range got {
				if got[i].Source != want[i].Source || got[i].Target != want[i].Target || got[i].State != want[i].State {
					t.Errorf("segment %d\n got %#v\nwant %#v", i, got[i], want[i])
				}
			}
		})
	}
}

func TestRead12Segmentation(t *testing.T) {
	unit := func(body string) string {
		return `<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="nl" target-language="en"><body>` +
			`<trans-unit id="u">` + body + `</trans-unit></body></file></xliff>`
	}
	type seg struct{ id, src, trg string }
	tests := []struct {
		name, body string
		want       []seg
	}{
		{"segments paired by mid",
			`<source>A. B.</source><seg-source><mrk mtype="seg" mid="1">A.</mrk> <mrk mtype="seg" mid="2">B.</mrk></seg-source>` +
				`<target><mrk mtype="seg" mid="2">Bee.</mrk> <mrk mtype="seg" mid="1">Aa.</mrk></target>`,
			[]seg{{"1", "A.", "Aa."}, {"2", "B.", "Bee."}}},
		{"segment inside a g",
			`<source>A.</source><seg-source><g id="1"><mrk mtype="seg" mid="1">A<x id="2"/>.</mrk></g></seg-source>` +
				`<target><g id="1"><mrk mtype="seg" mid="1">Aa<x id="2"/>.</mrk></g></target>`,
			[]seg{{"1", "A\U00100000.", "Aa\U00100000."}}},
		{"target not segmented: the unit is one segment",
			`<source>A. B.</source><seg-source><mrk mtype="seg" mid="1">A.</mrk> <mrk mtype="seg" mid="2">B.</mrk></seg-source><target>Aa. Bee.</target>`,
			[]seg{{"u", "A. B.", "Aa. Bee."}}},
		{"one segment, target not segmented",
			`<source>A.</source><seg-source><mrk mtype="seg" mid="1">A.</mrk></seg-source><target>Aa.</target>`,
			[]seg{{"1", "A.", "Aa."}}},
		{"target segmented without seg-source",
			`<source>A. B.</source><target><mrk mtype="seg" mid="1">Aa.</mrk> <mrk mtype="seg" mid="2">Bee.</mrk></target>`,
			[]seg{{"u", "A. B.", "Aa. Bee."}}},
		{"no target",
			`<source>A. B.</source><seg-source><mrk mtype="seg" mid="1">A.</mrk> <mrk mtype="seg" mid="2">B.</mrk></seg-source>`,
			[]seg{{"1", "A.", ""}, {"2", "B.", ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []seg
			for _, s := range segs(mustRead(t, unit(tt.body))) {
				got = append(got, seg{s.ID, s.Source, s.Target})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestReadHTMLEntity(t *testing.T) {
	d := mustRead(t, `<xliff version="1.2"><file><body><trans-unit id="1"><source>a&nbsp;b &eacute;</source></trans-unit></body></file></xliff>`)
	if s := segs(d)[0].Source; s != "a\u00a0b é" {
		t.Errorf("source %q", s)
	}
}
