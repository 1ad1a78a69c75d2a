// Package web serves the embedded workbench: the translator's pages (plain
// HTML, CSS and ES modules under static/, no build step) that call Tolk's
// services through the HTTP face (package httpface) with the Connect JSON
// protocol.
package web

import (
	"embed"
	"io"
	"io/fs"
	"net/http"

	"github.com/tolkdev/tolk/seeds"
)

//go:embed static
var files embed.FS

// Handler serves the workbench's files, index.html at /, and the seed
// article at /sample-article.txt (the page's "Sample article" button).
func Handler() http.Handler {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		panic(err) // static is embedded at build time; fs.Sub fails only on a bad name
	}
	mux := http.NewServeMux()
	mux.Handle("/", http.FileServerFS(sub))
	mux.HandleFunc("GET /sample-article.txt", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, seeds.Article())
	})
	return mux
}
