// Package punkttrain reads the Dutch (or English) text of the shared
// corpora, splits each corpus into a training part and a held-out part, and
// counts the statistics of Tolk's Punkt-style boundary models
// (segment/rules/nl.punkt, en.punkt): orthographic evidence for sentence
// starters, and the abbreviations that can end a sentence.
package punkttrain

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Doc is one document of a corpus: either gold sentences (Sentences, from a
// corpus that is split one sentence per line or by annotators) or raw text
// whose sentence boundaries are unknown (Raw, paragraphs).
type Doc struct {
	Sentences []string
	Raw       []string
}

// Corpus is one source of Dutch text split into training and held-out
// documents. Gold says whether its documents carry gold sentences, so the
// held-out part can be scored.
type Corpus struct {
	Name, Path     string
	Gold           bool
	Train, HeldOut []Doc
}

// HeldOutEvery: document i of a corpus (in file order) is held out when
// i%HeldOutEvery == HeldOutEvery-1, except for the UD treebanks, whose
// test files are held out and dev files trained on.
const HeldOutEvery = 5

// Load reads every corpus of a language ("nl" or "en") under root (the
// shared data folder). A missing file is an error naming it.
func Load(root, lang string) ([]Corpus, error) {
	var loaders []func(string) (Corpus, error)
	switch lang {
	case "nl":
		loaders = []func(string) (Corpus, error){loadUD("alpino"), loadUD("lassysmall"), loadNTREX(lang), loadFLORES(lang), loadTatoeba(lang), loadWMT(lang), loadTMX("tmx/omegat_l10n_nl/project_save.tmx.gz", lang), loadTMX("tmx/omegat_l10n_nl/website2016.tmx", lang)}
	case "en":
		loaders = []func(string) (Corpus, error){loadNTREX(lang), loadFLORES(lang), loadTatoeba(lang), loadWMT(lang), loadTMX("tmx/omegat_l10n_nl/project_save.tmx.gz", lang), loadTMX("tmx/omegat_l10n_nl/website2016.tmx", lang)}
	default:
		return nil, fmt.Errorf("no corpora for language %q (nl or en)", lang)
	}
	var out []Corpus
	for _, ld := range loaders {
		c, err := ld(root)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func split(docs []Doc) (train, held []Doc) {
	for i, d := range docs {
		if i%HeldOutEvery == HeldOutEvery-1 {
			held = append(held, d)
		} else {
			train = append(train, d)
		}
	}
	return train, held
}

// loadUD trains on a UD treebank's dev paragraphs and holds out its test
// paragraphs (the figures the README compares with other segmenters).
func loadUD(name string) func(string) (Corpus, error) {
	return func(root string) (Corpus, error) {
		c := Corpus{Name: "UD " + name, Path: "segmentation/gold/ud_nl_" + name + "_{dev,test}.paragraphs.jsonl", Gold: true}
		for _, part := range []string{"dev", "test"} {
			docs, err := readUD(filepath.Join(root, "segmentation", "gold", "ud_nl_"+name+"_"+part+".paragraphs.jsonl"))
			if err != nil {
				return c, err
			}
			if part == "dev" {
				c.Train = docs
			} else {
				c.HeldOut = docs
			}
		}
		return c, nil
	}
}

func readUD(path string) ([]Doc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var docs []Doc
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var rec struct{ Segments []string }
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		docs = append(docs, Doc{Sentences: rec.Segments})
	}
	return docs, sc.Err()
}

func readLines(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n"), nil
}

// byKey groups consecutive lines with the same key into documents.
func byKey(lines, keys []string) []Doc {
	var docs []Doc
	for i, l := range lines {
		if i == 0 || keys[i] != keys[i-1] {
			docs = append(docs, Doc{})
		}
		d := &docs[len(docs)-1]
		d.Sentences = append(d.Sentences, l)
	}
	return docs
}

func loadNTREX(lang string) func(string) (Corpus, error) {
	return func(root string) (Corpus, error) { return readNTREX(root, lang) }
}

func readNTREX(root, lang string) (Corpus, error) {
	c := Corpus{Name: "NTREX-128 nl", Path: "parallel/ntrex128/newstest2019-ref.nld.txt", Gold: true}
	if lang == "en" {
		c.Name, c.Path = "NTREX-128 en", "parallel/ntrex128/newstest2019-src.eng.txt"
	}
	lines, err := readLines(filepath.Join(root, c.Path))
	if err != nil {
		return c, err
	}
	ids, err := readLines(filepath.Join(root, "parallel/ntrex128/DOCUMENT_IDS.tsv"))
	if err != nil {
		return c, err
	}
	if len(ids) != len(lines) {
		return c, fmt.Errorf("%s: %d lines but %d document ids", c.Path, len(lines), len(ids))
	}
	c.Train, c.HeldOut = split(byKey(lines, ids))
	return c, nil
}

func loadFLORES(lang string) func(string) (Corpus, error) {
	return func(root string) (Corpus, error) { return readFLORES(root, lang) }
}

func readFLORES(root, lang string) (Corpus, error) {
	c := Corpus{Name: "FLORES-200 devtest nl", Path: "parallel/flores200_devtest/nld_Latn.devtest", Gold: true}
	if lang == "en" {
		c.Name, c.Path = "FLORES-200 devtest en", "parallel/flores200_devtest/eng_Latn.devtest"
	}
	lines, err := readLines(filepath.Join(root, c.Path))
	if err != nil {
		return c, err
	}
	meta, err := readLines(filepath.Join(root, "parallel/flores200_devtest/metadata_devtest.tsv"))
	if err != nil {
		return c, err
	}
	if len(meta) != len(lines)+1 {
		return c, fmt.Errorf("%s: %d lines but %d metadata rows", c.Path, len(lines), len(meta)-1)
	}
	urls := make([]string, len(lines))
	for i := range lines {
		urls[i], _, _ = strings.Cut(meta[i+1], "\t")
	}
	c.Train, c.HeldOut = split(byKey(lines, urls))
	return c, nil
}

// loadTatoeba makes documents of five consecutive sentences.
func loadTatoeba(lang string) func(string) (Corpus, error) {
	return func(root string) (Corpus, error) { return readTatoeba(root, lang) }
}

func readTatoeba(root, lang string) (Corpus, error) {
	c := Corpus{Name: "Tatoeba nl", Path: "parallel/tatoeba_test_v2021-08-07/tatoeba-test-v2021-08-07.nld", Gold: true}
	if lang == "en" {
		c.Name, c.Path = "Tatoeba en", "parallel/tatoeba_test_v2021-08-07/tatoeba-test-v2021-08-07.eng"
	}
	lines, err := readLines(filepath.Join(root, c.Path))
	if err != nil {
		return c, err
	}
	keys := make([]string, len(lines))
	for i := range lines {
		keys[i] = fmt.Sprint(i / 5)
	}
	c.Train, c.HeldOut = split(byKey(lines, keys))
	return c, nil
}

// loadWMT reads the post-edited Dutch targets (or the English sources) of
// WMT24++ (paragraphs, not split into sentences: raw text), one document
// per document_id.
func loadWMT(lang string) func(string) (Corpus, error) {
	return func(root string) (Corpus, error) { return readWMT(root, lang) }
}

func readWMT(root, lang string) (Corpus, error) {
	c := Corpus{Name: "WMT24++ " + lang, Path: "parallel/wmt24pp_en-nl_NL/en-nl_NL.jsonl"}
	lines, err := readLines(filepath.Join(root, c.Path))
	if err != nil {
		return c, err
	}
	var docs []Doc
	last := ""
	for i, l := range lines {
		var rec struct {
			DocumentID string `json:"document_id"`
			Target     string `json:"target"`
			Source     string `json:"source"`
		}
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			return c, fmt.Errorf("%s:%d: %w", c.Path, i+1, err)
		}
		if lang == "en" {
			rec.Target = rec.Source
		}
		if i == 0 || rec.Target == "" { // row 0 is a canary
			continue
		}
		if rec.DocumentID != last || len(docs) == 0 {
			docs = append(docs, Doc{})
			last = rec.DocumentID
		}
		d := &docs[len(docs)-1]
		d.Raw = append(d.Raw, rec.Target)
	}
	c.Train, c.HeldOut = split(docs)
	return c, nil
}

// loadTMX reads the Dutch segments of an OmegaT memory that differ from
// their English source (untranslated units are English), or for "en" the
// English source of every unit, one document per unit, as raw text.
func loadTMX(rel, lang string) func(string) (Corpus, error) {
	return func(root string) (Corpus, error) {
		c := Corpus{Name: "OmegaT-L10N " + lang + " " + filepath.Base(rel), Path: rel}
		f, err := os.Open(filepath.Join(root, rel))
		if err != nil {
			return c, err
		}
		defer f.Close()
		var r io.Reader = f
		if strings.HasSuffix(rel, ".gz") {
			gz, err := gzip.NewReader(f)
			if err != nil {
				return c, fmt.Errorf("%s: %w", rel, err)
			}
			r = gz
		}
		docs, err := readTMX(r, lang)
		if err != nil {
			return c, fmt.Errorf("%s: %w", rel, err)
		}
		c.Train, c.HeldOut = split(docs)
		return c, nil
	}
}

func readTMX(r io.Reader, want string) ([]Doc, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = false
	var docs []Doc
	var tu map[string]string
	lang, inSeg, seg := "", false, ""
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "tu":
				tu = map[string]string{}
			case "tuv":
				lang = ""
				for _, a := range t.Attr {
					if a.Name.Local == "lang" {
						lang = strings.ToLower(a.Value)
					}
				}
			case "seg":
				inSeg, seg = true, ""
			}
		case xml.CharData:
			if inSeg {
				seg += string(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "seg":
				inSeg = false
				if tu != nil {
					tu[lang] = seg
				}
			case "tu":
				if t := tu[want]; t != "" && (want == "en" || t != tu["en"]) {
					docs = append(docs, Doc{Raw: []string{t}})
				}
				tu = nil
			}
		}
	}
}
