package segment

import (
	"testing"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"De VN-coördinator belt.", []string{"word:De", "word:VN", "punct:-", "word:coördinator", "word:belt", "punct:."}},
		{"op 26 september om 14.30 uur: 1.250.000,50 euro", []string{"word:op", "number:26", "word:september", "word:om", "number:14.30", "word:uur", "punct::", "number:1.250.000,50", "word:euro"}},
		{"auto's en 't huis, 24e keer.", []string{"word:auto's", "word:en", "punct:'", "word:t", "word:huis", "punct:,", "number:24e", "word:keer", "punct:."}},
		{"a\U00100000b \U00100001", []string{"word:a", "code:\U00100000", "word:b", "code:\U00100001"}},
		{"", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, tok := range Tokens(nil, tt.in) {
			got = append(got, tok.Kind.String()+":"+tt.in[tok.Start:tok.End])
		}
		if len(got) != len(tt.want) {
			t.Errorf("Tokens(%q) = %q, want %q", tt.in, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("Tokens(%q)[%d] = %q, want %q", tt.in, i, got[i], tt.want[i])
			}
		}
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  „Hallo”  Wereld\u00a0– ‘t is  ", `"hallo" wereld - 't is`},
		{"CAFE\u0301", "café"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := StripDiacritics("coördinator één"); got != "coordinator een" {
		t.Errorf("StripDiacritics = %q", got)
	}
}
