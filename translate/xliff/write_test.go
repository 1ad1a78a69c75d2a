package xliff

import (
	"bytes"
	"flag"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/internal/shareddata"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sampleDocument is a representative translate result: two files, units
// of several segments, candidates with codes, placed, nested, unplaced and
// crossing terms, notes, and text that needs escaping.
func sampleDocument() Document {
	src1 := "De minister van Buitenlandse Zaken reist naar Brussel."
	src2 := "Hij spreekt met de \U00100000Europese Commissie\U00100001 over \"handel\" & <tarieven>."
	src3 := "Eén zin met een teken\u0003 dat XML niet kent,\r\nen een regelovergang."
	return Document{
		SrcLang: "nl",
		TrgLang: "en-GB",
		Files: []File{
			{
				ID:       "f1",
				Original: "nieuws/artikel 1.txt",
				Units: []Unit{
					{
						ID: "p1",
						Segments: []Segment{
							{
								ID: "s1", Source: src1,
								Target: "The Minister of Foreign Affairs travels to Brussels.",
								State:  StateTranslated,
								Matches: []Match{
									{Similarity: 100, MatchQuality: 95, Origin: "memory:nieuws", Type: MatchTM,
										Source: src1, Target: "The Minister of Foreign Affairs travels to Brussels.", Ref: "u-1042"},
									{Similarity: 87.5, Origin: "memory:eu", Type: MatchTM,
										Source: "De minister van Financiën reist naar Brussel.", Target: "The Minister of Finance travels to Brussels."},
								},
								Terms: []Term{
									// "minister van Buitenlandse Zaken" and, inside it, "Buitenlandse Zaken".
									{Source: "minister van Buitenlandse Zaken", Translation: "Minister of Foreign Affairs",
										Definition: "Lid van de regering belast met buitenlands beleid.", Status: "preferred",
										Start: 3, End: 34},
									{Source: "Buitenlandse Zaken", Translation: "Foreign Affairs", Status: "admitted", Start: 16, End: 34},
									// Crosses the first term: no <mrk>, offsets are lost.
									{Source: "Zaken reist", Translation: "Affairs travels", Start: 29, End: 40},
									{Source: "Brussel", Translation: "Brussels", Start: 46, End: 53},
								},
							},
							{
								ID: "s2", Source: src2, State: StateInitial,
								Matches: []Match{{Similarity: 72, Type: MatchTM, Origin: "memory:eu",
									Source: "Hij spreekt met de \U00100000Commissie\U00100001 over handel.",
									Target: "He talks to the \U00100000Commission\U00100001 about trade."}},
								Terms: []Term{
									{Source: "Europese Commissie", Translation: "European Commission", Status: "preferred",
										Start: strings.Index(src2, "Europese"), End: strings.Index(src2, "\U00100001")},
									// Unplaced: no offsets.
									{Source: "handel", Translation: "trade"},
								},
								Codes: []Code{{CodeOpen, "b1", "<b>"}, {CodeClose, "b1", "</b>"}},
							},
						},
						Notes: []string{"Bron: ANP, 12 maart", "Let op: <titel> & \"citaat\""},
					},
					{
						ID: "p2",
						Segments: []Segment{{
							ID: "s1", Source: src3, Target: "One sentence with a character\u0003 that XML does not know,\r\nand a line break.",
							State: StateFinal,
						}},
					},
				},
			},
			{
				ID: "f2",
				Units: []Unit{{
					ID:       "p1",
					Segments: []Segment{{ID: "s1", Source: "Tot slot.", State: StateReviewed, Target: "Finally."}},
				}},
			},
		},
	}
}

func writeString(t *testing.T, d Document) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, d); err != nil {
		t.Fatalf("Write: %v", err)
	}
	return b.Bytes()
}

func TestWriteGolden(t *testing.T) {
	checkGolden(t, "sample.xlf", writeString(t, sampleDocument()))
}

// checkGolden compares got with the golden file name in testdata, which
// go test -update rewrites.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the output differs from %s (run go test -update after checking the change):\n%s", golden, got)
	}
}

// xmllint validates an XLIFF 2.1 document against the OASIS core and
// module schemas.
func xmllint(t *testing.T, doc []byte) {
	t.Helper()
	xmllintSchema(t, doc, "schemas/xliff-2.1/xliff_2.1_all_modules.xsd")
}

// xmllintSchema validates doc against the XML schema at schema, a path
// under the shared data folder.
func xmllintSchema(t *testing.T, doc []byte, schema string) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint not installed (Debian: libxml2-utils)")
	}
	xsd := shareddata.Path(t, schema)
	f := filepath.Join(t.TempDir(), "doc.xlf")
	if err := os.WriteFile(f, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--nonet", "--noout", "--schema", xsd, f).CombinedOutput()
	if err != nil {
		t.Errorf("xmllint rejects the document: %v\n%s", err, out)
	}
}

func TestWriteValidates(t *testing.T) {
	xmllint(t, writeString(t, sampleDocument()))
	// An empty source with a candidate.
	xmllint(t, writeString(t, Document{Files: []File{{Units: []Unit{{Segments: []Segment{{Matches: []Match{{Similarity: 10}}}}}}}}}))
	// Defaults: no ids, languages or states.
	xmllint(t, writeString(t, Document{Files: []File{{Units: []Unit{{Segments: []Segment{{Source: "Hallo."}, {Source: "Dag."}}}}}}}))
}

func TestRoundTrip(t *testing.T) {
	d := sampleDocument()
	got, err := Read(bytes.NewReader(writeString(t, d)))
	if err != nil {
		t.Fatalf("Read(Write(d)): %v", err)
	}
	want := sampleDocument()
	fillContext(&want)
	// The crossing term has no <mrk>, so its offsets do not survive.
	terms := want.Files[0].Units[0].Segments[0].Terms
	terms[2].Start, terms[2].End = 0, 0
	// Codes keep their kind and data; their ids become Write's own.
	codes := want.Files[0].Units[0].Segments[1].Codes
	codes[0].ID, codes[1].ID = "s2-c0", "s2-c0"
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip changed the document\n got %#v\nwant %#v", got, want)
	}
}

// TestWriteCodes writes the codes of a segment: a pair in the text as
// <sc/> and <ec/>, a half without its other half isolated, a standalone
// code as <ph/>, each with its data in <originalData>.
func TestWriteCodes(t *testing.T) {
	d := Document{Files: []File{{Units: []Unit{{Segments: []Segment{{
		ID:     "s1",
		Source: "\U00100000Vet\U00100001 en\U00100002 open\U00100003",
		Target: "\U00100000Bold\U00100001 and\U00100002 open\U00100003",
		Codes: []Code{
			{CodeOpen, "1", "<b>"}, {CodeClose, "1", "</b>"},
			{CodeStandalone, "2", "<br/>"}, {CodeOpen, "3", "<i>"},
		},
	}}}}}}}
	out := string(writeString(t, d))
	for _, want := range []string{
		`<data id="s1-cd0">&lt;b&gt;</data>`, `<data id="s1-cd2">&lt;br/&gt;</data>`,
		`<sc id="s1-c0" dataRef="s1-cd0"/>Vet<ec startRef="s1-c0" dataRef="s1-cd1"/>`,
		`<ph id="s1-c2" dataRef="s1-cd2"/>`, `<sc id="s1-c3" isolated="yes" dataRef="s1-cd3"/>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("Write output lacks %s:\n%s", want, out)
		}
	}
	xmllint(t, []byte(out))
	back, err := Read(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	for i, cd := range back.Files[0].Units[0].Segments[0].Codes {
		if w := d.Files[0].Units[0].Segments[0].Codes[i]; cd.Kind != w.Kind || cd.Data != w.Data {
			t.Errorf("code %d read back as %+v, wrote %+v", i, cd, w)
		}
	}
}

func TestWriteDefaults(t *testing.T) {
	d := Document{Files: []File{{Units: []Unit{{Segments: []Segment{{Source: "Hallo."}, {Source: "Dag."}}}}}}}
	got, err := Read(bytes.NewReader(writeString(t, d)))
	if err != nil {
		t.Fatal(err)
	}
	if got.SrcLang != "nl" || got.TrgLang != "en" {
		t.Errorf("languages %q → %q, want nl → en", got.SrcLang, got.TrgLang)
	}
	f := got.Files[0]
	if f.ID != "f1" || f.Units[0].ID != "u1" || f.Units[0].Segments[1].ID != "s2" || f.Units[0].Segments[1].State != StateInitial {
		t.Errorf("defaults not applied: %+v", f)
	}
}

func TestWriteRejects(t *testing.T) {
	one := func(s Segment) Document {
		return Document{Files: []File{{Units: []Unit{{Segments: []Segment{s}}}}}}
	}
	tests := []struct {
		name  string
		d     Document
		field string
	}{
		{"no files", Document{}, "Files"},
		{"bad language", Document{SrcLang: "nederlands!", Files: one(Segment{Source: "a"}).Files}, "SrcLang"},
		{"no units", Document{Files: []File{{ID: "f"}}}, "Files[0].Units"},
		{"no segments", Document{Files: []File{{Units: []Unit{{ID: "u"}}}}}, "Files[0].Units[0].Segments"},
		{"bad id", one(Segment{ID: "s 1", Source: "a"}), "Files[0].Units[0].Segments[0].ID"},
		{"duplicate unit id", Document{Files: []File{{Units: []Unit{{ID: "u", Segments: []Segment{{Source: "a"}}}, {ID: "u", Segments: []Segment{{Source: "b"}}}}}}}, "Files[0].Units[1].ID"},
		{"bad state", one(Segment{Source: "a", State: "done"}), "Files[0].Units[0].Segments[0].State"},
		{"similarity above 100", one(Segment{Source: "a", Matches: []Match{{Similarity: 101}}}), "Files[0].Units[0].Segments[0].Matches[0].Similarity"},
		{"bad match type", one(Segment{Source: "a", Matches: []Match{{Similarity: 50, Type: "memory"}}}), "Files[0].Units[0].Segments[0].Matches[0].Type"},
		{"term past the end", one(Segment{Source: "abc", Terms: []Term{{Source: "x", Start: 1, End: 9}}}), "Files[0].Units[0].Segments[0].Terms[0]"},
		{"term inside a character", one(Segment{Source: "één", Terms: []Term{{Source: "x", Start: 1, End: 3}}}), "Files[0].Units[0].Segments[0].Terms[0]"},
		{"segment id clash", Document{Files: []File{{Units: []Unit{{Segments: []Segment{{ID: "s", Source: "a"}, {ID: "s-m", Source: "b"}}}}}}}, "Files[0].Units[0].Segments"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			err := Write(&b, tt.d)
			if err == nil {
				t.Fatal("Write accepted the document")
			}
			if tolk.ErrorCode(err) != tolk.EINVALID || tolk.ErrorField(err) != tt.field {
				t.Errorf("error %v: code %s field %q, want invalid %q", err, tolk.ErrorCode(err), tolk.ErrorField(err), tt.field)
			}
			if b.Len() != 0 {
				t.Errorf("Write wrote %d bytes before failing", b.Len())
			}
		})
	}
}

func TestWriteDefaultIDsAvoidGivenOnes(t *testing.T) {
	d := Document{Files: []File{{Units: []Unit{
		{ID: "u2", Segments: []Segment{{Source: "a"}}},
		{Segments: []Segment{{Source: "b"}}}, // would be u2
		{ID: "u2_", Segments: []Segment{{Source: "c"}}},
	}}}}
	got, err := Read(bytes.NewReader(writeString(t, d)))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, u := range got.Files[0].Units {
		ids = append(ids, u.ID)
	}
	if want := []string{"u2", "u2__", "u2_"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("unit ids %q, want %q", ids, want)
	}
}

// randomDocument builds a document from random pieces: code placeholders,
// characters XML cannot carry, markup characters, nested and crossing
// terms, empty sources and targets.
func randomDocument(r *rand.Rand) Document {
	words := []string{"de", "minister", "Brussel", "één", "&", "<b>", "\"", "\U00100000", "\U00100001", "\x01", "\r\n", "\t", " ", "  ", "]]>", "😀"}
	text := func() string {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(words[r.IntN(len(words))])
			if r.IntN(2) == 0 {
				b.WriteByte(' ')
			}
		}
		return b.String()
	}
	states := []string{"", StateInitial, StateTranslated, StateReviewed, StateFinal}
	types := []string{"", MatchTM, MatchMT, MatchOther}
	var d Document
	for range 1 + r.IntN(2) {
		var f File
		for range 1 + r.IntN(3) {
			var u Unit
			for range 1 + r.IntN(3) {
				s := Segment{Source: text(), Target: text(), State: states[r.IntN(len(states))]}
				for range r.IntN(3) {
					s.Matches = append(s.Matches, Match{Similarity: float64(r.IntN(10001)) / 100, MatchQuality: float64(r.IntN(101)),
						Origin: text(), Type: types[r.IntN(len(types))], Source: text(), Target: text(), Ref: text()})
				}
				for range r.IntN(4) {
					t := Term{Source: text(), Translation: text(), Definition: text(), Status: text()}
					if len(s.Source) > 0 && r.IntN(4) > 0 {
						a, b := r.IntN(len(s.Source)+1), r.IntN(len(s.Source)+1)
						for a > 0 && !boundary(s.Source, a) {
							a--
						}
						for b > 0 && !boundary(s.Source, b) {
							b--
						}
						t.Start, t.End = min(a, b), max(a, b)
					}
					s.Terms = append(s.Terms, t)
				}
				u.Segments = append(u.Segments, s)
			}
			if r.IntN(2) == 0 {
				u.Notes = []string{text(), text()}
			}
			f.Units = append(f.Units, u)
		}
		d.Files = append(d.Files, f)
	}
	return d
}

func TestWriteValidatesRandom(t *testing.T) {
	if _, err := exec.LookPath("xmllint"); err != nil {
		t.Skip("xmllint not installed (Debian: libxml2-utils)")
	}
	r := rand.New(rand.NewPCG(7, 8))
	for i := range 25 {
		d := randomDocument(r)
		out := writeString(t, d)
		xmllint(t, out)
		back, err := Read(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("document %d: Read: %v\n%s", i, err, out)
		}
		if g, w := len(segs(back)), len(segs(d)); g != w {
			t.Errorf("document %d: %d segments back, want %d", i, g, w)
		}
		if t.Failed() {
			t.Fatalf("document %d:\n%s", i, out)
		}
	}
}
