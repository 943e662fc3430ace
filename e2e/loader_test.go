//go:build !js

package e2e

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// The loader is ours alone: signalr.js has no wasm to find. These run our client only.

const echoOnce = `(async () => {
	const c = new signalR.HubConnectionBuilder().withUrl("/testhub").configureLogging(signalR.LogLevel.None).build();
	try {
		await c.start();
		const echoed = await c.invoke("Echo", "loaded");
		await c.stop();
		return { echoed };
	} catch (e) {
		return { error: e.constructor.name, message: e.message };
	}
})()`

func TestLoaderFindsWasmBesideScript(t *testing.T) {
	p := openPage(t, "/test/page.html?client=ours", "window.signalR !== undefined")
	expectRecord(t, p, echoOnce, map[string]any{"echoed": "loaded"})
}

// Under a Content-Security-Policy without 'unsafe-eval' (web/test/csp.html) the client runs,
// and where the policy refuses the facade's new Function (engineFault), the error texts stay
// the V8 words Go knows, in Chromium the engine's own.
func TestStrictContentSecurityPolicy(t *testing.T) {
	p := openPage(t, "/test/csp.html", "window.cspRecord !== undefined")
	var record map[string]any
	p.eval("window.cspRecord", &record)
	want := map[string]any{
		"echoed":        "under a CSP",
		"negotiateNull": "Failed to complete negotiation with the server: TypeError: Cannot read properties of null (reading 'negotiateVersion')",
		"evalRefused":   true,
	}
	for _, d := range differences("record", want, record) {
		t.Error(d)
	}
	if ex := p.uncaught(); len(ex) > 0 {
		t.Errorf("uncaught exceptions: %q", ex)
	}
}

// The minified copy finds the wasm beside itself as the full script does.
func TestLoaderMinifiedScript(t *testing.T) {
	p := openPage(t, "/test/page.html?client=min", "window.signalR !== undefined")
	var src string
	p.eval(`document.querySelector("script[src*=signalr]").src`, &src)
	if !strings.HasSuffix(src, "/dist/browser/signalr.min.js") {
		t.Fatalf("the page loaded %s", src)
	}
	expectRecord(t, p, echoOnce, map[string]any{"echoed": "loaded"})
}

// A server that sends signalr.wasm as application/octet-stream defeats streaming compile; the
// loader falls back to compiling the bytes.
func TestLoaderWrongMIMEType(t *testing.T) {
	p := openPage(t, "/test/page.html?client=ours&wasmURL=/wrongmime/dist/browser/signalr.wasm", "window.signalR !== undefined")
	var contentType string
	p.eval(`fetch("/wrongmime/dist/browser/signalr.wasm").then((r) => r.headers.get("Content-Type"))`, &contentType)
	if contentType != "application/octet-stream" {
		t.Fatalf("the test server sent %q: this test would not test the fallback", contentType)
	}
	expectRecord(t, p, echoOnce, map[string]any{"echoed": "loaded"})
}

// A wasm that cannot be loaded fails start() with a clear error and nothing else on the page.
func TestLoaderMissingWasm(t *testing.T) {
	p := openPage(t, "/test/page.html?client=ours&wasmURL=/nothing-here/signalr.wasm", "window.signalR !== undefined")
	expectRecord(t, p, echoOnce, map[string]any{
		"error":   "Error",
		"message": "Failed to load signalr.wasm from '" + baseURL + "/nothing-here/signalr.wasm': 404 Not Found",
	})
	var state string
	p.eval(`(async () => {
		const c = new signalR.HubConnectionBuilder().withUrl("/testhub").build();
		await c.stop();
		return c.state;
	})()`, &state)
	if state != "Disconnected" {
		t.Errorf("stop() of a connection whose module never loaded left it %q", state)
	}
}

// Calls made before the module has arrived wait for it, in order: the page sees the states
// signalr.js shows at once.
func TestCallsBeforeModuleArrives(t *testing.T) {
	p := openPage(t, "/test/page.html?client=ours", "window.signalR !== undefined")
	expectRecord(t, p, `(async () => {
		const c = new signalR.HubConnectionBuilder().withUrl("/testhub").configureLogging(signalR.LogLevel.None).build();
		const got = [];
		c.on("hit", (x) => { got.push(x); });
		const states = [c.state];
		let threw = "nothing";
		try { c.send("Echo", 10n); } catch (e) { threw = e.constructor.name + ": " + e.message; }
		const started = c.start();
		states.push(c.state);
		const sent = c.send("SendToCaller", "hit", 1).then(() => "ok", (e) => e.message);
		const invoked = c.invoke("Echo", 2).then((v) => v, (e) => e.message);
		await started;
		states.push(c.state);
		const r = { states, threw, sent: await sent, invoked: await invoked };
		await c.invoke("Echo", "sync");
		r.got = got;
		await c.stop();
		return r;
	})()`, map[string]any{
		"states": []any{"Disconnected", "Connecting", "Connected"},
		// As in signalr.js, an argument JSON cannot take throws at once.
		"threw": "TypeError: Do not know how to serialize a BigInt",
		// As in signalr.js, send and invoke before start() has finished fail.
		"sent":    "Cannot send data if the connection is not in the 'Connected' State.",
		"invoked": "Cannot send data if the connection is not in the 'Connected' State.",
		"got":     []any{},
	})
}

func expectRecord(t *testing.T, p *page, script string, want map[string]any) {
	t.Helper()
	var got map[string]any
	p.eval(script, &got)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %s\nwant %s", show(got), show(want))
	}
	if ex := p.uncaught(); len(ex) > 0 {
		t.Errorf("uncaught exceptions: %q", ex)
	}
}

// The script adds signalR to the global object and nothing else, the module adds nothing (Go's
// wasm_exec.js would add Go, fs, process and path), and a page's own process, fs, path and Go
// stay as they were: in a page and in a worker.
func TestLoaderGlobals(t *testing.T) {
	script, module := "/dist/browser/signalr.js", "/dist/browser/signalr.mjs"
	for _, tc := range []struct {
		name, run string
		added     []any
	}{
		{"script", `globalsAfterLoading("` + script + `", false)`, []any{"signalR"}},
		{"script, page's own globals", `globalsAfterLoading("` + script + `", true)`, []any{"signalR"}},
		{"minified script", `globalsAfterLoading("/dist/browser/signalr.min.js", false)`, []any{"signalR"}},
		{"module", `globalsAfterLoading("` + module + `", false)`, []any{}},
		{"module, page's own globals", `globalsAfterLoading("` + module + `", true)`, []any{}},
		{"classic worker", inWorker(`"/test/globals.js?client=` + script + `"`), []any{"signalR"}},
		{"classic worker, own globals", inWorker(`"/test/globals.js?own&client=` + script + `"`), []any{"signalR"}},
		{"module worker", inWorker(`"/test/globals.js?client=` + module + `", { type: "module" }`), []any{}},
		{"module worker, own globals", inWorker(`"/test/globals.js?own&client=` + module + `", { type: "module" }`), []any{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := openPage(t, "/test/globals.html", "window.globalsAfterLoading !== undefined")
			expectRecord(t, p, tc.run, map[string]any{"echoed": "loaded", "added": tc.added, "removed": []any{}, "changed": []any{}})
		})
	}
}

func inWorker(args string) string {
	return `new Promise((resolve) => {
		const w = new Worker(` + args + `);
		w.onmessage = (e) => resolve(e.data);
		w.onerror = (e) => resolve({ error: e.message });
	})`
}

// The test server sends the precompressed wasm, as a production server should: the page's
// fetch of signalr.wasm carried the brotli copy's bytes, with Content-Encoding: br and the
// wasm's own type (which streaming compilation needs).
func TestLoaderGetsBrotliWasm(t *testing.T) {
	p := openPage(t, "/test/page.html?client=ours", "window.signalR !== undefined")
	expectRecord(t, p, echoOnce, map[string]any{"echoed": "loaded"})
	var got map[string]any
	p.eval(`(async () => {
		const url = new URL("/dist/browser/signalr.wasm", location.href).href;
		const [entry] = performance.getEntriesByName(url);
		const r = await fetch(url, { cache: "no-store" });
		return {
			loaderTransferred: entry.encodedBodySize, loaderDecoded: entry.decodedBodySize,
			contentEncoding: r.headers.get("Content-Encoding"), contentType: r.headers.get("Content-Type"),
			vary: r.headers.get("Vary"), decoded: (await r.arrayBuffer()).byteLength,
		};
	})()`, &got)
	br, raw := fileSize(t, "../dist/browser/signalr.wasm.br"), fileSize(t, "../dist/browser/signalr.wasm")
	want := map[string]any{
		"loaderTransferred": br, "loaderDecoded": raw,
		"contentEncoding": "br", "contentType": "application/wasm", "vary": "Accept-Encoding", "decoded": raw,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %s\nwant %s", show(got), show(want))
	}
}

func fileSize(t *testing.T, name string) float64 {
	t.Helper()
	info, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	return float64(info.Size())
}
