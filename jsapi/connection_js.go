package jsapi

import (
	"context"
	"syscall/js"
	"time"

	"github.com/signalr-wasm/signalr-wasm/client"
	"github.com/signalr-wasm/signalr-wasm/internal/jsutil"
)

// connection is the Go side of one facade HubConnection, as the facade calls it (see doc.go):
// a core over the engine, or, when the configuration was refused, a failedCore that answers
// every call with why.
type connection interface {
	start(resolve, reject js.Value)
	stop(resolve, reject js.Value)
	calls(batch string)
	on(name string, fn js.Value)
	off(name string, fn js.Value) // fn undefined: every handler of name
	onclose(fn js.Value)
	onreconnecting(fn js.Value)
	onreconnected(fn js.Value)
	state() client.State
	connectionID() string
	baseURL() string
	setBaseURL(url string) error
	setServerTimeout(d time.Duration)
	setKeepAliveInterval(d time.Duration)
	streamCallbackThrew(err error)
	dispose()
}

// entries are the connection's methods as the facade calls them, each given the arguments
// after the connection's id. They read the JS arguments; on, off and the callbacks ignore
// empty names and missing functions silently, as signalr.js does.
var entries = map[string]func(c connection, a []js.Value) any{
	"start": func(c connection, a []js.Value) any { c.start(arg(a, 0), arg(a, 1)); return nil },
	"stop":  func(c connection, a []js.Value) any { c.stop(arg(a, 0), arg(a, 1)); return nil },
	"calls": func(c connection, a []js.Value) any {
		jsutil.Entry(func() { c.calls(arg(a, 0).String()) })
		return nil
	},
	"on": func(c connection, a []js.Value) any {
		if name, fn := arg(a, 0), arg(a, 1); name.Truthy() && fn.Truthy() {
			c.on(jsStringOf(name), fn)
		}
		return nil
	},
	"off": func(c connection, a []js.Value) any {
		if name, fn := arg(a, 0), arg(a, 1); name.Truthy() {
			if !fn.Truthy() {
				fn = js.Undefined()
			}
			c.off(jsStringOf(name), fn)
		}
		return nil
	},
	"onclose":        withCallback(connection.onclose),
	"onreconnecting": withCallback(connection.onreconnecting),
	"onreconnected":  withCallback(connection.onreconnected),
	"state":          func(c connection, _ []js.Value) any { return string(c.state()) },
	"connectionId": func(c connection, _ []js.Value) any {
		if id := c.connectionID(); id != "" {
			return id
		}
		return js.Null()
	},
	"baseUrl":              func(c connection, _ []js.Value) any { return c.baseURL() },
	"setBaseUrl":           func(c connection, a []js.Value) any { return jsError(c.setBaseURL(jsStringOf(arg(a, 0)))) },
	"setServerTimeout":     func(c connection, a []js.Value) any { c.setServerTimeout(millis(arg(a, 0))); return nil },
	"setKeepAliveInterval": func(c connection, a []js.Value) any { c.setKeepAliveInterval(millis(arg(a, 0))); return nil },
	"streamCallbackThrew": func(c connection, a []js.Value) any {
		c.streamCallbackThrew(&jsutil.Error{Value: arg(a, 0)})
		return nil
	},
	"dispose": func(c connection, _ []js.Value) any { c.dispose(); return nil },
}

func withCallback(register func(connection, js.Value)) func(connection, []js.Value) any {
	return func(c connection, a []js.Value) any {
		if fn := arg(a, 0); fn.Truthy() {
			register(c, fn)
		}
		return nil
	}
}

func arg(a []js.Value, i int) js.Value {
	if i < len(a) {
		return a[i]
	}
	return js.Undefined()
}

// newConnection makes the Go side of a facade HubConnection from its config (see doc.go).
func newConnection(id int, config js.Value) connection {
	url := jsStringOf(config.Get("url"))
	opts, codec, err := options(config)
	var conn *client.HubConnection
	if err == nil {
		conn, err = client.New(opts)
	}
	if err != nil {
		// signalr.js would have thrown it from build(), which ran before the module arrived,
		// so start() reports it instead.
		return &failedCore{id: id, url: url, err: err, log: opts.Logger}
	}
	c := &core{id: id, conn: conn, codec: codec, log: opts.Logger, uploads: map[int]upload{}}
	// Registered before any page callback, so the page sees the lock released in onclose.
	c.page = &pageWatch{id: id, conn: conn, log: opts.Logger, useLock: config.Get("tabKeepAlive").Truthy()}
	// Before the page's callbacks, which may send.
	conn.OnReconnecting(func(error) error {
		c.shareSends(false)
		return nil
	})
	conn.OnReconnected(func(string) error {
		c.shareSends(c.conn.SendsShareOutcome())
		return nil
	})
	conn.OnClose(func(error) error {
		c.shareSends(false)
		c.page.closed()
		// After the page's own callbacks, which may start the connection again.
		jsutil.QueueMicrotask(func() { connectionIdle(c.id, c.conn.State()) })
		return nil
	})
	return c
}

// core is a connection over the engine. It holds no reference to the facade nor to the
// page's functions, only the facade's stand-ins for them (see doc.go), so that a
// HubConnection the page drops can be collected and its core disposed of.
type core struct {
	id    int
	conn  *client.HubConnection
	codec valueCodec
	log   client.Logger
	page  *pageWatch
	// uploads are the client-to-server streams still running, by the facade's key.
	uploads map[int]upload
	// unsent are the send() calls whose frames wait to leave with the rest of their batch's
	// (calls), in call order.
	unsent []keyRun
	// unsettled are the send() calls waiting for their outcome, in call order (settleLater).
	unsettled []unsettledSend
	// sending is set while call hands an invoke or a stream to the engine: an error that
	// comes back meanwhile is its own send's. turnFailed is set while the engine fails a
	// turn's calls because its frame could not be sent (deliverFailure).
	sending, turnFailed bool
}

// shareSends tells the facade whether the connection's sends now share one Promise per turn,
// as signalr.js's do while connected (client.HubConnection.SendsShareOutcome).
func (c *core) shareSends(shared bool) {
	if sendsShared.Type() == js.TypeFunction {
		flushDeliveries()
		sendsShared.Invoke(c.id, shared)
	}
}

// connectionIdle tells the facade that a connection need no longer keep itself alive.
func connectionIdle(id int, state client.State) {
	if state == client.Disconnected && idle.Type() == js.TypeFunction {
		flushDeliveries()
		idle.Invoke(id)
	}
}

// settle resolves or rejects a facade Promise with an engine outcome.
func settle(resolve, reject js.Value, err error) {
	if err != nil {
		reject.Invoke(jsError(err))
		return
	}
	resolve.Invoke()
}

// start and stop change the state before they return, as signalr.js's do; the rest runs
// off the JS call.
func (c *core) start(resolve, reject js.Value) {
	c.conn.StartAsync(context.Background(), func(err error) {
		if err == nil {
			c.shareSends(c.conn.SendsShareOutcome())
			c.page.started()
		}
		settle(resolve, reject, err)
		connectionIdle(c.id, c.conn.State())
	})
}

func (c *core) stop(resolve, reject js.Value) {
	c.conn.StopAsync(func(err error) { settle(resolve, reject, err) })
}

func (c *core) on(name string, fn js.Value) {
	c.conn.On(name, &jsHandler{fn: fn, codec: c.codec})
}

func (c *core) off(name string, fn js.Value) {
	var h client.Handler
	if !fn.IsUndefined() {
		h = &jsHandler{fn: fn}
	}
	c.conn.Off(name, h)
}

func (c *core) onclose(fn js.Value) {
	c.conn.OnClose(func(err error) error { return callback(fn, jsError(err)) })
}

func (c *core) onreconnecting(fn js.Value) {
	c.conn.OnReconnecting(func(err error) error { return callback(fn, jsError(err)) })
}

func (c *core) onreconnected(fn js.Value) {
	c.conn.OnReconnected(func(id string) error {
		if id == "" {
			return callback(fn, js.Undefined())
		}
		return callback(fn, id)
	})
}

func (c *core) state() client.State                  { return c.conn.State() }
func (c *core) connectionID() string                 { return c.conn.ConnectionID() }
func (c *core) baseURL() string                      { return c.conn.BaseURL() }
func (c *core) setBaseURL(url string) error          { return c.conn.SetBaseURL(url) }
func (c *core) setServerTimeout(d time.Duration)     { c.conn.SetServerTimeout(d) }
func (c *core) setKeepAliveInterval(d time.Duration) { c.conn.SetKeepAliveInterval(d) }

// dispose runs once the facade HubConnection has been collected: it stops what is left and
// lets go of every function and value the core holds.
func (c *core) dispose() {
	delete(cores, c.id)
	if c.conn.State() != client.Disconnected {
		c.conn.StopAsync(func(error) {})
	}
	c.releaseUploads()
}

// callback calls a page callback (the facade's stand-in, which gives it the connection as
// `this`); a throw comes back as an error.
func callback(fn js.Value, arg any) error {
	flushDeliveries()
	return jsutil.Try(func() { fn.Call("call", js.Undefined(), arg) })
}

// failedCore is a connection whose configuration was refused (an unknown hub protocol, a
// URL the engine cannot use): it never connects, and start(), every call and setting the URL
// fail with why.
type failedCore struct {
	id  int
	url string
	err error
	log client.Logger
}

func (f *failedCore) start(resolve, reject js.Value) {
	settle(resolve, reject, f.err)
	connectionIdle(f.id, client.Disconnected)
}

func (f *failedCore) stop(resolve, reject js.Value) { settle(resolve, reject, nil) }

func (f *failedCore) calls(batch string) {
	var r callRecord
	for len(batch) > 0 {
		batch = parseCall(batch, &r)
		if r.kind == 'i' || r.kind == 's' || r.kind == 't' {
			deliverError(r.key, f.err)
		}
	}
}

func (f *failedCore) on(string, js.Value)                {}
func (f *failedCore) off(string, js.Value)               {}
func (f *failedCore) onclose(js.Value)                   {}
func (f *failedCore) onreconnecting(js.Value)            {}
func (f *failedCore) onreconnected(js.Value)             {}
func (f *failedCore) state() client.State                { return client.Disconnected }
func (f *failedCore) connectionID() string               { return "" }
func (f *failedCore) baseURL() string                    { return f.url }
func (f *failedCore) setBaseURL(string) error            { return f.err }
func (f *failedCore) setServerTimeout(time.Duration)     {}
func (f *failedCore) setKeepAliveInterval(time.Duration) {}
func (f *failedCore) streamCallbackThrew(err error)      { logStreamCallbackError(f.log, err) }
func (f *failedCore) dispose()                           { delete(cores, f.id) }
