package tmx

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/internal/shareddata"
	"github.com/tolkdev/tolk/memory"
)

// readAll reads every unit of a TMX stream.
func readAll(t testing.TB, r io.Reader, opt Options) ([]memory.Unit, *Reader, error) {
	t.Helper()
	rd, err := NewReader(r, opt)
	if err != nil {
		return nil, nil, err
	}
	var us []memory.Unit
	for {
		u, err := rd.Next()
		if err == io.EOF {
			return us, rd, nil
		}
		if err != nil {
			return us, rd, err
		}
		us = append(us, u)
	}
}

// TestSharedFiles reads every TMX file of the shared data: each is either
// read with the expected number of units for a language pair it holds
// (and of TUs skipped for lacking one of them), or rejected with a message
// that says where and why.
func TestSharedFiles(t *testing.T) {
	nlen := Options{}
	enfr := Options{SourceLang: "en", TargetLang: "fr"}
	for _, tc := range []struct {
		file           string
		opt            Options
		units, skipped int
		err            string // substring of the error, "" when the file is read
	}{
		{"lisa_tmx_compliance_kit/ExportTest1A.tmx", enfr, 4, 0, ""},
		{"lisa_tmx_compliance_kit/ExportTest1B.tmx", enfr, 2, 0, ""},
		{"lisa_tmx_compliance_kit/ExportTest1C.tmx", enfr, 4, 0, ""},
		{"lisa_tmx_compliance_kit/ExportTest1D.tmx", enfr, 4, 0, ""},
		{"lisa_tmx_compliance_kit/ExportTest1E.tmx", enfr, 4, 0, ""},
		{"lisa_tmx_compliance_kit/ExportTest2A.tmx", enfr, 6, 0, ""},
		{"lisa_tmx_compliance_kit/ImportTest1A.tmx", enfr, 2, 0, ""},
		{"lisa_tmx_compliance_kit/ImportTest1B.tmx", enfr, 1, 0, ""},
		{"lisa_tmx_compliance_kit/ImportTest1C.tmx", Options{SourceLang: "fr", TargetLang: "en"}, 6, 0, ""},
		{"lisa_tmx_compliance_kit/ImportTest1D.tmx", Options{SourceLang: "en-us", TargetLang: "en-gb"}, 3, 0, ""},
		{"lisa_tmx_compliance_kit/ImportTest1E.tmx", Options{SourceLang: "en-us", TargetLang: "en-gb"}, 3, 0, ""},
		{"lisa_tmx_compliance_kit/ImportTest1F.tmx", Options{SourceLang: "en-us", TargetLang: "en-gb"}, 3, 0, ""},
		{"lisa_tmx_compliance_kit/ImportTest1G.tmx", Options{SourceLang: "en-us", TargetLang: "en-gb"}, 3, 0, ""},
		{"lisa_tmx_compliance_kit/ImportTest1H.tmx", Options{SourceLang: "en-us", TargetLang: "en-gb"}, 3, 0, ""},
		{"lisa_tmx_compliance_kit/ImportTest1I.tmx", Options{SourceLang: "en", TargetLang: "ja"}, 1, 0, ""},
		{"lisa_tmx_compliance_kit/ImportTest1J.tmx", Options{SourceLang: "en-us", TargetLang: "en-gb"}, 2, 0, ""},
		{"lisa_tmx_compliance_kit/ImportTest1J_many.tmx", Options{SourceLang: "en-us", TargetLang: "en-gb"}, 2, 1, ""}, // the third TU is es/en
		{"lisa_tmx_compliance_kit/ImportTest1K.tmx", Options{SourceLang: "de", TargetLang: "en"}, 1, 1, ""},
		{"lisa_tmx_compliance_kit/ImportTest1L.tmx", enfr, 1, 0, ""},
		{"lisa_tmx_compliance_kit/ImportTest2A-0index.tmx", enfr, 7, 0, ""},
		{"lisa_tmx_compliance_kit/ImportTest2A.tmx", enfr, 7, 0, ""},
		{"lisa_tmx_compliance_kit/ImportTest2B.tmx", enfr, 7, 0, ""},
		{"lisa_tmx_compliance_kit/ImportTest2C.tmx", enfr, 1, 0, ""},
		{"matecat_tests/exampleForTestOriginal.tmx", Options{SourceLang: "en", TargetLang: "it"}, 2, 0, ""},
		{"okapi_tests/Paragraph_TM.tmx", Options{SourceLang: "en", TargetLang: "de"}, 7, 0, ""},
		{"okapi_tests/a_small_test2.tmx", enfr, 1, 0, ""},
		{"okapi_tests/header_with_prop_and_note.tmx", enfr, 1, 0, ""},
		{"okapi_tests/html_test.tmx", enfr, 11, 0, ""},
		{"okapi_tests/issue277.tmx", Options{SourceLang: "de", TargetLang: "en"}, 2, 0, ""},
		{"okapi_tests/lib-tkit-simple.tmx", enfr, 1, 0, ""},
		{"okapi_tests/mytm.tmx", enfr, 25, 0, ""},
		{"okapi_tests/okapi-confusion.tmx", enfr, 0, 1, ""},
		{"okapi_tests/potest.po.normal.tmx", enfr, 9, 3, ""},
		{"okapi_tests/sample14b.tmx", Options{SourceLang: "en", TargetLang: "de"}, 25, 0, ""},
		{"okapi_tests/sampleTMX2.tmx", enfr, 3, 0, ""},
		{"okapi_tests/smallParagraph.tmx", Options{SourceLang: "en", TargetLang: "pt"}, 2, 0, ""},
		{"okapi_tests/test01.tmx", enfr, 4, 0, ""},
		{"okapi_tests/test02.tmx", enfr, 4, 0, ""},
		{"okapi_tests/tmxtest-attributes.out.tmx", enfr, 9, 0, ""},
		{"okapi_tests/tmxtest-attributes.tmx", enfr, 9, 0, ""},
		{"omegat_l10n_nl/project_save.tmx.gz", nlen, 12326, 0, ""},
		{"omegat_l10n_nl/website2016.tmx", nlen, 1978, 0, ""},
		{"omegat_tests/autotmx-auto1.tmx", enfr, 2, 0, ""},
		{"omegat_tests/autotmx-auto14.tmx", enfr, 2, 0, ""},
		{"omegat_tests/empty.tmx", enfr, 0, 0, ""},
		{"omegat_tests/en-US_en-GB_fr_sr.tmx", Options{SourceLang: "fr", TargetLang: "en"}, 2, 0, ""},
		{"omegat_tests/enforcetmx-alternative.tmx", enfr, 2, 0, ""},
		{"omegat_tests/invalid.tmx", Options{SourceLang: "be", TargetLang: "en"}, 1, 0, ""},
		{"omegat_tests/project_save.tmx", enfr, 5, 0, ""},
		{"omegat_tests/test-SMP.tmx", Options{SourceLang: "be", TargetLang: "en"}, 1, 0, ""},
		{"omegat_tests/test-level1.tmx", Options{SourceLang: "be", TargetLang: "en"}, 5, 0, ""},
		{"omegat_tests/test-level2.tmx", Options{SourceLang: "be", TargetLang: "en"}, 4, 0, ""},
		{"omegat_tests/test-match-stat-en-ca.tmx", Options{SourceLang: "en", TargetLang: "ca"}, 259, 0, ""},
		{"omegat_tests/test-match-stat-en-ca11.tmx", Options{SourceLang: "en", TargetLang: "ca"}, 259, 0, ""},
		{"omegat_tests/test-missingSource.tmx", Options{SourceLang: "en", TargetLang: "be"}, 3, 1, ""},
		{"omegat_tests/test-multiple-entries.tmx", Options{SourceLang: "en", TargetLang: "co"}, 4, 0, ""},
		{"omegat_tests/test-multiple-entries11.tmx", Options{SourceLang: "en", TargetLang: "co"}, 4, 0, ""},
		{"omegat_tests/test-multiple-tuv.tmx", enfr, 5, 1, ""},
		{"omegat_tests/test-multiple-tuv14.tmx", enfr, 5, 1, ""},
		{"omegat_tests/test-omegat-invalid.tmx", Options{SourceLang: "be", TargetLang: "en"}, 5, 0, ""},
		{"omegat_tests/test-omegat.tmx", Options{SourceLang: "be", TargetLang: "en"}, 5, 0, ""},
		{"omegat_tests/test-save-tmx14.tmx", Options{SourceLang: "be", TargetLang: "en"}, 4, 0, ""},
		{"translate5_tests/Plugins_MatchAnalysis_tests_Functional_MatchAnalysisTest_MatchAnalysisTest_TM.tmx", Options{SourceLang: "de", TargetLang: "en"}, 10, 0, ""},
		{"translate5_tests/Plugins_MatchAnalysis_tests_Functional_Translate2756Test_DummyTmxData.tmx", Options{SourceLang: "de", TargetLang: "en"}, 1, 0, ""},
		{"translate5_tests/Plugins_TMMaintenance_test_Integration_TmxFilter_SameTuvFilterTest_test.tmx", Options{SourceLang: "de", TargetLang: "en"}, 8, 0, ""},
		{"translate5_tests/testcases_Functional_ContentProtection_T5memory_TmxImportPreprocessorTest_small.tmx", Options{SourceLang: "bg", TargetLang: "de"}, 4, 0, ""},
		{"translate5_tests/testcases_Integration_TMX_TmxFilterTest_test.tmx", Options{SourceLang: "de", TargetLang: "en"}, 5, 0, ""},
		{"translate5_tests/testcases_editorAPI_Translate2417Test_resource1.tmx", Options{SourceLang: "de", TargetLang: "en"}, 687, 1, ""}, // one TU has blank segments,
	} {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open(shareddata.Path(t, "tmx/"+tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			us, rd, err := readAll(t, f, tc.opt)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("read %d units, then: %v", len(us), err)
			}
			if len(us) != tc.units || rd.Skipped() != tc.skipped {
				t.Errorf("%d units, %d skipped; want %d, %d", len(us), rd.Skipped(), tc.units, tc.skipped)
			}
			for i, u := range us {
				if strings.TrimSpace(u.Source) == "" || strings.TrimSpace(u.Target) == "" {
					t.Errorf("unit %d has an empty side: %+v", i, u)
				}
			}
			// The fast scanner reads exactly what encoding/xml reads.
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				t.Fatal(err)
			}
			opt := tc.opt
			opt.stdlib = true
			ref, _, err := readAll(t, f, opt)
			if err != nil {
				t.Fatalf("encoding/xml: %v", err)
			}
			sameUnits(t, us, ref)
		})
	}
}

// TestRejects checks that broken documents are rejected with a message
// saying where and why.
func TestRejects(t *testing.T) {
	const head = `<?xml version="1.0"?><tmx version="1.4"><header srclang="nl" creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" datatype="plaintext"/><body>`
	for _, tc := range []struct {
		name, doc, where, why string
	}{
		{"truncated", head + `<tu><tuv xml:lang="nl"><seg>Hallo</seg></tuv>`, "line 1", "ends before"},
		{"not xml", "hello", "line 1", "ends before"},
		{"not tmx", `<?xml version="1.0"?><xliff/>`, "line 1", "not <tmx>"},
		{"bad date", head + "<tu creationdate=\"yesterday\">\n<tuv xml:lang=\"nl\"><seg>a</seg></tuv></tu></body></tmx>", "unit 1", "not a TMX date"},
		{"no lang", head + "<tu><tuv><seg>a</seg></tuv></tu></body></tmx>", "unit 1", "without xml:lang"},
		{"two segs", head + "<tu><tuv xml:lang=\"nl\"><seg>a</seg><seg>b</seg></tuv></tu></body></tmx>", "unit 1", "more than one <seg>"},
		{"mismatched", head + "<tu><tuv xml:lang=\"nl\"><seg>a<ph>b</seg></tuv></tu></body></tmx>", "line 1", "not well-formed"},
		{"bad usagecount", head + "<tu usagecount=\"many\"><tuv xml:lang=\"nl\"><seg>a</seg></tuv></tu></body></tmx>", "unit 1", "not a count"},
		{"unknown encoding", `<?xml version="1.0" encoding="klingon"?><tmx/>`, "line 1", "klingon"},
		{"gzip lie", "\x1f\x8bnope", "file", "gzip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := readAll(t, strings.NewReader(tc.doc), Options{})
			var te *tolk.Error
			if !errors.As(err, &te) || te.Code != tolk.EINVALID {
				t.Fatalf("error %v, want an EINVALID *tolk.Error", err)
			}
			if !strings.Contains(te.Field, tc.where) || !strings.Contains(err.Error(), tc.why) {
				t.Fatalf("error %q (field %q), want where %q and why %q", err, te.Field, tc.where, tc.why)
			}
		})
	}
}
