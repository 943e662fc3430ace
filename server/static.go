package server

import (
	"net/http"
	"strings"
)

// StaticDir serves Dir under Prefix. ContentType, when set, replaces the type of every file:
// it is how a test serves signalr.wasm with a wrong MIME type.
type StaticDir struct {
	Prefix      string
	Dir         string
	ContentType string
}

func (s *Server) serveStatic(w http.ResponseWriter, r *http.Request) {
	var best *StaticDir
	for i := range s.opts.Static {
		d := &s.opts.Static[i]
		if strings.HasPrefix(r.URL.Path, d.Prefix) && (best == nil || len(d.Prefix) > len(best.Prefix)) {
			best = d
		}
	}
	if best == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	h := http.StripPrefix(strings.TrimSuffix(best.Prefix, "/"), http.FileServer(http.Dir(best.Dir)))
	if best.ContentType != "" {
		h = forceType(h, best.ContentType)
	}
	h.ServeHTTP(w, r)
}

func forceType(h http.Handler, contentType string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(typedWriter{w, contentType}, r)
	})
}

type typedWriter struct {
	http.ResponseWriter
	contentType string
}

func (t typedWriter) WriteHeader(code int) {
	t.Header().Set("Content-Type", t.contentType)
	t.ResponseWriter.WriteHeader(code)
}

func (t typedWriter) Write(b []byte) (int, error) {
	if t.Header().Get("Content-Type") != t.contentType {
		t.Header().Set("Content-Type", t.contentType)
	}
	return t.ResponseWriter.Write(b)
}
