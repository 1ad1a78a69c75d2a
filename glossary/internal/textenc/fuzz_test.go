package textenc

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/tolkdev/tolk"
)

// FuzzReader checks the decoder on any bytes and any named encoding: it
// returns valid UTF-8 without NUL, whole lines before an error, the same
// text however the input is cut into reads, and only positioned EINVALID
// errors.
func FuzzReader(f *testing.F) {
	f.Add([]byte("vrede\tpeace\n"), "")
	f.Add([]byte("co\xF6rdinator\n"), "")
	f.Add([]byte("co\xF6rdinator\n"), "windows-1252")
	f.Add([]byte("# -*- coding: iso-8859-1 -*-\nco\xF6rdinator"), "")
	f.Add([]byte{0xFF, 0xFE, 'a', 0, 0x00, 0xD8, '\n', 0}, "")
	f.Add([]byte("\xEF\xBB\xBFa\x00b"), "utf-8")
	f.Fuzz(func(t *testing.T, in []byte, label string) {
		read := func(r io.Reader) ([]byte, error) {
			dec, _, err := Reader(r, label)
			if err != nil {
				return nil, err
			}
			return io.ReadAll(dec)
		}
		got, err := read(bytes.NewReader(in))
		if err != nil {
			if tolk.ErrorCode(err) != tolk.EINVALID || tolk.ErrorField(err) == "" {
				t.Fatalf("error %v is not a positioned EINVALID", err)
			}
			if len(got) > 0 && got[len(got)-1] != '\n' {
				t.Fatalf("text before the error %q does not end a line", got)
			}
		}
		if !utf8.Valid(got) || bytes.IndexByte(got, 0) >= 0 {
			t.Fatalf("output %q is not clean UTF-8", got)
		}
		got2, err2 := read(iotest.OneByteReader(bytes.NewReader(in)))
		if !bytes.Equal(got, got2) || (err == nil) != (err2 == nil) || err != nil && !strings.EqualFold(err.Error(), err2.Error()) {
			t.Fatalf("one byte per read gives %q, %v; whole gives %q, %v", got2, err2, got, err)
		}
	})
}
