package segment

import (
	"strings"
	"testing"
)

// TestDutchFeatures lists what the built-in Dutch rules handle, one case
// per feature of issue 3.
func TestDutchFeatures(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"titles", "Dhr. Jansen en mevr. De Vries kwamen met prof. dr. ir. Bakker. Daarna niemand.",
			[]string{"Dhr. Jansen en mevr. De Vries kwamen met prof. dr. ir. Bakker.", "Daarna niemand."}},
		{"Latin and Dutch shorthand", "Hij kocht o.a. appels, d.w.z. rode, i.p.v. peren m.b.t. de taart. Klaar.",
			[]string{"Hij kocht o.a. appels, d.w.z. rode, i.p.v. peren m.b.t. de taart.", "Klaar."}},
		{"references", "Zie art. 5, blz. 12 en nr. 3 van de wet. Dat is duidelijk.",
			[]string{"Zie art. 5, blz. 12 en nr. 3 van de wet.", "Dat is duidelijk."}},
		{"versus", "De zaak Roe v. Wade is bekend. Klaar.",
			[]string{"De zaak Roe v. Wade is bekend.", "Klaar."}},
		{"months and jl.", "Op 3 sept. 2004 en in januari jl. gebeurde het. Daarna niet.",
			[]string{"Op 3 sept. 2004 en in januari jl. gebeurde het.", "Daarna niet."}},
		{"initials", "A.J. Janssen en J. de Vries en W. F. Hermans schreven. Ook Th. Mann.",
			[]string{"A.J. Janssen en J. de Vries en W. F. Hermans schreven.", "Ook Th. Mann."}},
		{"abbreviation ending a sentence", "Hij kocht appels, peren enz. De rest liet hij liggen.",
			[]string{"Hij kocht appels, peren enz.", "De rest liet hij liggen."}},
		{"name after Jan.", "Ik sprak met Jan. Hij was blij.",
			[]string{"Ik sprak met Jan.", "Hij was blij."}},
		{"numbers", "Het kost 1.250.000,50 euro. Om 14.30 uur op de 3e dag, 13-12-2004. 81 procent stemde.",
			[]string{"Het kost 1.250.000,50 euro.", "Om 14.30 uur op de 3e dag, 13-12-2004.", "81 procent stemde."}},
		{"'s and 't", "Het werd laat. 's Avonds ging hij. 't Was koud.",
			[]string{"Het werd laat.", "'s Avonds ging hij.", "'t Was koud."}},
		{"Dutch quotes", "Hij zei: „Ik kom.” Zij zei: ‘Ik ook.’ Toen: «Wij allen.» En ,,zo is het.'' Klaar.",
			[]string{"Hij zei: „Ik kom.”", "Zij zei: ‘Ik ook.’", "Toen: «Wij allen.»", "En ,,zo is het.''", "Klaar."}},
		{"closing quote after a space", ",, Ik kom morgen. '' Daarna ging hij.",
			[]string{",, Ik kom morgen. ''", "Daarna ging hij."}},
		{"reporting clause", "„Waar ga je heen?” vroeg hij. „Naar huis!” riep ze.",
			[]string{"„Waar ga je heen?” vroeg hij.", "„Naar huis!” riep ze."}},
		{"reporting clause with a name", "„Nooit!” Jansen zei het zelf. „Kom je?” Hij knikte.",
			[]string{"„Nooit!” Jansen zei het zelf.", "„Kom je?”", "Hij knikte."}},
		{"ellipsis", "Hij dacht na... en ging. Zo ging het… Toen kwam zij.",
			[]string{"Hij dacht na... en ging.", "Zo ging het…", "Toen kwam zij."}},
		{"URL and e-mail", "Zie www.tolk.nl/a.b?x=1. Mail info@tolk.nl of http://x.nl. Dank.",
			[]string{"Zie www.tolk.nl/a.b?x=1.", "Mail info@tolk.nl of http://x.nl.", "Dank."}},
		{"heading and blank lines", "Inleiding\n\nDit is tekst. Nog meer\ntekst op een regel.\n\nZie blz.\n\nSlot",
			[]string{"Inleiding", "Dit is tekst.", "Nog meer\ntekst op een regel.", "Zie blz.", "Slot"}},
		{"list items", "Boodschappen:\n- melk\n- brood\n1. eerst\n2. dan",
			[]string{"Boodschappen:", "- melk", "- brood", "1. eerst", "2. dan"}},
	}
	for _, tt := range tests {
		got := segTexts(Split(tt.text))
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%s: Split(%q)\n got %q\nwant %q", tt.name, tt.text, got, tt.want)
		}
	}
}
