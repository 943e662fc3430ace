package jsapi

import (
	"context"
	"syscall/js"

	"github.com/signalr-wasm/signalr-wasm/client"
	"github.com/signalr-wasm/signalr-wasm/jsapi/jsutil"
	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// core is the Go side of one facade HubConnection.
type core struct {
	conn  *client.HubConnection
	codec valueCodec
	// this is the facade object: `this` of handlers and callbacks, as in signalr.js.
	this js.Value
	// startErr is a configuration error found at creation; signalr.js would have thrown it
	// from build(), which ran before the module arrived, so start() reports it instead.
	startErr error
	log      client.Logger
	page     *pageWatch
}

func newCore(config, facade js.Value) js.Value {
	c := &core{this: facade}
	opts, codec, err := options(config)
	c.codec, c.log = codec, opts.Logger
	if err == nil {
		c.conn, err = client.New(opts)
	}
	c.startErr = err
	if c.conn != nil {
		// Registered before any page callback, so the page sees the lock released in onclose.
		c.page = &pageWatch{conn: c.conn, log: opts.Logger, useLock: config.Get("tabKeepAlive").Truthy()}
		c.conn.OnClose(func(error) error { c.page.closed(); return nil })
	}

	obj := js.Global().Get("Object").New()
	set := func(name string, fn func(args []js.Value) any) {
		obj.Set(name, js.FuncOf(func(_ js.Value, args []js.Value) (result any) {
			defer func() {
				if r := recover(); r != nil {
					result = jsError(jsutil.FromPanic(r))
				}
			}()
			return fn(args)
		}))
	}
	set("start", func(a []js.Value) any { return c.start(a[0], a[1]) })
	set("stop", func(a []js.Value) any { return c.stop(a[0], a[1]) })
	set("invoke", func(a []js.Value) any { return c.invoke(a[0], a[1], a[2], a[3], a[4]) })
	set("send", func(a []js.Value) any { return c.send(a[0], a[1], a[2], a[3], a[4]) })
	set("stream", func(a []js.Value) any { return c.stream(a[0], a[1], a[2], a[3]) })
	set("cancelStream", func(a []js.Value) any {
		if c.conn == nil {
			return nil
		}
		return jsError(c.conn.CancelStream(a[0].String()))
	})
	set("on", func(a []js.Value) any { return c.on(a) })
	set("off", func(a []js.Value) any { return c.off(a) })
	set("onclose", func(a []js.Value) any { return c.onclose(a) })
	set("onreconnecting", func(a []js.Value) any {
		if fn := arg(a, 0); c.conn != nil && fn.Truthy() {
			c.conn.OnReconnecting(func(err error) error { return c.callback(fn, jsError(err)) })
		}
		return nil
	})
	set("onreconnected", func(a []js.Value) any {
		if fn := arg(a, 0); c.conn != nil && fn.Truthy() {
			c.conn.OnReconnected(func(id string) error {
				if id == "" {
					return c.callback(fn, js.Undefined())
				}
				return c.callback(fn, id)
			})
		}
		return nil
	})
	set("state", func([]js.Value) any {
		if c.conn == nil {
			return string(client.Disconnected)
		}
		return string(c.conn.State())
	})
	set("connectionId", func([]js.Value) any {
		if c.conn == nil || c.conn.ConnectionID() == "" {
			return js.Null()
		}
		return c.conn.ConnectionID()
	})
	set("baseUrl", func([]js.Value) any {
		if c.conn == nil {
			return config.Get("url")
		}
		return c.conn.BaseURL()
	})
	set("setBaseUrl", func(a []js.Value) any {
		if c.conn == nil {
			return jsError(c.startErr)
		}
		return jsError(c.conn.SetBaseURL(jsStringOf(arg(a, 0))))
	})
	set("setServerTimeout", func(a []js.Value) any {
		if c.conn != nil {
			c.conn.SetServerTimeout(millis(arg(a, 0)))
		}
		return nil
	})
	set("setKeepAliveInterval", func(a []js.Value) any {
		if c.conn != nil {
			c.conn.SetKeepAliveInterval(millis(arg(a, 0)))
		}
		return nil
	})
	return obj
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
		return nil
	}
	c.conn.StartAsync(context.Background(), func(err error) {
		if err == nil {
			c.page.started()
		}
		settle(resolve, reject, err)
	})
	return nil
}

func (c *core) stop(resolve, reject js.Value) any {
	if c.conn == nil {
		settle(resolve, reject, nil)
		return nil
	}
	c.conn.StopAsync(func(err error) { settle(resolve, reject, err) })
	return nil
}

// invoke does its whole synchronous part here, inside the call from JS, so that invocations
// reach the wire in call order; only the wait for the completion is asynchronous.
func (c *core) invoke(name, args, streams, resolve, reject js.Value) any {
	if c.startErr != nil {
		reject.Invoke(jsError(c.startErr))
		return nil
	}
	raw, err := c.codec.Encode(args)
	if err != nil {
		reject.Invoke(jsError(err))
		return nil
	}
	ids := c.conn.StreamIDs(jsLength(streams))
	launch := c.launchStreams(streams, ids)
	c.conn.InvokeAsync(jsStringOf(name), raw, ids, func(result protocol.Raw, err error) {
		if err != nil {
			reject.Invoke(jsError(err))
			return
		}
		v, err := c.codec.Decode(result)
		if err != nil {
			reject.Invoke(jsError(err))
			return
		}
		resolve.Invoke(v)
	})
	launch()
	return nil
}

// send returns an encoding error for the facade to throw: signalr.js's send() serialises
// before it makes its Promise, so a BigInt or a cycle throws instead of rejecting.
func (c *core) send(name, args, streams, resolve, reject js.Value) any {
	if c.startErr != nil {
		reject.Invoke(jsError(c.startErr))
		return nil
	}
	raw, err := c.codec.Encode(args)
	if err != nil {
		return jsError(err)
	}
	ids := c.conn.StreamIDs(jsLength(streams))
	room, err := c.conn.Send(jsStringOf(name), raw, ids)
	if err != nil {
		reject.Invoke(jsError(err))
		return nil
	}
	c.launchStreams(streams, ids)()
	if room == nil {
		resolve.Invoke()
		return nil
	}
	// A full stateful reconnect buffer: send() settles once the server acknowledged enough.
	go func() { settle(resolve, reject, <-room) }()
	return nil
}

// stream starts a server-to-client stream whose items and end go to subject (the facade's
// Subject). It returns the stream's id, or an encoding error for the facade to throw.
func (c *core) stream(name, args, streams, subject js.Value) any {
	if c.startErr != nil {
		jsutil.QueueMicrotask(func() { subject.Call("error", jsError(c.startErr)) })
		return nil
	}
	raw, err := c.codec.Encode(args)
	if err != nil {
		return jsError(err)
	}
	ids := c.conn.StreamIDs(jsLength(streams))
	launch := c.launchStreams(streams, ids)
	defer launch()
	return c.conn.StreamAsync(jsStringOf(name), raw, ids,
		func(item protocol.Raw) {
			v, err := c.codec.Decode(item)
			if err == nil {
				err = jsutil.Try(func() { subject.Call("next", v) })
			}
			if err != nil {
				c.log.Log(client.Error, "Stream callback threw error: "+errorDetail(err))
			}
		},
		func(end error) {
			var err error
			if end != nil {
				err = jsutil.Try(func() { subject.Call("error", jsError(end)) })
			} else {
				err = jsutil.Try(func() { subject.Call("complete") })
			}
			if err != nil {
				c.log.Log(client.Error, "Stream callback threw error: "+errorDetail(err))
			}
		})
}

// on and off ignore empty names and missing functions silently, as signalr.js does.
func (c *core) on(a []js.Value) any {
	name, fn := arg(a, 0), arg(a, 1)
	if c.conn == nil || !name.Truthy() || !fn.Truthy() {
		return nil
	}
	c.conn.On(jsStringOf(name), &jsHandler{fn: fn, this: c.this, codec: c.codec})
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
	c.conn.OnClose(func(err error) error { return c.callback(fn, jsError(err)) })
	return nil
}

// callback calls a page callback with the connection as `this`; a throw comes back as an error.
func (c *core) callback(fn js.Value, arg any) error {
	return jsutil.Try(func() { fn.Call("call", c.this, arg) })
}
