//go:build !js

package e2e

import "testing"

// withStartRetry is ours alone: start() against a server that refuses its first attempts.
func TestStartRetry(t *testing.T) {
	p := openPage(t, "/test/page.html?client=ours", "window.signalR !== undefined")
	expectRecord(t, p, `(async () => {
		const key = () => Math.random().toString(36).slice(2);
		const build = (url, retry) => {
			const b = new signalR.HubConnectionBuilder().withUrl(url).configureLogging(signalR.LogLevel.None);
			return (retry === undefined ? b : b.withStartRetry(retry)).build();
		};
		const outcome = (p) => p.then(() => "connected", (e) => e.constructor.name + ": " + e.message);
		const r = {};

		// Two refusals, then the server is back: start() resolves.
		const contexts = [];
		const c = build("/testhub?refuseFirst=2&refuseKey=" + key(), {
			nextRetryDelayInMilliseconds(ctx) {
				contexts.push([ctx.previousRetryCount, ctx.retryReason.message]);
				return 0;
			},
		});
		const closes = [];
		c.onclose((e) => closes.push(e));
		const started = outcome(c.start());
		r.whileRetrying = c.state;
		r.recovers = await started;
		r.state = c.state;
		r.contexts = contexts;
		r.echo = await c.invoke("Echo", "up");
		await c.stop();
		r.closes = closes.length;

		// The policy gives up: start() rejects with the last error; no onclose, as for any failed start.
		const d = build("/testhub?refuseFirst=5&refuseKey=" + key(), [0, 0]);
		d.onclose(() => closes.push("d"));
		r.givesUp = await outcome(d.start());
		r.givesUpState = d.state;
		r.givesUpCloses = closes.length;

		// stop() during a wait ends the start.
		let asked;
		const inWait = new Promise((resolve) => { asked = resolve; });
		const e = build("/testhub?refuseFirst=5&refuseKey=" + key(), { nextRetryDelayInMilliseconds() { asked(); return 60000; } });
		const waiting = outcome(e.start());
		await inWait; // the policy has answered: the start is in its 60 s wait
		r.stopWhileWaiting = await outcome(e.stop());
		r.stoppedStart = await waiting;
		r.stoppedState = e.state;

		// Without withStartRetry, the first refusal fails start() as in signalr.js.
		r.withoutRetry = await outcome(build("/testhub?refuseFirst=1&refuseKey=" + key()).start());
		return r;
	})()`, map[string]any{
		"whileRetrying": "Connecting",
		"recovers":      "connected",
		"state":         "Connected",
		"contexts": []any{
			[]any{0.0, "Failed to complete negotiation with the server: Error: Service Unavailable: Status code '503'"},
			[]any{1.0, "Failed to complete negotiation with the server: Error: Service Unavailable: Status code '503'"},
		},
		"echo":             "up",
		"closes":           1.0,
		"givesUp":          "FailedToNegotiateWithServerError: Failed to complete negotiation with the server: Error: Service Unavailable: Status code '503'",
		"givesUpState":     "Disconnected",
		"givesUpCloses":    1.0,
		"stopWhileWaiting": "connected",
		"stoppedStart":     "AbortError: The connection was stopped before the hub handshake could complete.",
		"stoppedState":     "Disconnected",
		"withoutRetry":     "FailedToNegotiateWithServerError: Failed to complete negotiation with the server: Error: Service Unavailable: Status code '503'",
	})
}
