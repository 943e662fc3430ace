// Package jsapi is the bridge between the JS facade (web/src) and the Go engine.
//
// Crossing the JS/Go boundary costs microseconds per call and per string (see
// shared/reference/go-wasm.md), so the bridge is shaped around few, coarse crossings:
// a call from JS is one Go function call carrying the arguments as one JS array that Go
// serialises with one JSON.stringify call; results come back as one resolve/reject call
// with a value built by one JSON.parse. Promises are made by the facade and handed in as
// resolve/reject functions, so no Go-made Promise (two more callbacks) is ever needed.
//
// The contract with the facade:
//
//	wasm main calls globalThis[env SIGNALR_WASM_READY](api) once, then parks.
//	api.setErrorFactory(createError)      createError(kind, message, statusCode) -> Error
//	    kinds: "Error", "AbortError", "TimeoutError", "HttpError",
//	    "FailedToNegotiateWithServerError", "FailedToStartTransportError",
//	    "AggregateErrors", "DisabledTransportError", "UnsupportedTransportError"
//	api.createConnection(config, connection) -> core
//	    config: {url, requestedUrl, options, logger, protocol, serverTimeoutInMilliseconds,
//	             keepAliveIntervalInMilliseconds}
//	      url: absolute, resolved by build() as signalr.js does; requestedUrl: as given
//	      options: the merged IHttpConnectionOptions object as the page gave it
//	      logger: the builder's configureLogging value: undefined, a LogLevel number or an ILogger
//	      protocol: the IHubProtocol object given to withHubProtocol, or undefined
//	      reconnectPolicy: the IRetryPolicy of withAutomaticReconnect, or undefined
//	      startRetryPolicy: the IRetryPolicy of withStartRetry, or undefined
//	      tabKeepAlive: hold the tab's Web Lock while connected (withTabKeepAlive, default true)
//	    connection: the facade HubConnection (`this` of handlers and callbacks)
//	core.start(resolve, reject)            core.stop(resolve, reject)
//	core.invoke(name, argsArray, streams, resolve, reject)
//	core.send(name, argsArray, streams, resolve, reject) -> undefined or an Error to throw
//	core.stream(name, argsArray, streams, subject) -> stream id, or an Error to throw
//	  streams: undefined, or the arguments the facade took out as client-to-server streams
//	core.cancelStream(id) -> undefined or an Error
//	core.on(name, fn)   core.off(name[, fn])   core.onclose(fn)
//	core.state() -> string   core.connectionId() -> string|null   core.baseUrl() -> string
//	core.setBaseUrl(url) -> undefined or an Error for the facade to throw
//	core.setServerTimeout(ms)   core.setKeepAliveInterval(ms)
//
// Every entry recovers panics: a fault becomes a rejected Promise or a logged error,
// never a dead runtime that would take every connection on the page with it.
package jsapi
