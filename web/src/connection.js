// HubConnection is a shell over the Go connection (the core, see jsapi/doc.go). send, invoke,
// stream and cancelling a stream are joined per turn of the event loop and reach Go in one
// call; the rest forwards one call each. Calls made before the module is there wait for it
// and run in order.
// takeStreams is signalr.js's _replaceStreamingParams: arguments that can be subscribed to
// (a Subject, an RxJS observable) leave the arguments and become client-to-server streams.
// It is here, in JS, because it looks at every argument, which Go could only do with a
// boundary crossing per argument; the facade subscribes to them too (_launchStreams). Like signalr.js's, it skips the argument that follows
// each one it takes out.
function takeStreams(args) {
    let streams;
    for (let i = 0; i < args.length; i++) {
        const arg = args[i];
        if (arg && typeof arg.subscribe === "function") {
            (streams || (streams = [])).push(arg);
            args.splice(i, 1);
        }
    }
    return streams;
}

// A connection that has been started and is not Disconnected again keeps itself alive, as
// signalr.js's does (its socket's handlers hold it); any other is collected once the page drops
// it, and then its Go core is disposed of (jsapi/doc.go). Go calls connectionIdle when a
// connection is Disconnected again.
const liveConnections = new Map();
const disposeCore = new FinalizationRegistry((core) => core.dispose());

// sendsShared(id, shared) is Go's word on whether connection id's sends share one Promise per
// turn from now on (jsapi/doc.go): signalr.js's sends made in one turn while it is connected
// all return its send queue's one Promise.
function sendsShared(id, shared) {
    const connection = liveConnections.get(id);
    if (connection) {
        connection._sendsShared = shared;
    }
}

function connectionIdle(id) {
    liveConnections.delete(id);
}

// pending holds every call's Promise (its resolve and reject) or Subject by the key that Go's
// deliveries name; lastKey is the last key given, for every connection of the page.
const pending = new Map();
let lastKey = 0;

// sharedSends are the runs of sends that share one Promise (HubConnection.send), each the
// keys first to last of consecutive sends of one turn and their client-to-server streams,
// settled by the first outcome Go hands over for any of them and then dropped: a key and a
// settle per send were a tenth of a burst's sending. A key given to anything else, on any
// connection, ends the run: the turn's next shared send starts another, sharing its Promise.
const sharedSends = [];

function callOf(key) {
    const call = pending.get(key);
    if (call || sharedSends.length === 0) {
        return call;
    }
    return sharedSends.find((run) => key >= run.first && key <= run.last);
}

// sharedRun starts a run of sends at key, settling the Promise of resolve and reject.
function sharedRun(key, resolve, reject) {
    const run = {
        first: key,
        last: key,
        resolve: (value) => { dropRun(run); resolve(value); },
        reject: (error) => { dropRun(run); reject(error); },
    };
    sharedSends.push(run);
    return run;
}

function dropRun(run) {
    const i = sharedSends.indexOf(run);
    if (i >= 0) {
        sharedSends.splice(i, 1);
    }
}

// deliver walks what Go hands back in one call per turn (jsapi/doc.go): results, stream
// items and ends, in the order they happened. errs holds the errors that records name.
function deliver(text, errs) {
    for (let at = 0; at < text.length;) {
        const comma = text.indexOf(",", at);
        const end = text.indexOf("\x1e", comma);
        const kind = text[at];
        const key = +text.slice(at + 1, comma);
        const payload = text.slice(comma + 1, end);
        at = end + 1;
        if (kind === "K") {
            settleSends(key, payload === "" ? key : +payload);
            continue;
        }
        const call = callOf(key);
        if (call && kind === "F") {
            const error = errs[+payload];
            queueMicrotask(() => failCall(call, key, error));
        } else if (call && kind === "X") {
            if (call.turn) {
                call.turn.reject(errs[+payload]);
            } else {
                failCall(call, key, errs[+payload]);
            }
        } else if (call && kind === "I") {
            call.id = payload; // a stream's invocation id, for cancelling it
        } else if (call && kind === "M") {
            nextItems(call, key, JSON.parse(payload));
        } else if (call) {
            settleCall(call, key, kind, payload, errs);
        }
    }
}

// nextItems hands a stream's items to its observers one by one, as signalr.js does with each
// StreamItem message: what an observer throws for one is logged, and the next goes on; once
// the stream is cancelled (its last subscription disposed), the rest go nowhere.
function nextItems(call, key, items) {
    for (const item of items) {
        if (pending.get(key) !== call) {
            return;
        }
        try {
            call.subject.next(item);
        } catch (e) {
            streamCallbackThrew(call, e);
        }
    }
}

// settleSends resolves the Promises of the sends first to last, a run that Go made one record
// (so every key in it is a send's: a run of shared sends that holds one holds those after it
// up to its last, which are its own).
function settleSends(first, last) {
    for (let key = first; key <= last; key++) {
        const call = pending.get(key);
        if (call) {
            pending.delete(key);
            call.resolve();
            continue;
        }
        const run = callOf(key);
        if (run) {
            key = run.last;
            run.resolve();
        }
    }
}

function settleCall(call, key, kind, payload, errs) {
    if (kind === "E") {
        failCall(call, key, errs[+payload]);
        return;
    }
    let value;
    try {
        if (payload !== "") {
            value = JSON.parse(payload, kind === "r" || kind === "n" ? msgpackReviver : undefined);
        }
    } catch (e) {
        if (call.subject) {
            streamCallbackThrew(call, e);
        } else {
            pending.delete(key);
            call.reject(e);
        }
        return;
    }
    if (!call.subject) {
        pending.delete(key);
        call.resolve(value);
        return;
    }
    if (kind !== "n") {
        pending.delete(key);
    }
    try {
        if (kind === "C") {
            call.subject.complete();
        } else {
            call.subject.next(value);
        }
    } catch (e) {
        streamCallbackThrew(call, e);
    }
}

// failCall ends call key with error: an invoke's Promise rejects, a stream's Subject errors
// (what its observer throws is logged, as signalr.js does).
function failCall(call, key, error) {
    pending.delete(key);
    if (!call.subject) {
        call.reject(error);
        return;
    }
    try {
        call.subject.error(error);
    } catch (e) {
        streamCallbackThrew(call, e);
    }
}

// streamCallbackThrew logs what a stream's observer threw with the connection's logger, as
// signalr.js does, and goes on with the next delivery.
function streamCallbackThrew(call, error) {
    call.connection._core.streamCallbackThrew(error);
}

// watchPage(id, lockName, event) does for connection id, while it is up, what
// jsapi/page_js.go decides: it holds the tab's Web Lock lockName, shared (none when lockName
// is empty or the browser has no Web Locks), and reports the page's freeze, resume and
// visibility changes and the network coming back to event(id, type). It returns what undoes
// both.
function watchPage(id, lockName, event) {
    let release;
    if (lockName && typeof navigator === "object" && typeof navigator.locks === "object") {
        const held = new Promise((resolve) => { release = resolve; });
        navigator.locks.request(lockName, { mode: "shared" }, () => held);
    }
    const listeners = [];
    const listen = (target, type) => {
        const listener = () => event(id, type);
        target.addEventListener(type, listener);
        listeners.push([target, type, listener]);
    };
    if (typeof document === "object") {
        listen(document, "freeze");
        listen(document, "resume");
        listen(document, "visibilitychange");
    }
    if (typeof addEventListener === "function") {
        listen(globalThis, "online");
    }
    return () => {
        for (const [target, type, listener] of listeners) {
            target.removeEventListener(type, listener);
        }
        if (release) {
            release();
        }
    };
}

// applyHandler calls a handler (through its stand-in, weakly's) with the arguments Go hands
// over as JSON text.
// signalr.js awaits each handler's result (`res = await m.apply(this, args)`) before the next
// handler and before it looks at the result. When something follows that await (awaited: a
// handler, an answer), or there is a result to look at (a truthy one: signalr.js logs that
// nobody expects it), the await is taken here, as the handler returns, so that Go goes on
// (settled) at the tick where signalr.js resumes: it returns the await's token, which settled
// gives back. Else it returns 0, and Go goes on at once; so it does when the handler throws:
// signalr.js's await is skipped then.
function applyHandler(fn, text, tagged, awaited, settled) {
    const result = fn.withArguments(text === "" ? [] : JSON.parse(text, tagged ? msgpackReviver : undefined));
    if (!awaited && !result) {
        return 0;
    }
    const token = ++handlerAwaits;
    Promise.resolve(result).then((value) => settled(token, true, value, !!value), (error) => settled(token, false, error));
    return token;
}

let handlerAwaits = 0;

const tooDeep = "Too deep objects in depth 101";

// serialise is what signalr.js's protocol would write for a value (the arguments, a stream
// item), as JSON text: it throws where signalr.js's writeMessage throws (a BigInt; a cycle,
// which MessagePack's encoder reports as too deep).
function serialise(value, protocol) {
    let text;
    if (!protocol || protocol.name !== "messagepack" || plainForMsgpack(value, 0)) {
        text = JSON.stringify(value);
    } else {
        try {
            text = JSON.stringify(value, msgpackReplacer);
        } catch (e) {
            if (e instanceof TypeError && (e.message.startsWith("Converting circular structure") || e.message.includes("cyclic"))) {
                throw new Error(tooDeep);
            }
            throw e;
        }
    }
    return text === undefined ? "null" : text; // undefined, a function: null, as in an array
}

// plainForMsgpack tells a value that JSON.stringify writes as it writes it with
// msgpackReplacer, which then changes nothing: strings, finite numbers, booleans, null, and
// arrays and plain objects (without toJSON or undefined) of them, to a depth past which a
// value takes the replacer. The replacer is a call from JSON's loop into JS for each value:
// it was most of what serialising a call's arguments for MessagePack cost.
function plainForMsgpack(value, depth) {
    switch (typeof value) {
        case "string":
        case "boolean":
            return true;
        case "number":
            return Number.isFinite(value);
        case "object":
            break;
        default:
            return false;
    }
    if (value === null) {
        return true;
    }
    if (depth > 32 || typeof value.toJSON === "function") {
        return false;
    }
    if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
            if (!plainForMsgpack(value[i], depth + 1)) {
                return false;
            }
        }
        return true;
    }
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
        return false;
    }
    for (const key in value) {
        if (!plainForMsgpack(value[key], depth + 1)) {
            return false;
        }
    }
    return true;
}

// streamErrorMessage is the Completion error signalr.js sends for a stream's error(err).
function streamErrorMessage(err) {
    if (!err) {
        return "Unknown error";
    }
    if (err instanceof Error) {
        return String(err.message);
    }
    if ((typeof err !== "object" && typeof err !== "function") || typeof err.toString === "function") {
        return String(err);
    }
    return "Unknown error";
}

// weakly is the stand-in Go holds for a page function or object it calls (a handler, a
// callback, a logger, a retry policy, a token factory): it reaches the page's value through a
// WeakRef, and the HubConnection holds the value itself. A page function that closes over its
// connection, as handlers and onclose callbacks usually do, therefore does not keep the
// connection reachable from Go. Functions are called with the connection as `this`, objects
// with the one method Go calls.
function weakly(value, connection, method) {
    if (typeof value === "function") {
        const fn = new WeakRef(value);
        const self = connection && new WeakRef(connection);
        const withArguments = (args) => fn.deref().apply(self && self.deref(), args);
        const standIn = function (...args) { return withArguments(args); };
        // applyHandler's way in: the array it parsed, without a rest array and a second apply.
        standIn.withArguments = withArguments;
        return standIn;
    }
    if (value && typeof value === "object" && typeof value[method] === "function") {
        const object = new WeakRef(value);
        return { [method]: (...args) => object.deref()[method](...args) };
    }
    return value;
}

// coreOf is the Go core of a connection as the facade calls it: api.core's methods with the
// connection's id. A turn's calls take events.js's postCalls, or, while Go is inside a call
// to JS, the core's calls method.
function coreOf(api, id) {
    const core = { id };
    for (const name of Object.keys(api.core)) {
        const method = api.core[name];
        core[name] = (...args) => method(id, ...args);
    }
    const calls = core.calls;
    core.calls = (batch) => api.postCalls(id, batch) || calls(batch);
    return core;
}

class HubConnection {
    /** @internal */
    constructor(config) {
        this._config = config;
        this._core = null;
        this._queued = [];
        // The page's handlers and callbacks, held here for Go's stand-ins (weakly).
        this._handlers = new Map();
        this._callbacks = [];
        this._standIns = new WeakMap();
        this._serverTimeout = config.serverTimeoutInMilliseconds;
        this._keepAlive = config.keepAliveIntervalInMilliseconds;
        this._ready = loadModule().then((api) => {
            const options = config.options && {
                ...config.options,
                logger: weakly(config.options.logger, null, "log"),
                accessTokenFactory: weakly(config.options.accessTokenFactory),
            };
            const id = api.createConnection({
                ...config,
                options,
                logger: weakly(config.logger, null, "log"),
                reconnectPolicy: weakly(config.reconnectPolicy, null, "nextRetryDelayInMilliseconds"),
                startRetryPolicy: weakly(config.startRetryPolicy, null, "nextRetryDelayInMilliseconds"),
                serverTimeoutInMilliseconds: this._serverTimeout,
                keepAliveIntervalInMilliseconds: this._keepAlive,
            });
            if (id instanceof Error) {
                throw id;
            }
            const core = coreOf(api, id);
            disposeCore.register(this, core);
            this._core = core;
            for (const [method, args] of this._queued) {
                core[method](...args);
            }
            this._queued = null;
            return core;
        });
        // A page that never calls start() must not see an unhandled rejection if loading fails.
        this._ready.catch(() => {});
    }

    // Before the module is there, a start() already asked for reads as Connecting, as it would
    // in signalr.js right after start().
    get state() {
        if (this._core) {
            return this._core.state();
        }
        return this._startQueued ? HubConnectionState.Connecting : HubConnectionState.Disconnected;
    }

    get connectionId() { return this._core ? this._core.connectionId() : null; }

    get baseUrl() { return this._core ? this._core.baseUrl() : this._config.url; }

    set baseUrl(url) {
        if (!this._core) {
            if (!url) {
                throw new Error("The HubConnection url must be a valid url.");
            }
            this._config.url = url;
            return;
        }
        const error = this._core.setBaseUrl(url);
        if (error) {
            throw error;
        }
    }

    get serverTimeoutInMilliseconds() { return this._serverTimeout; }

    set serverTimeoutInMilliseconds(ms) {
        this._serverTimeout = ms;
        if (this._core) {
            this._core.setServerTimeout(ms);
        }
    }

    get keepAliveIntervalInMilliseconds() { return this._keepAlive; }

    set keepAliveIntervalInMilliseconds(ms) {
        this._keepAlive = ms;
        if (this._core) {
            this._core.setKeepAliveInterval(ms);
        }
    }

    start() {
        if (!this._core) {
            this._startQueued = true;
        }
        return this._settle((core, resolve, reject) => {
            this._startQueued = false;
            liveConnections.set(core.id, this);
            core.start(resolve, reject);
        });
    }

    // A connection whose module never loaded was never started: stopping it succeeds.
    stop() {
        this._sendsShared = false; // stop() leaves the Connected state at once
        return this._settle((core, resolve, reject) => core.stop(resolve, reject)).catch((e) => {
            if (this._core) {
                throw e;
            }
        });
    }

    invoke(methodName, ...args) {
        const streams = takeStreams(args);
        let text;
        try {
            text = serialise(args, this._config.protocol);
        } catch (e) {
            return Promise.reject(e);
        }
        return new Promise((resolve, reject) => {
            const key = ++lastKey;
            const call = { resolve, reject };
            pending.set(key, call);
            this._failWithTurn(key, call);
            this._post("i", key, methodName, text, streams);
        });
    }

    // send() throws, rather than rejects, when the arguments cannot be serialised, as
    // signalr.js's does.
    send(methodName, ...args) {
        const streams = takeStreams(args);
        const text = serialise(args, this._config.protocol);
        if (this._sendsShared) {
            // One Promise for the turn's sends, settled by the first outcome of any of them
            // (they leave in one frame): signalr.js's send queue's, without one per send.
            const batch = this._turnSends();
            batch.failing = null; // the page may react to the turn's Promise from here on
            const key = ++lastKey;
            if (batch.run && batch.run.last === key - 1) {
                batch.run.last = key; // before the send, whose outcome may come within it
            } else {
                batch.run = sharedRun(key, batch.settleSends.resolve, batch.settleSends.reject);
            }
            this._post("s", key, methodName, text, streams);
            batch.run.last = lastKey; // and its streams' keys
            return batch.sends;
        }
        return new Promise((resolve, reject) => {
            const key = ++lastKey;
            pending.set(key, { resolve, reject });
            this._post("s", key, methodName, text, streams);
        });
    }

    // stream() returns its Subject at once; the items flow once the invocation is sent. Like
    // send(), it throws when the arguments cannot be serialised.
    stream(methodName, ...args) {
        const streams = takeStreams(args);
        const text = serialise(args, this._config.protocol);
        const subject = new Subject();
        const key = ++lastKey;
        const call = { subject, connection: this };
        pending.set(key, call);
        this._failWithTurn(key, call);
        this._post("t", key, methodName, text, streams);
        // Like signalr.js's, it cancels on the server even a stream that has ended.
        subject.cancelCallback = () => {
            pending.delete(key);
            this._post("x", key, call.id || "");
            return Promise.resolve();
        };
        return subject;
    }

    on(methodName, newMethod) {
        if (methodName && newMethod) {
            const name = String(methodName).toLowerCase();
            this._handlers.set(name, (this._handlers.get(name) || new Set()).add(newMethod));
        }
        this._call("on", [methodName, this._standIn(newMethod)]);
    }

    off(methodName, method) {
        if (methodName) {
            const name = String(methodName).toLowerCase();
            if (method) {
                this._handlers.get(name)?.delete(method);
            } else {
                this._handlers.delete(name);
            }
        }
        this._call("off", [methodName, this._standIn(method)]);
    }

    onclose(callback) { this._callback("onclose", callback); }

    onreconnecting(callback) { this._callback("onreconnecting", callback); }

    onreconnected(callback) { this._callback("onreconnected", callback); }

    _callback(method, callback) {
        if (callback) {
            this._callbacks.push(callback);
        }
        this._call(method, [this._standIn(callback)]);
    }

    // _standIn is the one stand-in of a page function for this connection, so that Go
    // recognises it again in off().
    _standIn(fn) {
        if (typeof fn !== "function") {
            return fn;
        }
        let standIn = this._standIns.get(fn);
        if (!standIn) {
            standIn = weakly(fn, this);
            this._standIns.set(fn, standIn);
        }
        return standIn;
    }

    // _turnSends is this turn's batch with its sends' one Promise (send()).
    _turnSends() {
        const batch = this._batch || this._newBatch();
        if (!batch.sends) {
            batch.sends = new Promise((resolve, reject) => { batch.settleSends = { resolve, reject }; });
        }
        return batch;
    }

    // _failWithTurn has an invoke or a stream fail, when the turn's frame cannot be sent, in
    // a reaction to the turn's sends' Promise, as signalr.js's fail in one to its send
    // queue's, made at each call: in call order among the page's reactions to the turn's
    // sends (Go's record of such a failure is an X, deliver). The calls between two sends
    // share one reaction, as nothing the page can see comes between theirs: a burst of
    // invokes makes one. A reaction holds the calls' keys, not the calls: a turn of invokes
    // has no send to settle its Promise, which may then stay pending as long as a stream of
    // that turn keeps its batch.
    _failWithTurn(key, call) {
        if (!this._sendsShared) {
            return;
        }
        const batch = this._turnSends();
        call.turn = batch.settleSends; // not the batch, whose text is the whole turn's
        if (!batch.failing) {
            const keys = batch.failing = [];
            batch.sends.catch((e) => {
                for (const k of keys) {
                    const failed = pending.get(k);
                    if (failed) {
                        failCall(failed, k, e);
                    }
                }
            });
        }
        batch.failing.push(key);
    }

    // _post adds a call to this turn's batch (jsapi/doc.go), which leaves in a microtask, or
    // once the module is there, or before any other call to the core: Go sees the calls in
    // the page's order. The call's client-to-server streams get the keys after its own.
    _post(kind, key, methodName, text, streams) {
        this._record(kind, key, String(methodName), text, streams ? streams.length : 0);
        if (kind !== "x") {
            this._batch.keys.push(key);
        }
        if (streams) {
            lastKey += streams.length;
            this._launchStreams(streams, key + 1);
        }
        if (this._afterStartOrStop) {
            this._flushNow();
        }
    }

    // _launchStreams subscribes to a call's client-to-server streams at once, as signalr.js's
    // _launchStreams does, and posts their items and ends: Go sends each after the call.
    _launchStreams(streams, firstKey) {
        const protocol = this._config.protocol;
        streams.forEach((stream, i) => {
            const key = firstKey + i;
            try {
                stream.subscribe({
                    next: (item) => {
                        let text;
                        try {
                            text = serialise(item, protocol);
                        } catch (e) {
                            this._record("y", key, e.message === tooDeep ? tooDeep : String(e), "", 0);
                            return;
                        }
                        this._record("y", key, "", text, 0);
                    },
                    error: (err) => this._record("z", key, streamErrorMessage(err), "", 0),
                    complete: () => this._record("z", key, "", "", 0),
                });
            } catch (e) {
                this._record("l", key, String(e), "", 0);
            }
        });
    }

    // _record adds a record to this turn's batch (jsapi/doc.go's format).
    _record(kind, key, name, text, streamCount) {
        const batch = this._batch || this._newBatch();
        if (kind === "x") {
            batch.text += "x" + key + "," + name + "\x1e"; // name: the stream's invocation id
        } else {
            batch.text += kind + key + "," + streamCount + "," + name.length + "," + name + text + "\x1e";
        }
    }

    // _newBatch starts this turn's batch, which leaves in a microtask (or once the module is
    // there).
    _newBatch() {
        const batch = this._batch = { text: "", keys: [], sends: null, settleSends: null, run: null, failing: null };
        const flush = () => this._flush(batch);
        if (this._core) {
            queueMicrotask(flush);
        } else {
            this._ready.then(flush, (e) => {
                for (const k of batch.keys) {
                    const call = pending.get(k);
                    pending.delete(k);
                    if (call) {
                        call.subject ? call.subject.error(e) : call.reject(e);
                    }
                }
            });
        }
        return batch;
    }

    _flush(batch) {
        if (this._batch === batch) {
            this._batch = null;
        }
        if (!batch.sent) {
            batch.sent = true;
            this._core.calls(batch.text);
        }
    }

    // _flushNow sends this turn's batch before a call that does not wait for it; before the
    // module is there, the batch already waits in line, and what follows waits behind it.
    _flushNow() {
        const batch = this._batch;
        if (batch && this._core) {
            this._flush(batch);
        }
        this._batch = null;
    }

    // _settle calls the core at once when it is there, so that state changes are visible
    // right after the call, and after the module arrives otherwise.
    //
    // The calls that follow start() or stop() in the same turn go to Go at once, as in
    // signalr.js they meet the state that start() or stop() left (an invoke() right after
    // stop() is sent, then cancelled by the close), not the one a microtask later.
    _settle(call) {
        this._flushNow();
        if (!this._afterStartOrStop) {
            this._afterStartOrStop = true;
            queueMicrotask(() => { this._afterStartOrStop = false; });
        }
        if (this._core) {
            return new Promise((resolve, reject) => call(this._core, resolve, reject));
        }
        return this._ready.then((core) => new Promise((resolve, reject) => call(core, resolve, reject)));
    }

    _call(method, args) {
        this._flushNow();
        if (this._core) {
            this._core[method](...args);
        } else {
            this._queued.push([method, args]);
        }
    }
}
