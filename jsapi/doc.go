// Package jsapi is the bridge between the JS facade (web/src) and the Go engine.
//
// Crossing the JS/Go boundary costs tens of microseconds per call and a few per string, so
// the bridge crosses once per turn of the event loop in each direction, not once per message:
//
//   - Out: the facade (web/src/connection.js) serialises each call's arguments with the
//     page's own JSON.stringify, as signalr.js's protocol does (so a BigInt or a cycle throws
//     from send() and stream() at once), keeps the call's Promise or Subject under a key of
//     its own, and adds the call to the turn's batch: one string that reaches Go in one
//     crossing, in a microtask (or before any other call to the core, so Go sees every call
//     in the page's order), written into Go's memory as a socket's messages are (below).
//     calls_js.go runs each call against the engine.
//   - In: a WebSocket's or an EventSource's message reaches Go without a js.Value: the
//     facade writes its data into Go's memory and calls two wasm exports, one that queues
//     it and the runtime's resume (web/src/events.js, internal/jsevents), in one crossing
//     per message, not per turn: signalr.js reads each message in its own event, and the
//     page's microtasks run between two (a stream's subscriber that disposes of it after an
//     item sees no later item); batching messages across events would reorder those. What
//     the message leaves for the page and the socket goes out before that crossing returns
//     (jsutil.Entry). Long Polling receives a poll's messages in one response.
//   - Back: the engine's outcomes (results, stream items and ends, errors) are recorded in
//     one string (calls_js.go's deliveries) that reaches the facade's deliver in one call,
//     before the call from JS that produced them returns (jsutil.Entry: the calls and the
//     socket's events; else in a microtask), and before Go calls any page code (a handler, a callback, a
//     logger), so the page sees everything in the order it happened. deliver parses the
//     values with JSON.parse and settles the Promises and Subjects by key.
//
// So a message goes, for invoke("Echo", x): HubConnection.invoke → serialise → _post (the
// batch) → postCalls → jsevents → core.calls → client.HubConnection.InvokeAsync → the protocol's
// frame → the connection's protocol.Link → transport (websocket_js.go joins the frames of a
// turn) → the socket; the server's Completion → listenEvents → jsevents → the transport's
// inbound, which hands it, in the same call, to the function the connection's read loop gave it
// (client/session.go; queued for the loop only while it holds a frame) → the hub's receive
// (client/receive.go) → the call's Completions (jsapi's core.Complete) →
// deliver('R', key, result) → the facade's deliver → JSON.parse → the Promise resolves.
//
// MessagePack values take the same road: one JSON string each way. The facade's JSON.stringify
// (with a replacer that tags what JSON cannot carry: binary, Dates, non-finite numbers) makes
// the string, Go transcodes it to MessagePack (internal/taggedjson), and back the other
// way JSON.parse (with a reviver only when Go saw a tag) builds the value. The alternative,
// Go reading and building the JS values field by field, was measured (`make bench-wasm`,
// Chromium 156, a chat message with a Date, a Uint8Array and an array of three strings):
//
//	encode: one string transcoded 15.2 µs, fields walked from Go 83.4 µs
//	decode: one string transcoded 15.2 µs, values built from Go 42.1 µs
//
// Handlers (on) are still called from Go one by one, each in one call (the facade's
// applyHandler, a wasm import, parses the arguments and calls it): a handler's return value answers a
// client-result invocation, and the engine decides what a throw or a result means. Where
// signalr.js awaits a handler's result before going on, the facade takes that await as the
// handler returns and calls Go back when it settles (handlerSettled), so that the next
// handler, the answer and the logs come at signalr.js's tick, after the page's microtasks.
//
// On the wire, the frames Go writes to a WebSocket in one turn of the event loop leave joined
// in one message (transport/websocket_js.go), as signalr.js's TransportSendQueue joins the
// sends of a turn; the items and ends of an invocation's
// client-to-server streams are chained instead, each written a microtask after the one before
// and so in a frame of its own (upload_js.go's chain), as signalr.js chains them on its send
// promises.
//
// The contract with the facade:
//
//	wasm main calls globalThis[env SIGNALR_WASM_READY](api) once, then parks.
//	imports, module "signalr" (wasm's main declares them, jsapi.Imports; web/src/loader.js):
//	    applyHandler(fn, address, length, flags) -> 0, a token, or -1: calls the handler's
//	      stand-in go._values[fn] (jsutil.ValueID) with the arguments parsed from their JSON
//	      text at address (flags 1: with the MessagePack reviver; a negative address is
//	      ^offset within the message being delivered, jsevents.TextAt; the loader's textAt
//	      takes it from the message's string). When awaited (flags 2: another handler
//	      follows, or the server expects an answer), or when fn returned a truthy value, it
//	      awaits the value at once, as signalr.js's `await m.apply(…)` does, returns a token
//	      of that await, and calls api.handlerSettled(token, ok, value, truthy) when it
//	      settles: what follows the await in signalr.js then runs at the same tick. -1: the
//	      handler threw, and importThrown() gives what; no import throws
//	    deliver(address, length, errs) -> 0, or -1 when it threw (importThrown() gives
//	      what): the outcomes of every connection's calls (below), as UTF-8 text at address
//	      in Go's memory (the loader decodes it, jsutil.Memory), with the errors they name in
//	      the array go._values[errs] (0: none)
//	    sendFrame(socket, binary, table, count) -> 0, 1 when the socket was not OPEN, or -1
//	      when it threw: the inbox's sendFrame (below)
//	api.init({createError, engineFault, msgpackReplacer, msgpackReviver, connectionIdle, sendsShared, watchPage, importThrown, inbox})
//	    createError(kind, message, extra) -> Error
//	    kinds: "Error", "AbortError", "TimeoutError", "HttpError",
//	    "FailedToNegotiateWithServerError", "FailedToStartTransportError",
//	    "AggregateErrors", "DisabledTransportError", "UnsupportedTransportError",
//	    "DecodeError", "RangeError"
//	    engineFault(fault, json) -> [name, message] or undefined: what signalr.js's expression
//	      named by a protocol.DecodeError's Fault throws in this engine (web/src/errors.js)
//	    msgpackReplacer, msgpackReviver: web/src/values.js (Go uses only the replacer, for
//	    handlers' results; the facade revives what Go hands over)
//	    connectionIdle(id): the connection is Disconnected (a failed start, its final close)
//	    sendsShared(id, shared): whether connection id's sends share one Promise per turn from
//	      now on, as signalr.js's do while connected without stateful reconnect's buffer
//	      (client.HubConnection.SendsShareOutcome); each send still has its key, and the first
//	      outcome Go hands over for any of them settles the shared Promise
//	    watchPage(id, lockName, event) -> unwatch: while connection id is up, holds the Web
//	      Lock lockName (shared; none for "") and reports the page's freeze, resume,
//	      visibilitychange and online events to event(id, type) (page_js.go)
//	    importThrown() -> what the last import that returned -1 caught
//	    inbox: web/src/events.js's goInbox(go) for the Go instance (internal/jsevents):
//	      listenEvents(target, eventNames, wake, id) -> detach: messages go to the exports
//	        signalrInboxRoom(size) -> address and signalrInboxPost(id, n, text, ascii), then
//	        go._resume(); the other events to wake(event)
//	      sendFrame(socket, binary, table, count) -> 0, or 1 when the socket's readyState
//	        is not OPEN and nothing was sent: sends the pieces Go wrote, listed at table as
//	        count pairs of address and length (32 bits each), joined, as one message of the
//	        WebSocket go._values[socket], text or binary (1)
//	api.createConnection(config) -> id (a number), or an Error to throw
//	    config: {url, requestedUrl, options, logger, protocol, serverTimeoutInMilliseconds,
//	             keepAliveIntervalInMilliseconds, tabKeepAlive, …}
//	      url: absolute, resolved by build() as signalr.js does; requestedUrl: as given
//	      options: the merged IHttpConnectionOptions object as the page gave it
//	      httpFetch: fetch done by options.httpClient (web/src/protocols.js's pageFetch), unless
//	                 that is a plain DefaultHttpClient, whose logger is defaultHttpClientLogger
//	      logger: the builder's configureLogging value: undefined, a LogLevel number or an ILogger
//	      protocol: the IHubProtocol object given to withHubProtocol, or undefined; its name
//	                picks the Go protocol ("json" or "messagepack")
//	      reconnectPolicy: the IRetryPolicy of withAutomaticReconnect, or undefined
//	      startRetryPolicy: the IRetryPolicy of withStartRetry, or undefined
//	      tabKeepAlive: hold the tab's Web Lock while connected (withTabKeepAlive, default true)
//	api.postCalls(id, batch) -> false while Go is inside a call to JS: set by the loader
//	    (goInbox(go).postCalls), it posts the batch of calls (core.calls below) as messages
//	    are posted, for listener -id; when it says false, the facade calls core.calls
//	api.core.<method>(id, ...arguments), the methods of one connection:
//	start(resolve, reject)            stop(resolve, reject)
//	calls(batch): one turn's send, invoke, stream and cancelStream calls, and the items and
//	  ends of their client-to-server streams, in order, as records each ended by U+001E
//	  (which JSON text never holds unescaped):
//	    <kind><key>,<n>,<name length>,<name><arguments>
//	      kind: "i" invoke, "s" send, "t" stream; key: the facade's, a number; n: how many
//	      client-to-server streams the facade took out of the arguments (they get the keys
//	      after key); name length: in UTF-16 units (the name is the page's, as String()
//	      gives it); arguments: the JSON text of the arguments array (MessagePack: with
//	      web/src/values.js's tags)
//	    y<key>,0,<length>,<error><item>: an item of the client-to-server stream key, as JSON
//	      text, or the error that kept the facade from serialising it
//	    z<key>,0,<length>,<error>: the stream key ended, with an error text or without
//	    l<key>,0,<length>,<error>: subscribing to the stream key threw
//	    x<key>,<id>: cancel the stream of key, whose invocation id is id (empty: the facade
//	      does not know it yet, the stream started in the same batch)
//	streamCallbackThrew(error): logs what a stream's observer threw
//	on(name, fn)   off(name[, fn])   onclose(fn)   onreconnecting(fn)   onreconnected(fn)
//	state() -> string   connectionId() -> string|null   baseUrl() -> string
//	setBaseUrl(url) -> undefined or an Error for the facade to throw
//	setServerTimeout(ms)   setKeepAliveInterval(ms)
//	dispose(): the facade HubConnection was collected; the core stops what is left and lets
//	    go of what it holds
//	api.handlerSettled(token, ok, value, truthy): the result applyHandler awaited under token
//	    settled (ok; truthy is !!value) or was rejected with value
//	api.counters() -> {cores, funcs}: for tests (live cores, live Go functions)
//	deliver(text, errs): the outcomes of calls, in order, as records ended by U+001E:
//	    R<key>,<JSON>  r<key>,<tagged JSON>  invoke's result (empty: undefined)
//	    K<key>,        send's Promise resolves
//	    K<key>,<last>  the Promises of the sends key to last resolve, in order
//	    M<key>,[<JSON>,…]  consecutive items of a stream, in order
//	    n<key>,<tagged JSON>  a stream item that needs the MessagePack reviver
//	    I<key>,<id>    a stream's invocation id (for cancelStream)
//	    C<key>,        the stream completed
//	    E<key>,<i>     the call failed, or the stream ended, with errs[i]
//	    F<key>,<i>     the invoke or stream failed at its own send with errs[i]: settled a
//	                   microtask later, as signalr.js's reaction to the send's Promise
//	    X<key>,<i>     the invoke or stream failed with errs[i] as its turn's frame could
//	                   not be sent: the facade rejects the turn's Promise, whose reactions,
//	                   made at each call, fail them
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
