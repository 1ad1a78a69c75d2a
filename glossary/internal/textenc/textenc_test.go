package textenc

import (
	"bytes"
	"io"
	"testing"
)

func TestReader(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
		enc  string
	}{
		{"plain", []byte("vrede\tpeace\n"), "vrede\tpeace\n", "utf-8"},
		{"utf8 bom", []byte("\xEF\xBB\xBFcoördinator"), "coördinator", "utf-8"},
		{"utf16le bom", []byte{0xFF, 0xFE, 'V', 0, 'N', 0, '\t', 0, 0xEB, 0}, "VN\të", "utf-16le"},
		{"utf16be bom", []byte{0xFE, 0xFF, 0, 'V', 0, 'N'}, "VN", "utf-16be"},
		{"utf16le no bom", []byte{'a', 0, 'b', 0}, "ab", "utf-16le"},
		{"magic latin1", []byte("# -*- coding: iso-8859-1 -*-\nco\xF6rdinator"), "# -*- coding: iso-8859-1 -*-\ncoördinator", "iso-8859-1"},
		{"magic utf8", []byte("# x -*- coding: utf-8 -*-\nö"), "# x -*- coding: utf-8 -*-\nö", "utf-8"},
		{"fallback cp1252", []byte("co\xF6rdinator \x80"), "coördinator €", "windows-1252"},
		{"empty", nil, "", "utf-8"},
	}
	for _, tt := range tests {
		r, enc, err := Reader(bytes.NewReader(tt.in))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if string(got) != tt.want || enc != tt.enc {
			t.Errorf("%s: got %q (%s), want %q (%s)", tt.name, got, enc, tt.want, tt.enc)
		}
	}
	if _, _, err := Reader(bytes.NewReader([]byte("# -*- coding: klingon-8 -*-\n"))); err == nil {
		t.Error("unknown declared encoding accepted")
	}
}

func TestCharsetReader(t *testing.T) {
	r, err := CharsetReader("windows-1254", bytes.NewReader([]byte{0xFD}))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(r)
	if string(b) != "ı" {
		t.Errorf("got %q", b)
	}
}
