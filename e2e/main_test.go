//go:build !js

// Package e2e runs the page-level tests: pages that load a client with a plain script tag, in
// headless Chromium, against the Go test server over real sockets. Every scenario runs with
// the official @microsoft/signalr (npm) and with ours: the official run proves that the test
// server speaks real SignalR and that the expectations are real behaviour; ours must then
// match it record for record.
package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/signalr-wasm/signalr-wasm/server"
	"github.com/signalr-wasm/signalr-wasm/server/hubs"
)

var (
	baseURL      string
	chromiumPath string
	appsDir      string
)

// The headless Chromium that the pages share starts at the first page that needs it: a run
// of the WebKit or Firefox tests alone never starts it.
var (
	browserOnce   sync.Once
	browser       context.Context
	browserErr    error
	cancelBrowser = func() {}
)

// sharedBrowser is the shared headless Chromium, started by its first caller.
func sharedBrowser(t *testing.T) context.Context {
	t.Helper()
	browserOnce.Do(func() {
		browser, cancelBrowser, browserErr = newBrowser(chromiumPath)
	})
	if browserErr != nil {
		t.Fatalf("starting chromium: %v", browserErr)
	}
	return browser
}

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	root, err := filepath.Abs("..")
	if err != nil {
		panic(err)
	}
	official := filepath.Join(root, "node_modules/@microsoft/signalr/dist/browser")
	needs := []struct{ path, fix string }{
		{filepath.Join(root, "dist/browser/signalr.js"), "run ./build.sh (or make build)"},
		{filepath.Join(root, "dist/browser/signalr.wasm"), "run ./build.sh (or make build)"},
		{filepath.Join(official, "signalr.js"), "run npm ci"},
	}
	if base := benchBase(); base != "" {
		needs = append(needs, struct{ path, fix string }{filepath.Join(base, "browser/signalr.wasm.br"), "SIGNALR_BENCH_BASE names a dist/ folder that build.sh wrote"})
	}
	for _, need := range needs {
		if _, err := os.Stat(need.path); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: %s is missing: %s\n", need.path, need.fix)
			return 1
		}
	}
	chromium, err := findChromium()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}

	srv := server.New(server.Options{
		DetailedErrors:          true,
		AllowStatefulReconnects: true,
		Static: append(pageAssets(root),
			server.StaticDir{Prefix: "/", Dir: filepath.Join(root, "web/demo")},
			server.StaticDir{Prefix: "/wrongmime/dist/", Dir: filepath.Join(root, "dist"), ContentType: "application/octet-stream"},
		),
	})
	srv.MapHub("/testhub", hubs.NewTest())
	srv.MapHub("/routinghub", hubs.NewTest())
	srv.MapHub("/chathub", hubs.NewChat())
	mux := http.NewServeMux()
	mux.Handle("/", srv)
	mux.HandleFunc("/official-demo/", officialDemo(filepath.Join(root, "web/demo")))
	mux.HandleFunc("POST /firefox/report/{i}", firefoxReport)
	restartable, restartableListener, err := restartableServer()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer restartable.Close()
	// The page finds the server it may restart here: restarting this one would break the
	// scenarios running beside it.
	// The package tests build their sample apps here and the pages load them from /apps/.
	appsDir, err = os.MkdirTemp("", "signalr-apps-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(appsDir)
	mux.Handle("/apps/", server.New(server.Options{Static: []server.StaticDir{{Prefix: "/apps/", Dir: appsDir}}}))
	mux.HandleFunc("/fault/restartable", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(restartable.URL))
	})
	// A page whose restart has shown it what it waited for (a refused connection) brings the
	// restartable server back here, since that server cannot answer while it is down.
	mux.HandleFunc("POST /fault/restartable/up", func(w http.ResponseWriter, r *http.Request) {
		restartableListener.Up()
		w.WriteHeader(http.StatusNoContent)
	})
	ts := httptest.NewServer(mux)
	defer ts.Close()
	baseURL = ts.URL

	chromiumPath = chromium
	defer func() { cancelBrowser() }()
	return m.Run()
}

// pageAssets is what the test pages load: the clients (ours built, the official one and its
// MessagePack add-on from npm, and the benchmarks' base build when there is one) and the
// pages themselves.
func pageAssets(root string) []server.StaticDir {
	assets := []server.StaticDir{
		{Prefix: "/dist/", Dir: filepath.Join(root, "dist")},
		{Prefix: "/official/", Dir: filepath.Join(root, "node_modules/@microsoft/signalr/dist/browser")},
		{Prefix: "/official-msgpack/", Dir: filepath.Join(root, "node_modules/@microsoft/signalr-protocol-msgpack/dist/browser")},
		{Prefix: "/test/", Dir: filepath.Join(root, "web/test")},
	}
	if base := benchBase(); base != "" {
		assets = append(assets, server.StaticDir{Prefix: "/base/", Dir: base})
	}
	return assets
}

// restartableServer is a second test server, on a server.Listener, for the scenarios that
// restart the server (POST /fault/restart); it allows the page's origin by CORS.
func restartableServer() (*httptest.Server, *server.Listener, error) {
	ln, err := server.Listen("127.0.0.1:0")
	if err != nil {
		return nil, nil, err
	}
	srv := server.New(server.Options{DetailedErrors: true, Listener: ln})
	srv.MapHub("/testhub", hubs.NewTest())
	ts := httptest.NewUnstartedServer(srv)
	ts.Listener.Close()
	ts.Listener = ln
	ts.Start()
	return ts, ln, nil
}

// newBrowser starts a headless Chromium, with extra flags for the tests that need their own.
func newBrowser(chromium string, extra ...chromedp.ExecAllocatorOption) (context.Context, func(), error) {
	opts := append([]chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// Pages in background tabs must keep their timers: tests run several tabs at once.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
	}, extra...)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(alloc)
	cancel := func() { cancelBrowser(); cancelAlloc() }
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		return nil, nil, err
	}
	return ctx, cancel, nil
}

func findChromium() (string, error) {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("no chromium on PATH: apt-get install chromium (see .ci/run)")
}

// officialDemo serves the demo with its one script tag pointing at the official client: the
// same page, only the script swapped, as a user would do it the other way round.
func officialDemo(dir string) http.HandlerFunc {
	files := http.StripPrefix("/official-demo", http.FileServer(http.Dir(dir)))
	return func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/official-demo/" && r.URL.Path != "/official-demo/index.html" {
			files.ServeHTTP(w, r)
			return
		}
		page, err := os.ReadFile(filepath.Join(dir, "index.html"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		swapped := strings.Replace(string(page), `src="/dist/browser/signalr.min.js"`, `src="/official/signalr.min.js"`, 1)
		if swapped == string(page) {
			http.Error(w, "the demo no longer loads /dist/browser/signalr.min.js", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(swapped))
	}
}
