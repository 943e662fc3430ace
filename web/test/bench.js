"use strict";

// Benchmarks, run by `make bench` with both clients in one browser: each returns what it
// measured, and the Go side prints the two clients side by side. `messages` is how many
// messages a benchmark moved in all (warm-up, start and stop included), for the main-thread
// CPU per message that the Go side reads from the browser.
//
// The receiving and sending benchmarks measure a page's first burst, and the same burst
// again on that page ("again", "the third burst"): V8 runs code with its baseline compilers
// first (for wasm, Liftoff) and optimises a function in the background only once it has run
// a while, so a fresh page's first thousands of messages measure mostly baseline code, and
// the later bursts optimised code.

const payload = { user: "alice", message: "hello, this is a chat message of ordinary length", n: 42 };

// cpuMark(messages) marks where a benchmark's last burst begins, after `messages` messages:
// in Chromium the Go side reads the page's main-thread time there (a CDP binding, benchCPU,
// which calls benchCPUDone once it has), for the main-thread CPU of that burst alone; a
// browser without the binding goes on at once.
function cpuMark(messages) {
    if (typeof window.benchCPU !== "function") {
        return Promise.resolve();
    }
    return new Promise((resolve) => {
        window.benchCPUDone = resolve;
        window.benchCPU(String(messages));
    });
}

// newBuilder (scenarios.js) picks the protocol the page was opened with.
function quiet(url = "/testhub") {
    return newBuilder().withUrl(url).configureLogging(signalR.LogLevel.None).build();
}

// The test server sends a burst of hub messages as ASP.NET Core does: what the hub wrote while
// its last frame was being sent leaves as one frame. With ?frameEach=1 it sends each message
// in a frame of its own, as some other servers do: each message is then a browser event,
// whose price both clients pay.
const frameEach = { url: "/testhub?frameEach=1", label: ", a frame each" };

window.benchmarks = {
    // From the first build() to start() resolved: for ours, loading and compiling the wasm too.
    async coldStart() {
        const t0 = performance.now();
        const c = quiet();
        await c.start();
        const ms = performance.now() - t0;
        await c.stop();
        return { "cold start (ms)": ms };
    },

    async connect() {
        await window.benchmarks.coldStart(); // warm
        const n = 20;
        const t0 = performance.now();
        for (let i = 0; i < n; i++) {
            const c = quiet();
            await c.start();
            await c.stop();
        }
        return { "start + stop (ms)": (performance.now() - t0) / n };
    },

    async invoke() {
        const c = quiet();
        await c.start();
        for (let i = 0; i < 200; i++) {
            await c.invoke("Echo", payload); // warm up
        }
        const n = 3000;
        const sequentially = async () => {
            const t0 = performance.now();
            for (let i = 0; i < n; i++) {
                await c.invoke("Echo", payload);
            }
            return (performance.now() - t0) / n;
        };
        const sequential = await sequentially();
        const concurrent = [];
        for (let burst = 0; burst < 3; burst++) {
            const t1 = performance.now();
            await Promise.all(Array.from({ length: n }, () => c.invoke("Echo", payload)));
            concurrent.push((performance.now() - t1) / n);
        }
        // After the 12,200 invokes above, the page runs optimised code; on a fresh page the
        // browser is still optimising in the background, on this machine's two cores while
        // the round trip needs the browser's network process and the server too.
        await cpuMark(2 * (200 + 4 * n));
        const sequentialAgain = await sequentially();
        await c.stop();
        return {
            "invoke, sequential (µs)": sequential * 1000,
            "invoke, sequential, after the bursts (µs)": sequentialAgain * 1000,
            "invoke, 3000 concurrent (µs each)": concurrent[0] * 1000,
            "invoke, 3000 concurrent, the third burst (µs each)": concurrent[2] * 1000,
            messages: 2 * (200 + 5 * n),
        };
    },

    // 5000 send("Add", i, 1) in one loop, then one invoke, whose result arrives after the
    // server has read every send.
    async sendBurst() {
        const c = quiet();
        await c.start();
        await c.invoke("Add", 0, 1); // warm up
        const n = 5000;
        const bursts = [];
        for (let burst = 0; burst < 3; burst++) {
            if (burst === 2) {
                await cpuMark(2 + 2 * (n + 2));
            }
            const t0 = performance.now();
            for (let i = 0; i < n; i++) {
                c.send("Add", i, 1);
            }
            const looped = performance.now();
            // Both clients send a turn's sends in a microtask queued by the first: awaiting one
            // queued after it waits for them to leave, and not for the server.
            await null;
            const sent = performance.now();
            await c.invoke("Add", n, 1);
            bursts.push({ all: performance.now() - t0, loop: looped - t0, sending: sent - looped });
        }
        await c.stop();
        const [first, , third] = bursts;
        return {
            "send burst: 5000 sends, 1 invoke (µs each)": first.all * 1000 / n,
            "send burst: the loop of send() calls (µs each)": first.loop * 1000 / n,
            "send burst: sending the turn's calls (µs each)": first.sending * 1000 / n,
            "send burst, the third: 5000 sends, 1 invoke (µs each)": third.all * 1000 / n,
            "send burst, the third: sending the turn's calls (µs each)": third.sending * 1000 / n,
            messages: 3 * (n + 2) + 2,
        };
    },

    // A server-to-client stream of 20000 small items.
    streamReceive: () => streamReceive(),
    streamReceiveFrameEach: () => streamReceive(frameEach),
    // A burst of 20000 invocations of a client method (SendMany).
    receive: () => receive(),
    receiveFrameEach: () => receive(frameEach),
};

async function streamReceive({ url, label } = { label: "" }) {
    const c = quiet(url);
    await c.start();
    const n = 20000;
    const ms = await twoBursts(n + 2, () => new Promise((resolve, reject) => {
        c.stream("Counter", n, 0).subscribe({ next() {}, complete: resolve, error: reject });
    }));
    await c.stop();
    return perMessage(`receive a stream of 20000 items${label}`, ms, n, 2 * (n + 2));
}

async function receive({ url, label } = { label: "" }) {
    const c = quiet(url);
    const n = 20000;
    let got = 0;
    let done;
    c.on("item", (i, p) => {
        if (p.n === 42 && ++got === n) {
            done();
        }
    });
    await c.start();
    const ms = await twoBursts(n + 1, async () => {
        got = 0;
        const all = new Promise((resolve) => { done = resolve; });
        await c.send("SendMany", "item", n, payload);
        await all;
    });
    await c.stop();
    return perMessage(`receive a burst of 20000 invocations${label}`, ms, n, 2 * (n + 1));
}

// twoBursts times burst() twice on one page, in ms, marking where the second begins, after
// `before` messages.
async function twoBursts(before, burst) {
    const ms = [];
    for (let i = 0; i < 2; i++) {
        if (i === 1) {
            await cpuMark(before);
        }
        const t0 = performance.now();
        await burst();
        ms.push(performance.now() - t0);
    }
    return ms;
}

// perMessage is what a receiving benchmark returns: each burst's µs per message of its n.
function perMessage(name, [first, second], n, messages) {
    return {
        [`${name} (µs each)`]: first * 1000 / n,
        [`${name}, again (µs each)`]: second * 1000 / n,
        messages,
    };
}
