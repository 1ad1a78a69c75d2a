package tabular

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/glossary"
	"github.com/tolkdev/tolk/internal/shareddata"
)

// reader is what every reader of this package offers.
type reader interface {
	Next() (glossary.Concept, error)
}

// readAll drains r.
func readAll(t testing.TB, r reader) ([]glossary.Concept, error) {
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

// nlEN counts concepts with both a Dutch and an English term.
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

// TestSharedFiles imports every CSV, TSV and OmegaT file under
// termbase/ of the shared data: each either yields the expected number of
// concepts and of Dutch–English concepts, or is rejected with a message
// that names the position and the problem.
func TestSharedFiles(t *testing.T) {
	root := shareddata.Path(t, "termbase")
	tests := []struct {
		file      string
		kind      string // csv, omegat, omegatcsv
		src, tgt  string // for OmegaT files, which name no languages
		concepts  int
		nlen      int
		errSubstr string // non-empty: the file must be rejected with this in the message
	}{
		{"eu_authority_tables/corporate-body-classification_nl_en.tsv", "csv", "", "", 46, 46, ""},
		{"eu_authority_tables/countries_nl_en.tsv", "csv", "", "", 284, 284, ""},
		{"eu_authority_tables/events_nl_en.tsv", "csv", "", "", 233, 206, ""},
		{"eu_authority_tables/honorifics_nl_en.tsv", "csv", "", "", 12, 12, ""},
		{"eu_authority_tables/roles_nl_en.tsv", "csv", "", "", 114, 109, ""},
		{"matecat_glossary_csv/Final-Matecat-new_glossary_format-Glossary.csv", "csv", "", "", 11, 0, ""},
		{"matecat_glossary_csv/full-structure-valid.csv", "csv", "", "", 2, 0, ""},
		{"matecat_glossary_csv/mixed-valid.csv", "csv", "", "", 2, 0, ""},
		{"matecat_glossary_csv/minimal-valid.csv", "csv", "", "", 3, 0, ""},
		// MateCat rejects this file only because es-419 is not in its own
		// language list; es-419 is valid BCP 47 and Tolk reads it.
		{"matecat_glossary_csv/minimal-invalid.csv", "csv", "", "", 3, 0, ""},
		{"matecat_glossary_csv/invalid-language.csv", "csv", "", "", 0, 0, `line 1, column 2: header "valid" after language column "not"`},
		{"matecat_glossary_csv/invalid-structure.csv", "csv", "", "", 0, 0, "line 1, column 1: \"en-ZZ\" names the unknown region ZZ"},
		{"omegat_l10n_nl/glossary.txt", "omegat", "en", "nl", 6, 6, ""},
		{"omegat_tests/acceptance-glossary.txt", "omegat", "en", "ja", 2, 0, ""},
		{"omegat_tests/testUTF16LE.txt", "omegat", "en", "fr", 2, 0, ""},
		{"omegat_tests/test-magiccomment-bom.tab", "omegat", "en", "fr", 0, 0, ""},
		{"omegat_tests/test-magiccomment.tab", "omegat", "en", "fr", 0, 0, ""},
		{"omegat_tests/test.tab", "omegat", "en", "fr", 4, 0, ""},
		{"omegat_tests/test.csv", "omegatcsv", "en", "fr", 7, 0, ""},
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
			var r reader
			switch tt.kind {
			case "csv":
				r, err = NewCSVReader(f, "")
			case "omegat":
				r, err = NewOmegaTReader(f, tt.src, tt.tgt, "")
			case "omegatcsv":
				r, err = NewOmegaTCSVReader(f, tt.src, tt.tgt, "")
			}
			var cs []glossary.Concept
			if err == nil {
				cs, err = readAll(t, r)
			}
			if tt.errSubstr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.errSubstr) || tolk.ErrorCode(err) != tolk.EINVALID {
					t.Fatalf("err = %v, want EINVALID containing %q", err, tt.errSubstr)
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
	// Every tabular file of the folder is in the table (TBX files are the
	// tbx package's).
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".tbx") {
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
	f, err := os.Open(shareddata.Path(t, "termbase/eu_authority_tables/countries_nl_en.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := NewCSVReader(f, "")
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	want := glossary.Concept{
		ID: "http://publications.europa.eu/resource/authority/country/AND",
		Terms: []glossary.Term{
			{Lang: "en", Text: "Andorra", Status: glossary.StatusPreferred},
			{Lang: "nl", Text: "Andorra", Status: glossary.StatusPreferred},
			{Lang: "en", Text: "Principality of Andorra", Status: glossary.StatusAdmitted},
			{Lang: "nl", Text: "Vorstendom Andorra", Status: glossary.StatusAdmitted},
			{Lang: "nl", Text: "Andorrese", Status: glossary.StatusAdmitted, Note: "hidden label"},
		},
	}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("got  %+v\nwant %+v", c, want)
	}
	f2, err := os.Open(shareddata.Path(t, "termbase/matecat_glossary_csv/Final-Matecat-new_glossary_format-Glossary.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	r2, err := NewCSVReader(f2, "")
	if err != nil {
		t.Fatal(err)
	}
	cs, err := readAll(t, r2)
	if err != nil {
		t.Fatal(err)
	}
	c = cs[3]
	if c.Subject != "Uber/Partner" || c.Terms[0].Lang != "en-gb" || c.Terms[0].Text != "Driver" || !strings.Contains(c.Terms[0].Note, `"driver-partners"`) || len(c.Terms) != 3 {
		t.Errorf("MateCat row 4 = %+v", c)
	}
}

func TestCSVReader(t *testing.T) {
	tests := []struct {
		name, in string
		want     []glossary.Concept
		err      string
	}{
		{
			name: "languages any case, qualifiers, synonyms",
			in:   "ID,Domain,Subdomain,Definition,valid_until,NL,Status,POS,EN-gb,Notes,Example of use,nl,status\nx1,diplomacy,titles,def,2020-01-02,ambassadeur,preferred,noun,ambassador,n,ex,gezant,deprecatedTerm\n",
			want: []glossary.Concept{{ID: "x1", Subject: "diplomacy/titles", Definition: "def", ValidUntil: time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC), Terms: []glossary.Term{
				{Lang: "nl", Text: "ambassadeur", Status: "preferred", POS: "noun"},
				{Lang: "en-gb", Text: "ambassador", Note: "n", Example: "ex"},
				{Lang: "nl", Text: "gezant", Status: "deprecated"},
			}}},
		},
		{
			name: "semicolons, BOM, empty rows and terms, forbidden",
			in:   "\uFEFFforbidden;nl;en\n;vrede;peace\n;;\nyes;Derde Wereld;\n",
			want: []glossary.Concept{
				{Terms: []glossary.Term{{Lang: "nl", Text: "vrede"}, {Lang: "en", Text: "peace"}}},
				{Terms: []glossary.Term{{Lang: "nl", Text: "Derde Wereld", Status: "forbidden"}}},
			},
		},
		{
			name: "continuation rows merge",
			in:   "id,nl,en\nc1,VN,UN\nc1,Verenigde Naties,United Nations\nc2,NAVO,NATO\n",
			want: []glossary.Concept{
				{ID: "c1", Terms: []glossary.Term{{Lang: "nl", Text: "VN"}, {Lang: "en", Text: "UN"}, {Lang: "nl", Text: "Verenigde Naties"}, {Lang: "en", Text: "United Nations"}}},
				{ID: "c2", Terms: []glossary.Term{{Lang: "nl", Text: "NAVO"}, {Lang: "en", Text: "NATO"}}},
			},
		},
		{name: "empty file", in: "", err: "line 1: the file is empty"},
		{name: "no language", in: "id,subject\n", err: "line 1: the header names no language column"},
		{name: "concept field late", in: "nl,subject\n", err: `line 1, column 2: concept field "subject" comes after a language column`},
		{name: "unknown header", in: "colour,nl\n", err: `line 1, column 1: header "colour" is neither`},
		{name: "bad status", in: "nl,status\nvrede,great\n", err: `line 2, column 2 (status): status "great"`},
		{name: "bad date", in: "valid_from,nl\n1 May,vrede\n", err: `line 2, column 1 (valid_from): "1 May" is not a date`},
		{name: "too many fields", in: "nl,en\na,b,c\n", err: "line 2: 3 fields, but the header names 2 columns"},
		{name: "bad quote", in: "nl,en\n\"a,b\n", err: "line 2, column"},
		{name: "dates reversed", in: "valid_from,valid_until,nl\n2020-01-01,2019-01-01,vrede\n", err: "line 2.valid_from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewCSVReader(strings.NewReader(tt.in), "")
			var got []glossary.Concept
			if err == nil {
				got, err = readAll(t, r)
			}
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
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

func TestOmegaTReader(t *testing.T) {
	in := "# Glossary -*- coding: utf-8 -*-\r\nceasefire\tstaakt-het-vuren\tUN usage\r\n\r\nembassy\tambassade\r\n# comment\r\nlonely\r\n"
	r, err := NewOmegaTReader(strings.NewReader(in), "EN", "nl", "")
	if err != nil {
		t.Fatal(err)
	}
	got, err := readAll(t, r)
	want := []glossary.Concept{
		{Note: "UN usage", Terms: []glossary.Term{{Lang: "en", Text: "ceasefire"}, {Lang: "nl", Text: "staakt-het-vuren"}}},
		{Terms: []glossary.Term{{Lang: "en", Text: "embassy"}, {Lang: "nl", Text: "ambassade"}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v", got)
	}
	if err == nil || !strings.Contains(err.Error(), "line 6: no separator") {
		t.Errorf("err = %v", err)
	}
	// UTF-16LE with BOM and CRLF.
	u := utf16.Encode([]rune("\uFEFFvrede\tpeace\r\n"))
	var b bytes.Buffer
	for _, c := range u {
		b.WriteByte(byte(c))
		b.WriteByte(byte(c >> 8))
	}
	r, _ = NewOmegaTReader(&b, "nl", "en", "")
	got, err = readAll(t, r)
	if err != nil || len(got) != 1 || got[0].Terms[1].Text != "peace" {
		t.Errorf("utf-16: %+v %v", got, err)
	}
	if _, err := NewOmegaTReader(strings.NewReader(""), "dutch!", "en", ""); tolk.ErrorField(err) != "source_lang" {
		t.Errorf("bad language: %v", err)
	}
}

func fixture(t *testing.T) []glossary.Concept {
	t.Helper()
	f, err := os.Open("../testdata/diplomatic.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := NewJSONLReader(f, "")
	if err != nil {
		t.Fatal(err)
	}
	cs, err := readAll(t, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) < 20 {
		t.Fatalf("fixture has %d concepts", len(cs))
	}
	return cs
}

func TestRoundTrip(t *testing.T) {
	cs := fixture(t)
	cs[0].Changed = time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	cs[1].ValidFrom = time.Date(2001, 2, 3, 0, 0, 0, 0, time.UTC)
	cs[2].Terms[0].Example = "Hij \"zei\", met komma's\nen regels."
	t.Run("jsonl", func(t *testing.T) {
		var b bytes.Buffer
		w := NewJSONLWriter(&b)
		for _, c := range cs {
			if err := w.Write(c); err != nil {
				t.Fatal(err)
			}
		}
		w.Close()
		r, _ := NewJSONLReader(&b, "")
		got, err := readAll(t, r)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, cs) {
			t.Errorf("jsonl round trip differs")
		}
	})
	t.Run("csv", func(t *testing.T) {
		var b bytes.Buffer
		w, err := NewCSVWriter(&b, "nl", "en")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if err := w.Write(c); err != nil {
				t.Fatal(err)
			}
		}
		w.Close()
		r, err := NewCSVReader(&b, "")
		if err != nil {
			t.Fatal(err)
		}
		got, err := readAll(t, r)
		if err != nil {
			t.Fatal(err)
		}
		want := make([]glossary.Concept, len(cs))
		for i, c := range cs {
			c.Changed = time.Time{} // not part of the CSV layout
			// the CSV groups terms by row: first of each language, then the next
			c.Terms = csvOrder(c.Terms)
			want[i] = c
		}
		if len(got) != len(want) {
			t.Fatalf("%d concepts back, want %d", len(got), len(want))
		}
		for i := range got {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("concept %d:\n got  %+v\n want %+v", i, got[i], want[i])
			}
		}
	})
	t.Run("omegat", func(t *testing.T) {
		var b bytes.Buffer
		w, _ := NewOmegaTWriter(&b, "nl", "en")
		for _, c := range cs {
			w.Write(c)
		}
		w.Close()
		r, _ := NewOmegaTReader(&b, "nl", "en", "")
		got, err := readAll(t, r)
		if err != nil {
			t.Fatal(err)
		}
		var pairs, back []string
		for _, c := range cs {
			best := ""
			for _, tm := range c.Terms {
				if tm.Lang == "en" && (best == "" || tm.Status == glossary.StatusPreferred) {
					best = tm.Text
				}
			}
			for _, tm := range c.Terms {
				if tm.Lang == "nl" {
					pairs = append(pairs, tm.Text+"="+best)
				}
			}
		}
		for _, c := range got {
			back = append(back, c.Terms[0].Text+"="+c.Terms[1].Text)
		}
		if !slices.Equal(pairs, back) {
			t.Errorf("omegat pairs differ:\n%v\n%v", pairs, back)
		}
	})
}

// csvOrder puts terms in the order CSVWriter writes them: row by row, nl
// then en.
func csvOrder(ts []glossary.Term) []glossary.Term {
	var by [2][]glossary.Term
	for _, t := range ts {
		if t.Lang == "nl" {
			by[0] = append(by[0], t)
		} else {
			by[1] = append(by[1], t)
		}
	}
	var out []glossary.Term
	for i := 0; i < max(len(by[0]), len(by[1])); i++ {
		for _, l := range by {
			if i < len(l) {
				out = append(out, l[i])
			}
		}
	}
	return out
}

func TestJSONLErrors(t *testing.T) {
	tests := []struct{ in, err string }{
		{`{"id":"a","terms":[{"lang":"nl","text":"x"}]}` + "\n" + `{"id":"b","colour":1}`, "line 2: not a concept object"},
		{`{"id":"a","terms":[]}`, "line 1: concept \"a\" has no term"},
		{`{"id":"a","terms":[{"lang":"dutch","text":"x"}]}`, "line 1.terms[0].lang"},
		{"\n\n{", "line 3"},
	}
	for _, tt := range tests {
		r, _ := NewJSONLReader(strings.NewReader(tt.in), "")
		_, err := readAll(t, r)
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%q: err = %v, want %q", tt.in, err, tt.err)
		}
		var te *tolk.Error
		if !errors.As(err, &te) {
			t.Errorf("%q: not a *tolk.Error: %v", tt.in, err)
		}
	}
}

// TestEncoding checks every tabular reader on a file with one byte that is
// not UTF-8: without a named encoding it is an EINVALID error naming the
// line (it used to be decoded whole as Latin-1 or Windows-1252), with the
// encoding named the text is read right.
func TestEncoding(t *testing.T) {
	readers := []struct {
		name string
		in   string
		line string // where the bad byte is
		open func(io.Reader, string) (reader, error)
	}{
		{"csv", "nl,en\nvrede,peace\nco\xF6rdinator,coordinator\n", "line 3",
			func(r io.Reader, enc string) (reader, error) { return NewCSVReader(r, enc) }},
		{"omegat", "vrede\tpeace\nco\xF6rdinator\tcoordinator\n", "line 2",
			func(r io.Reader, enc string) (reader, error) { return NewOmegaTReader(r, "nl", "en", enc) }},
		{"omegat csv", "vrede,peace\nco\xF6rdinator,coordinator\n", "line 2",
			func(r io.Reader, enc string) (reader, error) { return NewOmegaTCSVReader(r, "nl", "en", enc) }},
		{"jsonl", `{"id":"a","terms":[{"lang":"nl","text":"vrede"}]}` + "\n" + `{"id":"b","terms":[{"lang":"nl","text":"co` + "\xF6" + `rdinator"}]}` + "\n", "line 2",
			func(r io.Reader, enc string) (reader, error) { return NewJSONLReader(r, enc) }},
	}
	for _, rd := range readers {
		t.Run(rd.name, func(t *testing.T) {
			r, err := rd.open(strings.NewReader(rd.in), "")
			var texts []string
			for err == nil {
				var c glossary.Concept
				if c, err = r.Next(); err == nil {
					texts = append(texts, c.Terms[0].Text)
				}
			}
			if tolk.ErrorCode(err) != tolk.EINVALID || tolk.ErrorField(err) != rd.line {
				t.Errorf("undeclared Latin-1: texts %q, error %v (field %q), want EINVALID at %s", texts, err, tolk.ErrorField(err), rd.line)
			}
			if !reflect.DeepEqual(texts, []string{"vrede"}) {
				t.Errorf("read %q before the error, want [vrede]", texts)
			}
			r, err = rd.open(strings.NewReader(rd.in), "windows-1252")
			if err != nil {
				t.Fatal(err)
			}
			got, err := readAll(t, r)
			if err != nil {
				t.Fatalf("with the encoding named: %v", err)
			}
			if len(got) != 2 || got[1].Terms[0].Text != "coördinator" {
				t.Errorf("with the encoding named: %+v, want coördinator", got)
			}
		})
	}
}
