package tmx

import (
	"bytes"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/tolkdev/tolk/internal/shareddata"
)

// TestMutations reads thousands of randomly damaged copies of real TMX
// files (bytes changed, truncations, stray markup): no panic, and whatever
// encoding/xml reads, the scanner reads the same. FuzzReader goes further.
func TestMutations(t *testing.T) {
	var seeds [][]byte
	for _, f := range []string{"lisa_tmx_compliance_kit/ImportTest1L.tmx", "okapi_tests/sampleTMX2.tmx", "omegat_tests/test-multiple-tuv.tmx", "lisa_tmx_compliance_kit/ImportTest2A.tmx"} {
		b, err := os.ReadFile(shareddata.Path(t, "tmx/"+f))
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	r := rand.New(rand.NewPCG(1, 2))
	const junk = "<?&#x;<![CDATA[]]><!-- --><a b='&lt;'/>"
	for range 3000 {
		d := bytes.Clone(seeds[r.IntN(len(seeds))])
		for k := 0; k < 1+r.IntN(4) && len(d) > 1; k++ {
			j := r.IntN(len(d))
			switch r.IntN(3) {
			case 0:
				d[j] = byte(r.IntN(256))
			case 1:
				d = d[:j]
			case 2:
				d = append(d[:j], append([]byte(junk[r.IntN(len(junk)):]), d[j:]...)...)
			}
		}
		opt := Options{SourceLang: "en", TargetLang: "fr"}
		us, _, err := readAll(t, bytes.NewReader(d), opt)
		opt.stdlib = true
		ref, _, refErr := readAll(t, bytes.NewReader(d), opt)
		if refErr == nil {
			if err != nil {
				t.Fatalf("encoding/xml reads %d units, the scanner fails: %v\n%q", len(ref), err, d)
			}
			sameUnits(t, us, ref)
		}
	}
}
