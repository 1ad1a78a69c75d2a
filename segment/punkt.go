package segment

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// PunktVersion is the model file format that LoadPunkt reads.
const PunktVersion = 2

// punktRebuild is the command that rebuilds the Dutch model, for errors.
const punktRebuild = "TOLK_DATA=…/shared/data go run ./segment/cmd/trainpunkt -lang nl|en (writes segment/rules/nl.punkt or en.punkt)"

// PunktModel is a sentence boundary model learned from text in the manner
// of Punkt (Kiss & Strunk 2006): which words start sentences (orthographic
// evidence) and which abbreviations can end one. A Segmenter with a model
// (WithPunkt) consults it only where its rules did not break after a
// period that follows a single capital letter ("zaal E.") or an
// abbreviation that can end a sentence ("e.d."). It is read-only and safe
// for concurrent use.
type PunktModel struct {
	// starters maps a word, capitalised as it would start a sentence
	// ("Daarover"), to its counts inside training sentences.
	starters map[string]starter
	// final holds the abbreviations that can end a sentence, without
	// their last period ("e.d", "enz").
	final map[string]bool
	// colloc holds the collocation evidence for the lower-case word before
	// a single capital letter: a common noun, so the letter is a label
	// ("zaal E."), or a word that introduces names ("minister J.").
	colloc map[string]collocKind
	Built  string // build date from the file
}

type collocKind uint8

const (
	labelNoun collocKind = iota + 1
	namer
)

type starter struct{ midUC, midLC int }

// strong reports Punkt's orthographic evidence: the word occurs in lower
// case inside sentences and never capitalised there.
func (s starter) strong() bool { return s.midUC == 0 }

// LoadPunkt reads a model file; name is how errors refer to it. A file of
// another version, truncated or malformed gives an error naming the file
// and the command that rebuilds it.
func LoadPunkt(r io.Reader, name string) (*PunktModel, error) {
	m := &PunktModel{starters: map[string]starter{}, final: map[string]bool{}, colloc: map[string]collocKind{}}
	bad := func(line int, format string, a ...any) error {
		return fmt.Errorf("punkt model %s:%d: %s; rebuild it with: %s", name, line, fmt.Sprintf(format, a...), punktRebuild)
	}
	sc := bufio.NewScanner(r)
	n, line, version, ended := 0, 0, false, false
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		if ended {
			return nil, bad(line, "text after the end line")
		}
		if !version {
			if len(f) != 2 || f[0] != "tolk-punkt" {
				return nil, bad(line, "not a Tolk punkt model (no \"tolk-punkt %d\" line)", PunktVersion)
			}
			if f[1] != strconv.Itoa(PunktVersion) {
				return nil, bad(line, "model version %s, this Tolk reads version %d", f[1], PunktVersion)
			}
			version = true
			continue
		}
		var err error
		n, ended, err = m.parseLine(f, n)
		if err != nil {
			return nil, bad(line, "%v", err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("punkt model %s: %w; rebuild it with: %s", name, err, punktRebuild)
	}
	if !ended {
		return nil, bad(line, "no end line: the file is truncated or empty")
	}
	return m, nil
}

// parseLine reads one entry line; n counts the entries so far.
func (m *PunktModel) parseLine(f []string, n int) (int, bool, error) {
	switch f[0] {
	case "lang", "source", "counts":
		return n, false, nil
	case "built":
		if len(f) == 2 {
			m.Built = f[1]
		}
		return n, false, nil
	case "final":
		if len(f) != 3 {
			return n, false, fmt.Errorf("want \"final ABBR SOURCE\"")
		}
		m.final[f[1]] = true
		return n + 1, false, nil
	case "starter":
		if len(f) != 4 {
			return n, false, fmt.Errorf("want \"starter WORD MIDUC MIDLC\"")
		}
		uc, err1 := strconv.Atoi(f[2])
		lc, err2 := strconv.Atoi(f[3])
		if err1 != nil || err2 != nil || uc < 0 || lc < 0 {
			return n, false, fmt.Errorf("bad counts %q %q", f[2], f[3])
		}
		r, k := utf8.DecodeRuneInString(f[1])
		m.starters[string(unicode.ToUpper(r))+f[1][k:]] = starter{uc, lc}
		return n + 1, false, nil
	case "label", "namer":
		return m.parseColloc(f, n)
	case "end":
		if len(f) != 2 || f[1] != strconv.Itoa(n) {
			return n, false, fmt.Errorf("end line %q does not match the %d entries read: the file is truncated or edited", strings.Join(f, " "), n)
		}
		return n, true, nil
	}
	return n, false, fmt.Errorf("unknown entry %q", f[0])
}

// WithPunkt returns a copy of s that consults m where its rules keep a
// period after a single capital letter or a final abbreviation inside a
// sentence (see PunktModel). A nil m gives s's rules alone.
func (s *Segmenter) WithPunkt(m *PunktModel) *Segmenter {
	c := *s
	c.punkt = m
	return &c
}

// parseColloc reads "label WORD DET LETTER" or "namer WORD INITIAL CAP
// TOTAL SOURCE".
func (m *PunktModel) parseColloc(f []string, n int) (int, bool, error) {
	kind, want := labelNoun, 4
	if f[0] == "namer" {
		kind, want = namer, 6
	}
	if len(f) != want {
		return n, false, fmt.Errorf("want %d fields in a %s line", want, f[0])
	}
	for _, c := range f[2 : 2+want-3] {
		if v, err := strconv.Atoi(c); err != nil || v < 0 {
			return n, false, fmt.Errorf("bad count %q", c)
		}
	}
	if strings.ToLower(f[1]) != f[1] {
		return n, false, fmt.Errorf("%s %q is not lower case", f[0], f[1])
	}
	m.colloc[f[1]] = kind
	return n + 1, false, nil
}
