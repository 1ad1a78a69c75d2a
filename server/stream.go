package server

import (
	"errors"
	"io"
)

// chunkSize is the size of the chunks streamed to clients.
const chunkSize = 64 << 10

// chunkReader returns a reader over first followed by the chunks that next
// returns until it returns io.EOF. It lets a parser read a client stream as
// one byte stream, without holding the file in memory.
func chunkReader(first []byte, next func() ([]byte, error)) io.Reader {
	return &streamReader{buf: first, next: next}
}

type streamReader struct {
	buf  []byte
	next func() ([]byte, error)
	err  error
}

func (r *streamReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		r.buf, r.err = r.next()
		if r.err != nil && !errors.Is(r.err, io.EOF) {
			return 0, r.err
		}
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// chunkWriter buffers writes and hands them to send in chunks of chunkSize.
type chunkWriter struct {
	buf  []byte
	send func([]byte) error
}

func newChunkWriter(send func([]byte) error) *chunkWriter {
	return &chunkWriter{buf: make([]byte, 0, chunkSize), send: send}
}

func (w *chunkWriter) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		k := copy(w.buf[len(w.buf):cap(w.buf)], p)
		w.buf = w.buf[:len(w.buf)+k]
		p = p[k:]
		if len(w.buf) == cap(w.buf) {
			if err := w.Flush(); err != nil {
				return 0, err
			}
		}
	}
	return n, nil
}

// Flush sends what is buffered. The buffer is not reused after a send, as
// gRPC may still hold the slice.
func (w *chunkWriter) Flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	err := w.send(w.buf)
	w.buf = make([]byte, 0, chunkSize)
	return err
}
