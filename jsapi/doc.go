// Package jsapi is the bridge between the JS facade (web/src) and the Go engine.
//
// Crossing the JS/Go boundary costs microseconds per call and per string (measured in
// headless Chromium: README, "Numbers"), so the bridge is shaped around few, coarse crossings:
// a call from JS is one Go function call carrying the arguments as one JS array that Go
// serialises with one JSON.stringify call; results come back as one resolve/reject call
// with a value built by one JSON.parse. Promises are made by the facade and handed in as
// resolve/reject functions, so no Go-made Promise (two more callbacks) is ever needed.
//
// MessagePack values take the same road: one string each way. The facade's JSON.stringify
// (with a replacer that tags what JSON cannot carry: binary, Dates, non-finite numbers) makes
// the string, Go transcodes it to MessagePack (protocol/msgpack_json.go), and back the other
// way JSON.parse (with a reviver only when Go saw a tag) builds the value. The alternative,
// Go reading and building the JS values field by field, was measured (`make bench-wasm`,
// Chromium 156, a chat message with a Date, a Uint8Array and an array of three strings):
//
//	encode: one string transcoded 15.2 µs, fields walked from Go 83.4 µs
//	decode: one string transcoded 15.2 µs, values built from Go 42.1 µs
//
// On the wire, the frames Go writes to a WebSocket in one turn of the event loop leave joined
// in one message, sent in a microtask (transport/websocket_js.go), as signalr.js's
// TransportSendQueue joins the sends of a turn; the items and ends of an invocation's
// client-to-server streams are chained instead, each written a microtask after the one before
// and so in a frame of its own (upload_js.go's chain), as signalr.js chains them on its send
// promises.
//
// The contract with the facade:
//
//	wasm main calls globalThis[env SIGNALR_WASM_READY](api) once, then parks.
//	api.init({createError, msgpackReplacer, msgpackReviver, connectionIdle})
//	    createError(kind, message, extra) -> Error
//	    kinds: "Error", "AbortError", "TimeoutError", "HttpError",
//	    "FailedToNegotiateWithServerError", "FailedToStartTransportError",
//	    "AggregateErrors", "DisabledTransportError", "UnsupportedTransportError",
//	    "DecodeError", "RangeError"
//	    msgpackReplacer, msgpackReviver: web/src/values.js
//	    connectionIdle(id): the connection is Disconnected (a failed start, its final close)
//	api.createConnection(config) -> id (a number), or an Error to throw
//	    config: {url, requestedUrl, options, logger, protocol, serverTimeoutInMilliseconds,
//	             keepAliveIntervalInMilliseconds}
//	      url: absolute, resolved by build() as signalr.js does; requestedUrl: as given
//	      options: the merged IHttpConnectionOptions object as the page gave it
//	      logger: the builder's configureLogging value: undefined, a LogLevel number or an ILogger
//	      protocol: the IHubProtocol object given to withHubProtocol, or undefined; its name
//	                picks the Go protocol ("json" or "messagepack")
//	      reconnectPolicy: the IRetryPolicy of withAutomaticReconnect, or undefined
//	      startRetryPolicy: the IRetryPolicy of withStartRetry, or undefined
//	      tabKeepAlive: hold the tab's Web Lock while connected (withTabKeepAlive, default true)
//	api.core.<method>(id, ...arguments), the methods of one connection:
//	start(resolve, reject)            stop(resolve, reject)
//	invoke(name, argsArray, streams, resolve, reject)
//	send(name, argsArray, streams, resolve, reject) -> undefined or an Error to throw
//	stream(name, argsArray, streams, subject) -> stream id, or an Error to throw
//	  streams: undefined, or the arguments the facade took out as client-to-server streams
//	cancelStream(id) -> undefined or an Error
//	on(name, fn)   off(name[, fn])   onclose(fn)   onreconnecting(fn)   onreconnected(fn)
//	state() -> string   connectionId() -> string|null   baseUrl() -> string
//	setBaseUrl(url) -> undefined or an Error for the facade to throw
//	setServerTimeout(ms)   setKeepAliveInterval(ms)
//	dispose(): the facade HubConnection was collected; the core stops what is left and lets
//	    go of what it holds
//	api.counters() -> {cores, funcs}: for tests (live cores, live Go functions)
//
// A dropped connection is freed. Go holds nothing that leads back to the facade: the page's
// functions and objects it calls (handlers, callbacks, the logger, the retry policies, the
// token factory) reach it as stand-ins that the facade makes (web/src/connection.js's
// weakly), which call them through WeakRefs and give handlers and callbacks the connection as
// `this`; the facade holds the values themselves. So a HubConnection the page drops is
// collected even when its handlers close over it, and a FinalizationRegistry then disposes of
// its core. Between start() and connectionIdle the facade keeps itself alive, as signalr.js's
// connection is kept alive by its socket.
//
// Every entry recovers panics: a fault becomes a rejected Promise or a logged error,
// never a dead runtime that would take every connection on the page with it.
package jsapi
