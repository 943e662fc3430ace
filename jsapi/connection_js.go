package jsapi

import (
	"context"
	"syscall/js"

	"github.com/signalr-wasm/signalr-wasm/client"
	"github.com/signalr-wasm/signalr-wasm/internal/jsutil"
)

// core is the Go side of one facade HubConnection. It holds no reference to the facade nor
// to the page's functions, only the facade's stand-ins for them (see doc.go), so that a
// HubConnection the page drops can be collected and its core disposed of.
type core struct {
	id    int
	url   string
	conn  *client.HubConnection
	codec valueCodec
	// startErr is a configuration error found at creation; signalr.js would have thrown it
	// from build(), which ran before the module arrived, so start() reports it instead.
	startErr error
	log      client.Logger
	page     *pageWatch
	// uploads are the client-to-server streams still running, by invocation.
	uploads map[*chain]struct{}
	// streams are the server-to-client streams still running: the engine's invocation id by
	// the facade's key.
	streams map[int]string
}

func newCore(id int, config js.Value) *core {
	c := &core{id: id, url: jsStringOf(config.Get("url")), uploads: map[*chain]struct{}{}, streams: map[int]string{}}
	opts, codec, err := options(config)
	c.codec, c.log = codec, opts.Logger
	if err == nil {
		c.conn, err = client.New(opts)
	}
	c.startErr = err
	if c.conn != nil {
		// Registered before any page callback, so the page sees the lock released in onclose.
		c.page = &pageWatch{conn: c.conn, log: opts.Logger, useLock: config.Get("tabKeepAlive").Truthy()}
		c.conn.OnClose(func(error) error {
			c.page.closed()
			// After the page's own callbacks, which may start the connection again.
			jsutil.QueueMicrotask(c.idleIfDisconnected)
			return nil
		})
	}
	return c
}

// coreMethods are the core's methods as the facade calls them (see doc.go), each given the
// arguments after the connection's id.
var coreMethods = map[string]func(c *core, a []js.Value) any{
	"start": func(c *core, a []js.Value) any { return c.start(a[0], a[1]) },
	"stop":  func(c *core, a []js.Value) any { return c.stop(a[0], a[1]) },
	"calls": func(c *core, a []js.Value) any {
		if c.startErr != nil {
			c.failCalls(a[0].String())
		} else {
			c.calls(a[0].String(), a[1])
		}
		flushDeliveries()
		return nil
	},
	"on":      func(c *core, a []js.Value) any { return c.on(a) },
	"off":     func(c *core, a []js.Value) any { return c.off(a) },
	"onclose": func(c *core, a []js.Value) any { return c.onclose(a) },
	"onreconnecting": func(c *core, a []js.Value) any {
		if fn := arg(a, 0); c.conn != nil && fn.Truthy() {
			c.conn.OnReconnecting(func(err error) error { return callback(fn, jsError(err)) })
		}
		return nil
	},
	"onreconnected": func(c *core, a []js.Value) any {
		if fn := arg(a, 0); c.conn != nil && fn.Truthy() {
			c.conn.OnReconnected(func(id string) error {
				if id == "" {
					return callback(fn, js.Undefined())
				}
				return callback(fn, id)
			})
		}
		return nil
	},
	"state": func(c *core, _ []js.Value) any {
		if c.conn == nil {
			return string(client.Disconnected)
		}
		return string(c.conn.State())
	},
	"connectionId": func(c *core, _ []js.Value) any {
		if c.conn == nil || c.conn.ConnectionID() == "" {
			return js.Null()
		}
		return c.conn.ConnectionID()
	},
	"baseUrl": func(c *core, _ []js.Value) any {
		if c.conn == nil {
			return c.url
		}
		return c.conn.BaseURL()
	},
	"setBaseUrl": func(c *core, a []js.Value) any {
		if c.conn == nil {
			return jsError(c.startErr)
		}
		return jsError(c.conn.SetBaseURL(jsStringOf(arg(a, 0))))
	},
	"setServerTimeout": func(c *core, a []js.Value) any {
		if c.conn != nil {
			c.conn.SetServerTimeout(millis(arg(a, 0)))
		}
		return nil
	},
	"setKeepAliveInterval": func(c *core, a []js.Value) any {
		if c.conn != nil {
			c.conn.SetKeepAliveInterval(millis(arg(a, 0)))
		}
		return nil
	},
	"dispose": func(c *core, _ []js.Value) any { c.dispose(); return nil },
	"streamCallbackThrew": func(c *core, a []js.Value) any {
		c.streamCallbackThrew(&jsutil.Error{Value: arg(a, 0)})
		return nil
	},
}

// idleIfDisconnected tells the facade that the connection need no longer keep itself alive.
func (c *core) idleIfDisconnected() {
	if (c.conn == nil || c.conn.State() == client.Disconnected) && idle.Type() == js.TypeFunction {
		flushDeliveries()
		idle.Invoke(c.id)
	}
}

// dispose runs once the facade HubConnection has been collected: it stops what is left and
// lets go of every function and value the core holds.
func (c *core) dispose() {
	delete(cores, c.id)
	if c.conn != nil && c.conn.State() != client.Disconnected {
		c.conn.StopAsync(func(error) {})
	}
	for ch := range c.uploads {
		ch.release()
	}
}

func arg(a []js.Value, i int) js.Value {
	if i < len(a) {
		return a[i]
	}
	return js.Undefined()
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
func (c *core) start(resolve, reject js.Value) any {
	if c.startErr != nil {
		settle(resolve, reject, c.startErr)
		c.idleIfDisconnected()
		return nil
	}
	c.conn.StartAsync(context.Background(), func(err error) {
		if err == nil {
			c.page.started()
		}
		settle(resolve, reject, err)
		c.idleIfDisconnected()
	})
	return nil
}

// failCalls answers every call of a batch with the configuration error.
func (c *core) failCalls(batch string) {
	for len(batch) > 0 {
		var r callRecord
		r, batch = parseCall(batch)
		if r.kind != 'x' {
			deliverError(r.key, c.startErr)
		}
	}
}

func (c *core) stop(resolve, reject js.Value) any {
	if c.conn == nil {
		settle(resolve, reject, nil)
		return nil
	}
	c.conn.StopAsync(func(err error) { settle(resolve, reject, err) })
	return nil
}

// on and off ignore empty names and missing functions silently, as signalr.js does.
func (c *core) on(a []js.Value) any {
	name, fn := arg(a, 0), arg(a, 1)
	if c.conn == nil || !name.Truthy() || !fn.Truthy() {
		return nil
	}
	c.conn.On(jsStringOf(name), &jsHandler{fn: fn, codec: c.codec})
	return nil
}

func (c *core) off(a []js.Value) any {
	name, fn := arg(a, 0), arg(a, 1)
	if c.conn == nil || !name.Truthy() {
		return nil
	}
	var h client.Handler
	if fn.Truthy() {
		h = &jsHandler{fn: fn}
	}
	c.conn.Off(jsStringOf(name), h)
	return nil
}

func (c *core) onclose(a []js.Value) any {
	fn := arg(a, 0)
	if c.conn == nil || !fn.Truthy() {
		return nil
	}
	c.conn.OnClose(func(err error) error { return callback(fn, jsError(err)) })
	return nil
}

// callback calls a page callback (the facade's stand-in, which gives it the connection as
// `this`); a throw comes back as an error.
func callback(fn js.Value, arg any) error {
	flushDeliveries()
	return jsutil.Try(func() { fn.Call("call", js.Undefined(), arg) })
}
