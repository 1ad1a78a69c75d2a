// Package goldeval scores sentence segmenters against the gold files in the
// shared data folder (segmentation/gold/*.jsonl). The segmenter's quality
// test and the comparison tool (segment/compare) share it.
//
// A boundary is identified by the number of non-white-space runes before
// it, so segmenters that normalise white space (ucto) or keep it attached
// (LanguageTool) are scored alike.
package goldeval

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
)

// Case is one gold record: a text and its expected segments.
type Case struct {
	ID       string   `json:"id"`
	Text     string   `json:"text"`
	Segments []string `json:"segments"`
}

// Load reads a JSONL gold file.
func Load(path string) ([]Case, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Case
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var c Case
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			return nil, fmt.Errorf("%s: record %d: %w", path, n, err)
		}
		out = append(out, c)
	}
	return out, sc.Err()
}

// NonSpace returns the number of non-white-space runes in s.
func NonSpace(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// Boundaries returns the inner boundaries of segs (consecutive pieces of
// one text): the non-space offset where each segment after the first
// starts. Empty segments are skipped.
func Boundaries(segs []string) []int {
	var out []int
	off := 0
	for i, s := range segs {
		n := NonSpace(s)
		if n == 0 {
			continue
		}
		if i > 0 && off > 0 {
			out = append(out, off)
		}
		off += n
	}
	return out
}

// Score counts boundary agreement.
type Score struct {
	TP, FP, FN int
}

// Add adds o to s.
func (s *Score) Add(o Score) { s.TP += o.TP; s.FP += o.FP; s.FN += o.FN }

// Precision is TP/(TP+FP), 1 when nothing was predicted.
func (s Score) Precision() float64 {
	if s.TP+s.FP == 0 {
		return 1
	}
	return float64(s.TP) / float64(s.TP+s.FP)
}

// Recall is TP/(TP+FN), 1 when there is nothing to find.
func (s Score) Recall() float64 {
	if s.TP+s.FN == 0 {
		return 1
	}
	return float64(s.TP) / float64(s.TP+s.FN)
}

// F1 is the harmonic mean of precision and recall.
func (s Score) F1() float64 {
	p, r := s.Precision(), s.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func (s Score) String() string {
	return fmt.Sprintf("P=%.4f R=%.4f F1=%.4f (tp=%d fp=%d fn=%d)", s.Precision(), s.Recall(), s.F1(), s.TP, s.FP, s.FN)
}

// Compare scores predicted against gold boundaries and returns the false
// positives and false negatives.
func Compare(gold, pred []int) (s Score, fps, fns []int) {
	g := map[int]bool{}
	for _, b := range gold {
		g[b] = true
	}
	p := map[int]bool{}
	for _, b := range pred {
		if p[b] {
			continue
		}
		p[b] = true
		if g[b] {
			s.TP++
		} else {
			s.FP++
			fps = append(fps, b)
		}
	}
	for _, b := range gold {
		if !p[b] {
			s.FN++
			fns = append(fns, b)
		}
	}
	sort.Ints(fps)
	sort.Ints(fns)
	return s, fps, fns
}

// Context returns the text around the boundary at non-space offset b, with
// "|" marking the boundary, for error reports.
func Context(text string, b int) string {
	n := 0
	for i, r := range text {
		if !unicode.IsSpace(r) {
			if n == b {
				lo, hi := max(0, i-40), min(len(text), i+30)
				for lo > 0 && lo < len(text) && (text[lo]&0xC0) == 0x80 {
					lo--
				}
				for hi < len(text) && (text[hi]&0xC0) == 0x80 {
					hi++
				}
				return text[lo:i] + "|" + text[i:hi]
			}
			n++
		}
	}
	return text
}

// LoadLines reads a gold file with one sentence per line, paragraphs
// separated by blank lines and # comment lines (segment's hard cases); the
// text of a case is its sentences joined by one space.
func LoadLines(path string) ([]Case, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Case
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			out = append(out, Case{ID: fmt.Sprintf("%s #%d", filepath.Base(path), len(out)+1), Text: strings.Join(cur, " "), Segments: cur})
			cur = nil
		}
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(l, "#"):
		case l == "":
			flush()
		default:
			cur = append(cur, l)
		}
	}
	flush()
	return out, sc.Err()
}

// FromSentences makes scored paragraphs of documents given as gold
// sentences: each document's sentences joined by one space. Empty
// sentences are dropped.
func FromSentences(name string, docs [][]string) []Case {
	var out []Case
	for i, d := range docs {
		segs := make([]string, 0, len(d))
		for _, s := range d {
			if s = strings.TrimSpace(s); s != "" {
				segs = append(segs, s)
			}
		}
		if len(segs) > 0 {
			out = append(out, Case{ID: fmt.Sprintf("%s #%d", name, i+1), Text: strings.Join(segs, " "), Segments: segs})
		}
	}
	return out
}
