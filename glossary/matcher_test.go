package glossary

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// loadFixture reads testdata/diplomatic.jsonl, the small hand-written
// diplomatic glossary the tests share.
func loadFixture(t testing.TB) []Concept {
	t.Helper()
	f, err := os.Open("testdata/diplomatic.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cs []Concept
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		var c Concept
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("diplomatic.jsonl:%d: %v", n, err)
		}
		cs = append(cs, c)
	}
	return cs
}

// hitString renders hits compactly: "text=concept" with "+" for compound
// hits, "!" for expired ones and "→alt" for alternatives.
func hitString(text string, hs []Hit) string {
	var b []string
	for _, h := range hs {
		if text[h.Start:h.End] != h.Text {
			return fmt.Sprintf("BAD OFFSETS %d:%d for %q", h.Start, h.End, h.Text)
		}
		s := h.Text + "=" + h.ConceptID
		if h.Compound {
			s += "+"
		}
		if h.Expired {
			s += "!"
		}
		for _, a := range h.Alternatives {
			s += "→" + a.Text
		}
		b = append(b, s)
	}
	return strings.Join(b, " | ")
}

func TestFind(t *testing.T) {
	m := NewMatcher(loadFixture(t))
	at := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct{ text, want string }{
		{"De VN-Veiligheidsraad kwam bijeen.", "VN-Veiligheidsraad=vnvr"},
		{"De VN-vredesmacht en de Veiligheidsraad.", "VN=vn | Veiligheidsraad=vnvr"},
		{"De VN Veiligheidsraad", "VN Veiligheidsraad=vnvr"},
		{"De ambassadeur bezocht de ambassade.", "ambassadeur=ambassadeur | ambassade=ambassade"},
		{"Twee ambassadeurs en drie ambassades.", "ambassadeurs=ambassadeur | ambassades=ambassade"},
		{"Het vredesverdrag werd ondertekend.", "verdrag=verdrag+ | ondertekend=ondertekenen"},
		{"De verdragen zijn geratificeerd.", "verdragen=verdrag | geratificeerd=ratificeren"},
		{"Zij onderhandelden over antiterreurmaatregelen.", "onderhandelden=onderhandelen | maatregelen=maatregel+"},
		{"Zij onderhandelt, hij ondertekende.", "onderhandelt=onderhandelen | ondertekende=ondertekenen"},
		{"Het Internationale Comité van het Rode Kruis helpt.", "Internationale Comité van het Rode Kruis=icrc"},
		{"het internationaal comite van het rode kruis", "internationaal comite van het rode kruis=icrc"},
		{"Drie Kamerleden stelden vragen aan een Kamerlid.", "Kamerleden=kamerlid | Kamerlid=kamerlid"},
		{"De strijd duurde lang.", ""},
		{"De strijdkrachten en de krijgsmacht.", "strijdkrachten=strijdkrachten | krijgsmacht=strijdkrachten"},
		{"SVN is geen VN.", "VN=vn"},
		{"De lidstaten en de EU-lidstaten.", "lidstaten=lidstaat | EU=eu | lidstaten=lidstaat"},
		{"Nieuwe sancties tegen Rusland.", "sancties=sanctie"},
		{"Hulp aan de Derde Wereld.", "Derde Wereld=ontwikkelingslanden→ontwikkelingslanden"},
		{"De Europese Gemeenschap bestaat niet meer.", "Europese Gemeenschap=eg!"},
		{"De coordinator en de COÖRDINATOR.", "coordinator=coordinator | COÖRDINATOR=coordinator"},
		{"De minister van Buitenlandse Zaken reist.", "minister van Buitenlandse Zaken=minbz-nl | minister van Buitenlandse Zaken=minbz-us"},
		{"Een staakt-het-vuren, geen wapenstilstand.", "staakt-het-vuren=staakt | wapenstilstand=staakt"},
		{"Europese hoofdsteden.", "hoofdsteden=hoofdstad"},
		{"In de ambassadeursresidentie.", ""},
		{"Het ambassadepersoneel vertrok.", ""},
		{"Zij overhandigde haar geloofsbrieven.", "geloofsbrieven=geloofsbrieven"},
		{"De Verenigde Naties en de NAVO.", "Verenigde Naties=vn | NAVO=navo"},
		{"De NAVO-top en OVSE-waarnemers.", "NAVO=navo | OVSE=ovse"},
		{"Een zaakgelastigde en een legaat.", "zaakgelastigde=zaakgelastigde | legaat=gezant→gezant"},
		{"Zijn accreditatie volgde op de ontwapening.", "accreditatie=accreditatie | ontwapening=ontwapening"},
		{"De Europese Unie en de Verenigde Staten.", "Europese Unie=eu"},
		{"Tekst zonder termen, met getallen 1.250 en codes \U00100000.", ""},
		{"", ""},
		{"De gemeenteraad en de voorraad.", "raad=raad+"},
		{"Een buurland, niet Nederland of de landbouw.", "land=land+"},
		{"Het landenoverleg.", ""},
		{"De vredesonderhandelingen.", ""},
		{"Twee vredesverdragen en het NAVO-verdrag.", "verdragen=verdrag+ | NAVO=navo | verdrag=verdrag"},
	}
	for _, tt := range tests {
		got := hitString(tt.text, m.Find(tt.text, at))
		if got != tt.want {
			t.Errorf("Find(%q)\n got %s\nwant %s", tt.text, got, tt.want)
		}
	}
}

func TestFindDetails(t *testing.T) {
	m := NewMatcher(loadFixture(t))
	hs := m.Find("Het vredesverdrag.", time.Time{})
	if len(hs) != 1 { // only the head: vredes is a modifier (seeds/README.md, rule 6)
		t.Fatalf("got %d hits, want 1", len(hs))
	}
	h := hs[0]
	if h.Term.Text != "verdrag" || h.Term.Lang != "nl" || len(h.Targets) != 2 || h.Targets[0].Text != "treaty" || h.Subject != "diplomacy/treaties" || !h.Compound {
		t.Errorf("hit = %+v", h)
	}
	// Targets are sorted preferred first, deprecated last.
	hs = m.Find("staakt-het-vuren", time.Time{})
	if len(hs) != 1 || hs[0].Targets[0].Text != "ceasefire" || hs[0].Targets[1].Status != StatusDeprecated {
		t.Errorf("staakt-het-vuren hits = %+v", hs)
	}
	// Validity: before the end date the concept is not expired; zero time never.
	for _, tc := range []struct {
		at   time.Time
		want bool
	}{{time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), false}, {time.Time{}, false}, {time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC), true}} {
		hs := m.Find("Europese Gemeenschap", tc.at)
		if len(hs) != 1 || hs[0].Expired != tc.want {
			t.Errorf("at %v: hits %+v, want expired=%v", tc.at, hs, tc.want)
		}
	}
	// Non-ASCII compound offsets.
	cs := []Concept{{ID: "x", Terms: []Term{{Lang: "nl", Text: "coördinatie"}, {Lang: "en", Text: "coordination"}}}}
	text := "De crisiscoördinatie!"
	hs = NewMatcher(cs).Find(text, time.Time{})
	if got := hitString(text, hs); got != "coördinatie=x+" {
		t.Errorf("got %s", got)
	}
}

// TestFindProperNames: a capitalized one-word term (a name) is not matched
// through stem collisions with lower-case words, nor inside compounds.
func TestFindProperNames(t *testing.T) {
	m := NewMatcher([]Concept{
		{ID: "pl", Terms: []Term{{Lang: "nl", Text: "Polen"}, {Lang: "en", Text: "Poland"}}},
		{ID: "kl", Terms: []Term{{Lang: "nl", Text: "Kamerlid"}, {Lang: "en", Text: "MP"}}},
	})
	tests := []struct{ text, want string }{
		{"Polen en de Noordpool.", "Polen=pl"},
		{"Een pool, geen polen.", "polen=pl"},
		{"POLEN", "POLEN=pl"},
		{"Twee Kamerleden, twee kamerleden, een kamerlid.", "Kamerleden=kl | kamerlid=kl"},
	}
	for _, tt := range tests {
		if got := hitString(tt.text, m.Find(tt.text, time.Time{})); got != tt.want {
			t.Errorf("Find(%q) = %s, want %s", tt.text, got, tt.want)
		}
	}
}

// TestFindRules checks the rules of seeds/README.md on a small inline
// glossary: names and demonyms match their own forms only, compounds
// report heads only (never a name or a verb), irregular and separable verb
// forms, and the traps of a stem-based matcher.
func TestFindRules(t *testing.T) {
	noun := func(id, def string, nl ...string) Concept {
		c := Concept{ID: id, Definition: def}
		for _, w := range nl {
			c.Terms = append(c.Terms, Term{Lang: "nl", Text: w})
		}
		return c
	}
	m := NewMatcher([]Concept{
		noun("iran", "", "Iran"), noun("iran-adj", "Relating to Iran.", "Iraans"),
		noun("pk", "", "Pakistan"), noun("pk-person", "A Pakistani.", "Pakistaan"), noun("pk-adj", "Pakistani.", "Pakistaans"),
		noun("se", "", "Zweden"), noun("se-person", "A Swede.", "Zweed"), noun("se-adj", "Swedish.", "Zweeds"),
		noun("ru-person", "A Russian.", "Rus"), noun("iq", "An Iraqi.", "Irakees"), noun("fr-person", "A Frenchman.", "Fransman"),
		noun("fr-adj", "French.", "Frans"), noun("in-adj", "Indian.", "Indiaas"), noun("dk-person", "A Dane.", "Deen"),
		noun("il-person", "An Israeli.", "Israëli"), noun("ua-adj", "Ukrainian.", "Oekraïens"), noun("kr-adj", "South Korean.", "Zuid-Koreaans"),
		noun("no-person", "A Norwegian.", "Noor"), noun("ie-person", "An Irishman.", "Ier"),
		noun("border", "A line.", "grens"), noun("opposition", "The parties.", "oppositie"), noun("leader", "One who leads.", "leider"),
		noun("weapon", "An arm.", "wapen"), noun("army", "Land forces.", "leger"), noun("civilian", "A citizen.", "burger"),
		noun("negotiation", "A talk.", "onderhandeling"), noun("credentials", "A letter.", "geloofsbrief"), noun("visa", "A permit.", "visum"),
		noun("official-visit", "A visit.", "officieel bezoek"), noun("pow", "A captive.", "krijgsgevangene"),
		noun("sign", "To sign.", "tekenen", "ondertekenen"), noun("recognise", "To recognise.", "erkennen"),
		noun("summon", "To call in.", "ontbieden"), noun("expel", "To expel.", "uitwijzen"), noun("recall", "To recall.", "terugroepen"),
		noun("impose", "To impose.", "sancties opleggen"), noun("veto", "To veto.", "veto uitspreken"),
		noun("views", "A discussion.", "van gedachten wisselen"),
		noun("formation", "The forming of a cabinet.", "formatie"),
		noun("resident", "A person living somewhere.", "ingezetene"), noun("peace", "No war.", "vrede"),
		noun("member-state", "A state in a union.", "lidstaat"), noun("trial", "A court case.", "proces"),
	})
	tests := []struct{ text, want string }{
		// names: no stem collisions, their own forms
		{"Iran, Iraans en Iraanse.", "Iran=iran | Iraans=iran-adj | Iraanse=iran-adj"},
		{"Pakistan, Pakistanen, Pakistaanse.", "Pakistan=pk | Pakistanen=pk-person | Pakistaanse=pk-adj"},
		{"Zweden, een Zweed, Zweedse.", "Zweden=se | Zweed=se-person | Zweedse=se-adj"},
		{"Russen, Irakezen, Fransen, Franse, Indiase, Denen.", "Russen=ru-person | Irakezen=iq | Fransen=fr-person | Franse=fr-adj | Indiase=in-adj | Denen=dk-person"},
		{"Israëli's en Oekraiense en Zuid-Koreaanse.", "Israëli's=il-person | Oekraiense=ua-adj | Zuid-Koreaanse=kr-adj"},
		{"Rusland, Jordaan, Denemarken, Irakese.", "Irakese=iq"},
		{"Irans president en de Zweeds-Iraanse grens.", "Irans=iran | Zweeds=se-adj | Iraanse=iran-adj | grens=border"},
		// compounds: heads only, never names or verbs
		{"De buitengrenzen en de grenswachten.", "grenzen=border+"},
		{"Oppositieleiders aan de onderhandelingstafel.", "leiders=leader+"},
		{"Versterken, hertekenden, plezier, manier, binnenvaart.", ""},
		{"Noordpool, noorderlicht.", ""},
		{"Transformatie, desinformatie en een kabinetsformatie.", "formatie=formation+"},
		// irregular and separable forms
		{"Het ministerie ontbood hem; hij werd ontboden.", "ontbood=summon | ontboden=summon"},
		{"Zij hebben hem uitgewezen en teruggeroepen.", "uitgewezen=expel | teruggeroepen=recall"},
		{"De EU heeft sancties opgelegd; een veto uitgesproken.", "sancties opgelegd=impose | veto uitgesproken=veto"},
		{"Zij hebben van gedachten gewisseld.", "van gedachten gewisseld=views"},
		{"Geloofsbrieven, visa, het officiële bezoek, krijgsgevangenen.", "Geloofsbrieven=credentials | visa=visa | officiële bezoek=official-visit | krijgsgevangenen=pow"},
		{"Zij tekende en ondertekenden.", "tekende=sign | ondertekenden=sign"},
		// traps
		{"De wapening, de legering, burgerlijk, het grenst, in het teken van.", ""},
		{"Agenten werden ingezet; drie ingezetenen; ontevreden over de vrede.", "ingezetenen=resident | vrede=peace"},
		// one stem, two words: the spelt vowel length tells them apart
		{"Een green card, de Green Party, van tee tot green.", ""},
		{"De grens, de grenzen, een lidstaat, de lidstaten, het proces, de processen.", "grens=border | grenzen=border | lidstaat=member-state | lidstaten=member-state | proces=trial | processen=trial"},
	}
	for _, tt := range tests {
		if got := hitString(tt.text, m.Find(tt.text, time.Time{})); got != tt.want {
			t.Errorf("Find(%q)\n got %s\nwant %s", tt.text, got, tt.want)
		}
	}
}

// TestVowelOf: the vowel length a word spells at its stem's last vowel.
func TestVowelOf(t *testing.T) {
	tests := []struct {
		w    string
		want vowel
	}{
		{"green", vowelLong}, {"grens", vowelShort}, {"grenzen", vowelShort},
		{"lidstaat", vowelLong}, {"lidstaten", vowelOpen},
		{"proces", vowelOpen}, {"processen", vowelShort},
		{"verbod", vowelOpen}, {"verboden", vowelOpen},
		{"officieel", vowelLong}, {"officiele", vowelOpen},
		{"leden", vowelOpen}, // irregular: stem lid
		{"auto's", vowelOpen},
	}
	for _, tt := range tests {
		if got := vowelOf(tt.w, Stem(tt.w)); got != tt.want {
			t.Errorf("vowelOf(%q, %q) = %d, want %d", tt.w, Stem(tt.w), got, tt.want)
		}
	}
}

// TestProperForms: the forms of names and demonyms, lemma first.
func TestProperForms(t *testing.T) {
	tests := []struct {
		w    string
		want []string // some of the forms
		not  []string
	}{
		{"amerikaan", []string{"amerikanen"}, []string{"amerikaans", "amerikaanse"}},
		{"iraans", []string{"iraanse"}, []string{"iran", "iraansen"}},
		{"irakees", []string{"irakezen", "irakese"}, nil},
		{"rus", []string{"russen"}, []string{"russ"}},
		{"nederlander", []string{"nederlanders"}, nil},
		{"azeri", []string{"azeri's", "azeris"}, nil},
		{"fransman", []string{"fransen"}, nil},
		{"kamerlid", []string{"kamerleden"}, nil},
		{"palestijn", []string{"palestijnen"}, []string{"palestijnnen"}},
	}
	for _, tt := range tests {
		got := properForms(tt.w)
		if got[0] != tt.w {
			t.Errorf("properForms(%q)[0] = %q", tt.w, got[0])
		}
		for _, f := range tt.want {
			if !slices.Contains(got, f) {
				t.Errorf("properForms(%q) = %v, lacks %q", tt.w, got, f)
			}
		}
		for _, f := range tt.not {
			if slices.Contains(got, f) {
				t.Errorf("properForms(%q) = %v, has %q", tt.w, got, f)
			}
		}
	}
}

func TestFindNoDutch(t *testing.T) {
	m := NewMatcher([]Concept{{ID: "e", Terms: []Term{{Lang: "en", Text: "peace"}}}})
	if hs := m.Find("peace vrede", time.Time{}); len(hs) != 0 {
		t.Errorf("got %v", hs)
	}
	var nilM *Matcher
	if hs := nilM.Find("x", time.Time{}); hs != nil {
		t.Errorf("nil matcher gave %v", hs)
	}
}

// TestNaiveBaseline shows what the recognizer adds over substring matching
// on sentences of TestFind: inflection, compounds, boundaries.
func TestNaiveBaseline(t *testing.T) {
	cs := loadFixture(t)
	naive := NewNaiveMatcher(cs)
	tests := []struct{ text, want string }{
		{"SVN is geen VN.", "VN=vn | VN=vn"},                                         // matches inside SVN
		{"De ambassadeur.", "ambassade=ambassade | ambassadeur=ambassadeur | eu=eu"}, // ambassade and EU inside ambassadeur
		{"Drie Kamerleden.", ""},                                                     // no inflection
	}
	for _, tt := range tests {
		if got := hitString(tt.text, naive.Find(tt.text, time.Time{})); got != tt.want {
			t.Errorf("naive Find(%q) = %s, want %s", tt.text, got, tt.want)
		}
	}
}

// FuzzFind checks the recognizer's output on any text: offsets inside the
// text and on rune boundaries, Text equal to the span, spans in order and
// either identical (several concepts) or disjoint.
func FuzzFind(f *testing.F) {
	for _, s := range []string{"Het vredesverdrag werd ondertekend.", "De crisiscoördinatie van de VN-Veiligheidsraad", "ambassadeursresidentie COÖRDINATOR\u0308s", "\xff\xfeVN-", "Kamerleden -- - VN"} {
		f.Add(s)
	}
	cs := loadFixture(f)
	cs = append(cs, Concept{ID: "x", Terms: []Term{{Lang: "nl", Text: "coördinatie"}}})
	m := NewMatcher(cs)
	f.Fuzz(func(t *testing.T, text string) {
		hs := m.Find(text, time.Now())
		for i, h := range hs {
			if h.Start < 0 || h.End > len(text) || h.Start >= h.End || text[h.Start:h.End] != h.Text {
				t.Fatalf("hit %d %+v does not fit %q", i, h, text)
			}
			if !utf8.ValidString(text) {
				continue
			}
			if !utf8.RuneStart(text[h.Start]) || (h.End < len(text) && !utf8.RuneStart(text[h.End])) {
				t.Fatalf("hit %d splits a rune: %+v in %q", i, h, text)
			}
			if i > 0 {
				p := hs[i-1]
				same := p.Start == h.Start && p.End == h.End
				if !same && h.Start < p.End {
					t.Fatalf("hits overlap: %+v and %+v in %q", p, h, text)
				}
			}
		}
	})
}
