package segment

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/tolkdev/tolk/internal/race"
	"github.com/tolkdev/tolk/internal/shareddata"
	"github.com/tolkdev/tolk/segment/internal/goldeval"
)

func TestBadInput(t *testing.T) {
	tests := []struct {
		name, text string
		want       int // segments, -1: don't care
	}{
		{"empty", "", 0},
		{"spaces", " \n\t \n\n ", 0},
		{"invalid UTF-8", "Dit is \xff\xfe fout. En \xc3 dit\xe2\x82. Klaar.", 3},
		{"NUL bytes", "Een\x00zin. Nog\x00 een.\x00", 2},
		{"lone continuation bytes", "\x80\x80. \xbf Zin.", -1},
		{"only punctuation", "... ??? !!! ...", -1},
		{"CRLF blank line", "Kop\r\n\r\nTekst hier.", 2},
	}
	for _, tt := range tests {
		for _, s := range []*Segmenter{Dutch(), English()} {
			segs := s.Split(tt.text)
			checkCover(t, tt.text, segs)
			if tt.want >= 0 && len(segs) != tt.want {
				t.Errorf("%s: got %d segments %q, want %d", tt.name, len(segs), segTexts(segs), tt.want)
			}
		}
	}
}

// TestLongLine checks a 100 MB line without punctuation is one segment and
// takes linear time (a quadratic engine would not finish). Under the race
// detector it takes 10 MB; .ci/run runs it at full size without.
func TestLongLine(t *testing.T) {
	if testing.Short() {
		t.Skip("100 MB input")
	}
	repeat := 5 << 20 // 100 MiB
	if race.Enabled {
		repeat /= 10
	}
	text := strings.Repeat("geen leesteken hier ", repeat)
	segs := Dutch().Split(text)
	if len(segs) != 1 || segs[0].Start != 0 || segs[0].End != len(text)-1 {
		t.Fatalf("got %d segments, want one covering the text", len(segs))
	}
	// Dense candidates: every position is a possible break.
	dense := strings.Repeat("a. ", 1<<20)
	checkCover(t, dense, Dutch().Split(dense))
	// Stream cuts a segment longer than MaxStreamSegment.
	n := 0
	err := Dutch().Stream(context.Background(), strings.NewReader(text[:8<<20]), func(s Segment) error {
		if s.End-s.Start > MaxStreamSegment {
			t.Fatalf("segment of %d bytes > MaxStreamSegment", s.End-s.Start)
		}
		n++
		return nil
	})
	if err != nil || n < 8 {
		t.Fatalf("Stream: %d segments, err %v", n, err)
	}
}

// chunkReader returns data in random small pieces, to exercise Stream's
// buffer boundaries.
type chunkReader struct {
	data []byte
	rng  *rand.Rand
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	n := min(len(p), len(r.data), 1+r.rng.IntN(700))
	copy(p, r.data[:n])
	r.data = r.data[n:]
	return n, nil
}

func streamAll(t testing.TB, s *Segmenter, r io.Reader) []Segment {
	t.Helper()
	var out []Segment
	if err := s.Stream(context.Background(), r, func(seg Segment) error {
		out = append(out, seg)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestStreamEqualsSplit(t *testing.T) {
	var sb strings.Builder
	for _, f := range []string{"ud_nl_alpino_dev", "ud_nl_lassysmall_test"} {
		cases, err := goldeval.Load(shareddata.Path(t, "segmentation/gold/"+f+".paragraphs.jsonl"))
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range cases {
			sb.WriteString(c.Text)
			if i%3 == 0 {
				sb.WriteString("\n\n")
			} else {
				sb.WriteString(" ")
			}
		}
	}
	text := sb.String() + "Einde zonder punt"
	want := Dutch().Split(text)
	for seed := range uint64(3) {
		got := streamAll(t, Dutch(), &chunkReader{[]byte(text), rand.New(rand.NewPCG(seed, 1))})
		if len(got) != len(want) {
			t.Fatalf("seed %d: Stream gave %d segments, Split %d", seed, len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("seed %d: segment %d: Stream %+v, Split %+v", seed, i, got[i], want[i])
			}
		}
	}
}

func TestStreamErrors(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Dutch().Stream(ctx, strings.NewReader("Een. Twee."), func(Segment) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
	stop := errors.New("stop")
	if err := Dutch().Stream(context.Background(), strings.NewReader("Een. Twee. Drie."), func(Segment) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("callback error: err = %v", err)
	}
	bad := errors.New("disk on fire")
	if err := Dutch().Stream(context.Background(), io.MultiReader(strings.NewReader("Een. "), &errReader{bad}), func(Segment) error { return nil }); !errors.Is(err, bad) {
		t.Errorf("read error: err = %v", err)
	}
}

type errReader struct{ err error }

func (r *errReader) Read([]byte) (int, error) { return 0, r.err }

// repeatReader yields text over and over up to n bytes.
type repeatReader struct {
	text []byte
	off  int
	n    int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := 0
	for k < len(p) && r.n > 0 {
		c := copy(p[k:min(len(p), k+int(min(r.n, int64(len(p)))))], r.text[r.off:])
		r.off = (r.off + c) % len(r.text)
		k += c
		r.n -= int64(c)
	}
	return k, nil
}

// TestStreamConstantMemory streams 32 MB (1 GB with TOLK_LONG=1) and checks
// the heap stays small and offsets run on.
func TestStreamConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("long input")
	}
	size := int64(32 << 20)
	if os.Getenv("TOLK_LONG") != "" {
		size = 1 << 30
	}
	unit := []byte("Dit is een zin van gemiddelde lengte, o.a. met een afkorting. En nog één! 's Avonds?\n\n")
	var peak uint64
	var ms runtime.MemStats
	runtime.GC() // earlier tests' garbage is not Stream's
	n, last := 0, -1
	err := Dutch().Stream(context.Background(), &repeatReader{text: unit, n: size}, func(s Segment) error {
		if s.Start <= last {
			t.Fatalf("offsets do not increase: %d after %d", s.Start, last)
		}
		last = s.End
		n++
		if n%200000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if int64(last) > size || int64(last) < size-int64(len(unit)) {
		t.Errorf("last segment ends at %d, want near %d", last, size)
	}
	t.Logf("%d MB, %d segments, peak heap in use %d MB", size>>20, n, peak>>20)
	if peak > 64<<20 {
		t.Errorf("peak heap %d MB: Stream does not run in constant memory", peak>>20)
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{"", "Een zin. Nog een!", "Dr. A.J. Jansen kwam om 14.30 uur. ,,Ja.'' Klaar", "a\n\nb", "\xff. \x00 X", "... ?! „Hallo?” zei hij. 's Avonds"} {
		f.Add(s)
	}
	if dir, ok := shareddata.Root(); ok {
		if cases, err := goldeval.Load(filepath.Join(dir, "segmentation/gold/languagetool_nl_srx_tests.jsonl")); err == nil {
			for _, c := range cases {
				f.Add(c.Text)
			}
		}
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, s := range []*Segmenter{Dutch(), English()} {
			segs := s.Split(text)
			checkCover(t, text, segs)
			got := streamAll(t, s, strings.NewReader(text))
			if len(got) != len(segs) {
				t.Fatalf("Stream gave %d segments, Split %d", len(got), len(segs))
			}
			for i := range got {
				if got[i] != segs[i] {
					t.Fatalf("segment %d: Stream %+v, Split %+v", i, got[i], segs[i])
				}
			}
		}
	})
}

func FuzzParseSRX(f *testing.F) {
	f.Add([]byte(`<srx><body><languagerules><languagerule languagerulename="X"><rule break="yes"><beforebreak>\.</beforebreak><afterbreak>\s</afterbreak></rule></languagerule></languagerules><maprules><languagemap languagepattern=".*" languagerulename="X"/></maprules></body></srx>`))
	f.Add([]byte(`<srx><body><languagerules><languagerule languagerulename="X"><rule break="no"><beforebreak>(?&lt;![a&amp;&amp;[^b]])x++</beforebreak><afterbreak>\p{Punct}</afterbreak></rule></languagerule></languagerules><maprules><languagemap languagepattern="n.*" languagerulename="X"/></maprules></body></srx>`))
	f.Add([]byte("not xml"))
	if dir, ok := shareddata.Root(); ok {
		files, _ := filepath.Glob(filepath.Join(dir, "segmentation/srx/okapi-*.srx"))
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil && len(data) < 20<<10 {
				f.Add(data) // small files only: big seeds make each run take a second
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := ParseSRX(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, m := range x.Maps {
			for _, lang := range []string{"nl", "en", m.Pattern} {
				s, err := x.Segmenter(lang)
				if err != nil {
					continue
				}
				text := "Dit is een zin. Nog een! En \xff nu?\n\nKlaar"
				checkCover(t, text, s.Split(text))
			}
		}
	})
}

func TestReverseRunes(t *testing.T) {
	for _, s := range []string{"", "a", "abcdefghijklmnopq", "één twee drie vier vijf zes", "\xff\xfeab\xe2\x82", "12345678é12345678"} {
		r := reverseRunes(s)
		var want []byte
		for i := len(s); i > 0; {
			_, n := utf8.DecodeLastRuneInString(s[:i])
			// reverseRunes decodes forwards; for valid text both agree
			want = append(want, s[i-n:i]...)
			i -= n
		}
		if utf8.ValidString(s) && r != string(want) {
			t.Errorf("reverseRunes(%q) = %q, want %q", s, r, want)
		}
		if len(r) != len(s) {
			t.Errorf("reverseRunes(%q) has length %d", s, len(r))
		}
	}
}
