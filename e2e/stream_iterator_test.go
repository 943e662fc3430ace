//go:build !js

package e2e

import "testing"

// `for await` over connection.stream(...) is ours alone (signalr.js's streams have only
// subscribe, whose behaviour the scenarios compare): over JSON and MessagePack, with the
// script tag and the ES module. The page's scenarios.js gives connect, collect and describeError.
func TestStreamIteration(t *testing.T) {
	for _, protocol := range []string{"json", "messagepack"} {
		for _, client := range []string{"ours", "esm"} {
			t.Run(protocol+"/"+client, func(t *testing.T) {
				t.Parallel()
				p := openPage(t, "/test/page.html?client="+client+"&protocol="+protocol, "window.scenarios !== undefined && window.signalR !== undefined")
				expectRecord(t, p, streamIterationScript, streamIterationWant)
			})
		}
	}
}

const streamIterationScript = `(async () => {
	const c = connect();
	await c.start();
	const r = {};
	const iterate = async (stream, body = () => {}) => {
		const items = [];
		try {
			for await (const item of stream) {
				items.push(item);
				if (await body(item) === "break") {
					break;
				}
			}
			return { items, ended: "done" };
		} catch (e) {
			return { items, ended: describeError(e) };
		}
	};

	r.complete = await iterate(c.stream("Counter", 5, 0));
	r.values = await iterate(c.stream("StreamThenFail", [1, "two", { three: [3] }, null], "boom", false));

	// The loop throws what subscribe's error receives, the same Error.
	const failing = (bySubscribe) => {
		const stream = c.stream("StreamThenFail", ["x"], "hub boom", true);
		return bySubscribe ? collect(stream) : iterate(stream);
	};
	const [subscribed, iterated] = await Promise.all([failing(true), failing(false)]);
	r.serverError = iterated;
	r.sameAsSubscribe = JSON.stringify(subscribed.error) === JSON.stringify(iterated.ended);
	r.failsAtOnce = await iterate(c.stream("StreamFailsAtOnce", "nope"));

	// Leaving the loop early cancels the stream on the server: break, return, a throw.
	r.afterBreak = await iterate(c.stream("Counter", 1000, 20), (x) => x === 2 && "break");
	r.canceledAfterBreak = await c.invoke("WaitCanceledStreams", 1);
	const returns = async () => {
		for await (const item of c.stream("Counter", 1000, 20)) {
			return item;
		}
	};
	r.returned = await returns();
	r.canceledAfterReturn = await c.invoke("WaitCanceledStreams", 2);
	r.thrown = await iterate(c.stream("Counter", 1000, 20), () => { throw new Error("loop body broke"); });
	r.canceledAfterThrow = await c.invoke("WaitCanceledStreams", 3);

	// Items arrive faster than the loop reads them (a round trip per item): none is lost.
	const burst = await iterate(c.stream("Counter", 200, 0), (x) => c.invoke("Echo", x));
	r.burst = { count: burst.items.length, inOrder: burst.items.every((x, i) => x === i), ended: burst.ended };

	// Two next() calls at once get the first two items; subscribe beside a loop sees them all.
	const stream = c.stream("Counter", 3, 0);
	const beside = collect(stream);
	const it = stream[Symbol.asyncIterator]();
	r.concurrentNext = await Promise.all([it.next(), it.next(), it.next(), it.next()]);
	r.besideLoop = await beside;
	r.canceledInAll = await c.invoke("CanceledStreams");

	// The connection stopping ends the loop with the stream's error.
	const live = iterate(c.stream("Counter", 1000, 20), (x) => x === 1 && c.stop());
	r.stopped = (await live).ended;
	r.state = c.state;
	r.logs = c.logger.lines;
	return r;
})()`

var streamIterationWant = map[string]any{
	"complete": map[string]any{"items": []any{0.0, 1.0, 2.0, 3.0, 4.0}, "ended": "done"},
	"values": map[string]any{
		"items": []any{1.0, "two", map[string]any{"three": []any{3.0}}, nil},
		"ended": map[string]any{"error": "Error", "message": "An error occurred on the server while streaming results. Exception: boom"},
	},
	"serverError": map[string]any{
		"items": []any{"x"},
		"ended": map[string]any{"error": "Error", "message": "An error occurred on the server while streaming results. HubException: hub boom"},
	},
	"sameAsSubscribe": true,
	"failsAtOnce": map[string]any{
		"items": []any{},
		"ended": map[string]any{"error": "Error", "message": "An unexpected error occurred invoking 'StreamFailsAtOnce' on the server. HubException: nope"},
	},
	"afterBreak":          map[string]any{"items": []any{0.0, 1.0, 2.0}, "ended": "done"},
	"canceledAfterBreak":  1.0,
	"returned":            0.0,
	"canceledAfterReturn": 2.0,
	"thrown": map[string]any{
		"items": []any{0.0},
		"ended": map[string]any{"error": "Error", "message": "loop body broke"},
	},
	"canceledAfterThrow": 3.0,
	"burst":              map[string]any{"count": 200.0, "inOrder": true, "ended": "done"},
	"concurrentNext": []any{
		map[string]any{"value": 0.0, "done": false},
		map[string]any{"value": 1.0, "done": false},
		map[string]any{"value": 2.0, "done": false},
		map[string]any{"done": true},
	},
	"besideLoop":    map[string]any{"items": []any{0.0, 1.0, 2.0}, "complete": true},
	"canceledInAll": 3.0,
	"stopped":       map[string]any{"error": "Error", "message": "Invocation canceled due to the underlying connection being closed."},
	"state":         "Disconnected",
	"logs":          []any{},
}
