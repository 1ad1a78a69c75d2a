package tmx

import (
	"fmt"
	"io"

	"github.com/tolkdev/tolk/memory"
)

// The limits a Reader holds any input to, so that a hostile or broken file
// costs bounded memory and time: a Reader stops at the first one exceeded
// with an ELIMIT *tolk.Error that names the limit and the file position.
// The README's limits table lists them.
const (
	// MaxTokenBytes bounds one XML token the scanner must hold whole: a
	// run of text between two tags, an attribute value before its limit
	// is checked, a comment, a CDATA section, a processing instruction, a
	// DOCTYPE. It bounds the scanner's buffer.
	MaxTokenBytes = 1 << 20
	// MaxNameBytes bounds an element or attribute name.
	MaxNameBytes = 1 << 10
	// MaxAttrBytes bounds one attribute value (tuid, dates, ids, and the
	// attributes of inline elements): the same as a unit's text.
	MaxAttrBytes = memory.MaxTextBytes
	// MaxAttrs bounds the attributes of one element.
	MaxAttrs = 256
	// MaxSegmentBytes bounds a segment's text, as the store does.
	MaxSegmentBytes = memory.MaxTextBytes
	// MaxCodes bounds the inline codes of a segment, as the store does.
	MaxCodes = memory.MaxCodes
	// MaxUnitBytes bounds everything a Reader keeps of one <tu> (texts,
	// inline-code content, properties, notes, attributes), or of the
	// <header>, before it hands the unit on.
	MaxUnitBytes = 1 << 20
	// MaxDepth bounds element nesting, counted from <tmx>.
	MaxDepth = 64
	// MaxDecompressedBytes bounds the bytes a gzip-compressed file
	// decompresses to.
	MaxDecompressedBytes = 8 << 30
	// MaxGzipRatio bounds decompressed bytes per compressed byte, checked
	// once more than gzipRatioGrace bytes were decompressed: a gzip bomb
	// stops within a few megabytes, while TMX, compressing 5–30 times,
	// never comes near it.
	MaxGzipRatio   = 100
	gzipRatioGrace = 8 << 20
)

// limitError is a limit exceeded while reading; the Reader turns it into
// an ELIMIT *tolk.Error at the position where it stopped.
type limitError struct{ msg string }

func (e *limitError) Error() string { return e.msg }

// tooLong says that what (“a segment”) passed the limit named limit.
func tooLong(what, limit string, max int64) *limitError {
	return &limitError{fmt.Sprintf("%s is longer than the limit %s of %d bytes", what, limit, max)}
}

// gzipGuard reads the decompressed stream, failing once it passes
// MaxDecompressedBytes or MaxGzipRatio times the compressed bytes read.
type gzipGuard struct {
	r          io.Reader
	compressed *countingReader
	n          int64
	maxBytes   int64 // MaxDecompressedBytes (smaller in tests)
}

func (g *gzipGuard) Read(p []byte) (int, error) {
	k, err := g.r.Read(p)
	g.n += int64(k)
	if g.n > g.maxBytes {
		return k, tooLong("the decompressed file", "MaxDecompressedBytes", g.maxBytes)
	}
	if g.n > gzipRatioGrace && g.n > MaxGzipRatio*g.compressed.n {
		return k, &limitError{fmt.Sprintf("the file decompresses to more than %d times its compressed size (%d bytes from %d), the limit MaxGzipRatio: it looks like a gzip bomb", MaxGzipRatio, g.n, g.compressed.n)}
	}
	return k, err
}

// countingReader counts the bytes read from the file, compressed when it
// is gzip: the bufio.Reader above it reads at most 64 KiB ahead of gzip,
// which the ratio guard's grace covers.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	c.n += int64(k)
	return k, err
}
