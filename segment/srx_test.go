package segment

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tolkdev/tolk"
	"github.com/tolkdev/tolk/internal/shareddata"
)

const sampleDutch = "Dit is een zin. Prof. Janssen kwam o.a. met A.J. de Vries om 14.30 uur. Hij zei: „Kom!” En toen? 's Avonds ging hij naar huis."

func loadSRX(t testing.TB, path string) *SRX {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	x, err := ParseSRX(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return x
}

func TestSharedSRXFilesSegmentDutch(t *testing.T) {
	dir := shareddata.Path(t, "segmentation/srx")
	files, err := filepath.Glob(filepath.Join(dir, "*.srx"))
	if err != nil || len(files) < 5 {
		t.Fatalf("found %d SRX files (%v), want ≥ 5", len(files), err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			x := loadSRX(t, f)
			s, err := x.Segmenter("nl")
			if err != nil {
				t.Fatalf("Segmenter(nl): %v", err)
			}
			segs := s.Split(sampleDutch)
			checkCover(t, sampleDutch, segs)
			if len(segs) < 2 && !strings.Contains(f, "german") { // the German test file has no break rule for Dutch
				t.Errorf("got %d segments %q, want several", len(segs), segTexts(segs))
			}
			t.Logf("%d segments: %q", len(segs), segTexts(segs))
		})
	}
}

// checkCover checks the segments are non-empty, trimmed, in order, with
// only white space between and around them.
func checkCover(t testing.TB, text string, segs []Segment) {
	t.Helper()
	prev := 0
	for i, s := range segs {
		if s.Start < prev || s.End <= s.Start || s.End > len(text) {
			t.Fatalf("segment %d %+v: bad offsets (previous end %d, len %d)", i, s, prev, len(text))
		}
		if text[s.Start:s.End] != s.Text {
			t.Fatalf("segment %d: Text %q != input[%d:%d] %q", i, s.Text, s.Start, s.End, text[s.Start:s.End])
		}
		if strings.TrimSpace(text[prev:s.Start]) != "" {
			t.Fatalf("segment %d: non-space text %q between segments", i, text[prev:s.Start])
		}
		if strings.TrimSpace(s.Text) != s.Text && isSpaceBytes(s.Text) {
			t.Fatalf("segment %d %q is not trimmed", i, s.Text)
		}
		prev = s.End
	}
	if strings.TrimSpace(text[prev:]) != "" {
		t.Fatalf("text %q after the last segment is not covered", text[prev:])
	}
}

// isSpaceBytes reports whether s starts or ends with white space as the
// segmenter trims it (strings.TrimSpace trims invalid UTF-8 differently).
func isSpaceBytes(s string) bool {
	segs := appendSegment(nil, s, 0, len(s), 0)
	return len(segs) != 1 || segs[0].Text != s
}

func TestSegmenterCascadeAndMaps(t *testing.T) {
	const doc = `<?xml version="1.0"?>
<srx xmlns="http://www.lisa.org/srx20" version="2.0">
<header cascade="%s"/>
<body><languagerules>
<languagerule languagerulename="Dutch">
<rule break="no"><beforebreak>\bbijv\.</beforebreak><afterbreak>\s</afterbreak></rule>
</languagerule>
<languagerule languagerulename="Default">
<rule break="yes"><beforebreak>\.</beforebreak><afterbreak>\s</afterbreak></rule>
</languagerule>
</languagerules>
<maprules>
<languagemap languagepattern="NL.*" languagerulename="Dutch"/>
<languagemap languagepattern=".*" languagerulename="Default"/>
</maprules></body></srx>`
	text := "Zoals bijv. dit. En dat."
	tests := []struct {
		cascade, lang string
		want          []string
	}{
		{"yes", "nl", []string{"Zoals bijv. dit.", "En dat."}},
		{"yes", "nl-BE", []string{"Zoals bijv. dit.", "En dat."}},
		{"yes", "en", []string{"Zoals bijv.", "dit.", "En dat."}},
		{"no", "nl", []string{"Zoals bijv. dit. En dat."}}, // Dutch alone has no break rule
		{"no", "fr", []string{"Zoals bijv.", "dit.", "En dat."}},
	}
	for _, tt := range tests {
		x, err := ParseSRX(strings.NewReader(strings.Replace(doc, "%s", tt.cascade, 1)))
		if err != nil {
			t.Fatal(err)
		}
		s, err := x.Segmenter(tt.lang)
		if err != nil {
			t.Fatal(err)
		}
		if got := segTexts(s.Split(text)); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("cascade=%s lang=%s: got %q, want %q", tt.cascade, tt.lang, got, tt.want)
		}
	}
}

func TestParseSRXErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"not XML", "this is not xml", "not an SRX"},
		{"broken XML", "<srx><body>", "not well-formed"},
		{"wrong root", "<tmx/>", "root element is <tmx>"},
		{"empty", "", "empty"},
		{"bad regex", `<srx><body><languagerules><languagerule languagerulename="X">
<rule break="yes"><beforebreak>[a-</beforebreak><afterbreak>\s</afterbreak></rule>
</languagerule></languagerules></body></srx>`, "line 2"},
		{"unknown rule", `<srx><body><languagerules/><maprules><languagemap languagepattern=".*" languagerulename="Nope"/></maprules></body></srx>`, `"Nope"`},
	}
	for _, tt := range tests {
		_, err := ParseSRX(strings.NewReader(tt.doc))
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		var te *tolk.Error
		if !errors.As(err, &te) || tolk.ErrorCode(err) != tolk.EINVALID {
			t.Errorf("%s: error %v is not EINVALID", tt.name, err)
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %q does not mention %q", tt.name, err, tt.want)
		}
	}
	if _, err := ParseSRX(strings.NewReader("\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?><srx/>")); err != nil {
		t.Errorf("SRX with a byte order mark: %v", err)
	}
	x, err := ParseSRX(strings.NewReader(`<srx><body><languagerules><languagerule languagerulename="X"/></languagerules><maprules><languagemap languagepattern="en" languagerulename="X"/></maprules></body></srx>`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := x.Segmenter("nl"); tolk.ErrorCode(err) != tolk.ENOTFOUND {
		t.Errorf("Segmenter(nl) with only an en map: %v, want ENOTFOUND", err)
	}
}

func TestJavaFeatures(t *testing.T) {
	tests := []struct {
		before, after string
		text          string
		want          []string
	}{
		// look-behind (regexp2)
		{`(?<!\bDr)\.`, `\s`, "Dr. Who. Yes.", []string{"Dr. Who.", "Yes."}},
		// class intersection: a letter other than r, w, n before the stop
		{`[\p{L}&&[^rwn]]\.`, `\s`, "ab. cr. de. fn. gh.", []string{"ab.", "cr. de.", "fn. gh."}},
		// possessive quantifier
		{`\d++\.`, `\s`, "12. ab. 3. c", []string{"12.", "ab. 3.", "c"}},
		// \uXXXX and POSIX classes
		{`\u2026`, `\s\p{Upper}`, "Zo… Dan… niet", []string{"Zo…", "Dan… niet"}},
		{`\p{Punct}`, `\s`, "a; b c", []string{"a;", "b c"}},
		// (?iu) flags
		{`(?iu)stop\.`, `\s`, "A STOP. B", []string{"A STOP.", "B"}},
	}
	for _, tt := range tests {
		s, err := compileRules([]Rule{{Break: true, Before: tt.before, After: tt.after}})
		if err != nil {
			t.Errorf("%q: %v", tt.before, err)
			continue
		}
		if got := segTexts(s.Split(tt.text)); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%q/%q on %q: got %q, want %q", tt.before, tt.after, tt.text, got, tt.want)
		}
	}
}

// TestCatastrophicRule checks a user rule with catastrophic backtracking
// (regexp2 path) costs bounded time.
func TestCatastrophicRule(t *testing.T) {
	s, err := compileRules([]Rule{
		{Break: false, Before: `c(a+)+\.(?<=\.)`, After: ``}, // look-behind: regexp2
		{Break: true, Before: `\.`, After: `\s`},
	})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat(strings.Repeat("a", 40)+". ", 200)
	start := time.Now()
	segs := s.Split(text)
	if d := time.Since(start); d > 5*time.Second { // 200 positions × 50 ms without the breaker
		t.Errorf("Split took %v", d)
	}
	if len(segs) != 200 {
		t.Errorf("got %d segments, want 200", len(segs))
	}
}

func TestApproxForSets(t *testing.T) {
	tests := map[string]string{
		`(?<!\bDr)\.`:       `\.`,
		`[\p{L}&&[^rwn]]\.`: `[\p{L}]\.`,
		`\d++\.(?=\s)`:      `\d+\.`,
		`(?>ab|a)c\1`:       `(?:ab|a)c(?s:.*)`,
		`[\]a](?<=[)]x)y`:   `[\]a]y`,
		`\p{Lu}{2,}+`:       `\p{Lu}{2,}`,
	}
	for in, want := range tests {
		if got := approxForSets(in); got != want {
			t.Errorf("approxForSets(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzCompileRule feeds arbitrary Java patterns through translation,
// compilation and segmentation: an error or a covering result, never a
// panic.
func FuzzCompileRule(f *testing.F) {
	f.Add(`(?<!\bDr)\.`, `\s`, "Dr. Who. Yes.")
	f.Add(`[\p{L}&&[^rwn]]\.`, `\s+\p{Lu}`, "ab. Cr. de.")
	f.Add(`\d++\.\Q.\E`, `(?i)\s[a-z]`, "12.. ab")
	f.Add(`(?>a|ab)(c)\1`, `\h*\p{Punct}`, "abcc ;")
	f.Fuzz(func(t *testing.T, before, after, text string) {
		s, err := compileRules([]Rule{{Break: false, Before: before, After: after}, {Break: true, Before: `[.?!]`, After: `\s`}})
		if err != nil {
			return
		}
		checkCover(t, text, s.Split(text))
	})
}
