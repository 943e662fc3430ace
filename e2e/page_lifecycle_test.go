//go:build !js

package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// Beyond signalr.js (ours only): the tab's Web Lock and the page-lifecycle retries.

// until polls fn (an async function returning a value) until it returns want or 10 s pass,
// and resolves with its last value: lock grants and releases are asynchronous.
const pollHelpers = `
const until = async (fn, want) => {
	let v;
	for (let i = 0; i < 200; i++) {
		v = await fn();
		if (v === want) return v;
		await new Promise((r) => setTimeout(r, 50));
	}
	return v;
};
const held = async () => (await navigator.locks.query()).held.filter((l) => l.name === "signalr-wasm").length;
const build = (b) => b.withUrl("/testhub").configureLogging(signalR.LogLevel.None).build();
`

func TestTabLock(t *testing.T) {
	p := openPage(t, "/test/page.html?client=ours", "window.signalR !== undefined")
	expectRecord(t, p, `(async () => {`+pollHelpers+`
		const r = {};
		const c = build(new signalR.HubConnectionBuilder().withAutomaticReconnect([0]));
		r.beforeStart = await held();
		await c.start();
		r.connected = await until(held, 1);
		const reconnected = new Promise((resolve) => c.onreconnected(resolve));
		let whileReconnecting;
		c.onreconnecting(() => { whileReconnecting = held(); });
		await c.invoke("Abort").catch(() => {});
		r.reconnecting = await whileReconnecting;
		await reconnected;
		r.reconnected = await held();
		await c.stop();
		r.stopped = await until(held, 0);

		await c.start();
		r.restarted = await until(held, 1);
		const closed = new Promise((resolve) => c.onclose(resolve));
		c.invoke("CloseConnection", "", false).catch(() => {});
		await closed;
		r.closedByServer = await until(held, 0);

		const two = [build(new signalR.HubConnectionBuilder()), build(new signalR.HubConnectionBuilder())];
		await Promise.all(two.map((x) => x.start()));
		r.twoConnections = await until(held, 2);
		await two[0].stop();
		r.oneLeft = await until(held, 1);
		await two[1].stop();

		const off = build(new signalR.HubConnectionBuilder().withTabKeepAlive(false));
		await off.start();
		r.turnedOff = await held();
		await off.stop();
		return r;
	})()`, map[string]any{
		"beforeStart": 0.0, "connected": 1.0, "reconnecting": 1.0, "reconnected": 1.0, "stopped": 0.0,
		"restarted": 1.0, "closedByServer": 0.0, "twoConnections": 2.0, "oneLeft": 1.0, "turnedOff": 0.0,
	})
}

// While reconnecting, the network coming back, the tab becoming visible or a frozen page
// resuming ends the wait: the next attempt starts at once instead of after the policy's delay.
func TestPageEventsCutReconnectWait(t *testing.T) {
	for _, tc := range []struct{ name, dispatch string }{
		{"online", `window.dispatchEvent(new Event("online"))`},
		{"visibilitychange", `document.dispatchEvent(new Event("visibilitychange"))`},
		{"resume", `document.dispatchEvent(new Event("resume"))`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := openPage(t, "/test/page.html?client=ours", "window.signalR !== undefined")
			expectRecord(t, p, `(async () => {`+pollHelpers+`
				let asked;
				const inWait = new Promise((resolve) => { asked = resolve; });
				const c = build(new signalR.HubConnectionBuilder().withAutomaticReconnect({
					nextRetryDelayInMilliseconds() { asked(); return 60000; },
				}));
				await c.start();
				const reconnected = new Promise((resolve) => c.onreconnected(() => resolve("reconnected")));
				await c.invoke("Abort").catch(() => {});
				const r = { visible: document.visibilityState, waiting: c.state };
				await inWait; // the policy has answered: the client is in its 60 s wait
				`+tc.dispatch+`;
				r.outcome = await reconnected;
				r.state = c.state;
				await c.stop();
				return r;
			})()`, map[string]any{"visible": "visible", "waiting": "Reconnecting", "outcome": "reconnected", "state": "Connected"})
		})
	}
}

// A connection the page drops is freed (issue 12): 1,000 connections built, started, stopped
// and dropped leave no Go core and no Go function behind, and the wasm memory stops growing
// after the first hundred. gc() (--expose-gc) collects the dropped HubConnections; their
// cores go when the FinalizationRegistry has run, which the page waits for.
func TestDroppedConnectionsAreFreed(t *testing.T) {
	gcBrowser, cancel, err := newBrowser(chromiumPath, chromedp.Flag("js-flags", "--expose-gc"))
	if err != nil {
		t.Fatal(err)
	}
	defer cancel()
	p := openIn(t, gcBrowser, baseURL+"/test/page.html?client=ours&protocol=messagepack&testHooks=1", "window.signalR !== undefined")
	type counters struct{ Connections, Cores, Funcs, Memory float64 }
	var samples []counters
	p.eval(`(async () => {
		const cycle = async () => {
			const c = new signalR.HubConnectionBuilder().withUrl("/testhub")
				.withHubProtocol(new signalR.protocols.msgpack.MessagePackHubProtocol())
				.configureLogging(signalR.LogLevel.None).build();
			c.on("Receive", () => c.state);
			c.onclose(() => c.state);
			await c.start();
			await c.invoke("Echo", "x");
			await c.stop();
		};
		// Collected objects' FinalizationRegistry callbacks run in later tasks.
		const collected = async () => {
			let n;
			for (let i = 0; i < 100; i++) {
				gc();
				await new Promise((r) => setTimeout(r, 0));
				n = signalRWasmCounters();
				if (n.cores === 0) break;
			}
			return n;
		};
		const samples = [];
		for (let done = 0; done < 1000;) {
			for (let i = 0; i < 100; i++, done++) await cycle();
			const n = await collected();
			samples.push({ connections: done, cores: n.cores, funcs: n.funcs, memory: n.memory });
		}
		return samples;
	})()`, &samples)
	for _, s := range samples {
		t.Logf("after %4.0f connections: %2.0f Go cores, %3.0f Go functions, wasm memory %.2f MiB", s.Connections, s.Cores, s.Funcs, s.Memory/(1<<20))
	}
	// A leak is some kilobytes and a dozen functions per connection (900 after the first hundred).
	first := samples[0]
	for _, s := range samples {
		if s.Cores != 0 {
			t.Errorf("after %.0f connections, %.0f Go cores are left", s.Connections, s.Cores)
		}
		if s.Funcs > first.Funcs {
			t.Errorf("after %.0f connections, %.0f Go functions are live, %.0f after the first hundred", s.Connections, s.Funcs, first.Funcs)
		}
		if s.Memory > first.Memory+1<<20 {
			t.Errorf("after %.0f connections, the wasm memory is %.2f MiB, %.2f MiB after the first hundred", s.Connections, s.Memory/(1<<20), first.Memory/(1<<20))
		}
	}
}
