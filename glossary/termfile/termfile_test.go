package termfile

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/tolkdev/tolk"

	"github.com/tolkdev/tolk/glossary"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		head string
		want Format
	}{
		{`<?xml version="1.0"?><tbx>`, TBX},
		{"\xef\xbb\xbf<martif>", TBX},
		{"\xff\xfe<\x00m\x00", TBX},
		{`{"id":"x"}`, JSONL},
		{"vrede\tpeace\n", TSV},
		{"# Glossary in tab-separated format\n", TSV},
		{"id,subject,nl,en\n", CSV},
		{"en-US;it-IT\n", CSV},
	}
	for _, tt := range tests {
		if got := detect([]byte(tt.head)); got != tt.want {
			t.Errorf("detect(%q) = %v, want %v", tt.head, got, tt.want)
		}
	}
}

// TestRoundTrip writes concepts in every format and reads them back.
func TestRoundTrip(t *testing.T) {
	in := []glossary.Concept{
		{ID: "ceasefire", Subject: "security", Definition: "A halt to fighting, agreed by the parties.", Terms: []glossary.Term{
			{Lang: "nl", Text: "staakt-het-vuren", Status: glossary.StatusPreferred},
			{Lang: "nl", Text: "wapenstilstand", Status: glossary.StatusAdmitted},
			{Lang: "en", Text: "ceasefire", Status: glossary.StatusPreferred},
			{Lang: "de", Text: "Waffenstillstand"},
		}},
		{ID: "embassy", Subject: "diplomacy", ValidFrom: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), Terms: []glossary.Term{
			{Lang: "nl", Text: "ambassade", Status: glossary.StatusPreferred},
			{Lang: "en", Text: "embassy", Status: glossary.StatusPreferred},
		}},
		{ID: "only-dutch", Terms: []glossary.Term{{Lang: "nl", Text: "alleen Nederlands"}}},
	}
	for _, f := range []Format{TBX, CSV, TSV, JSONL} {
		t.Run(f.String(), func(t *testing.T) {
			var buf bytes.Buffer
			enc, err := NewEncoder(&buf, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range in {
				if err := enc.Encode(c); err != nil {
					t.Fatal(err)
				}
			}
			if err := enc.Close(); err != nil {
				t.Fatal(err)
			}
			dec, err := NewDecoder(bytes.NewReader(buf.Bytes()), AutoDetect, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []glossary.Concept
			for {
				c, err := dec.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatalf("reading back: %v\n%s", err, buf.String())
				}
				got = append(got, c)
			}
			// TSV has no concepts, only term pairs: a synonym is a line of its own.
			want := map[Format]int{TSV: 3}[f]
			if want == 0 {
				want = 2
			}
			if len(got) != want {
				t.Fatalf("read back %d concepts, want %d:\n%s", len(got), want, buf.String())
			}
			if f == TSV {
				return
			}
			if dec.Skipped() != 1 {
				t.Errorf("skipped %d on reading back, want 1 (the Dutch-only concept)", dec.Skipped())
			}
			for i, c := range got {
				if c.ID != in[i].ID {
					t.Errorf("concept %d id %q, want %q", i, c.ID, in[i].ID)
				}
				for _, term := range c.Terms {
					if l := glossary.PrimaryLang(term.Lang); l != "nl" && l != "en" {
						t.Errorf("concept %s keeps a %s term", c.ID, term.Lang)
					}
				}
			}
			if len(got[0].Terms) != 3 {
				t.Errorf("ceasefire has %d terms after the round trip, want 3: %+v", len(got[0].Terms), got[0].Terms)
			}
		})
	}
}

// TestEncodingOption checks that Options.Encoding reaches every format's
// reader and overrides a declaration, and that without it a Windows-1252
// file whose first non-ASCII byte lies past the first 4 KiB is an error
// naming that line (it used to be decoded as UTF-8 with U+FFFD stored).
func TestEncodingOption(t *testing.T) {
	long := "nl,en\n" + strings.Repeat("vrede,peace\n", 400)
	tbxDoc := `<?xml version="1.0" encoding="UTF-8"?><martif type="TBX"><text><body><termEntry id="c1">` +
		`<langSet xml:lang="nl"><tig><term>co` + "\xF6" + `rdinator</term></tig></langSet>` +
		`<langSet xml:lang="en"><tig><term>coordinator</term></tig></langSet></termEntry></body></text></martif>`
	tests := []struct {
		name, in, enc string
		f             Format
		errField      string // "" for success
	}{
		{"csv cp1252 past 4 KiB", long + "co\xF6rdinator,coordinator\n", "", AutoDetect, "line 402"},
		{"csv cp1252 named", long + "co\xF6rdinator,coordinator\n", "windows-1252", AutoDetect, ""},
		{"tbx declared utf-8", tbxDoc, "", TBX, "line 1"},
		{"tbx named latin1", tbxDoc, "iso-8859-1", TBX, ""},
		{"tsv named", "# languages: nl en\nco\xF6rdinator\tcoordinator\n", "latin1", TSV, ""},
		{"unknown name", "a\tb\n", "klingon", TSV, "encoding"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var last glossary.Concept
			dec, err := NewDecoder(strings.NewReader(tt.in), tt.f, Options{Encoding: tt.enc})
			for err == nil {
				var c glossary.Concept
				if c, err = dec.Next(); err == nil {
					last = c
				}
			}
			if tt.errField != "" {
				if tolk.ErrorCode(err) != tolk.EINVALID || tolk.ErrorField(err) != tt.errField {
					t.Fatalf("error %v (field %q), want EINVALID at %q", err, tolk.ErrorField(err), tt.errField)
				}
				return
			}
			if err != io.EOF {
				t.Fatal(err)
			}
			if last.Terms[0].Text != "coördinator" {
				t.Errorf("last concept %+v, want coördinator", last)
			}
		})
	}
}
