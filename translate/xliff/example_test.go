package xliff_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/tolkdev/tolk/translate/xliff"
)

func ExampleWrite() {
	src := "De kat slaapt."
	d := xliff.Document{Files: []xliff.File{{ID: "artikel", Units: []xliff.Unit{{
		ID: "p1",
		Segments: []xliff.Segment{{
			ID: "s1", Source: src, Target: "The cat sleeps.", State: xliff.StateTranslated,
			Matches: []xliff.Match{{Similarity: 92, Origin: "nieuws", Type: xliff.MatchTM,
				Source: "De kat sliep.", Target: "The cat slept."}},
			Terms: []xliff.Term{{Source: "kat", Translation: "cat", Start: 3, End: 6}},
		}},
	}}}}}
	if err := xliff.Write(os.Stdout, d); err != nil {
		fmt.Println(err)
	}
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:mtc="urn:oasis:names:tc:xliff:matches:2.0" xmlns:gls="urn:oasis:names:tc:xliff:glossary:2.0" xmlns:tolk="urn:tolkdev:tolk:xliff:1" version="2.1" srcLang="nl" trgLang="en">
	//  <file id="artikel" xml:space="preserve">
	//   <unit id="p1">
	//    <mtc:matches>
	//     <mtc:match ref="#s1-m" similarity="92" origin="nieuws" type="tm">
	//      <source>De kat sliep.</source>
	//      <target>The cat slept.</target>
	//     </mtc:match>
	//    </mtc:matches>
	//    <gls:glossary>
	//     <gls:glossEntry id="s1-g0" ref="#s1-t0">
	//      <gls:term>kat</gls:term>
	//      <gls:translation>cat</gls:translation>
	//     </gls:glossEntry>
	//    </gls:glossary>
	//    <segment id="s1" state="translated">
	//     <source><mrk id="s1-m" type="mtc:match">De <mrk id="s1-t0" type="term" ref="#gls=s1-g0">kat</mrk> slaapt.</mrk></source>
	//     <target>The cat sleeps.</target>
	//    </segment>
	//   </unit>
	//  </file>
	// </xliff>
}

func ExampleRead() {
	d, err := xliff.Read(strings.NewReader(`<?xml version="1.0"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file source-language="nl" target-language="en" original="app" datatype="plaintext">
  <body>
   <trans-unit id="welkom">
    <source>Welkom, <x id="NAME"/>!</source>
    <target state="final">Welcome, <x id="NAME"/>!</target>
   </trans-unit>
  </body>
 </file>
</xliff>`))
	if err != nil {
		fmt.Println(err)
		return
	}
	s := d.Files[0].Units[0].Segments[0]
	fmt.Printf("%s → %s: %q → %q (%s)\n", d.SrcLang, d.TrgLang, s.Source, s.Target, s.State)
	// Output:
	// nl → en: "Welkom, \U00100000!" → "Welcome, \U00100000!" (final)
}
