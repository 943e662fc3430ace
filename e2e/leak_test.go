//go:build !js

package e2e

import "testing"

// Start and stop leave nothing behind in the page (issue 11): after 200 cycles of start,
// invoke, stream and stop, and 20 cycles that lose the connection and reconnect before they
// stop, the open WebSockets, the page's event listeners, the Go functions handed to JS and
// the Web Locks held are what they were after the first cycle. The page counts sockets and
// listeners by wrapping WebSocket and addEventListener before the module starts.
func TestStartStopLeavesNothing(t *testing.T) {
	p := openPage(t, "/test/page.html?client=ours&testHooks=1", "window.signalR !== undefined")
	type counts struct{ Sockets, Listeners, Funcs, Locks float64 }
	var got struct{ First, After counts }
	p.eval(`(async () => {`+pollHelpers+`
		const sockets = new Set();
		const Native = WebSocket;
		globalThis.WebSocket = class extends Native {
			constructor(...args) {
				super(...args);
				sockets.add(this);
				super.addEventListener("close", () => sockets.delete(this));
			}
		};
		let listeners = 0;
		for (const target of [window, document]) {
			const add = target.addEventListener, remove = target.removeEventListener;
			target.addEventListener = function (...args) { listeners++; return add.apply(this, args); };
			target.removeEventListener = function (...args) { listeners--; return remove.apply(this, args); };
		}
		const count = async () => ({
			sockets: await until(async () => [...sockets].filter((s) => s.readyState !== Native.CLOSED).length, 0),
			listeners,
			funcs: signalRWasmCounters().funcs,
			locks: await until(held, 0),
		});
		const cycle = async (drop) => {
			const b = new signalR.HubConnectionBuilder();
			const c = build(drop ? b.withAutomaticReconnect([0]) : b);
			c.on("Receive", () => {});
			c.onclose(() => {});
			await c.start();
			await c.invoke("Echo", "x");
			await new Promise((resolve, reject) => c.stream("Counter", 2, 0).subscribe({ next() {}, complete: resolve, error: reject }));
			if (drop) {
				const reconnected = new Promise((resolve) => c.onreconnected(resolve));
				await c.invoke("Abort").catch(() => {});
				await reconnected;
			}
			await c.stop();
		};
		await cycle(false);
		const first = await count();
		for (let i = 0; i < 200; i++) await cycle(false);
		for (let i = 0; i < 20; i++) await cycle(true);
		return { first, after: await count() };
	})()`, &got)
	t.Logf("after the first cycle: %+v; after 220 more: %+v", got.First, got.After)
	if got.After != got.First {
		t.Errorf("220 start/stop cycles left %+v, the first left %+v", got.After, got.First)
	}
	if got.First.Sockets != 0 || got.First.Locks != 0 {
		t.Errorf("a stopped connection left %+v", got.First)
	}
}
