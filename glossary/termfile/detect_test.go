package termfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/internal/shareddata"
)

// decodeAll decodes a whole file.
func decodeAll(t *testing.T, r io.Reader, f Format, opt Options) ([]glossary.Concept, error) {
	t.Helper()
	dec, err := NewDecoder(r, f, opt)
	if err != nil {
		return nil, err
	}
	var out []glossary.Concept
	for {
		c, err := dec.Next()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, c)
	}
}

// hasTerm reports whether some concept has the term lang:text with the
// given status ("" for any) and, when id is not empty, that id.
func hasTerm(cs []glossary.Concept, id, lang, text string, st glossary.Status) bool {
	return slices.ContainsFunc(cs, func(c glossary.Concept) bool {
		return (id == "" || c.ID == id) && slices.ContainsFunc(c.Terms, func(t glossary.Term) bool {
			return t.Lang == lang && t.Text == text && (st == "" || t.Status == st)
		})
	})
}

type termCheck struct {
	id, lang, text string
	status         glossary.Status
}

// TestEveryTermbase imports every file of the shared termbase folder with
// format detection: each is either read right (counts and a few terms
// checked exactly) or refused with a message saying what to do. Files
// without Dutch and English are refused for that; header-less OmegaT
// glossaries whose words do not show the languages ask for them.
func TestEveryTermbase(t *testing.T) {
	root := shareddata.Path(t, "termbase")
	eu := "http://publications.europa.eu/resource/authority/"
	notNLEN := "has both a Dutch (nl) and an English (en) term"
	askLangs := "--source-lang nl --target-lang en"
	tests := []struct {
		file   string
		opt    Options
		n      int
		terms  []termCheck
		absent []string // texts that must not be stored as terms
		err    string
	}{
		{file: "eu_authority_tables/countries_nl_en.tsv", n: 284, terms: []termCheck{
			{eu + "country/AND", "nl", "Andorra", glossary.StatusPreferred},
			{eu + "country/AND", "nl", "Vorstendom Andorra", glossary.StatusAdmitted},
			{eu + "country/AND", "en", "Principality of Andorra", glossary.StatusAdmitted},
		}, absent: []string{"true", "false", "concept_uri", "nl_pref", eu + "country/AND"}},
		{file: "eu_authority_tables/honorifics_nl_en.tsv", n: 12, terms: []termCheck{
			{eu + "honorific/MR", "nl", "De heer", glossary.StatusAdmitted},
			{eu + "honorific/MR", "en", "Mr", glossary.StatusPreferred},
		}},
		{file: "eu_authority_tables/roles_nl_en.tsv", n: 109, terms: []termCheck{{eu + "role/ADDRESSEE", "nl", "Ontvanger", glossary.StatusPreferred}}},
		{file: "eu_authority_tables/events_nl_en.tsv", n: 206},
		{file: "eu_authority_tables/corporate-body-classification_nl_en.tsv", n: 46},
		{file: "omegat_l10n_nl/glossary.txt", err: askLangs},
		{file: "omegat_l10n_nl/glossary.txt", opt: Options{SourceLang: "en", TargetLang: "nl"}, n: 6, terms: []termCheck{
			{"", "en", "program folder", ""}, {"", "nl", "programmamap", ""}, {"", "nl", "back-upbestanden", ""},
		}},
		{file: "omegat_l10n_nl/glossary.txt", opt: Options{SourceLang: "en"}, n: 6, terms: []termCheck{{"", "nl", "programmamap", ""}}},
		{file: "omegat_tests/test.csv", err: askLangs},
		{file: "omegat_tests/test.csv", opt: Options{SourceLang: "en", TargetLang: "nl"}, n: 7, terms: []termCheck{
			{"", "en", "kde", ""}, {"", "nl", "csv kde", ""}, {"", "en", "kde, qu", ""},
		}},
		{file: "omegat_tests/test.tab", err: askLangs},
		{file: "omegat_tests/testUTF16LE.txt", err: askLangs},
		{file: "omegat_tests/acceptance-glossary.txt", err: askLangs},
		{file: "omegat_tests/test-magiccomment.tab", err: askLangs},
		{file: "omegat_tests/test-magiccomment-bom.tab", err: askLangs},
		{file: "omegat_tests/sampleTBXfile.tbx", err: notNLEN},
		{file: "matecat_glossary_csv/Final-Matecat-new_glossary_format-Glossary.csv", err: notNLEN},
		{file: "matecat_glossary_csv/full-structure-valid.csv", err: notNLEN},
		{file: "matecat_glossary_csv/mixed-valid.csv", err: notNLEN},
		{file: "matecat_glossary_csv/minimal-valid.csv", err: notNLEN},
		{file: "matecat_glossary_csv/minimal-invalid.csv", err: notNLEN},
		{file: "matecat_glossary_csv/invalid-language.csv", err: `header "valid" after language column "not"`},
		{file: "matecat_glossary_csv/invalid-structure.csv", err: `"en-ZZ" names the unknown region ZZ`},
		{file: "okapi_tbx_samples/medtronic_TBX.tbx", n: 3, terms: []termCheck{{"c7331", "nl", "patiënt-identificatiecode", ""}, {"c7331", "en", "patient identifier", ""}}},
		{file: "weblate_glossaries_nl/monal-glossary-nl.tbx", n: 5, terms: []termCheck{{"", "nl", "MUC", ""}}},
		{file: "weblate_glossaries_nl/weblateorg-glossary-nl.tbx", n: 177, terms: []termCheck{{"", "en", "glossary", ""}, {"", "nl", "woordenlijst", ""}}},
		{file: "ltac_tbx3_test_files/poorly_formed_xml.tbx", err: "malformed XML"},
		{file: "ltac_tbx3_test_files/core_structure_bad.tbx", err: "may not appear here"},
		{file: "ltac_tbx3_test_files/basic_bad.tbx", err: "TBX-Basic permits"},
		{file: "ltac_tbx3_test_files/min_bad.tbx", err: "TBX-Min permits"},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		seen[tt.file] = true
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join(root, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := decodeAll(t, f, AutoDetect, tt.opt)
			if tt.err != "" {
				if tolk.ErrorCode(err) != tolk.EINVALID || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want EINVALID saying %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.n {
				t.Errorf("%d concepts, want %d", len(got), tt.n)
			}
			for _, c := range tt.terms {
				if !hasTerm(got, c.id, c.lang, c.text, c.status) {
					t.Errorf("no term %s:%q (%s) in concept %q", c.lang, c.text, c.status, c.id)
				}
			}
			for _, s := range tt.absent {
				if hasTerm(got, "", "nl", s, "") || hasTerm(got, "", "en", s, "") {
					t.Errorf("%q stored as a term", s)
				}
			}
		})
	}
	// Every other file: read without error or refused for having no
	// Dutch-English concept; none is left unlisted silently.
	files, _ := filepath.Glob(filepath.Join(root, "*", "*"))
	for _, p := range files {
		rel, _ := filepath.Rel(root, p)
		if seen[filepath.ToSlash(rel)] {
			continue
		}
		t.Run(rel, func(t *testing.T) {
			f, err := os.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := decodeAll(t, f, AutoDetect, Options{})
			if err != nil && !strings.Contains(err.Error(), notNLEN) {
				t.Fatalf("%d concepts, then %v", len(got), err)
			}
		})
	}
}

// TestDirection checks that the direction of a header-less glossary is
// read from its words: a real en→nl list (the EU roles table's preferred
// labels, written out as an OmegaT glossary) is stored the right way round
// both ways, and a list too short to tell is refused.
func TestDirection(t *testing.T) {
	f, err := os.Open(shareddata.Path(t, "termbase/eu_authority_tables/roles_nl_en.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	roles, err := decodeAll(t, f, AutoDetect, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var enNL, nlEN strings.Builder
	for _, c := range roles {
		var en, nl string
		for _, term := range c.Terms {
			if term.Status == glossary.StatusPreferred && term.Lang == "en" {
				en = term.Text
			} else if term.Status == glossary.StatusPreferred && term.Lang == "nl" {
				nl = term.Text
			}
		}
		enNL.WriteString(en + "\t" + nl + "\n")
		nlEN.WriteString(nl + "\t" + en + "\n")
	}
	for name, doc := range map[string]string{"en→nl": enNL.String(), "nl→en": nlEN.String()} {
		got, err := decodeAll(t, strings.NewReader(doc), AutoDetect, Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !hasTerm(got, "", "nl", "Ontvanger", "") || !hasTerm(got, "", "en", "Addressee", "") {
			t.Errorf("%s: Ontvanger/Addressee stored the wrong way round: %+v", name, got[0])
		}
	}
	short := "Addressee\tOntvanger\n"
	if _, err := decodeAll(t, strings.NewReader(short), AutoDetect, Options{}); tolk.ErrorField(err) != "source_language" {
		t.Errorf("one entry: %v, want a request for the languages", err)
	}
}
