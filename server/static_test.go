package server_test

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/signalr-wasm/signalr-wasm/server"
)

// A file with precompressed copies is served as the copy the request accepts, with the
// original's type; files without copies are served as they are.
func TestStaticPrecompressed(t *testing.T) {
	dir := t.TempDir()
	for name, body := range map[string]string{
		"m.wasm": "raw wasm", "m.wasm.br": "brotli wasm", "m.wasm.gz": "gzip wasm",
		"s.js": "raw js", "s.js.gz": "gzip js",
		"plain.js": "plain js",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	url := newServer(t, server.Options{Static: []server.StaticDir{{Prefix: "/dist/", Dir: dir}}})
	wrongType := newServer(t, server.Options{Static: []server.StaticDir{{Prefix: "/dist/", Dir: dir, ContentType: "application/octet-stream"}}})

	for _, tc := range []struct {
		base, path, accept                string
		body, contentType, encoding, vary string
	}{
		{url, "/dist/m.wasm", "gzip, deflate, br, zstd", "brotli wasm", "application/wasm", "br", "Accept-Encoding"},
		{url, "/dist/m.wasm", "gzip", "gzip wasm", "application/wasm", "gzip", "Accept-Encoding"},
		{url, "/dist/m.wasm", "br;q=0.5, gzip", "gzip wasm", "application/wasm", "gzip", "Accept-Encoding"},
		{url, "/dist/m.wasm", "*", "brotli wasm", "application/wasm", "br", "Accept-Encoding"},
		{url, "/dist/m.wasm", "br;q=0, *;q=0.1", "gzip wasm", "application/wasm", "gzip", "Accept-Encoding"},
		{url, "/dist/m.wasm", "", "raw wasm", "application/wasm", "", "Accept-Encoding"},
		{url, "/dist/m.wasm", "identity", "raw wasm", "application/wasm", "", "Accept-Encoding"},
		{url, "/dist/s.js", "br, gzip", "gzip js", "text/javascript; charset=utf-8", "gzip", "Accept-Encoding"},
		{url, "/dist/plain.js", "br, gzip", "plain js", "text/javascript; charset=utf-8", "", ""},
		{wrongType, "/dist/m.wasm", "br", "brotli wasm", "application/octet-stream", "br", "Accept-Encoding"},
	} {
		req, err := http.NewRequest(http.MethodGet, tc.base+tc.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		// Set explicitly, Go's client neither adds gzip nor decodes the body.
		req.Header.Set("Accept-Encoding", tc.accept)
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		got := [4]string{string(body), resp.Header.Get("Content-Type"), resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary")}
		if want := [4]string{tc.body, tc.contentType, tc.encoding, tc.vary}; got != want || resp.StatusCode != http.StatusOK {
			t.Errorf("%s with Accept-Encoding %q: %d %q, want %q", tc.path, tc.accept, resp.StatusCode, got, want)
		}
	}
}
