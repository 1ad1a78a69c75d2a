package tmx

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/internal/shareddata"
)

// FuzzReader reads arbitrary input: the reader must not panic, must read
// whatever encoding/xml reads the same way, and every unit it returns must
// write as TMX that reads back to the same units.
func FuzzReader(f *testing.F) {
	for _, file := range []string{
		"lisa_tmx_compliance_kit/ImportTest1L.tmx",
		"lisa_tmx_compliance_kit/ImportTest2A.tmx",
		"okapi_tests/sampleTMX2.tmx",
		"omegat_tests/test-SMP.tmx",
		"omegat_tests/test-multiple-tuv.tmx",
	} {
		if b, err := os.ReadFile(shareddata.Path(f, "tmx/"+file)); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`<tmx version="1.4"><header srclang="nl"/><body><tu><tuv xml:lang="nl"><seg>a<hi>b<ph x="1">&lt;br/&gt;</ph></hi></seg></tuv><tuv lang="EN-gb"><seg>c</seg></tuv></tu></body></tmx>`))
	f.Add([]byte(`<tmx><header/><body><tu><tuv xml:lang="nl"><seg><bpt i="1">&lt;b&gt;<sub>x</sub></bpt>a<ept i="1">&lt;/b&gt;</ept></seg></tuv><tuv xml:lang="en"><seg>&#xE000;</seg></tuv></tu></body></tmx>`))
	f.Add([]byte(`<tmx><header/><body><tu><tuv xml:lang="en"><seg>` + strings.Repeat("<x>", 70) + `</seg></tuv></tu></body></tmx>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		us, rd, err := readAll(t, bytes.NewReader(data), Options{SourceLang: "en", TargetLang: "fr"})
		ref, _, refErr := readAll(t, bytes.NewReader(data), Options{SourceLang: "en", TargetLang: "fr", stdlib: true})
		if refErr == nil {
			// What encoding/xml reads, the scanner reads the same.
			// (unless the scanner stopped at one of its own limits).
			if err != nil && tolk.ErrorCode(err) != tolk.ELIMIT {
				t.Fatalf("encoding/xml reads %d units, the scanner fails: %v", len(ref), err)
			}
			sameUnits(t, us, ref)
		}
		if err != nil || len(us) == 0 {
			return
		}
		h := rd.Header()
		h.SrcLang, h.TargetLang, h.SegType = "en", "fr", ""
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
		w.Close()
		again, _, err := readAll(t, bytes.NewReader(buf.Bytes()), Options{SourceLang: "en", TargetLang: "fr"})
		if err != nil {
			t.Fatalf("reading our own output: %v\n%s", err, buf.Bytes())
		}
		sameUnits(t, again, us)
	})
}
