//go:build !js

package e2e

import "testing"

// The client works inside Web Workers, as signalr.js does: a classic worker that calls
// importScripts, and a module worker that imports our ES module.
func TestWorkers(t *testing.T) {
	for _, tc := range []struct{ name, create string }{
		{"official classic", `new Worker("/test/worker.js?client=/official/signalr.js")`},
		{"ours classic", `new Worker("/test/worker.js?client=/dist/browser/signalr.js")`},
		{"ours minified classic", `new Worker("/test/worker.js?client=/dist/browser/signalr.min.js")`},
		{"ours module", `new Worker("/test/worker.mjs", { type: "module" })`},
	} {
		t.Run(tc.name, func(t *testing.T) { expectWorker(t, tc.create) })
	}
}

// expectWorker starts the worker that create makes (web/test/worker.js or worker.mjs) and
// checks what it reports: an invoke, a pushed message and a clean stop.
func expectWorker(t *testing.T, create string) {
	t.Helper()
	p := openPage(t, "/test/page.html?client=ours", "true")
	expectRecord(t, p, `new Promise((resolve) => {
		const w = `+create+`;
		w.onmessage = (e) => resolve(e.data);
		w.onerror = (e) => resolve({ error: e.message });
	})`, map[string]any{"echoed": "from a worker", "pushed": "pushed", "state": "Disconnected"})
}
