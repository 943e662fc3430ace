// HubConnection is a shell over the Go connection (the core, see jsapi/doc.go): every method
// forwards, in one call, once the module is there. Calls that cannot wait (on, off, onclose)
// are queued until then and replayed in order.
// takeStreams is signalr.js's _replaceStreamingParams: arguments that can be subscribed to
// (a Subject, an RxJS observable) leave the arguments and become client-to-server streams.
// It is here, in JS, because it looks at every argument, which Go could only do with a
// boundary crossing per argument. Like signalr.js's, it skips the argument that follows
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

function connectionIdle(id) {
    liveConnections.delete(id);
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
        return function (...args) { return fn.deref().apply(self && self.deref(), args); };
    }
    if (value && typeof value === "object" && typeof value[method] === "function") {
        const object = new WeakRef(value);
        return { [method]: (...args) => object.deref()[method](...args) };
    }
    return value;
}

// coreOf is the Go core of a connection as the facade calls it: api.core's methods with the
// connection's id.
function coreOf(api, id) {
    const core = { id };
    for (const name of Object.keys(api.core)) {
        const method = api.core[name];
        core[name] = (...args) => method(id, ...args);
    }
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
        return this._settle((core, resolve, reject) => core.stop(resolve, reject)).catch((e) => {
            if (this._core) {
                throw e;
            }
        });
    }

    invoke(methodName, ...args) {
        const streams = takeStreams(args);
        return this._settle((core, resolve, reject) => core.invoke(methodName, args, streams, resolve, reject));
    }

    // send() throws, rather than rejects, when the arguments cannot be serialised, as
    // signalr.js's does. Before the module is there, the browser's JSON (which the bridge
    // uses too) tells at once.
    send(methodName, ...args) {
        const streams = takeStreams(args);
        if (!this._core) {
            const protocol = this._config.protocol;
            JSON.stringify(args, protocol && protocol.name === "messagepack" ? msgpackReplacer : undefined);
        }
        let sync = true;
        let thrown;
        const sent = this._settle((core, resolve, reject) => {
            const error = core.send(methodName, args, streams, resolve, reject);
            if (error && sync) {
                thrown = error;
            } else if (error) {
                reject(error);
            }
        });
        sync = false;
        if (thrown) {
            throw thrown;
        }
        return sent;
    }

    // stream() returns its Subject at once; the items flow once the invocation is sent. Like
    // send(), it throws when the arguments cannot be serialised (once the module is there).
    stream(methodName, ...args) {
        const streams = takeStreams(args);
        const subject = new Subject();
        let sync = true;
        let thrown;
        const id = this._settle((core, resolve) => {
            const result = core.stream(methodName, args, streams, subject);
            if (result instanceof Error && sync) {
                thrown = result;
            } else if (result instanceof Error) {
                subject.error(result);
            }
            resolve(result);
        });
        sync = false;
        if (thrown) {
            throw thrown;
        }
        id.catch((e) => subject.error(e)); // the module never loaded
        subject.cancelCallback = () => id.then((streamId) => {
            if (typeof streamId === "string") {
                const error = this._core.cancelStream(streamId);
                if (error) {
                    throw error;
                }
            }
        });
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

    // _settle calls the core at once when it is there, so that state changes are visible
    // right after the call, and after the module arrives otherwise.
    _settle(call) {
        if (this._core) {
            return new Promise((resolve, reject) => call(this._core, resolve, reject));
        }
        return this._ready.then((core) => new Promise((resolve, reject) => call(core, resolve, reject)));
    }

    _call(method, args) {
        if (this._core) {
            this._core[method](...args);
        } else {
            this._queued.push([method, args]);
        }
    }
}
