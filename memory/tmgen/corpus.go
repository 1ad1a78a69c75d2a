// Package tmgen builds realistic Dutch→English translation units for tests
// and benchmarks: it loads the real parallel corpora of the shared data
// folder and trains a word trigram model on them that generates any number
// of new units, deterministically from a seed, plus perturbed queries.
package tmgen

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Pair is a Dutch sentence and its English translation.
type Pair struct{ NL, EN string }

// LoadCorpus reads the Dutch–English pairs of the parallel corpora under
// root (the shared data folder holding parallel/): Tatoeba, FLORES-200,
// NTREX-128, WMT24++ (without the canary row) and the ParaCrawl pairs
// labelled valid. It returns them in a fixed order.
func LoadCorpus(root string) ([]Pair, error) {
	var out []Pair
	lines := func(rel string) ([]string, error) {
		b, err := os.ReadFile(filepath.Join(root, "parallel", rel))
		if err != nil {
			return nil, err
		}
		s := strings.ReplaceAll(string(b), "\r\n", "\n")
		return strings.Split(strings.TrimRight(s, "\n"), "\n"), nil
	}
	for _, pf := range [][2]string{
		{"tatoeba_test_v2021-08-07/tatoeba-test-v2021-08-07.nld", "tatoeba_test_v2021-08-07/tatoeba-test-v2021-08-07.eng"},
		{"flores200_devtest/nld_Latn.devtest", "flores200_devtest/eng_Latn.devtest"},
		{"ntrex128/newstest2019-ref.nld.txt", "ntrex128/newstest2019-src.eng.txt"},
	} {
		nl, err := lines(pf[0])
		if err != nil {
			return nil, err
		}
		en, err := lines(pf[1])
		if err != nil {
			return nil, err
		}
		if len(nl) != len(en) {
			return nil, fmt.Errorf("%s: %d Dutch lines but %d English", pf[0], len(nl), len(en))
		}
		for i := range nl {
			out = appendPair(out, nl[i], en[i])
		}
	}
	f, err := os.Open(filepath.Join(root, "parallel", "wmt24pp_en-nl_NL", "en-nl_NL.jsonl"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var row struct {
			Domain string `json:"domain"`
			Source string `json:"source"`
			Target string `json:"target"`
		}
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			return nil, fmt.Errorf("wmt24pp: %w", err)
		}
		if row.Domain == "canary" {
			continue
		}
		out = appendPair(out, row.Target, row.Source)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, name := range []string{"paracrawl-v3-validation-data", "paracrawl-v6-validation", "paracrawl-v6-2-validation", "paracrawl-v7-validation"} {
		rows, err := lines("paracrawl_human_eval_en-nl/" + name + ".sorted.en-nl.tsv")
		if err != nil {
			return nil, err
		}
		label := 6 // v6/v6.2/v7: url_en url_nl en nl bicleaner label ...
		if strings.Contains(name, "v3") {
			label = 8 // url_en url_nl en nl hunalign zipporah bicleaner label ...
		}
		for _, r := range rows {
			cols := strings.Split(r, "\t")
			if len(cols) > label && cols[label-1] == "V" {
				out = appendPair(out, cols[3], cols[2])
			}
		}
	}
	return out, nil
}

func appendPair(out []Pair, nl, en string) []Pair {
	nl, en = strings.TrimSpace(nl), strings.TrimSpace(en)
	if nl == "" || en == "" || len(nl) > 2000 {
		return out
	}
	return append(out, Pair{nl, en})
}
