"use strict";

// The page-level scenarios. Each one uses only the public signalr.js API, against the test
// server, and returns a record of what a page can observe: resolved values, rejection
// classes and messages, states, callback order and arguments, log lines. The e2e tests run
// every scenario once with the official client and once with ours and compare the records,
// and they check the parts that matter against explicit expectations.
//
// Records must not contain what differs between runs (connection ids, times, ports): a
// scenario turns those into booleans or names.

const hub = "/testhub";

// ?protocol=messagepack runs every scenario over MessagePack: the official client then has
// its add-on loaded (page.html), ours has it built in, both at the add-on's global path.
const messagePack = new URLSearchParams(location.search).get("protocol") === "messagepack";

function newBuilder() {
    const builder = new signalR.HubConnectionBuilder();
    return messagePack ? builder.withHubProtocol(new signalR.protocols.msgpack.MessagePackHubProtocol()) : builder;
}

// A logger that keeps what signalr.js logs at Warning and above, the lines pages see in the
// console by default.
function capturingLogger(minLevel = signalR.LogLevel.Warning) {
    const lines = [];
    return {
        lines,
        log(level, message) {
            if (level >= minLevel) {
                lines.push([signalR.LogLevel[level], message.split(location.origin).join("ORIGIN").split(location.host).join("HOST")
                    .replace(/id=[\w-]+/g, "id=ID").replace(/after \d+ ms/, "after N ms")]);
            }
        },
    };
}

function connect(url = hub, options, logger = capturingLogger()) {
    const builder = newBuilder();
    if (options === undefined) {
        builder.withUrl(url);
    } else {
        builder.withUrl(url, options);
    }
    const connection = builder.configureLogging(logger).build();
    connection.logger = logger;
    return connection;
}

function describeError(e) {
    if (!(e instanceof Error)) {
        return { thrown: typeof e, value: String(e) };
    }
    const d = { error: e.constructor.name, message: e.message };
    for (const field of ["statusCode", "errorType", "transport"]) {
        if (e[field] !== undefined) {
            d[field] = e[field];
        }
    }
    if (e.innerErrors !== undefined) {
        d.innerErrors = e.innerErrors.map(describeError);
    }
    return d;
}

async function settle(promise) {
    try {
        const value = await promise;
        return { ok: value === undefined ? "undefined" : value };
    } catch (e) {
        return describeError(e);
    }
}

// settleCall records how a call that returns a Promise fails: some signalr.js calls throw
// before they return one, and pages see that difference.
async function settleCall(fn) {
    let promise;
    try {
        promise = fn();
    } catch (e) {
        return { threw: describeError(e) };
    }
    return settle(promise);
}

function attempt(fn) {
    try {
        const value = fn();
        return { ok: value === undefined ? "undefined" : typeof value === "object" ? value.constructor.name : value };
    } catch (e) {
        return describeError(e);
    }
}

// reconnecting builds a connection with withAutomaticReconnect(policy) that records its
// callbacks in order; c.reconnected and c.closed resolve at the first of each.
function reconnecting(policy, url = hub, configure = (builder) => builder) {
    const logger = capturingLogger(signalR.LogLevel.Information);
    const c = configure(newBuilder()
        .withUrl(url)
        .withAutomaticReconnect(policy)
        .configureLogging(logger))
        .build();
    c.logger = logger;
    c.events = [];
    c.onreconnecting((e) => c.events.push(["reconnecting", e === undefined ? "undefined" : describeError(e), c.state, c.connectionId]));
    c.reconnected = new Promise((resolve) => c.onreconnected((id) => {
        c.events.push(["reconnected", typeof id, id === c.connectionId, c.state]);
        resolve();
    }));
    c.closed = new Promise((resolve) => c.onclose((e) => {
        c.events.push(["close", e === undefined ? "undefined" : describeError(e), c.state]);
        resolve();
    }));
    return c;
}

// afterReconnect waits for c to reconnect, invokes on it, stops it, and adds what it saw to r.
async function afterReconnect(c, r) {
    await c.reconnected;
    r.echo = await settle(c.invoke("Echo", "back"));
    await c.stop();
    r.events = c.events;
    r.logs = c.logger.lines;
    return r;
}

// liveStream starts a long stream on c and waits for its first item (or its end); what
// collect gives for the stream comes in .ended.
async function liveStream(c) {
    let started;
    const first = new Promise((resolve) => { started = resolve; });
    const ended = collect(c.stream("Counter", 1000, 50), started);
    await Promise.race([first, ended]);
    return { ended };
}

// collect subscribes to a stream and resolves with its items and how it ended; onItem, if
// given, is called with each item.
function collect(stream, onItem = () => {}) {
    return new Promise((resolve) => {
        const items = [];
        stream.subscribe({
            next: (item) => { items.push(item); onItem(item); },
            error: (e) => resolve({ items, error: describeError(e) }),
            complete: () => resolve({ items, complete: true }),
        });
    });
}

// next resolves with the arguments of the next call of method on connection.
function next(connection, method) {
    return new Promise((resolve) => {
        const handler = (...args) => {
            connection.off(method, handler);
            resolve(args);
        };
        connection.on(method, handler);
    });
}

// describeValue records a value with what JSON would lose: typed arrays, Dates, undefined
// and non-finite numbers are named.
function describeValue(v) {
    if (v === undefined) {
        return "undefined";
    }
    if (typeof v === "number" && (!Number.isFinite(v) || Object.is(v, -0))) {
        return { number: String(Object.is(v, -0) ? "-0" : v) };
    }
    if (v instanceof Date) {
        return { Date: v.getTime() };
    }
    if (ArrayBuffer.isView(v)) {
        return { [v.constructor.name]: Array.from(v) };
    }
    if (Array.isArray(v)) {
        return v.map(describeValue);
    }
    if (v !== null && typeof v === "object") {
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, describeValue(x)]));
    }
    return v;
}

// digest is a frame's FNV-1a hash, for frames too long to keep in an expected record.
function digest(text) {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    }
    return h >>> 0;
}

// feedFrames has the server send each frame (with sendMethod, "SendRaw" or "SendRawHex") to a
// fresh connection and records whether it survived, or how it closed.
async function feedFrames(sendMethod, frames) {
    const r = {};
    for (const [name, frame] of Object.entries(frames)) {
        const c = connect(hub, undefined, capturingLogger(signalR.LogLevel.Information));
        const onclose = closed(c);
        await c.start();
        await c.send(sendMethod, frame);
        const outcome = await Promise.race([onclose, c.invoke("Echo", "still alive").then((v) => ({ alive: v }))]);
        // A log line's first line only: signalr.js logs some errors with their stack.
        r[name] = { outcome, state: c.state, logs: c.logger.lines.filter(([, m]) => !/^(Using HubProtocol|WebSocket connected|HubConnection connected|Normalizing)/.test(m)).map(([level, m]) => [level, m.split("\n")[0]]) };
        await stopped(c);
    }
    return r;
}

// startEach starts a connection to each URL and records how each start failed.
async function startEach(urls) {
    const r = {};
    for (const [name, url] of Object.entries(urls)) {
        const c = connect(url);
        const onclose = [];
        c.onclose((e) => onclose.push(e));
        r[name] = { start: await settle(c.start()), state: c.state, oncloseCalls: onclose.length, logs: c.logger.lines };
    }
    return r;
}

// overTransport exercises a connection over one transport: start, invoke, a pushed message,
// a stream, stop.
async function overTransport(url, transport) {
    const logger = capturingLogger(signalR.LogLevel.Information);
    const c = newBuilder().withUrl(url, transport).configureLogging(logger).build();
    const pushed = next(c, "message");
    const r = { start: await settle(c.start()) };
    if (c.state === signalR.HubConnectionState.Connected) {
        r.echo = await settle(c.invoke("Echo", { text: "sent", n: [1, 2.5] }));
        await c.send("SendToCaller", "message", "pushed");
        r.pushed = await pushed;
        r.stream = await collect(c.stream("Counter", 3, 0));
        const closing = closed(c);
        await c.stop();
        r.closed = await closing;
    }
    r.state = c.state;
    r.logs = logger.lines;
    return r;
}

// fallBack connects to the test hub with query's fault switches and records how it got there.
async function fallBack(query) {
    const logger = capturingLogger(signalR.LogLevel.Information);
    const c = newBuilder().withUrl(hub + query).configureLogging(logger).build();
    await c.start();
    const r = { echo: await settle(c.invoke("Echo", "fell back")) };
    await c.stop();
    r.logs = logger.lines;
    return r;
}

// streamOutcome starts a Counter stream on connection and resolves with how it went (its first
// item, its completion, or its error as describe tells it); its failure is also recorded in
// order, among the outcomes of the calls around it.
function streamOutcome(connection, order, name, describe) {
    return new Promise((resolve) => {
        connection.stream("Counter", 2, 0).subscribe({
            next: (item) => resolve("item " + item),
            complete: () => resolve("complete"),
            error: (e) => {
                order.push(name + " failed");
                resolve("error, " + describe(e));
            },
        });
    });
}

function closed(connection) {
    return new Promise((resolve) => connection.onclose((error) => resolve(error === undefined ? "undefined" : describeError(error))));
}

// stopped stops connection unless it is already stopped.
async function stopped(connection) {
    if (connection.state !== signalR.HubConnectionState.Disconnected) {
        await connection.stop();
    }
}

// A hook names a connection for the test server (?hook=), which tells the page when it
// reached a point ("negotiate", "handshake", "ping<n>": serverReached) and takes the page's
// signals (signalServer): a scenario acts at that point instead of after a guessed delay.
const newHook = () => "h" + Math.random().toString(36).slice(2);
const serverReached = (hook, event) => fetch(`/fault/wait?hook=${hook}&event=${event}`);
const signalServer = (hook, event) => fetch(`/fault/signal?hook=${hook}&event=${event}`, { method: "POST" });

window.scenarios = {
    async lifecycle() {
        const c = connect();
        const r = { closes: [] };
        c.onclose((e) => r.closes.push(e === undefined ? "undefined" : describeError(e)));
        r.initial = [c.state, c.connectionId];
        const starting = c.start();
        r.afterStartCall = c.state;
        r.start = await settle(starting);
        r.connected = c.state;
        r.connectionIdIsString = typeof c.connectionId === "string" && c.connectionId.length > 0;
        const first = c.connectionId;
        const stopping = c.stop();
        r.afterStopCall = c.state;
        r.stop = await settle(stopping);
        r.stoppedState = [c.state, c.connectionId];
        r.secondStop = await settle(c.stop());
        r.restart = await settle(c.start());
        r.newConnectionId = c.connectionId !== first;
        r.echoAfterRestart = await settle(c.invoke("Echo", "again"));
        await c.stop();
        r.final = c.state;
        r.logs = c.logger.lines;
        return r;
    },

    async startTwice() {
        const c = connect();
        const first = c.start();
        const r = { second: await settle(c.start()), first: await settle(first) };
        r.whileConnected = await settle(c.start());
        r.state = c.state;
        await c.stop();
        return r;
    },

    async echo() {
        const c = connect();
        await c.start();
        const values = [0, -1.5, 2 ** 53 - 1, 1e300, "", "héllo ✓ 🚀", "quote \" backslash \\ nl \n", true, false, null,
            [], [1, "two", [3]], {}, { a: 1, b: { c: [null, "x"] } }];
        const r = {};
        for (const v of values) {
            r[JSON.stringify(v)] = await settle(c.invoke("Echo", v));
        }
        r.add = await settle(c.invoke("Add", 2, 3.5));
        r.undefinedArg = await settle(c.invoke("Echo", undefined));
        r.dateArg = await settle(c.invoke("Echo", new Date(Date.UTC(2026, 0, 2, 3, 4, 5))));
        r.send = await settle(c.send("Echo", 1));
        r.concurrent = await Promise.all([1, 2, 3, 4, 5].map((i) => c.invoke("Echo", i)));
        // Texts on both sides of the length where the facade leaves short ASCII text to the
        // browser's codec (short-text.js), with and without a character past ASCII at the end.
        const texts = [];
        for (let n = 1; n < 300; n += 3) {
            texts.push("a".repeat(n), "a".repeat(n - 1) + "é", "a".repeat(n - 1) + "\u007f", "a".repeat(n - 1) + "\u0080");
        }
        r.textLengths = [];
        for (let i = 0; i < texts.length; i += 4) { // a few at once: servers limit a message's size
            const group = texts.slice(i, i + 4);
            const echoed = await Promise.all(group.map((t) => c.invoke("Echo", t)));
            group.forEach((t, j) => echoed[j] === t || r.textLengths.push(`${t.length}: ${JSON.stringify(echoed[j])}`));
        }
        await c.stop();
        return r;
    },

    async serverErrors() {
        const c = connect();
        await c.start();
        const r = {
            exception: await settle(c.invoke("ThrowException", "boom")),
            hubException: await settle(c.invoke("ThrowHubException", "hub boom")),
            panic: await settle(c.invoke("Panic")),
            unknownMethod: await settle(c.invoke("NoSuchMethod", 1)),
            wrongArgCount: await settle(c.invoke("Add", 1)),
            sendUnknown: await settle(c.send("NoSuchMethod")),
            invokeWithString: await settle(c.invoke("InvokeWithString", "hi")),
        };
        r.stillConnected = c.state;
        r.echoAfter = await settle(c.invoke("Echo", "ok"));
        r.logs = c.logger.lines;
        await c.stop();
        return r;
    },

    // Calls while not Connected fail; a turn of them fails in signalr.js's order: a send() at
    // once, a stream() and an invoke() in reactions queued at the call, the invoke's Promise
    // a microtask later (the page's reactions to the turn's sends come before it).
    async notConnected() {
        const c = connect();
        const failOrder = async () => {
            const order = [];
            const track = (name, promise) => promise.then(() => order.push(name + " resolved"), () => order.push(name));
            const stream = (name) => new Promise((resolve) => c.stream("Counter", 2, 0).subscribe({
                next() {}, complete: resolve, error: () => resolve(order.push(name)),
            }));
            const turns = [
                () => [stream("stream s"), track("send a", c.send("Echo", "a")), track("invoke b", c.invoke("Echo", "b")), track("send c", c.send("Echo", "c"))],
                () => [track("send a", c.send("Echo", "a")), stream("stream s"), track("invoke b", c.invoke("Echo", "b")), track("invoke d", c.invoke("Echo", "d")), track("send c", c.send("Echo", "c"))],
                () => [track("invoke b", c.invoke("Echo", "b")), stream("stream s"), track("send a", c.send("Echo", "a"))],
            ];
            const orders = [];
            for (const turn of turns) {
                order.length = 0;
                await Promise.all(turn());
                orders.push(order.join(", "));
            }
            return orders;
        };
        const r = {
            invokeBeforeStart: await settle(c.invoke("Echo", 1)),
            sendBeforeStart: await settle(c.send("Echo", 1)),
            stopBeforeStart: await settle(c.stop()),
            failOrderBeforeStart: await failOrder(),
        };
        await c.start();
        await c.stop();
        r.invokeAfterStop = await settle(c.invoke("Echo", 1));
        r.sendAfterStop = await settle(c.send("Echo", 1));
        r.failOrderAfterStop = await failOrder();
        const starting = c.start();
        r.invokeWhileConnecting = await settle(c.invoke("Echo", 1));
        await starting;
        const stopping = c.stop();
        r.invokeWhileDisconnecting = await settle(c.invoke("Echo", 1));
        await stopping;
        return r;
    },

    async handlers() {
        const c = connect();
        const calls = [];
        let self;
        function first(...args) { self = this; calls.push(["first", ...args]); }
        const second = (...args) => calls.push(["second", ...args]);
        const other = (...args) => calls.push(["other", ...args]);
        c.on("Message", first);
        c.on("MESSAGE", second);
        c.on("message", first); // the same function again is not added twice
        c.on("other", other);
        await c.start();
        const r = {};
        await c.invoke("SendToCaller", "mEsSaGe", 1, "a", { b: [2] });
        r.thisIsConnection = self === c;
        c.off("message", second);
        await c.invoke("SendToCaller", "message", 2);
        c.off("MESSAGE");
        await c.invoke("SendToCaller", "message", 3);
        c.off("other", first); // not registered under that name: no effect
        await c.invoke("SendToCaller", "other");
        c.off("nothing-here");
        c.on("late", other);
        await c.invoke("SendToCaller", "late", null, [], "x");
        // Arguments past ASCII, escaped, and longer than what short-text.js copies by hand.
        await c.invoke("SendToCaller", "other", "héllo ✓ 🚀", "quote \" nl \n", "a".repeat(300), { t: "ascii" });
        await c.invoke("Echo", "sync"); // messages are handled in order: all the above arrived
        r.calls = calls;
        r.logs = c.logger.lines;
        r.badOn = [attempt(() => c.on(null, other)), attempt(() => c.on("x", null)), attempt(() => c.off(null))];
        r.state = c.state;
        await c.stop();
        return r;
    },

    // A handler's calls: an invoke left for the turn's batch, which reaches the client's
    // engine after the handler has returned, and one that stop() sends before it stops, from
    // inside the handler.
    async callsInsideHandler() {
        const c = connect();
        const r = { results: [] };
        let stopped;
        const finished = new Promise((resolve) => { stopped = resolve; });
        c.on("poke", (n) => {
            if (n === 1) {
                c.invoke("Echo", "from handler").then((v) => r.results.push(v), (e) => r.results.push(describeError(e)));
                return;
            }
            const beforeStop = settle(c.invoke("Echo", "before stop"));
            const stop = settle(c.stop());
            Promise.all([beforeStop, stop]).then((all) => {
                r.beforeStop = all;
                stopped();
            });
        });
        await c.start();
        await c.invoke("SendToCaller", "poke", 1);
        r.sync = await c.invoke("Echo", "sync"); // answered after the handler's invoke
        c.invoke("SendToCaller", "poke", 2).catch(() => {}); // its Completion may come after the stop
        await finished;
        r.state = c.state;
        return r;
    },

    async throwingHandler() {
        const c = connect();
        const calls = [];
        c.on("boom", () => { throw new Error("boom"); });
        c.on("boom", (x) => calls.push(["after throw", x]));
        c.on("str", () => { throw "a string"; });
        c.on("next", (x) => calls.push(["next", x]));
        await c.start();
        await c.invoke("SendToCaller", "boom", 1);
        await c.invoke("SendToCaller", "str");
        await c.invoke("SendToCaller", "next", 2);
        await c.invoke("Echo", "sync");
        const r = { calls, state: c.state, logs: c.logger.lines, echo: await settle(c.invoke("Echo", "alive")) };
        await c.stop();
        return r;
    },

    async unknownClientMethod() {
        const c = connect();
        await c.start();
        await c.invoke("SendToCaller", "nobodyListens", 1);
        await c.invoke("Echo", "sync");
        const r = { logs: c.logger.lines, state: c.state };
        await c.stop();
        return r;
    },

    async routing() {
        // A hub of its own: All and Others reach every connection of a hub, and other
        // scenarios run on other pages at the same time.
        const names = ["a", "b", "c"];
        const conns = names.map(() => connect("/routinghub"));
        const got = [];
        conns.forEach((c, i) => c.on("hit", (label) => got.push(`${label}->${names[i]}`)));
        await Promise.all(conns.map((c) => c.start()));
        const [a, b, c] = conns;
        const sync = () => Promise.all(conns.map((x) => x.invoke("Echo", "sync")));
        await b.invoke("JoinGroup", "g");
        await c.invoke("JoinGroup", "g");
        await a.invoke("SendToAll", "hit", "all");
        await a.invoke("SendToOthers", "hit", "others");
        await a.invoke("SendToCaller", "hit", "caller");
        await a.invoke("SendToClient", b.connectionId, "hit", "client");
        await a.invoke("SendToAllExcept", c.connectionId, "hit", "allExcept");
        await a.invoke("SendToGroup", "g", "hit", "group");
        await b.invoke("SendToOthersInGroup", "g", "hit", "othersInGroup");
        await c.invoke("LeaveGroup", "g");
        await a.invoke("SendToGroup", "g", "hit", "afterLeave");
        await sync();
        // Delivery order between different connections is not defined: compare as a set.
        const r = { got: got.sort(), callerId: (await a.invoke("GetCallerConnectionId")) === a.connectionId };
        await Promise.all(conns.map((x) => x.stop()));
        return r;
    },

    async serverClose() {
        const c = connect();
        const onclose = closed(c);
        await c.start();
        const invoked = settle(c.invoke("CloseConnection", "bye", false));
        const r = { onclose: await onclose, invoke: await invoked, state: c.state, connectionId: c.connectionId };
        r.logs = c.logger.lines;
        r.restart = await settle(c.start());
        await c.stop();
        return r;
    },

    async serverCloseWithoutError() {
        const c = connect();
        const onclose = closed(c);
        await c.start();
        // The server runs one invocation at a time: it closes before it reads the Delay.
        const sent = settle(c.send("CloseConnection", "", false));
        const pending = settle(c.invoke("Delay", 3000));
        return { onclose: await onclose, send: await sent, pending: await pending, state: c.state, logs: c.logger.lines };
    },

    // The calls pending when the connection closes fail in the order they were made, ids 9
    // and 10 too (signalr.js walks its callbacks' keys, integers, in ascending order).
    async pendingCallsFailInOrder() {
        const c = connect();
        await c.start();
        const sent = settle(c.send("CloseConnection", "", false));
        const order = [];
        const calls = [];
        for (let i = 0; i < 12; i++) {
            calls.push(c.invoke("Delay", 3000).then(() => order.push(`${i} resolved`), () => order.push(i)));
        }
        await Promise.all(calls);
        return { order, sent: await sent, state: c.state };
    },

    async serverAbort() {
        const c = connect();
        const onclose = closed(c);
        await c.start();
        const invoked = settle(c.invoke("Abort"));
        return { onclose: await onclose, invoke: await invoked, state: c.state, logs: c.logger.lines };
    },

    async valueMapping() {
        const c = connect();
        await c.start();
        const sent = {
            int: 42, negative: -7, safe: 2 ** 53 - 1, unsafe: 2 ** 53, float: 1.5, nan: NaN, infinity: -Infinity, negativeZero: -0,
            text: "é😀\u0000", lone: "\ud800", bool: true, nil: null, undef: undefined, list: [1, "a", null, undefined],
            nested: { a: { b: [1, { c: 2 }] } }, bytes: new Uint8Array([0, 1, 255]), floats: new Float32Array([1.5]),
            date: new Date(Date.UTC(2026, 10, 25, 12, 0, 0, 123)), before1970: new Date(-1500),
        };
        const r = { echoed: describeValue(await c.invoke("Echo", sent)), fromServer: describeValue(await c.invoke("Types")) };
        r.unsendable = await settleCall(() => c.invoke("Echo", { f() {} }));
        await c.stop();
        return r;
    },

    // What each client puts on the wire for the same calls, byte for byte, as the server got it.
    async longPolling() {
        return overTransport(hub + "?longPolling=1", signalR.HttpTransportType.LongPolling);
    },

    // Server-Sent Events, which carry text only: over MessagePack the start fails.
    async serverSentEvents() {
        return overTransport(hub + "?serverSentEvents=1", signalR.HttpTransportType.ServerSentEvents);
    },

    // A proxy that refuses WebSockets, a server that also offers Server-Sent Events and Long
    // Polling: both clients fall back in the server's order (SSE only for text).
    async transportFallback() {
        return fallBack("?serverSentEvents=1&longPolling=1&noWebSockets=1");
    },

    // A proxy that refuses WebSockets: both clients fall back to Long Polling.
    async longPollingFallback() {
        return fallBack("?longPolling=1&noWebSockets=1");
    },

    async wireFrames() {
        const c = connect();
        await c.start();
        await c.invoke("Echo", {
            text: "é😀", numbers: [1, 2.5, -3, 2 ** 40, -(2 ** 40), 1e300], when: new Date(Date.UTC(2026, 0, 1, 0, 0, 0, 5)),
            bytes: new Uint8Array([1, 2]), nil: null, undef: undefined, nested: { list: [[], {}] },
        });
        await c.send("Echo", "sent");
        // Plain values, which MessagePack's arguments take without the facade's replacer.
        await c.send("Echo", { user: "alice", n: 42, list: [1, "x", true, null, -0, 1.5, 2 ** 53], nested: { deep: [{}] }, empty: {} }, [[]]);
        // One turn's sends: signalr.js's send queue joins them in one frame.
        await Promise.all([c.send("Echo", "a"), c.send("Echo", "b"), c.invoke("Echo", "c")]);
        await collect(c.stream("Counter", 2, 0));
        // A stream's items in one turn: signalr.js chains each on the send before, one a frame.
        const subject = new signalR.Subject();
        const upload = c.invoke("UploadSum", subject);
        subject.next(1);
        subject.next(2.5);
        subject.complete();
        await upload;
        c.on("answer", () => 42);
        await c.invoke("ClientResult", "answer");
        const frames = await c.invoke("ReceivedFrames");
        await c.stop();
        return { frames };
    },

    // One turn's calls larger than the 64 KB pieces Go joins its frames in: still one frame,
    // as signalr.js's send queue makes it. Frames are compared by length and digest.
    async largeTurn() {
        const c = connect();
        await c.start();
        const big = "x".repeat(40000);
        await Promise.all([c.send("Echo", big + "1"), c.send("Echo", "é😀"), c.send("Echo", big + "2"), c.invoke("Echo", big + "3")]);
        await c.send("Echo", "after");
        const frames = await c.invoke("ReceivedFrames");
        await c.stop();
        return { frames: frames.map((hex) => ({ bytes: hex.length / 2, digest: digest(hex) })) };
    },

    // The order in which one turn's calls settle, on two connections at once: sends before
    // and after an invoke, a send to a method the server does not have, and a send after the
    // connection stopped. Go hands a run of sends back as one record (jsapi/doc.go).
    async settleOrder() {
        const one = connect();
        const two = connect();
        await Promise.all([one.start(), two.start()]);
        const order = [];
        const track = (name, promise) => promise.then(
            (v) => order.push(name + " resolved " + v), (e) => order.push(name + " rejected " + e.message));
        const all = [
            track("one a", one.send("Echo", "a")),
            track("one b", one.send("NoSuchMethod")),
            track("two c", two.send("Echo", "c")),
            track("one d", one.send("Echo", "d")),
            track("one invoke", one.invoke("Echo", "e")),
            track("one f", one.send("Echo", "f")),
            track("two g", two.send("Echo", "g")),
        ];
        await Promise.all(all);
        await two.stop();
        await Promise.all([track("two after stop", two.send("Echo", "i")), track("one i", one.send("Echo", "i"))]);
        await one.stop();
        return { order };
    },

    // What send() returns: signalr.js's sends of one turn, while connected, all return its send
    // queue's one Promise; a send in the next turn gets another; under stateful reconnect and
    // while not connected each send has its own; and a send right after stop() fails, as
    // stop() leaves its HttpConnection Disconnecting at once.
    async sendPromises() {
        const settled = async (promises) => (await Promise.allSettled(promises))
            .map((x) => x.status + (x.reason ? " " + x.reason.message : ""));
        const c = connect();
        await c.start();
        const a = c.send("Echo", "a"), b = c.send("Echo", "b"), i = c.invoke("Echo", "i");
        await null;
        const d = c.send("Echo", "d");
        const r = { sameTurn: a === b, invokeApart: a === i, nextTurn: a === d, connected: await settled([a, b, i, d]) };
        // Two connections' sends, taken in turn in one turn: each connection's share a Promise.
        const other = connect();
        await other.start();
        const p = c.send("Echo", "p"), q = other.send("Echo", "q"), p2 = c.send("Echo", "p2"), q2 = other.send("Echo", "q2");
        r.twoConnections = { same: p === p2 && q === q2, apart: p === q, outcomes: await settled([p, q, p2, q2]) };
        await other.stop();
        const beforeStop = c.send("Echo", "e");
        const stopping = c.stop();
        const afterStop = c.send("Echo", "f");
        r.aroundStop = { same: beforeStop === afterStop, outcomes: await settled([beforeStop, afterStop]) };
        await stopping;
        const x = c.send("Echo", "x"), y = c.send("Echo", "y");
        r.disconnected = { same: x === y, outcomes: await settled([x, y]) };
        const stateful = newBuilder().withUrl(hub).withStatefulReconnect().configureLogging(capturingLogger()).build();
        await stateful.start();
        const s = stateful.send("Echo", "s"), t = stateful.send("Echo", "t");
        r.stateful = { same: s === t, outcomes: await settled([s, t]) };
        await stateful.stop();
        return r;
    },

    // A WebSocket whose send throws (a page's patch of it, say): signalr.js's send queue
    // rejects the calls whose frame the throw kept back, with what was thrown, and stays
    // connected; during start() the throw fails the start. The stream of the turn errors in
    // its place among the page's reactions (sendWhileClosing has one between two sends).
    async sendThrows() {
        const c = connect();
        await c.start();
        const send = WebSocket.prototype.send;
        const boom = function () { throw new TypeError("boom from send"); };
        const order = [];
        const track = (name, promise) => promise.then((v) => order.push(name + " resolved " + v),
            (e) => order.push(`${name} rejected ${e instanceof TypeError ? "TypeError" : e.name}: ${e.message}`));
        WebSocket.prototype.send = boom;
        const streamed = streamOutcome(c, order, "stream", (e) => `${e instanceof TypeError ? "TypeError" : e.name}: ${e.message}`);
        const turn = [track("send a", c.send("Echo", "a")), track("invoke b", c.invoke("Echo", "b")),
            track("send c", c.send("Echo", "c"))];
        try {
            await Promise.all(turn);
        } finally {
            WebSocket.prototype.send = send;
        }
        const r = { failedTurn: order, stream: await streamed, state: c.state };
        r.nextTurn = { invoke: await c.invoke("Echo", "d"), send: await c.send("Echo", "e"), state: c.state };
        await c.stop();
        const failedStart = connect();
        WebSocket.prototype.send = boom;
        try {
            await failedStart.start();
            r.start = "started";
        } catch (e) {
            r.start = `${e instanceof TypeError ? "TypeError" : e.name}: ${e.message}`;
        } finally {
            WebSocket.prototype.send = send;
        }
        r.stateAfterStart = failedStart.state;
        return r;
    },

    // A turn's calls made while the socket is CLOSING (the server's close frame has come, the
    // close event not yet): the browser drops what is sent then, without a throw; signalr.js's
    // transport, which reads readyState before it sends, rejects the calls with the text
    // "WebSocket is not in the OPEN state", stays Connected and traces no send. In Chromium the
    // server closes the WebSocket without a Close message and holds its TCP connection
    // (CloseLingering), and Chromium keeps the socket CLOSING until the page lets the server
    // end it. Firefox ends the window itself after about a second, too soon for a loaded
    // machine, and WebKit has none (OPEN, then CLOSED at the close frame): there the page
    // patches readyState and send, as sendThrows patches send.
    async sendWhileClosing() {
        const realWindow = /Chrome\//.test(navigator.userAgent);
        const hook = newHook();
        const proto = WebSocket.prototype;
        const send = proto.send;
        const readyState = Object.getOwnPropertyDescriptor(proto, "readyState");
        const sockets = new Set();
        proto.send = function (data) {
            sockets.add(this);
            return send.call(this, data);
        };
        const c = connect(hub + "?hook=" + hook, undefined, capturingLogger(signalR.LogLevel.Trace));
        try {
            await c.start();
        } finally {
            proto.send = send;
        }
        const [socket] = sockets;
        const describe = (e) => typeof e === "string" ? "the text " + e : `${e.name}: ${e.message}`;
        const closedWith = closed(c);
        let lingering;
        if (realWindow) {
            lingering = c.invoke("CloseLingering").then(() => "resolved", describe);
            while (socket.readyState === WebSocket.OPEN) {
                await new Promise((resolve) => setTimeout(resolve, 1)); // the close frame's arrival
            }
        } else {
            Object.defineProperty(proto, "readyState", { configurable: true, get: () => WebSocket.CLOSING });
            proto.send = function () {};
        }
        const r = { socket: socket.readyState === WebSocket.CLOSING ? "CLOSING" : "CLOSED" };
        const logged = c.logger.lines.length;
        const order = [];
        const track = (name, promise) => promise.then((v) => order.push(name + " resolved " + v),
            (e) => order.push(name + " rejected with " + describe(e)));
        // The stream's error comes in its place among the page's reactions to the turn's sends.
        const turn = [track("send a", c.send("Echo", "a"))];
        const streamed = streamOutcome(c, order, "stream s", describe);
        turn.push(track("invoke b", c.invoke("Echo", "b")), track("send c", c.send("Echo", "c")));
        // The sends settle either way; what settles only at the close was not failed by the
        // turn's send.
        await Promise.all([turn[0], turn[2]]);
        r.state = c.state;
        r.traced = c.logger.lines.slice(logged).filter(([, message]) => message.includes("sending data")).length;
        if (realWindow) {
            await signalServer(hook, "release");
        } else {
            Object.defineProperty(proto, "readyState", readyState);
            proto.send = send;
            lingering = c.invoke("CloseLingering").then(() => "resolved", describe);
            await signalServer(hook, "release");
        }
        await turn[1];
        Object.assign(r, { turn: order, stream: await streamed, closed: await closedWith, lingering: await lingering });
        return r;
    },

    async malformedBinaryFrames() {
        if (!messagePack) {
            return { skipped: "binary frames are for MessagePack" };
        }
        const frames = {
            badTypeByte: "0291c1",
            boolMapKey: "049181c301",
            protoKey: "0d9181a95f5f70726f746f5f5f01",
            badTimestamp: "0591d5ff0000",
            sizeUnreadable: "80",
            tooBig: "ffffffff7f",
            incomplete: "0591",
            headersMissing: "029101",
            invocationTooShort: "03920180",
            truncated: "0292d9",
            extraBytes: "03910600",
            notAnArray: "0105",
            unknownType: "029163",
            // [1, {}, null, target, []]: signalr.js's add-on lets a target of any type through.
            targetNumber: "06950180c02a90",
            targetNil: "06950180c0c090",
            targetArray: "07950180c0910190",
            targetNumberWithId: "07950180a1312a90",
        };
        return feedFrames("SendRawHex", frames);
    },

    async framesOfTheOtherKind() {
        // A text frame under MessagePack, a binary one under JSON: each protocol parses only
        // its own kind.
        return feedFrames("SendRawOtherKind", { ping: "{\"type\":6}\u001e", empty: "" });
    },

    async malformedFrames() {
        const frames = {
            notJSON: "{bad json\u001e",
            notAnObject: "5\u001e",
            noType: "{\"target\":\"x\"}\u001e",
            invocationWithoutTarget: "{\"type\":1,\"arguments\":[]}\u001e",
            invocationTargetNotString: "{\"type\":1,\"target\":42,\"arguments\":[]}\u001e",
            invocationArgumentsNotArray: "{\"type\":1,\"target\":\"x\",\"arguments\":5}\u001e",
            completionWithoutId: "{\"type\":3}\u001e",
            completionResultAndError: "{\"type\":3,\"invocationId\":\"1\",\"result\":1,\"error\":\"e\"}\u001e",
            streamItemWithoutId: "{\"type\":2,\"item\":1}\u001e",
            closeErrorNotString: "{\"type\":7,\"error\":5}\u001e",
            unknownType: "{\"type\":99}\u001e",
            unknownCompletion: "{\"type\":3,\"invocationId\":\"999\",\"result\":1}\u001e",
        };
        return feedFrames("SendRaw", frames);
    },

    async stopWithPendingInvoke() {
        const c = connect();
        const onclose = closed(c);
        await c.start();
        const pending = settle(c.invoke("Delay", 3000));
        const stop = settle(c.stop());
        return { pending: await pending, stop: await stop, onclose: await onclose, state: c.state };
    },

    async stopDuringHandshake() {
        const hook = newHook();
        const c = connect(hub + "?noHandshake=1&hook=" + hook);
        const onclose = [];
        c.onclose((e) => onclose.push(e === undefined ? "undefined" : describeError(e)));
        const starting = settle(c.start());
        await serverReached(hook, "handshake");
        const stateBeforeStop = c.state;
        const stop = settle(c.stop());
        const r = { stateBeforeStop, start: await starting, stop: await stop, state: c.state };
        r.onclose = onclose;
        return r;
    },

    async stopDuringNegotiate() {
        const hook = newHook();
        const c = connect(hub + "?holdNegotiate=1&hook=" + hook);
        const onclose = [];
        c.onclose((e) => onclose.push(e === undefined ? "undefined" : describeError(e)));
        const starting = settle(c.start());
        await serverReached(hook, "negotiate");
        const stop = settle(c.stop());
        // signalr.js does not abort its negotiate request: stop() waits for the answer.
        await signalServer(hook, "release");
        const r = { start: await starting, stop: await stop, state: c.state, onclose };
        return r;
    },

    // withUrl's timeout: the negotiate request outlives it (the server holds it until the
    // end), so start() fails with the HTTP client's TimeoutError, and both clients log it.
    async httpTimeout() {
        const hook = newHook();
        const c = connect(hub + "?holdNegotiate=1&hook=" + hook, { timeout: 300 });
        const start = await settle(c.start());
        await signalServer(hook, "release");
        return { start, state: c.state, logs: c.logger.lines };
    },

    // withUrl's timeout: 0 is none (signalr.js's clients set no timer for a falsy timeout),
    // not the default; absent is the default, 100 s. A page's client is told which.
    async httpTimeoutOff() {
        const told = [];
        class Recording extends signalR.HttpClient {
            send(request) {
                told.push(request.method + " " + request.timeout);
                return Promise.reject(new Error("Recorded."));
            }
        }
        const r = {};
        for (const [name, options] of Object.entries({ zero: { timeout: 0 }, absent: {}, undefined: { timeout: undefined }, given: { timeout: 2500 } })) {
            const c = newBuilder().withUrl(hub, { ...options, httpClient: new Recording() }).build();
            r[name] = { start: await settle(c.start()), told: told.splice(0) };
        }
        return r;
    },

    async startFailures() {
        const urls = {
            negotiate404: "/nohub",
            negotiate401: hub + "?negotiateStatus=401",
            negotiate500: hub + "?negotiateStatus=500",
            negotiateError: hub + "?negotiateError=" + encodeURIComponent("Not allowed here"),
            negotiateGarbage: hub + "?negotiateBody=" + encodeURIComponent("not json"),
            negotiateNoTransports: hub + "?negotiateBody=" + encodeURIComponent("{\"connectionId\":\"x\",\"negotiateVersion\":0,\"availableTransports\":[]}"),
            negotiateBinaryOnly: hub + "?negotiateBody=" + encodeURIComponent("{\"connectionId\":\"x\",\"negotiateVersion\":0,\"availableTransports\":[{\"transport\":\"WebSockets\",\"transferFormats\":[\"Binary\"]}]}"),
            negotiateUnknownTransport: hub + "?negotiateBody=" + encodeURIComponent("{\"connectionId\":\"x\",\"negotiateVersion\":0,\"availableTransports\":[{\"transport\":\"Carrier pigeon\",\"transferFormats\":[\"Text\"]}]}"),
            handshakeError: hub + "?handshakeError=" + encodeURIComponent("Requested protocol 'json' is not available."),
            unreachable: "http://127.0.0.1:1/hub",
        };
        return startEach(urls);
    },

    async startFailuresOnBadReplies() {
        // What a proxy or a broken server answers in place of SignalR: the errors are the
        // browser's own (JSON.parse, a property read on what it parsed), as in signalr.js.
        const page = "<!doctype html>\n<html><body><h1>502 Bad Gateway</h1></body></html>";
        const negotiate = (body) => hub + "?negotiateBody=" + encodeURIComponent(body);
        const handshake = (reply) => hub + "?handshakeReply=" + encodeURIComponent(reply + "\u001e");
        return startEach({
            negotiateHtml: negotiate(page),
            negotiateNull: negotiate("null"),
            negotiateNumber: negotiate("5"),
            negotiateString: negotiate("\"x\""),
            negotiateTruncated: negotiate("{\"connectionId\":\"x\","),
            handshakeHtml: handshake(page),
            handshakeNull: handshake("null"),
            handshakeTruncated: handshake("{\"error\":"),
            handshakeTypeField: handshake("{\"type\":1}"),
            handshakeErrorNotString: handshake("{\"error\":[1,\"two\"]}"),
        });
    },

    // Servers other than ASP.NET Core may write negotiateVersion as a float or a string:
    // signalr.js tests `!v || v < 1`, so each of these keeps the server's connectionToken.
    async negotiateVersionWritten() {
        const r = {};
        for (const written of ["1.0", "\"1\"", "true", "2.5"]) {
            const c = connect(hub + "?negotiateVersionAs=" + encodeURIComponent(written));
            r[written] = { start: await settle(c.start()) };
            r[written].echo = await settle(c.invoke("Echo", written));
            await stopped(c);
        }
        return r;
    },

    async skipNegotiation() {
        const T = signalR.HttpTransportType;
        const ok = connect(hub, { skipNegotiation: true, transport: T.WebSockets });
        const r = { start: await settle(ok.start()) };
        r.connectionId = ok.connectionId;
        r.echo = await settle(ok.invoke("Echo", "skipped"));
        await ok.stop();
        const bad = connect(hub, { skipNegotiation: true });
        r.withoutWebSockets = await settle(bad.start());
        r.badState = bad.state;
        const token = connect(hub, { skipNegotiation: true, transport: T.WebSockets, accessTokenFactory: () => "tok en" });
        await token.start();
        r.accessToken = await settle(token.invoke("GetQuery", "access_token"));
        await token.stop();
        return r;
    },

    async transportOptions() {
        const T = signalR.HttpTransportType;
        const r = {};
        for (const [name, transport] of Object.entries({ webSockets: T.WebSockets, mask: T.WebSockets | T.LongPolling, number: 1 })) {
            const c = connect(hub, transport);
            r[name] = await settle(c.start());
            await stopped(c);
        }
        const sse = connect(hub, T.ServerSentEvents);
        r.serverSentEventsOnly = await settle(sse.start());
        const token = connect(hub + "?x=1", { accessTokenFactory: () => Promise.resolve("abc") });
        await token.start();
        r.query = await settle(token.invoke("GetQuery", "x"));
        r.accessToken = await settle(token.invoke("GetQuery", "access_token"));
        await token.stop();
        const failingToken = connect(hub, { accessTokenFactory: () => { throw new Error("no token"); } });
        r.tokenFactoryThrows = await settle(failingToken.start());
        return r;
    },

    // withUrl's httpClient: every HTTP request goes through the page's own client (negotiate;
    // over Long Polling also the polls, the sends and the DELETE), each shaped as signalr.js
    // shapes it, and what the client answers or throws counts as the server's answer would.
    async customHttpClient() {
        const T = signalR.HttpTransportType;
        const shapes = new Set();
        // A page's client, as signalr.js's own: the abortSignal it is given is an object with
        // `aborted` and `onabort`, not the browser's AbortSignal.
        const viaFetch = async (request) => {
            const controller = new AbortController();
            if (request.abortSignal) {
                request.abortSignal.onabort = () => controller.abort();
            }
            let response;
            try {
                response = await fetch(request.url, { method: request.method, body: request.content, headers: request.headers, signal: controller.signal });
            } catch (e) {
                throw e.name === "AbortError" ? new signalR.AbortError() : e;
            }
            const content = request.responseType === "arraybuffer" ? await response.arrayBuffer() : await response.text();
            return new signalR.HttpResponse(response.status, response.statusText, content);
        };
        class PageClient extends signalR.HttpClient {
            constructor(answer = viaFetch) {
                super();
                this.answer = answer;
            }
            send(request) {
                const url = new URL(request.url, location.href);
                const query = [...url.searchParams.keys()].join("&");
                const content = request.content;
                shapes.add(JSON.stringify({
                    keys: Object.keys(request).join(","),
                    method: request.method,
                    url: url.pathname + "?" + query,
                    headers: Object.keys(request.headers).sort().join(","),
                    content: typeof content === "string" ? (content === "" ? "empty text" : "text") : content === undefined ? "none" : content.constructor.name,
                    responseType: request.responseType,
                    timeout: request.timeout,
                    withCredentials: request.withCredentials,
                    abortSignal: request.abortSignal === undefined ? "none" : typeof request.abortSignal.aborted + ", onabort: " + ("onabort" in request.abortSignal),
                }));
                return this.answer(request);
            }
        }
        const r = {};
        for (const [name, transport] of Object.entries({ webSockets: T.WebSockets, longPolling: T.LongPolling })) {
            const logger = capturingLogger(signalR.LogLevel.Information);
            const c = newBuilder().withUrl(hub + "?longPolling=1&x=1", { transport, httpClient: new PageClient(), headers: { "X-Page": "1" } })
                .configureLogging(logger).build();
            const run = { start: await settle(c.start()) };
            if (c.state === signalR.HubConnectionState.Connected) {
                run.echo = await settle(c.invoke("Echo", { text: "through the page's client" }));
                run.stream = await collect(c.stream("Counter", 2, 0));
                const closing = closed(c);
                await c.stop();
                run.closed = await closing;
            }
            run.requests = [...shapes].sort().map((s) => JSON.parse(s));
            run.logs = logger.lines;
            shapes.clear();
            r[name] = run;
        }
        const answers = {
            httpError404: () => Promise.reject(new signalR.HttpError("Nobody here", 404)),
            httpError500: () => Promise.reject(new signalR.HttpError("Broken", 500)),
            status500: () => Promise.resolve(new signalR.HttpResponse(500, "Internal Server Error", "")),
            timeout: () => Promise.reject(new signalR.TimeoutError("Too slow.")),
            thrown: () => Promise.reject(new Error("The page's client failed.")),
            notJson: () => Promise.resolve(new signalR.HttpResponse(200, "OK", "<html>")),
        };
        for (const [name, answer] of Object.entries(answers)) {
            const logger = capturingLogger(signalR.LogLevel.Information);
            const c = newBuilder().withUrl(hub, { httpClient: new PageClient(answer) }).configureLogging(logger).build();
            r[name] = { start: await settle(c.start()), state: c.state, logs: logger.lines };
        }
        shapes.clear();
        // A page's client built on DefaultHttpClient, as pages add a header of their own.
        class WithHeader extends signalR.DefaultHttpClient {
            send(request) {
                request.headers = { ...request.headers, "X-Added": "by the page" };
                return super.send(request);
            }
        }
        const logger = capturingLogger(signalR.LogLevel.Information);
        const extended = newBuilder().withUrl(hub + "?longPolling=1", { transport: T.LongPolling, httpClient: new WithHeader(logger) })
            .configureLogging(logger).build();
        r.extendedDefault = { start: await settle(extended.start()) };
        r.extendedDefault.header = await settle(extended.invoke("GetHeader", "X-Added"));
        r.extendedDefault.stream = await collect(extended.stream("Counter", 2, 0));
        await extended.stop();
        r.extendedDefault.state = extended.state;
        r.extendedDefault.logs = logger.lines;
        // pollWith connects over Long Polling through a page's client whose polls answer
        // gives, waits for the third poll (or the close), and records what follows.
        const pollWith = async (answer, options) => {
            let polls = 0;
            let thirdPoll;
            const polledAgain = new Promise((resolve) => { thirdPoll = resolve; });
            const client = new PageClient((request) => {
                if (request.method !== "GET") {
                    return viaFetch(request);
                }
                if (++polls === 3) {
                    thirdPoll();
                }
                return answer(request, polls);
            });
            const pollLogger = capturingLogger(signalR.LogLevel.Information);
            const c = newBuilder().withUrl(hub + "?longPolling=1", { ...options, transport: T.LongPolling, httpClient: client })
                .configureLogging(pollLogger).build();
            const closing = closed(c);
            const run = { start: await settle(c.start()) };
            if (c.state === signalR.HubConnectionState.Connected) {
                await Promise.race([polledAgain, closing]);
            }
            run.echo = await settle(c.invoke("Echo", "after the second poll"));
            run.state = c.state;
            await stopped(c);
            run.logs = pollLogger.lines;
            shapes.clear();
            return run;
        };
        // A poll that the page's client times out: signalr.js polls again.
        r.pollTimedOut = await pollWith((request, n) => n === 2 ? Promise.reject(new signalR.TimeoutError()) : viaFetch(request));
        // A poll answered 401 (a token that expired): signalr.js asks the factory for a new
        // token and sends the poll once more.
        let tokens = 0;
        const authorizations = [];
        r.pollUnauthorized = await pollWith((request, n) => {
            authorizations.push(request.headers.Authorization);
            return n === 2 ? Promise.resolve(new signalR.HttpResponse(401, "Unauthorized", "")) : viaFetch(request);
        }, { accessTokenFactory: () => "token-" + ++tokens });
        r.pollUnauthorized.authorizations = authorizations.slice(0, 3);
        r.pollUnauthorized.tokens = tokens;
        // A plain DefaultHttpClient logs its timeouts to the logger it was made with.
        const hook = newHook();
        const clientLogger = capturingLogger(signalR.LogLevel.Information);
        const held = connect(hub + "?holdNegotiate=1&hook=" + hook, { timeout: 300, httpClient: new signalR.DefaultHttpClient(clientLogger) });
        r.defaultClientTimeout = { start: await settle(held.start()) };
        await signalServer(hook, "release");
        r.defaultClientTimeout.clientLogs = clientLogger.lines;
        r.defaultClientTimeout.logs = held.logger.lines;
        return r;
    },

    // Over Long Polling and Server-Sent Events a send is a POST: send() settles once the POST
    // is answered, and a POST that fails rejects the calls it carried (they went together)
    // and leaves the connection as it was.
    async httpSendOutcome() {
        const T = signalR.HttpTransportType;
        const r = {};
        for (const [name, transport] of Object.entries({ longPolling: T.LongPolling, serverSentEvents: T.ServerSentEvents })) {
            const events = [];
            let heldReached;
            const held = new Promise((resolve) => { heldReached = resolve; });
            class Gate extends signalR.DefaultHttpClient {
                send(request) {
                    const content = request.content === undefined ? "" : typeof request.content === "string" ? request.content : new TextDecoder().decode(new Uint8Array(request.content));
                    if (request.method === "POST" && content.includes("HoldThisPost")) {
                        return new Promise((resolve) => heldReached(() => resolve(super.send(request))));
                    }
                    if (request.method === "POST" && content.includes("FailThisPost")) {
                        return Promise.reject(new signalR.HttpError("Refused by the page's client", 500));
                    }
                    return super.send(request);
                }
            }
            const logger = capturingLogger(signalR.LogLevel.Information);
            const c = newBuilder().withUrl(hub + "?longPolling=1&serverSentEvents=1", { transport, httpClient: new Gate(logger) })
                .configureLogging(logger).build();
            const run = { start: await settle(c.start()) };
            if (c.state === signalR.HubConnectionState.Connected) {
                const heldSend = c.send("Echo", "HoldThisPost").then(() => events.push("held send resolved"), (e) => events.push("held send rejected: " + e));
                const release = await held;
                events.push("its POST reached the client");
                release();
                await heldSend;
                const failures = [
                    c.send("Echo", "FailThisPost").then(() => events.push("send resolved"), (e) => events.push("send rejected")),
                    c.invoke("Echo", "FailThisPost").then(() => events.push("invoke resolved"), (e) => events.push("invoke rejected")),
                ];
                run.failedSend = await settle(c.send("Echo", "FailThisPost"));
                run.failedInvoke = await settle(c.invoke("Echo", "FailThisPost"));
                await Promise.all(failures);
                run.stateAfter = c.state;
                run.after = await settle(c.invoke("Echo", "after"));
                await stopped(c);
            }
            run.events = events;
            run.logs = logger.lines;
            r[name] = run;
        }
        return r;
    },

    // The token each transport carries, and how often each client asks the factory for it.
    async accessTokenOverTransports() {
        const T = signalR.HttpTransportType;
        const r = {};
        for (const [name, transport] of Object.entries({ webSockets: T.WebSockets, serverSentEvents: T.ServerSentEvents, longPolling: T.LongPolling })) {
            let calls = 0;
            const c = connect(hub + "?serverSentEvents=1&longPolling=1", { transport, accessTokenFactory: () => "token-" + ++calls });
            r[name] = { start: await settle(c.start()) };
            if (c.state === signalR.HubConnectionState.Connected) {
                r[name].header = await settle(c.invoke("GetHeader", "Authorization"));
                r[name].query = await settle(c.invoke("GetQuery", "access_token"));
            }
            r[name].calls = calls;
            await stopped(c);
        }
        return r;
    },

    async builder() {
        const B = signalR.HubConnectionBuilder;
        return {
            withUrlNull: attempt(() => new B().withUrl(null)),
            withUrlUndefined: attempt(() => new B().withUrl()),
            withUrlEmpty: attempt(() => new B().withUrl("")),
            buildWithoutUrl: attempt(() => new B().build()),
            configureLoggingNull: attempt(() => new B().configureLogging(null)),
            configureLoggingUnknown: attempt(() => new B().configureLogging("loud")),
            configureLoggingName: attempt(() => new B().withUrl(hub).configureLogging("warn").build()),
            reconnectTwice: attempt(() => new B().withAutomaticReconnect().withAutomaticReconnect()),
            withHubProtocolNull: attempt(() => new B().withHubProtocol(null)),
            withCredentialsWrongType: attempt(() => new B().withUrl(hub, { withCredentials: "yes" }).build()),
            withCredentialsFalse: attempt(() => new B().withUrl(hub, { withCredentials: false }).build()),
            built: attempt(() => new B().withUrl(hub).build()),
            initialTimeouts: (() => {
                const c = new B().withUrl(hub).build();
                return [c.serverTimeoutInMilliseconds, c.keepAliveIntervalInMilliseconds, c.baseUrl.replace(location.origin, "ORIGIN"), c.state, c.connectionId];
            })(),
            builderTimeouts: (() => {
                const c = new B().withUrl(hub).withServerTimeout(1234).withKeepAliveInterval(567).build();
                return [c.serverTimeoutInMilliseconds, c.keepAliveIntervalInMilliseconds];
            })(),
        };
    },

    async enums() {
        const pick = (o) => Object.fromEntries(Object.entries(o).sort());
        return {
            HubConnectionState: pick(signalR.HubConnectionState),
            LogLevel: pick(signalR.LogLevel),
            HttpTransportType: pick(signalR.HttpTransportType),
            TransferFormat: pick(signalR.TransferFormat),
            MessageType: pick(signalR.MessageType),
            errors: ["HttpError", "TimeoutError", "AbortError"].map((name) => {
                const E = signalR[name];
                const e = name === "HttpError" ? new E("bad", 500) : new E();
                return [name, typeof E, e instanceof Error, e instanceof E, e.message, e.statusCode];
            }),
            builder: typeof signalR.HubConnectionBuilder,
            version: typeof signalR.VERSION,
        };
    },

    async badArguments() {
        const c = connect();
        await c.start();
        const cyclic = { name: "loop" };
        cyclic.self = cyclic;
        const r = {
            bigint: await settleCall(() => c.invoke("Echo", 10n)),
            cyclic: await settleCall(() => c.invoke("Echo", cyclic)),
            sendBigint: await settleCall(() => c.send("Echo", 10n)),
            sendCyclic: await settleCall(() => c.send("Echo", cyclic)),
            functionArg: await settleCall(() => c.invoke("Echo", () => 1)),
            symbolArg: await settleCall(() => c.invoke("Echo", Symbol("s"))),
        };
        r.state = c.state;
        r.echoAfter = await settle(c.invoke("Echo", "fine"));
        await c.stop();
        return r;
    },

    async baseUrl() {
        const c = connect(hub);
        const r = { initial: c.baseUrl.replace(location.origin, "ORIGIN") };
        r.setWhileDisconnected = attempt(() => { c.baseUrl = location.origin + hub + "?moved=1"; });
        r.after = c.baseUrl.replace(location.origin, "ORIGIN");
        await c.start();
        r.connected = c.baseUrl.replace(location.origin, "ORIGIN");
        r.setWhileConnected = attempt(() => { c.baseUrl = location.origin + hub; });
        r.moved = await settle(c.invoke("GetQuery", "moved"));
        await c.stop();
        r.setEmpty = attempt(() => { c.baseUrl = ""; });
        return r;
    },

    async serverTimeout() {
        const c = newBuilder()
            .withUrl(hub + "?noPing=1")
            .withServerTimeout(400)
            .configureLogging(signalR.LogLevel.None)
            .build();
        const onclose = closed(c);
        await c.start();
        return { onclose: await onclose, state: c.state };
    },

    async keepAliveKeepsServerTimeoutAway() {
        // The server pings every 15 s by default; the client's keep-alive pings go out after
        // what it receives (signalr.js arms them on the receive path), and the connection stays
        // up across them. The first ping follows the handshake; each answer arms the next.
        const hook = newHook();
        const c = newBuilder()
            .withUrl(hub + "?hook=" + hook)
            .withKeepAliveInterval(100)
            .configureLogging(signalR.LogLevel.None)
            .build();
        await c.start();
        for (const n of [2, 3, 4]) {
            await c.invoke("Echo", n);
            await serverReached(hook, "ping" + n);
        }
        const r = { state: c.state, echo: await settle(c.invoke("Echo", "idle")) };
        await c.stop();
        return r;
    },

    async twoConnectionsOneFails() {
        const good = connect();
        const bad = connect(hub + "?negotiateStatus=500");
        const goodClosed = [];
        good.onclose((e) => goodClosed.push(e));
        await good.start();
        const r = { badStart: await settle(bad.start()) };
        const broken = connect();
        const brokenClosed = closed(broken);
        await broken.start();
        await broken.send("SendRaw", "{not json\u001e");
        r.brokenClose = (await brokenClosed).error;
        r.goodEchoes = await Promise.all([1, 2, 3].map((i) => good.invoke("Echo", i)));
        r.goodState = good.state;
        r.goodCloses = goodClosed.length;
        await good.stop();
        return r;
    },

    async traceLogs() {
        const logger = capturingLogger(signalR.LogLevel.Trace);
        // A frame a message, so that the lines do not depend on which messages the server
        // joined into one frame.
        const c = connect(hub + "?frameEach=1", undefined, logger);
        c.on("message", () => {});
        await c.start();
        await c.invoke("SendToCaller", "message", "x");
        await c.send("Echo", 1);
        // Two sends of one turn leave in one message, logged once.
        await Promise.all([c.send("Echo", 2), c.send("Echo", 3)]);
        await c.stop();
        // Connection ids and tokens differ from run to run.
        return { lines: logger.lines.map(([level, m]) => [level, m.replace(location.host, "HOST").replace(/id=[\w-]+/g, "id=ID").replace(/'[\w-]{22}'/g, "'ID'")]) };
    },

    async reconnectAfterAbort() {
        const c = reconnecting([0]);
        await c.start();
        const first = c.connectionId;
        const r = { invoke: await settle(c.invoke("Abort")), state: c.state };
        r.invokeWhileReconnecting = await settle(c.invoke("Echo", 1));
        r.connectionIdWhileReconnecting = c.connectionId;
        await c.reconnected;
        r.newConnectionId = c.connectionId !== first && typeof c.connectionId === "string";
        r.echo = await settle(c.invoke("Echo", "back"));
        await c.stop();
        r.events = c.events;
        r.logs = c.logger.lines;
        return r;
    },

    // Automatic reconnect over the HTTP transports: the server drops the connection (over
    // Long Polling the poll then ends, over SSE the stream), and both clients reconnect.
    async reconnectOverHttpTransports() {
        const T = signalR.HttpTransportType;
        const r = {};
        for (const [name, transport] of Object.entries({ longPolling: T.LongPolling, serverSentEvents: T.ServerSentEvents })) {
            const url = hub + "?longPolling=1&serverSentEvents=1";
            const c = reconnecting([0], url, (b) => b.withUrl(url, transport));
            const start = await settle(c.start());
            if (c.state !== signalR.HubConnectionState.Connected) {
                r[name] = { start };
                continue;
            }
            r[name] = await afterReconnect(c, { start, abort: await settle(c.invoke("Abort")) });
        }
        return r;
    },

    async reconnectAfterServerClose() {
        const c = reconnecting([0]);
        await c.start();
        const live = await liveStream(c);
        const r = { invoke: await settle(c.invoke("CloseConnection", "bye", true)) };
        r.stream = (await live.ended).error;
        return afterReconnect(c, r);
    },

    async reconnectAfterServerTimeout() {
        const c = reconnecting([0], hub + "?noPing=1");
        c.serverTimeoutInMilliseconds = 2000; // long enough that a loaded machine sees no timeout but the one meant
        await c.start();
        await c.reconnected;
        const r = { state: c.state };
        await c.stop();
        r.events = c.events;
        return r;
    },

    async serverCloseWithoutReconnect() {
        const c = reconnecting([0]);
        await c.start();
        const r = { invoke: await settle(c.invoke("CloseConnection", "no more", false)), state: c.state };
        r.events = c.events;
        r.logs = c.logger.lines;
        return r;
    },

    async stopDuringReconnectDelay() {
        const c = reconnecting([60000]);
        await c.start();
        await settle(c.invoke("Abort"));
        const r = { before: c.state };
        const stopping = c.stop();
        r.afterStopCall = c.state;
        r.stop = await settle(stopping);
        r.state = c.state;
        r.events = c.events;
        r.logs = c.logger.lines;
        return r;
    },

    async retriesExhausted() {
        const contexts = [];
        const c = reconnecting({
            nextRetryDelayInMilliseconds(ctx) {
                contexts.push([ctx.previousRetryCount, typeof ctx.elapsedMilliseconds, describeError(ctx.retryReason)]);
                return ctx.previousRetryCount >= 2 ? null : 0;
            },
        });
        // Every attempt fails: the reconnect goes to a URL whose negotiate refuses.
        c.onreconnecting(() => { c.baseUrl = location.origin + hub + "?negotiateStatus=503"; });
        await c.start();
        await settle(c.invoke("Abort"));
        await c.closed;
        return { contexts, state: c.state, events: c.events, logs: c.logger.lines };
    },

    async retryPolicyDeclinesOrThrows() {
        const r = {};
        for (const [name, policy] of Object.entries({
            declines: { nextRetryDelayInMilliseconds: () => null },
            throws: { nextRetryDelayInMilliseconds: () => { throw new Error("policy broke"); } },
        })) {
            const c = reconnecting(policy);
            await c.start();
            await settle(c.invoke("Abort"));
            await c.closed;
            r[name] = { state: c.state, events: c.events, logs: c.logger.lines };
        }
        return r;
    },

    async stopInOnreconnecting() {
        const c = reconnecting([0]);
        const stopped = new Promise((resolve) => c.onreconnecting(() => resolve(settle(c.stop()))));
        await c.start();
        await settle(c.invoke("Abort"));
        const stop = await stopped;
        return { state: c.state, stop, events: c.events, logs: c.logger.lines };
    },

    async reconnectDuringStreamAndInvoke() {
        const c = reconnecting([0]);
        await c.start();
        const live = await liveStream(c);
        // Abort drops the connection while its own invocation is pending.
        const r = { pending: await settle(c.invoke("Abort")) };
        const stream = await live.ended;
        r.stream = { someItems: stream.items.length > 0, error: stream.error };
        await c.reconnected;
        r.streamAfter = await collect(c.stream("Counter", 2, 0));
        await c.stop();
        r.events = c.events;
        return r;
    },

    async reconnectAfterStall() {
        const c = reconnecting([0]);
        c.serverTimeoutInMilliseconds = 2000; // as reconnectAfterServerTimeout
        await c.start();
        const live = await liveStream(c);
        const r = { stalled: await settle(c.invoke("Stall")) };
        r.stream = (await live.ended).error;
        return afterReconnect(c, r);
    },

    async reconnectAfterServerRestart() {
        const origin = await (await fetch("/fault/restartable")).text();
        // The first attempts meet a server that is down: the retry reasons record each
        // kind of failure once, however many attempts the restart takes. The server stays
        // down until an attempt has been refused (the policy hears of it), then comes back.
        const reasons = [];
        let up;
        const c = reconnecting({
            nextRetryDelayInMilliseconds(ctx) {
                const reason = describeError(ctx.retryReason);
                if (!reasons.some((r) => JSON.stringify(r) === JSON.stringify(reason))) {
                    reasons.push(reason);
                }
                if (!up && ctx.previousRetryCount > 0) {
                    up = fetch("/fault/restartable/up", { method: "POST" });
                }
                return ctx.previousRetryCount < 50 ? 100 : null;
            },
        }, origin + hub);
        await c.start();
        const before = c.connectionId;
        const live = await liveStream(c);
        const pending = settle(c.invoke("Delay", 3000));
        const restart = await fetch(origin + "/fault/restart", { method: "POST" });
        const r = { restart: restart.status, stream: (await live.ended).error, pending: await pending };
        await c.reconnected;
        Object.assign(r, { reasons, newConnectionId: c.connectionId !== before });
        r.echo = await settle(c.invoke("Echo", "back"));
        await c.stop();
        r.events = c.events.map((e) => e.filter((x) => typeof x !== "string" || !x.startsWith("http")));
        return r;
    },

    async statefulReconnect() {
        const c = reconnecting([0], hub, (b) => b.withStatefulReconnect());
        const items = [];
        c.on("item", (i) => { items.push(i); });
        await c.start();
        const id = c.connectionId;
        // The drop loses the socket with items in flight both ways: the invocation is replayed
        // to the server, items 1-3 are replayed to us, and 4-6 were only ever buffered.
        const r = { invoke: await settle(c.invoke("DropTransport", 3, 3)) };
        r.items = items.slice();
        r.state = c.state;
        r.sameConnectionId = c.connectionId === id;
        r.echo = await settle(c.invoke("Echo", "after"));
        r.itemsAfter = items.length;
        await c.stop();
        r.events = c.events;
        r.logs = c.logger.lines;
        return r;
    },

    async statefulReconnectDuringStream() {
        const c = reconnecting([0], hub, (b) => b.withStatefulReconnect({ bufferSize: 1000 }));
        await c.start();
        const live = collect(c.stream("Counter", 8, 30));
        const r = { drop: await settle(c.invoke("DropTransport", 0, 0)) };
        r.stream = await live;
        r.send = await settle(c.send("Echo", "sent"));
        r.state = c.state;
        await c.stop();
        r.events = c.events;
        return r;
    },

    async statefulReconnectRefused() {
        const c = reconnecting([0], hub + "?noStateful=1", (b) => b.withStatefulReconnect());
        await c.start();
        const r = { invoke: await settle(c.invoke("DropTransport", 0, 1)) };
        return afterReconnect(c, r);
    },

    async freezeWarning() {
        const c = connect();
        document.dispatchEvent(new Event("freeze")); // not connected: nothing
        await c.start();
        document.dispatchEvent(new Event("freeze"));
        await c.stop();
        document.dispatchEvent(new Event("freeze"));
        return { logs: c.logger.lines };
    },

    async streams() {
        const c = connect();
        await c.start();
        const r = {
            counter: await collect(c.stream("Counter", 5, 0)),
            values: await collect(c.stream("StreamThenFail", [1, "two", { three: [3] }, null], "boom", false)),
            hubException: await collect(c.stream("StreamThenFail", [], "hub boom", true)),
            failsAtOnce: await collect(c.stream("StreamFailsAtOnce", "nope")),
            notStreaming: await collect(c.stream("Echo", 1)),
            unknown: await collect(c.stream("NoSuchMethod")),
            wrongArgs: await collect(c.stream("Counter", "x")),
            invokeStreaming: await settle(c.invoke("Counter", 1, 0)),
            bigint: attempt(() => c.stream("Counter", 10n, 0)),
        };
        const d = connect();
        r.notConnected = await collect(d.stream("Counter", 1, 0));
        r.echoAfter = await settle(c.invoke("Echo", "still fine"));
        r.logs = c.logger.lines;
        await c.stop();
        return r;
    },

    // Each frame is read in its own event, so the page's microtasks run between two: what a
    // handler queues runs before the next frame's handler (with ?frameEach=1 the server sends
    // each message as a WebSocket message of its own).
    // Invocations that arrive in one frame, as ASP.NET Core joins them: signalr.js calls each
    // one's first handler in turn, and awaits each handler's result before the next handler
    // of the same invocation, and before it logs about the result; the page's microtasks run
    // in between. A handler that throws is not awaited.
    async handlersOfOneFrame() {
        const order = [];
        const logger = capturingLogger(signalR.LogLevel.Information);
        const log = logger.log;
        logger.log = (level, message) => {
            if (/boom|Result|big/.test(message)) {
                order.push(message);
            }
            log.call(logger, level, message);
        };
        const c = connect(hub, undefined, logger);
        let done;
        const all = new Promise((resolve) => { done = resolve; });
        c.on("item", (i) => { order.push("first " + i); queueMicrotask(() => order.push("microtask " + i)); });
        c.on("item", (i) => { order.push("second " + i); if (i === 3) { setTimeout(done); } });
        c.on("result", (i) => { order.push("result " + i); return i; });
        c.on("boom", (i) => { order.push("boom " + i); throw new Error("boom " + i); });
        c.on("boom", (i) => { order.push("after boom " + i); });
        c.on("later", async (i) => { order.push("later " + i); await null; order.push("later resumed " + i); });
        c.on("later", (i) => { order.push("after later " + i); });
        // A result nobody expects is never serialised: a BigInt is no error.
        c.on("big", () => 1n);
        c.on("big", (i) => { order.push("after big " + i); });
        await c.start();
        // [1, {}, null, target, [i]] with its length, for an ASCII target shorter than 32.
        const hex = (bytes) => bytes.map((b) => b.toString(16).padStart(2, "0")).join("");
        const rec = messagePack
            ? (target, i) => {
                const body = [0x95, 0x01, 0x80, 0xc0, 0xa0 | target.length, ...[...target].map((ch) => ch.charCodeAt(0)), 0x91, i];
                return hex([body.length, ...body]);
            }
            : (target, i) => JSON.stringify({ type: 1, target, arguments: [i] }) + "\u001e";
        const frame = [["item", 1], ["result", 2], ["later", 4], ["big", 7], ["boom", 5], ["item", 2], ["boom", 6], ["item", 3]].map(([t, i]) => rec(t, i)).join("");
        await c.send(messagePack ? "SendRawHex" : "SendRaw", frame);
        await all;
        await c.stop();
        return { order };
    },

    async microtasksBetweenMessages() {
        const c = connect(hub + "?frameEach=1");
        const order = [];
        let done;
        const all = new Promise((resolve) => { done = resolve; });
        c.on("item", (i) => {
            order.push("handler " + i);
            queueMicrotask(() => order.push("microtask " + i));
            Promise.resolve().then(() => Promise.resolve()).then(() => order.push("chain " + i));
            if (i === 19) {
                setTimeout(done);
            }
        });
        await c.start();
        await c.send("SendMany", "item", 20, null);
        await all;
        await c.stop();
        return { order };
    },

    async streamDispose() {
        const c = connect();
        await c.start();
        const got = [];
        const stream = c.stream("Counter", 1000, 20);
        const ended = [];
        let sub;
        await new Promise((resolve) => {
            sub = stream.subscribe({
                next: (x) => { got.push(x); if (got.length === 3) resolve(); },
                error: (e) => ended.push(describeError(e)),
                complete: () => ended.push("complete"),
            });
        });
        sub.dispose();
        // The server saw the CancelInvocation once it counts the stream as canceled.
        let canceled = 0;
        for (let i = 0; i < 100 && canceled === 0; i++) {
            canceled = await c.invoke("CanceledStreams");
        }
        const r = { canceled, got, ended };

        // Of two subscribers, disposing one keeps the stream going for the other.
        const shared = c.stream("Counter", 3, 10);
        const first = [];
        const second = [];
        const firstSub = shared.subscribe({ next: (x) => first.push(x) });
        await new Promise((resolve) => shared.subscribe({ next: (x) => second.push(x), complete: resolve }));
        firstSub.dispose();
        r.shared = { first: first.length <= 3, second };
        await c.stop();
        return r;
    },

    async streamObserverThrows() {
        const c = connect();
        await c.start();
        const got = [];
        await new Promise((resolve) => c.stream("Counter", 3, 0).subscribe({
            next: (x) => { got.push(x); if (x === 1) { throw new Error("observer broke"); } },
            complete: resolve,
        }));
        const r = { got, state: c.state, logs: c.logger.lines.map(([level, m]) => [level, m.split("\n")[0]]) };
        await c.stop();
        return r;
    },

    async streamWhenConnectionDrops() {
        const c = connect();
        await c.start();
        const live = await liveStream(c);
        await settle(c.invoke("Abort"));
        const r = await live.ended;
        r.items = r.items.length > 0;
        return r;
    },

    async clientResults() {
        const c = connect();
        c.on("value", (x) => x * 2);
        c.on("asyncValue", async (x) => ({ doubled: x * 2 }));
        c.on("throws", () => { throw new Error("client boom"); });
        c.on("rejects", () => Promise.reject(new Error("async boom")));
        c.on("nothing", () => {});
        c.on("falsy", () => 0);
        c.on("twice", () => 1);
        c.on("twice", () => 2);
        c.on("onceOfTwo", () => {});
        c.on("onceOfTwo", () => "only me");
        await c.start();
        const r = {};
        for (const method of ["value", "asyncValue", "throws", "rejects", "nothing", "falsy", "twice", "onceOfTwo", "noHandler"]) {
            r[method] = await settle(c.invoke("ClientResult", method, 21));
        }
        r.state = c.state;
        r.logs = c.logger.lines;
        await c.stop();
        return r;
    },

    async clientStreams() {
        const c = connect();
        await c.start();
        const r = {};
        const numbers = new signalR.Subject();
        const sum = settle(c.invoke("UploadSum", numbers));
        for (const n of [1, 2, 3.5]) {
            numbers.next(n);
        }
        numbers.complete();
        r.sum = await sum;

        const items = new signalR.Subject();
        const collected = settle(c.invoke("UploadCollect", "label", items));
        items.next({ a: 1 });
        items.next("two");
        items.next(null);
        items.complete();
        r.collected = await collected;

        // Items sent a microtask each after the turn's batch of calls, and so after a later
        // batch (a send queued behind them) has been handed to Go: each is sent as given.
        const later = new signalR.Subject();
        const kept = settle(c.invoke("UploadCollect", "kept", later));
        for (const letter of ["a", "b", "c"]) {
            later.next(letter.repeat(40));
        }
        later.complete();
        let sentBehind;
        queueMicrotask(() => { sentBehind = settle(c.send("Echo", "z".repeat(200))); });
        r.kept = await kept;
        r.sentBehind = await sentBehind;

        // Both ways: a stream argument to stream().
        const echo = new signalR.Subject();
        const echoed = collect(c.stream("UploadEcho", echo));
        echo.next("x");
        echo.next([1, 2]);
        echo.complete();
        r.echoed = await echoed;

        // send() with a stream: the server sums it, nobody waits for the result.
        const sent = new signalR.Subject();
        r.send = await settle(c.send("UploadSum", sent));
        sent.next(1);
        sent.complete();

        // A stream that fails: the server sees its Completion error and the method ends.
        const failing = new signalR.Subject();
        const failed = settle(c.invoke("UploadCollect", "failing", failing));
        failing.next(1);
        failing.error(new Error("client stream broke"));
        r.failed = await failed;

        // Any object with subscribe() is a stream, as in signalr.js (RxJS observables).
        const observable = { subscribe(observer) { observer.next(5); observer.next(6); observer.complete(); return { dispose() {} }; } };
        r.observable = await settle(c.invoke("UploadSum", observable));

        r.wrongCount = await settle(c.invoke("UploadSum", 1));
        r.echoAfter = await settle(c.invoke("Echo", "ok"));
        r.logs = c.logger.lines;
        await c.stop();
        return r;
    },

    async consoleLogger() {
        const lines = [];
        const saved = {};
        for (const level of ["log", "debug", "info", "warn", "error"]) {
            saved[level] = console[level];
            console[level] = (...args) => lines.push([level, args.map(String).join(" ")
                .replace(/^\[[^\]]*\]/, "[TIME]")
                .replace(location.host, "HOST")
                .replace(/id=[^&\s]+/, "id=ID")]);
        }
        try {
            const c = newBuilder()
                .withUrl(hub)
                .configureLogging(signalR.LogLevel.Information)
                .build();
            c.on("boom", () => { throw new Error("boom"); });
            await c.start();
            await c.invoke("SendToCaller", "boom");
            await c.invoke("SendToCaller", "nobody");
            await c.stop();
            const d = newBuilder().withUrl("/nohub").build();
            await d.start().catch(() => {});
        } finally {
            Object.assign(console, saved);
        }
        return { lines };
    },
};
