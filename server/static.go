package server

import (
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
)

// StaticDir serves Dir under Prefix. ContentType, when set, replaces the type of every file:
// it is how a test serves signalr.wasm with a wrong MIME type.
//
// A file X with a precompressed copy beside it (X.br, X.gz, as build.sh writes them) is served
// as ASP.NET Core's MapStaticAssets serves it: the copy the request accepts, with
// Content-Encoding, Vary: Accept-Encoding and X's own Content-Type.
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
	prefix := strings.TrimSuffix(best.Prefix, "/")
	var h http.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !best.servePrecompressed(w, r) {
			http.FileServer(http.Dir(best.Dir)).ServeHTTP(w, r)
		}
	})
	h = http.StripPrefix(prefix, h)
	if best.ContentType != "" {
		h = forceType(h, best.ContentType)
	}
	h.ServeHTTP(w, r)
}

// encodings are the precompressed copies looked for, in the order preferred when the request
// accepts both equally.
var encodings = []struct{ name, ext string }{{"br", ".br"}, {"gzip", ".gz"}}

// servePrecompressed serves the compressed copy of the requested file that the request
// accepts, and reports whether there was one.
func (d *StaticDir) servePrecompressed(w http.ResponseWriter, r *http.Request) bool {
	name := path.Clean("/" + r.URL.Path)
	var chosen http.File
	var chosenInfo fs.FileInfo
	var chosenEncoding string
	var chosenQ float64
	for _, enc := range encodings {
		f, err := http.Dir(d.Dir).Open(name + enc.ext)
		if err != nil {
			continue
		}
		info, err := f.Stat()
		if err != nil || info.IsDir() {
			f.Close()
			continue
		}
		w.Header().Set("Vary", "Accept-Encoding")
		if q := acceptQ(r.Header.Get("Accept-Encoding"), enc.name); q > chosenQ {
			if chosen != nil {
				chosen.Close()
			}
			chosen, chosenInfo, chosenEncoding, chosenQ = f, info, enc.name, q
		} else {
			f.Close()
		}
	}
	if chosen == nil {
		return false
	}
	defer chosen.Close()
	contentType := mime.TypeByExtension(path.Ext(name))
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Encoding", chosenEncoding)
	http.ServeContent(w, r, name, chosenInfo.ModTime(), chosen)
	return true
}

// acceptQ is the weight an Accept-Encoding header gives to coding (RFC 9110 §12.5.3): 0 when
// it is absent or refused; "*" stands for the codings it does not name.
func acceptQ(header, coding string) float64 {
	wildcard := 0.0
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		weight := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				weight = f
			}
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case coding:
			return weight
		case "*":
			wildcard = weight
		}
	}
	return wildcard
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
