package segment

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

const (
	streamChunk = 64 << 10
	// MaxStreamSegment is the longest segment Stream emits, in bytes: a
	// longer stretch without a break is cut at its last white space before
	// the limit (or at a character boundary if it has none), so Stream's
	// memory stays bounded whatever the input.
	MaxStreamSegment = 1 << 20
)

// Stream reads text from r and calls fn with each segment in order, with
// Start and End as byte offsets from the start of the stream and Text a
// copy (fn may keep it). It holds at most about MaxStreamSegment plus
// 65 KiB of text, whatever the input size, and gives the same segments as
// Split on the whole text, except that a segment longer than
// MaxStreamSegment is cut. It stops at the first error from r or fn, or
// when ctx is done, and returns that error.
func (s *Segmenter) Stream(ctx context.Context, r io.Reader, fn func(Segment) error) error {
	buf := make([]byte, 0, 2*streamChunk+2*window)
	base := 0     // stream offset of buf[0]
	segStart := 0 // start of the pending segment, in buf
	scanned := 1  // next position to test, in buf
	eof := false
	emit := func(text string, start, end int) error {
		start, end = trim(text, start, end)
		if start == end {
			return nil
		}
		// A copy, so that a kept segment does not pin the read buffer.
		return fn(Segment{Start: base + start, End: base + end, Text: strings.Clone(text[start:end])})
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		// Read one chunk.
		for got := 0; !eof && got < streamChunk; {
			if cap(buf)-len(buf) < streamChunk {
				nb := make([]byte, len(buf), 2*cap(buf)+streamChunk)
				copy(nb, buf)
				buf = nb
			}
			n, err := r.Read(buf[len(buf):min(cap(buf), len(buf)+streamChunk-got)])
			buf = buf[:len(buf)+n]
			got += n
			if errors.Is(err, io.EOF) {
				eof = true
			} else if err != nil {
				return fmt.Errorf("reading text: %w", err)
			} else if n == 0 {
				break
			}
		}
		text := string(buf)
		limit := len(text) - window
		if eof {
			limit = len(text)
		}
		if limit > scanned {
			in := newInput(s, text)
			var ferr error
			s.scan(in, scanned, limit, func(p int) {
				if ferr == nil {
					ferr = emit(text, segStart, p)
				}
				segStart = p
			})
			if ferr != nil {
				return ferr
			}
			scanned = limit
		}
		for scanned-segStart > MaxStreamSegment {
			cut := cutPoint(text, segStart, segStart+MaxStreamSegment)
			if err := emit(text, segStart, cut); err != nil {
				return err
			}
			segStart = cut
			scanned = max(scanned, cut+1)
		}
		if eof {
			return emit(text, segStart, len(text))
		}
		// Drop what no later decision needs: keep the pending segment and
		// the look-behind window before the next position to test.
		keep := min(segStart, max(0, scanned-window))
		for keep > 0 && !utf8.RuneStart(buf[keep]) {
			keep--
		}
		n := copy(buf, buf[keep:])
		buf = buf[:n]
		base += keep
		segStart -= keep
		scanned -= keep
	}
}

// cutPoint returns where to cut an over-long segment text[start:limit]:
// after its last white space, else at the last character boundary.
func cutPoint(text string, start, limit int) int {
	for i := limit; i > start+1; {
		r, n := utf8.DecodeLastRuneInString(text[start:i])
		if unicode.IsSpace(r) {
			return i
		}
		i -= n
	}
	i := limit
	for i > start+1 && !utf8.RuneStart(text[i]) {
		i--
	}
	return i
}
