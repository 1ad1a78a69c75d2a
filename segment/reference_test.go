package segment

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dlclark/regexp2/v2"
	"github.com/tolkdev/tolk/internal/race"
	"github.com/tolkdev/tolk/internal/shareddata"
	"github.com/tolkdev/tolk/segment/internal/goldeval"
)

// refSegmenter is the SRX definition run literally: every rule on regexp2
// as \G(?<=before)(?=after), tried in order at every position. It is the
// oracle the optimised engine is compared with.
type refSegmenter struct {
	rules []*regexp2.Regexp
	brk   []bool
}

func newRef(t testing.TB, rules []Rule) *refSegmenter {
	t.Helper()
	r := &refSegmenter{}
	for _, rl := range rules {
		b, err := javaToRegexp2(rl.Before)
		if err != nil {
			t.Fatal(err)
		}
		a, err := javaToRegexp2(rl.After)
		if err != nil {
			t.Fatal(err)
		}
		re, err := regexp2.Compile(`\G(?<=`+b+`)(?=`+a+`)`, regexp2.RE2)
		if err != nil {
			t.Fatalf("line %d: %v", rl.Line, err)
		}
		r.rules = append(r.rules, re)
		r.brk = append(r.brk, rl.Break)
	}
	return r
}

func (r *refSegmenter) breaks(text string) []int {
	runes := []rune(text) // an invalid byte becomes one U+FFFD
	var out []int
	off := 0
	for i := 1; i < len(runes); i++ {
		_, n := utf8.DecodeRuneInString(text[off:])
		off += n
		for k, re := range r.rules {
			if m, _ := re.FindRunesMatchStartingAt(runes, i); m != nil {
				if r.brk[k] {
					out = append(out, off)
				}
				break
			}
		}
	}
	return out
}

// segmentBreaks returns the starts of segments after the first, which is
// where the reference's break positions land once white space is trimmed.
func refSegments(text string, breaks []int) []string {
	var segs []Segment
	start := 0
	for _, b := range breaks {
		segs = appendSegment(segs, text, start, b, 0)
		start = b
	}
	return segTexts(appendSegment(segs, text, start, len(text), 0))
}

func TestEngineMatchesReference(t *testing.T) {
	cases, err := goldeval.Load(shareddata.Path(t, "segmentation/gold/languagetool_nl_srx_tests.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	texts := []string{sampleDutch, "Dr. A. B. Smith kwam. Hij zei: 'Ja!' En toen... niets. (Zie blz. 4.) Klaar?\n\nNieuwe alinea"}
	for _, c := range cases {
		texts = append(texts, c.Text)
	}
	alpino, err := goldeval.Load(shareddata.Path(t, "segmentation/gold/ud_nl_alpino_test.paragraphs.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range alpino[:40] {
		texts = append(texts, c.Text)
	}
	files := []string{"rules/nl.srx", "rules/en.srx", "languagetool-segment.srx", "okapi_default_icu4j.srx", "omegat-defaultRules.srx", "okapi-alternate-default.srx"}
	if race.Enabled { // regexp2 under the race detector takes minutes; .ci/run runs the whole test without it
		files, texts = files[:3], texts[:12]
	}
	for _, f := range files {
		if !strings.HasPrefix(f, "rules/") {
			f = shareddata.Path(t, "segmentation/srx/"+f)
		}
		x := loadSRX(t, f)
		lang := "nl"
		if strings.HasSuffix(f, "en.srx") {
			lang = "en"
		}
		s, err := x.Segmenter(lang)
		if err != nil {
			t.Fatal(err)
		}
		var rules []Rule
		for _, m := range x.Maps {
			if re, _ := langPattern(m.Pattern); re.MatchString(lang) {
				for _, l := range x.LanguageRules {
					if l.Name == m.RuleName {
						rules = append(rules, l.Rules...)
					}
				}
				if !x.Cascade {
					break
				}
			}
		}
		ref := newRef(t, rules)
		f := filepath.Base(f)
		for _, text := range texts {
			got := segTexts(s.Split(text))
			want := refSegments(text, ref.breaks(text))
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("%s: %q\n engine    %q\n reference %q", f, text, got, want)
			}
		}
	}
}

// FuzzSplitMatchesReference compares the built-in Dutch rules (without the
// boundary model, which is not SRX) on the optimised engine with the
// literal SRX definition (refSegmenter).
func FuzzSplitMatchesReference(f *testing.F) {
	f.Add("Dr. A.J. Jansen kwam om 14.30 uur. ,,Ja.'' Klaar enz. De rest.")
	f.Add("„Hallo?” zei hij. 's Avonds (...) niets... Wel!\n\n- punt\n3. twee")
	x := loadSRX(f, "rules/nl.srx")
	ref := newRef(f, x.LanguageRules[0].Rules)
	f.Fuzz(func(t *testing.T, text string) {
		if len(text) > 2000 {
			return // the reference is slow
		}
		got := segTexts(dutchRules().Split(text))
		want := refSegments(text, ref.breaks(text))
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
			t.Errorf("Split(%q)\n engine    %q\n reference %q", text, got, want)
		}
	})
}
