//go:build !js

package e2e

import (
	"cmp"
	"compress/gzip"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/signalr-wasm/signalr-wasm/server"
	"github.com/signalr-wasm/signalr-wasm/server/hubs"
)

// TestColdStart is what a first-time visitor waits for: web/test/coldstart.html, from the
// navigation to start() resolved, each run in a fresh browser context (an empty cache, no
// compiled code kept), signalr.js and ours alternating, against one server that sends
// precompressed files (our signalr.min.js and signalr.wasm as brotli, signalr.js's
// signalr.min.js as gzip). It prints the medians of each phase; `make bench` runs it. Beside
// them runs Go's floor (coldstart-floor.html): a Go wasm that does nothing but start, built as
// ours is, whose "Go ready" no client written in Go can beat.
func TestColdStart(t *testing.T) {
	if os.Getenv("SIGNALR_BENCH") == "" {
		t.Skip("benchmarks run with `make bench`")
	}
	const runs = 7
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	// A dist/ without the precompressed wasm (a build with names copied over it for a
	// profile) would be timed sending 3.5 MB instead of 650 KB.
	if _, err := os.Stat(filepath.Join(root, "dist/browser/signalr.wasm.br")); err != nil {
		t.Fatalf("the cold start needs build.sh's signalr.wasm.br: run ./build.sh (%v)", err)
	}
	official := t.TempDir()
	gzipCopy(t, filepath.Join(root, "node_modules/@microsoft/signalr/dist/browser/signalr.min.js"), official)
	static := []server.StaticDir{
		{Prefix: "/dist/", Dir: filepath.Join(root, "dist")},
		{Prefix: "/official/", Dir: official},
		{Prefix: "/test/", Dir: filepath.Join(root, "web/test")},
	}
	if base := benchBase(); base != "" {
		static = append(static, server.StaticDir{Prefix: "/base/", Dir: base})
	}
	static = append(static, server.StaticDir{Prefix: "/floor/", Dir: buildFloor(t, root)})
	srv := server.New(server.Options{Static: static})
	srv.MapHub("/testhub", hubs.NewTest())
	ts := httptest.NewServer(srv)
	defer ts.Close()

	samples := map[string]map[string][]float64{}
	var phases []string
	for run := 0; run < runs; run++ {
		clients := append(benchClients(run), "floor")
		k := run % len(clients)
		for _, client := range append(clients[k:], clients[:k]...) {
			url := ts.URL + "/test/coldstart.html?client=" + client
			if client == "floor" {
				url = ts.URL + "/test/coldstart-floor.html"
			}
			got := coldStartRun(t, url, fmt.Sprintf("coldstart-%s-%d", client, run))
			if samples[client] == nil {
				samples[client] = map[string][]float64{}
			}
			for phase, ms := range got {
				samples[client][phase] = append(samples[client][phase], ms)
			}
			if client == "ours" && run == 0 {
				phases = coldStartPhases(got)
			}
		}
	}
	fmt.Printf("\ncold start: navigation to start() resolved, empty cache, compressed files, median of %d runs (ms since navigation)\n\n", runs)
	var rows []benchRow
	for _, phase := range phases {
		rows = append(rows, benchRow{name: phase, js: samples["official"][phase], ours: samples["ours"][phase], base: samples["base"][phase], floor: samples["floor"][phase]})
	}
	printBenchTable(28, rows)
	floorReady, connected := median(samples["floor"]["Go ready"]), median(samples["official"]["start() resolved"])
	fmt.Printf("\nGo's floor ready / signalr.js connected: %.2f× (%.1f against %.1f ms)\n\n", floorReady/connected, floorReady, connected)
}

// buildFloor builds e2e/testdata/floor as build.sh builds signalr.wasm (the same overlay, one
// data segment, precompressed) into a folder with Go's wasm_exec.js, which coldstart-floor.html
// loads from /floor/.
func buildFloor(t *testing.T, root string) string {
	t.Helper()
	dir := t.TempDir()
	overlay := strings.TrimSpace(command(t, root, "go", "run", "./wasm/overlay", t.TempDir()))
	wasm := filepath.Join(dir, "floor.wasm")
	command(t, root, "env", "GOOS=js", "GOARCH=wasm", "go", "build", "-trimpath", "-overlay="+overlay, "-ldflags=-s -w", "-o", wasm, "./e2e/testdata/floor")
	command(t, root, "node", "wasm/pack.mjs", wasm)
	goroot := strings.TrimSpace(command(t, root, "go", "env", "GOROOT"))
	data, err := os.ReadFile(filepath.Join(goroot, "lib/wasm/wasm_exec.js"))
	if err == nil {
		err = os.WriteFile(filepath.Join(dir, "wasm_exec.js"), data, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
	command(t, root, "node", "web/compress.js", dir)
	return dir
}

// coldStartRun opens url in a new browser context, so nothing is cached, and returns what
// the page measured; under SIGNALR_PROFILE, with a CPU profile of the page named profile.
func coldStartRun(t *testing.T, url, profile string) map[string]float64 {
	t.Helper()
	ctx, cancel := chromedp.NewContext(sharedBrowser(t), chromedp.WithNewBrowserContext())
	defer cancel()
	// A visitor has no DevTools open: with the Network domain on, as chromedp leaves it, the
	// browser also hands each chunk of every response (the wasm's 650 KB too) to DevTools,
	// which cost ours 60-70 ms of the download here and signalr.js's small script next to
	// nothing.
	_, err := chromedp.Call(ctx, network.Disable, cdp.Empty{})
	stopProfile := startProfile(&page{t: t, ctx: ctx}, profile)
	if err == nil {
		_, err = chromedp.Run(ctx, chromedp.Navigate(url))
	}
	var got map[string]any
	if err == nil {
		got, err = chromedp.Run(ctx, chromedp.Poll[map[string]any]("window.coldStart", chromedp.WithPollingTimeout(time.Minute)))
	}
	stopProfile()
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	out := map[string]float64{}
	for phase, v := range got {
		ms, ok := v.(float64)
		if !ok {
			t.Fatalf("%s: %s", url, show(got))
		}
		out[phase] = ms
	}
	return out
}

// coldStartPhases orders the phases as they happened in one run of ours (which has them all),
// then the sizes.
func coldStartPhases(run map[string]float64) []string {
	var phases []string
	for phase := range run {
		phases = append(phases, phase)
	}
	isSize := func(phase string) int {
		if strings.HasSuffix(phase, "(KB)") {
			return 1
		}
		return 0
	}
	slices.SortFunc(phases, func(a, b string) int {
		return cmp.Or(cmp.Compare(isSize(a), isSize(b)), cmp.Compare(run[a], run[b]))
	})
	return phases
}

func gzipCopy(t *testing.T, file, dir string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(dir, filepath.Base(file))
	out, err := os.Create(base + ".gz")
	if err == nil {
		var zw *gzip.Writer
		zw, err = gzip.NewWriterLevel(out, gzip.BestCompression)
		if err == nil {
			_, err = zw.Write(data)
			err = errors.Join(err, zw.Close())
		}
		err = errors.Join(err, out.Close(), os.WriteFile(base, data, 0o644))
	}
	if err != nil {
		t.Fatal(err)
	}
}
