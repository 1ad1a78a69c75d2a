package tbx

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/internal/shareddata"
)

func readAll(t testing.TB, r *Reader) ([]glossary.Concept, error) {
	t.Helper()
	var out []glossary.Concept
	for {
		c, err := r.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		if err := glossary.Validate(c, "read"); err != nil {
			t.Fatalf("reader returned an invalid concept %+v: %v", c, err)
		}
		out = append(out, c)
		if len(out) > 1e6 {
			t.Fatal("runaway reader")
		}
	}
}

func readString(t testing.TB, s string) ([]glossary.Concept, error) {
	t.Helper()
	r, err := NewReader(strings.NewReader(s))
	if err != nil {
		return nil, err
	}
	return readAll(t, r)
}

func nlEN(cs []glossary.Concept) int {
	n := 0
	for _, c := range cs {
		var nl, en bool
		for _, t := range c.Terms {
			nl = nl || glossary.PrimaryLang(t.Lang) == "nl"
			en = en || glossary.PrimaryLang(t.Lang) == "en"
		}
		if nl && en {
			n++
		}
	}
	return n
}

// TestSharedFiles reads every TBX file under termbase/ of the shared data:
// each yields the expected number of concepts and of Dutch–English ones,
// or is rejected with a position and a reason (the deliberately invalid
// LTAC samples).
func TestSharedFiles(t *testing.T) {
	root := shareddata.Path(t, "termbase")
	tests := []struct {
		file           string
		concepts, nlen int
		err            string
	}{
		{"ltac_tbx3_test_files/TBX-Basic_Example_Astronomy_DCA_VALID.tbx", 45, 0, ""},
		{"ltac_tbx3_test_files/TBX-Basic_Example_Astronomy_DCT_VALID.tbx", 45, 0, ""},
		{"ltac_tbx3_test_files/TBX-Min_Example_Astronomy_DCA_VALID.tbx", 45, 0, ""},
		{"ltac_tbx3_test_files/TBX-Min_Example_Astronomy_DCT_VALID.tbx", 45, 0, ""},
		{"ltac_tbx3_test_files/basic_good.tbx", 45, 0, ""},
		{"ltac_tbx3_test_files/core_structure_good.tbx", 45, 0, ""},
		{"ltac_tbx3_test_files/min_good.tbx", 45, 0, ""},
		{"ltac_tbx3_test_files/basic_bad.tbx", 0, 0, `line 26: <transac type="theWrongType">: TBX-Basic permits transactionType`},
		{"ltac_tbx3_test_files/min_bad.tbx", 0, 0, `line 21: <admin type="source">: TBX-Min permits customerSubset`},
		{"ltac_tbx3_test_files/core_structure_bad.tbx", 0, 0, "line 21: <admin> may not appear here"},
		{"ltac_tbx3_test_files/poorly_formed_xml.tbx", 0, 0, "line 42: malformed XML"},
		{"okapi_tbx_samples/ibm_tbx.tbx", 5, 0, ""},
		{"okapi_tbx_samples/maryland.tbx", 1, 0, ""},
		{"okapi_tbx_samples/medtronic_TBX.tbx", 3, 3, ""},
		{"okapi_tbx_samples/oracle_TBX.tbx", 2, 0, ""},
		{"okapi_tbx_samples/sdl_tbx.tbx", 223, 0, ""},
		{"okapi_tbx_samples/test01.tbx", 1, 0, ""},
		{"okapi_tbx_samples/test02_win1254.tbx", 1, 0, ""},
		{"omegat_tests/sampleTBXfile.tbx", 1, 0, ""},
		{"translate5_tbx_tests/Plugins_Okapi_data_testfiles_test.tbx", 7, 0, ""},
		{"translate5_tbx_tests/testcases_Unit_Termtagger_data_beo-reallive-DE-EN.tbx", 9, 0, ""},
		{"translate5_tbx_tests/testcases_Unit_Termtagger_data_translate5-Standard-Testcases-DE-EN.tbx", 18, 0, ""},
		{"translate5_tbx_tests/testcases_editorAPI_QualityTerminologyTest_testfiles_Translate3593Test.tbx", 5, 0, ""},
		{"translate5_tbx_tests/testcases_editorAPI_TbxImportApiTest_Term.tbx", 3, 0, ""},
		{"translate5_tbx_tests/testcases_editorAPI_TbxSpecialcharsTest_Specialchars.tbx", 1, 0, ""},
		{"translate5_tbx_tests/testcases_editorAPI_Translate1475Test_testfiles_tbx_without_ids.tbx", 15, 0, ""},
		{"translate5_tbx_tests/testcases_editorAPI_Translate5113Test_testfiles_Translate5113Test.tbx", 2, 0, ""},
		{"weblate_glossaries_nl/monal-glossary-nl.tbx", 5, 5, ""},
		{"weblate_glossaries_nl/weblateorg-glossary-nl.tbx", 183, 177, ""},
	}
	listed := map[string]bool{}
	for _, tt := range tests {
		listed[tt.file] = true
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join(root, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			r, err := NewReader(f)
			var cs []glossary.Concept
			if err == nil {
				cs, err = readAll(t, r)
			}
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || tolk.ErrorCode(err) != tolk.EINVALID {
					t.Fatalf("err = %v, want EINVALID containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(cs) != tt.concepts || nlEN(cs) != tt.nlen {
				t.Errorf("%d concepts, %d nl–en; want %d, %d", len(cs), nlEN(cs), tt.concepts, tt.nlen)
			}
		})
	}
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".tbx") {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if !listed[filepath.ToSlash(rel)] {
			t.Errorf("%s is not in the table", rel)
		}
		return nil
	})
}

func TestSharedFileDetails(t *testing.T) {
	for _, tc := range []struct {
		file string
		want glossary.Concept
	}{
		{"ltac_tbx3_test_files/TBX-Basic_Example_Astronomy_DCT_VALID.tbx", glossary.Concept{}},
		{"ltac_tbx3_test_files/TBX-Basic_Example_Astronomy_DCA_VALID.tbx", glossary.Concept{}},
	} {
		f, err := os.Open(shareddata.Path(t, "termbase/"+tc.file))
		if err != nil {
			t.Fatal(err)
		}
		r, err := NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		c, err := r.Next()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if c.ID != "c1" || c.Subject != "General" || !strings.HasPrefix(c.Definition, "A group of stars formed together") ||
			c.Terms[0].Text != "open cluster" || c.Terms[0].Status != glossary.StatusPreferred || c.Terms[0].POS != "noun" ||
			c.Terms[1].Status != glossary.StatusDeprecated || !strings.HasPrefix(c.Terms[0].Example, "Over 1100 open clusters") {
			t.Errorf("%s: first concept %+v", tc.file, c)
		}
	}
	f, err := os.Open(shareddata.Path(t, "termbase/okapi_tbx_samples/test02_win1254.tbx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := readAll(t, r)
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, tm := range cs[0].Terms {
		all = append(all, tm.Lang+":"+tm.Text)
	}
	if s := strings.Join(all, " "); !strings.Contains(s, "ı") && !strings.Contains(s, "ş") && !strings.Contains(s, "ğ") {
		t.Errorf("windows-1254 text not decoded: %s", s)
	}
}

func TestReader(t *testing.T) {
	v3 := func(body string) string {
		return `<tbx type="TBX-Basic" style="dca" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>` + body + `</body></text></tbx>`
	}
	tests := []struct {
		name, in string
		want     []glossary.Concept
		err      string
	}{
		{
			name: "v2 tig and ntig, upper-case lang",
			in: `<?xml version="1.0"?><martif type="TBX"><text><body>
<termEntry id="e1"><descrip type="subjectField">diplomacy</descrip><note>n</note>
 <langSet xml:lang="NL"><ntig><termGrp><term>verdrag</term><termNote type="partOfSpeech">noun</termNote><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termGrp><descrip type="context">Het verdrag.</descrip></ntig></langSet>
 <langSet xml:lang="en-GB"><tig><term>treaty</term></tig><tig><term/></tig></langSet>
</termEntry>
<termEntry><langSet xml:lang="nl"><tig><term> </term></tig></langSet></termEntry>
</body></text></martif>`,
			want: []glossary.Concept{{ID: "e1", Subject: "diplomacy", Note: "n", Terms: []glossary.Term{
				{Lang: "nl", Text: "verdrag", POS: "noun", Status: "preferred", Example: "Het verdrag."},
				{Lang: "en-gb", Text: "treaty"},
			}}},
		},
		{
			name: "v3 DCT",
			in: `<tbx type="TBX-Basic" style="dct" xmlns="urn:iso:std:iso:30042:ed-2" xmlns:min="http://www.tbxinfo.net/ns/min" xmlns:basic="http://www.tbxinfo.net/ns/basic"><text><body>
<conceptEntry id="c1"><min:subjectField>diplomacy</min:subjectField><langSec xml:lang="nl"><basic:definition>Overeenkomst tussen staten.</basic:definition><termSec><term>verdrag</term><min:administrativeStatus>deprecatedTerm-admn-sts</min:administrativeStatus></termSec></langSec></conceptEntry>
</body></text></tbx>`,
			want: []glossary.Concept{{ID: "c1", Subject: "diplomacy", Definition: "Overeenkomst tussen staten.", Terms: []glossary.Term{{Lang: "nl", Text: "verdrag", Status: "deprecated"}}}},
		},
		{name: "not tbx", in: `<html/>`, err: "line 1: root element <html> is not TBX"},
		{name: "not xml", in: `vrede,peace`, err: "the file ends before the root element"},
		{name: "no lang", in: v3(`<conceptEntry id="a"><langSec><termSec><term>x</term></termSec></langSec></conceptEntry>`), err: "line 1: <langSec> has no xml:lang"},
		{name: "bad lang", in: v3(`<conceptEntry id="a"><langSec xml:lang="Dutch!"><termSec><term>x</term></termSec></langSec></conceptEntry>`), err: "not a language code"},
		{name: "two terms", in: v3(`<conceptEntry id="a"><langSec xml:lang="nl"><termSec><term>x</term><term>y</term></termSec></langSec></conceptEntry>`), err: "holds a second <term>"},
		{name: "term not first", in: v3(`<conceptEntry id="a"><langSec xml:lang="nl"><termSec><note>n</note><term>y</term></termSec></langSec></conceptEntry>`), err: "<termSec> must start with <term>"},
		{name: "pos picklist", in: v3(`<conceptEntry id="a"><langSec xml:lang="nl"><termSec><term>y</term><termNote type="partOfSpeech">noun phrase</termNote></termSec></langSec></conceptEntry>`), err: `partOfSpeech "noun phrase" is not in the TBX-Basic picklist`},
		{name: "definition at term level", in: v3(`<conceptEntry id="a"><langSec xml:lang="nl"><termSec><term>y</term><descrip type="definition">d</descrip></termSec></langSec></conceptEntry>`), err: "definition may appear only in conceptEntry or langSec, not in <termSec>"},
		{name: "untyped admin", in: v3(`<conceptEntry id="a"><admin>x</admin></conceptEntry>`), err: "<admin> has no type attribute"},
		{name: "cut short", in: `<martif><text><body><termEntry><langSet xml:lang="nl"><tig><term>x</term>`, err: "malformed XML"},
		{name: "unknown encoding", in: `<?xml version="1.0" encoding="klingon"?><martif/>`, err: "unknown character encoding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readString(t, tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || tolk.ErrorCode(err) != tolk.EINVALID {
					t.Fatalf("err = %v, want EINVALID with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestReaderUTF16(t *testing.T) {
	doc := "\uFEFF<?xml version=\"1.0\" encoding=\"UTF-16\"?><martif><text><body><termEntry><langSet xml:lang=\"nl\"><tig><term>coördinator</term></tig></langSet></termEntry></body></text></martif>"
	var b bytes.Buffer
	for _, u := range utf16.Encode([]rune(doc)) {
		b.WriteByte(byte(u))
		b.WriteByte(byte(u >> 8))
	}
	r, err := NewReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := readAll(t, r)
	if err != nil || len(cs) != 1 || cs[0].Terms[0].Text != "coördinator" {
		t.Fatalf("%+v %v", cs, err)
	}
}

func loadFixture(t *testing.T) []glossary.Concept {
	t.Helper()
	f, err := os.Open("../testdata/diplomatic.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cs []glossary.Concept
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var c glossary.Concept
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatal(err)
		}
		cs = append(cs, glossary.Normalize(c))
	}
	return cs
}

// TestWriterRoundTrip writes the fixture glossary as TBX v3 and v2,
// validates each against its schema with xmllint (the v3 core RNG, the v2
// core DTD), and reads it back unchanged, line breaks in notes included.
func TestWriterRoundTrip(t *testing.T) {
	cs := loadFixture(t)
	cs[0].ID = "http://example.org/concept/1"
	cs[1].ValidFrom = time.Date(2001, 2, 3, 0, 0, 0, 0, time.UTC)
	cs[2].Terms[0].Usage = "formal"
	cs[2].Terms[0].POS = "proper noun"
	cs[3].Definition = `A & B <"quoted">`
	// Line breaks in notes, definitions and examples survive (issue 12.10:
	// a note's newline came back as a space).
	cs[4].Note = "Eerste regel.\nTweede regel."
	cs[4].Definition = "One line.\nAnother."
	cs[4].Terms[0].Note = "a\nb"
	cs[4].Terms[0].Example = "Zin een.\nZin twee."
	for _, tc := range versions {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			w := tc.newWriter(&b)
			for _, c := range cs {
				if err := w.Write(c); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			r, err := NewReader(bytes.NewReader(b.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if r.Version() != tc.version || tc.version == 3 && r.Dialect() != "TBX-Basic" {
				t.Errorf("version %d dialect %q, want %d TBX-Basic", r.Version(), r.Dialect(), tc.version)
			}
			got, err := readAll(t, r)
			if err != nil {
				t.Fatalf("reading back: %v\n%s", err, b.String())
			}
			if len(got) != len(cs) {
				t.Fatalf("%d concepts back, want %d", len(got), len(cs))
			}
			for i := range cs {
				if !reflect.DeepEqual(got[i], cs[i]) {
					t.Errorf("concept %d:\n got  %+v\n want %+v", i, got[i], cs[i])
				}
			}
			validate(t, b.Bytes(), tc)
		})
	}
}

// versions are the TBX versions Writer writes, with how each validates.
var versions = []struct {
	name      string
	version   int
	newWriter func(io.Writer, ...Options) *Writer
	schemaArg string // xmllint's option for the schema
	schema    string // under the shared data folder
}{
	{"v3", 3, NewWriter, "--relaxng", "schemas/tbx/v3/TBXcoreStructV03.rng"},
	{"v2", 2, NewWriterV2, "--dtdvalid", "schemas/tbx/v2/TBXcoreStructV02.dtd"},
}

// validate checks doc with xmllint against the schema of tc's version.
func validate(t *testing.T, doc []byte, tc struct {
	name      string
	version   int
	newWriter func(io.Writer, ...Options) *Writer
	schemaArg string
	schema    string
}) {
	t.Helper()
	schema := shareddata.Path(t, tc.schema)
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint not installed (Debian libxml2-utils); .ci/run installs it")
	}
	path := filepath.Join(t.TempDir(), "export.tbx")
	if err := os.WriteFile(path, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(xmllint, "--nonet", "--noout", tc.schemaArg, schema, path).CombinedOutput()
	if err != nil {
		t.Errorf("xmllint %s: %v\n%s\n%s", tc.schema, err, out, doc)
	}
}

// TestWriterEmpty: an empty TBX v3 export validates (a body needs a
// conceptEntry, so there is none); TBX v2 cannot be empty and says so
// without writing anything.
func TestWriterEmpty(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	validate(t, b.Bytes(), versions[0])
	b.Reset()
	w = NewWriterV2(&b)
	if err := w.Close(); tolk.ErrorCode(err) != tolk.EFAILEDPRE {
		t.Errorf("Close of an empty TBX v2 = %v, want EFAILEDPRE", err)
	}
	if b.Len() > 0 {
		t.Errorf("an empty TBX v2 export wrote %d bytes", b.Len())
	}
}

// TestWriterV2ReadByTranslateToolkit checks that tbx2po, which reads TBX v2
// only, finds every concept of a TBX v2 export with its English term.
func TestWriterV2ReadByTranslateToolkit(t *testing.T) {
	bin, err := exec.LookPath("tbx2po")
	if err != nil {
		t.Skip("tbx2po not installed (Debian translate-toolkit); .ci/run installs it")
	}
	cs := loadFixture(t)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "g.tbx"), filepath.Join(dir, "g.po")
	var b bytes.Buffer
	w := NewWriterV2(&b, Options{Lang: "nl"})
	for _, c := range cs {
		if err := w.Write(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(bin, "--progress=none", in, out).CombinedOutput(); err != nil {
		t.Fatalf("tbx2po: %v\n%s", err, msg)
	}
	po, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		first := c.Terms[0].Text
		if !strings.Contains(string(po), strconv.Quote(first)) {
			t.Errorf("tbx2po output lacks the concept with term %q:\n%s", first, po)
			break
		}
	}
}
