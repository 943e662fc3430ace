//go:build !js

package e2e

import "testing"

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
