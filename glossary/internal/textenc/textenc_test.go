package textenc

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/tolkdev/tolk"
)

func TestReader(t *testing.T) {
	tests := []struct {
		name  string
		in    []byte
		label string
		want  string
		enc   string
	}{
		{"plain", []byte("vrede\tpeace\n"), "", "vrede\tpeace\n", "utf-8"},
		{"utf8 bom", []byte("\xEF\xBB\xBFcoördinator"), "", "coördinator", "utf-8"},
		{"utf16le bom", []byte{0xFF, 0xFE, 'V', 0, 'N', 0, '\t', 0, 0xEB, 0}, "", "VN\të", "utf-16le"},
		{"utf16be bom", []byte{0xFE, 0xFF, 0, 'V', 0, 'N'}, "", "VN", "utf-16be"},
		{"magic latin1", []byte("# -*- coding: iso-8859-1 -*-\nco\xF6rdinator"), "", "# -*- coding: iso-8859-1 -*-\ncoördinator", "iso-8859-1"},
		{"magic utf8", []byte("# x -*- coding: utf-8 -*-\nö"), "", "# x -*- coding: utf-8 -*-\nö", "utf-8"},
		{"named cp1252", []byte("co\xF6rdinator \x80"), "windows-1252", "coördinator €", "windows-1252"},
		{"named overrides magic", []byte("# -*- coding: utf-8 -*-\nco\xF6rdinator"), "latin1", "# -*- coding: utf-8 -*-\ncoördinator", "latin1"},
		{"named utf-8 drops bom", []byte("\xEF\xBB\xBFö"), "UTF-8", "ö", "utf-8"},
		{"replacement char is text in utf-8", []byte("a\uFFFDb"), "", "a\uFFFDb", "utf-8"},
		{"empty", nil, "", "", "utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// One byte per Read: runes split across reads must pass.
			r, enc, err := Reader(iotest.OneByteReader(bytes.NewReader(tt.in)), tt.label)
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(r)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want || enc != tt.enc {
				t.Errorf("got %q (%s), want %q (%s)", got, enc, tt.want, tt.enc)
			}
		})
	}
}

// TestReaderRejects checks that text not valid in its encoding is an
// EINVALID error naming the line, after the whole lines before it.
func TestReaderRejects(t *testing.T) {
	long := strings.Repeat("vrede\tpeace\n", 500) // 6,000 bytes, past the sniffed 4 KiB
	tests := []struct {
		name     string
		in       []byte
		label    string
		field    string
		wantText string // the text returned before the error
	}{
		{"one latin-1 byte", []byte("vrede\tpeace\nco\xF6rdinator\tcoordinator\n"), "", "line 2", "vrede\tpeace\n"},
		{"cp1252 past 4 KiB", []byte(long + "caf\xE9\tcafe\n"), "", "line 501", long},
		{"declared utf-8", []byte("# -*- coding: utf-8 -*-\nx\ny\xE9\n"), "", "line 3", "# -*- coding: utf-8 -*-\nx\n"},
		{"cut rune at the end", []byte("ok\n\xC3"), "", "line 2", "ok\n"},
		{"utf-16 without bom", []byte{'a', 0, 'b', 0}, "", "line 1", ""},
		{"unpaired surrogate", []byte{0xFF, 0xFE, 'a', 0, '\n', 0, 0x00, 0xD8, 'b', 0}, "", "line 2", "a\n"},
		{"unknown label", []byte("x"), "klingon-8", "encoding", ""},
		{"unknown declared", []byte("# -*- coding: klingon-8 -*-\n"), "", "line 1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, _, err := Reader(bytes.NewReader(tt.in), tt.label)
			var got []byte
			if err == nil {
				got, err = io.ReadAll(r)
			}
			if tolk.ErrorCode(err) != tolk.EINVALID || tolk.ErrorField(err) != tt.field {
				t.Fatalf("error %v (field %q), want EINVALID at %q", err, tolk.ErrorField(err), tt.field)
			}
			if string(got) != tt.wantText {
				t.Errorf("text before the error %q, want %q", got, tt.wantText)
			}
		})
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
