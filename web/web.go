// Package web serves the embedded workbench: the translator's pages (plain
// HTML, CSS and ES modules under static/, no build step) that call Tolk's
// services through the HTTP face (package httpface) with the Connect JSON
// protocol.
package web

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed static
var files embed.FS

// Handler serves the workbench's files, index.html at /.
func Handler() http.Handler {
	sub, err := fs.Sub(files, "static")
	if err != nil {
		panic(err) // static is embedded at build time; fs.Sub fails only on a bad name
	}
	return http.FileServerFS(sub)
}
