// Package httpface serves Tolk's gRPC services to browsers and HTTP/JSON
// clients: Connect (JSON or binary), gRPC-Web and gRPC over HTTP/1.1 and
// HTTP/2, transcoded by connectrpc.com/vanguard onto the same *grpc.Server
// that serves gRPC. Every call therefore passes the server's interceptors
// (tokens and scopes, error mapping, admission, logging, metrics) exactly
// as a gRPC call does; this package adds only what HTTP needs on top: a
// same-origin rule instead of CORS, security headers, a bound on the body,
// and the workbench's static files at /.
package httpface

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"connectrpc.com/vanguard"
	"connectrpc.com/vanguard/vanguardgrpc"
	"google.golang.org/grpc"
)

// Options says what to serve besides the services.
type Options struct {
	// Static, when set, serves every path that is not an RPC (the
	// workbench at /).
	Static http.Handler
	// MaxBodyBytes bounds a request body (for a client stream, the whole
	// stream); a larger one is refused before it reaches the services.
	// It must be positive: the caller passes the server's message limit
	// (server.Server.MaxRequestBytes).
	MaxBodyBytes int64
}

// ContentSecurityPolicy lets a page load scripts, styles, images and
// connections from its own origin only: no inline script, no CDN, no
// framing by other sites.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// New returns the handler of the HTTP face of g. Call it after every
// service is registered on g: it serves the services g has then.
func New(g *grpc.Server, opts Options) (http.Handler, error) {
	if opts.MaxBodyBytes <= 0 {
		return nil, fmt.Errorf("httpface: MaxBodyBytes must be positive, got %d", opts.MaxBodyBytes)
	}
	static := opts.Static
	if static == nil {
		static = http.NotFoundHandler()
	}
	limit := uint32(min(opts.MaxBodyBytes, int64(^uint32(0))))
	t, err := vanguardgrpc.NewTranscoder(g,
		vanguard.WithDefaultServiceOptions(vanguard.WithMaxMessageBufferBytes(limit)),
		vanguard.WithUnknownHandler(static))
	if err != nil {
		return nil, fmt.Errorf("httpface: building the transcoder: %w", err)
	}
	return guard(t, opts.MaxBodyBytes), nil
}

// guard sets the security headers on every answer, refuses requests from
// other origins, and bounds the body to max bytes.
func guard(next http.Handler, max int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if msg := crossOrigin(r); msg != "" {
			http.Error(w, msg, http.StatusForbidden)
			return
		}
		if r.ContentLength > max {
			http.Error(w, fmt.Sprintf("request body of %d bytes is over the limit of %d bytes", r.ContentLength, max), http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, max)
		assumeConnect(r)
		next.ServeHTTP(w, r)
	})
}

// crossOrigin says why r comes from another origin than the page's, or ""
// when it does not. A browser names the page's origin in the Origin header
// of every POST and of cross-origin requests; a request without it (curl, a
// Go client, a same-origin GET) is not a browser acting for another site.
// No CORS headers are ever sent, so preflights (OPTIONS) fail too.
func crossOrigin(r *http.Request) string {
	if r.Method == http.MethodOptions {
		return "cross-origin requests are not allowed"
	}
	if site := r.Header.Get("Sec-Fetch-Site"); site == "cross-site" || site == "same-site" {
		return "cross-origin requests are not allowed"
	}
	origin := r.Header.Get("Origin")
	if origin == "" {
		return ""
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || !strings.EqualFold(u.Host, r.Host) {
		return fmt.Sprintf("requests from origin %q are not allowed here (only from this server's own pages)", origin)
	}
	return ""
}

// assumeConnect marks a POST of JSON or binary proto without the
// Connect-Protocol-Version header as Connect unary, as connect-go's own
// handlers accept it: the services have no REST mappings, so without the
// mark vanguard would look for a REST route and answer 404, and
// `curl -d '{...}' -H 'Content-Type: application/json'` would fail for no
// reason a user could see.
func assumeConnect(r *http.Request) {
	ct := r.Header.Get("Content-Type")
	if r.Method == http.MethodPost && r.Header.Get("Connect-Protocol-Version") == "" &&
		(ct == "application/json" || ct == "application/proto" || strings.HasPrefix(ct, "application/json;")) {
		r.Header.Set("Connect-Protocol-Version", "1")
	}
}
