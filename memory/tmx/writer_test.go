package tmx

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/tolkdev/tolk/internal/shareddata"
	"github.com/tolkdev/tolk/memory"
	"github.com/tolkdev/tolk/segment"
	"go.etcd.io/bbolt"
)

// validate checks a TMX document against the TMX 1.4 DTD with xmllint.
func validate(t *testing.T, doc []byte) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint not installed (Debian libxml2-utils)")
	}
	dtd := shareddata.Path(t, "schemas/tmx/tmx14.dtd")
	f := filepath.Join(t.TempDir(), "out.tmx")
	if err := os.WriteFile(f, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(xmllint, "--nonet", "--nowarning", "--noout", "--dtdvalid", dtd, f).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint rejects the export: %v\n%s", err, out)
	}
}

func write(t *testing.T, h Header, us []memory.Unit) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, h)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range us {
		if err := w.Write(u); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func sameUnits(t *testing.T, got, want []memory.Unit) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d units, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		for _, p := range []*memory.Unit{&g, &w} {
			p.ID, p.Memory = 0, ""
			p.Created, p.Changed, p.LastUsed = p.Created.UTC(), p.Changed.UTC(), p.LastUsed.UTC()
		}
		gj, _ := json.Marshal(g)
		wj, _ := json.Marshal(w)
		if !bytes.Equal(gj, wj) {
			t.Fatalf("unit %d differs:\n got %s\nwant %s", i, gj, wj)
		}
	}
}

// TestRoundTripShared reads each shared file that has inline codes, props,
// notes or several variants, writes it as TMX 1.4b, validates that with
// the DTD and reads it back: the same units.
func TestRoundTripShared(t *testing.T) {
	for _, tc := range []struct {
		file string
		opt  Options
	}{
		{"lisa_tmx_compliance_kit/ImportTest1L.tmx", Options{SourceLang: "en-us", TargetLang: "fr"}},
		{"lisa_tmx_compliance_kit/ImportTest2A.tmx", Options{SourceLang: "en-us", TargetLang: "fr-ca"}},
		{"lisa_tmx_compliance_kit/ImportTest2B.tmx", Options{SourceLang: "en-us", TargetLang: "fr-ca"}},
		{"lisa_tmx_compliance_kit/ImportTest2C.tmx", Options{SourceLang: "en-us", TargetLang: "fr"}},
		{"okapi_tests/Paragraph_TM.tmx", Options{SourceLang: "en-us", TargetLang: "de-de"}},
		{"okapi_tests/sample14b.tmx", Options{SourceLang: "en-us", TargetLang: "de-de"}},
		{"okapi_tests/sampleTMX2.tmx", Options{SourceLang: "en-us", TargetLang: "fr"}},
		{"okapi_tests/tmxtest-attributes.out.tmx", Options{SourceLang: "en-us", TargetLang: "fr-fr"}},
		{"omegat_tests/test-SMP.tmx", Options{SourceLang: "be", TargetLang: "en"}},
		{"omegat_tests/invalid.tmx", Options{SourceLang: "be", TargetLang: "en"}},
		{"translate5_tests/testcases_editorAPI_Translate2417Test_resource1.tmx", Options{SourceLang: "de", TargetLang: "en"}},
		{"translate5_tests/testcases_Integration_TMX_TmxFilterTest_test.tmx", Options{SourceLang: "de", TargetLang: "en"}},
		{"omegat_l10n_nl/website2016.tmx", Options{SourceLang: "nl", TargetLang: "en"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			f, err := os.Open(shareddata.Path(t, "tmx/"+tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			us, rd, err := readAll(t, f, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			h := rd.Header()
			h.SrcLang, h.TargetLang = tc.opt.SourceLang, tc.opt.TargetLang
			doc := write(t, h, us)
			validate(t, doc)
			again, rd2, err := readAll(t, bytes.NewReader(doc), tc.opt)
			if err != nil {
				t.Fatalf("reading the export: %v", err)
			}
			sameUnits(t, again, us)
			h2 := rd2.Header()
			if len(h2.Props) != len(h.Props) || len(h2.Notes) != len(h.Notes) || !h2.CreationDate.Equal(h.CreationDate) {
				t.Errorf("header differs: %+v vs %+v", h2, h)
			}
		})
	}
}

// TestStoreRoundTrip imports a real TMX into a memory, exports it, checks
// the export against the DTD, and imports it into a second memory: same
// units, codes, props and dates.
func TestStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "t.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	s, err := memory.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a", "b"} {
		if _, err := s.CreateMemory(ctx, memory.Memory{Name: name, SourceLang: "nl", TargetLang: "en"}); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open(shareddata.Path(t, "tmx/omegat_l10n_nl/project_save.tmx.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	us, _, err := readAll(t, f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Add some markup, props and context the OmegaT file lacks.
	us[0].Source += " " + string(segment.CodeRune(0)) + "x" + string(segment.CodeRune(1))
	us[0].SourceCodes = []memory.Code{{Kind: "bpt", I: "1", Type: "bold", Content: "&lt;b&gt;"}, {Kind: "ept", I: "1", Content: "&lt;/b&gt;"}}
	us[0].Props = []memory.Prop{{Type: "domain", Value: "software"}}
	us[0].PrevSource, us[0].NextSource, us[0].Penalty, us[0].Origin = "voor", "na", 4, "aligned"
	us[1].LastUsed, us[1].UsageCount = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC), 3
	if _, err := s.Add(ctx, "a", us, memory.KeepBoth); err != nil {
		t.Fatal(err)
	}
	export := func(mem string) ([]memory.Unit, []byte) {
		var buf bytes.Buffer
		w, err := NewWriter(&buf, Header{SrcLang: "nl-NL", TargetLang: "en-GB"})
		if err != nil {
			t.Fatal(err)
		}
		var got []memory.Unit
		err = s.Export(ctx, mem, func(u memory.Unit) error {
			got = append(got, u)
			return w.Write(u)
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return got, buf.Bytes()
	}
	units, doc := export("a")
	if len(units) < 12000 {
		t.Fatalf("only %d units stored", len(units))
	}
	validate(t, doc)
	back, _, err := readAll(t, bytes.NewReader(doc), Options{})
	if err != nil {
		t.Fatal(err)
	}
	sameUnits(t, back, units)
	if _, err := s.Add(ctx, "b", back, memory.KeepBoth); err != nil {
		t.Fatal(err)
	}
	units2, _ := export("b")
	sameUnits(t, units2, units)
}
