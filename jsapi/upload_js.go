package jsapi

import (
	"syscall/js"

	"github.com/signalr-wasm/signalr-wasm/client"
	"github.com/signalr-wasm/signalr-wasm/internal/jsutil"
)

// launchStreams returns what subscribes to the client-to-server streams once their
// invocation is sent (signalr.js's _launchStreams): each item becomes a StreamItem, the end a
// Completion. The observers live as long as their stream; the subject may never end, so they
// are released only when it does (or when the connection is disposed of).
func (c *core) launchStreams(streams []js.Value, ids []string) func() {
	return func() {
		if len(ids) == 0 {
			return
		}
		ch := &chain{c: c, streams: map[string]func(){}, waiting: true}
		ch.pump = jsutil.FuncOf(func(js.Value, []js.Value) any {
			ch.sendNext()
			return nil
		})
		c.uploads[ch] = struct{}{}
		for i, id := range ids {
			ch.subscribe(streams[i], id)
		}
		// The first message waits for the frame that carries the invocation.
		queueMicrotask.Invoke(ch.pump)
	}
}

var queueMicrotask = js.Global().Get("queueMicrotask")

// chain sends the messages of one invocation's client-to-server streams (their items and
// ends) one after the other, each in a microtask after the one that wrote the message before,
// so after the frame that carried it: signalr.js chains them on its send promises, and so
// never joins them in one frame.
type chain struct {
	c       *core
	streams map[string]func() // the running streams' releases of their observers
	pending []func()
	waiting bool // the pump is queued
	pump    js.Func
}

func (ch *chain) enqueue(send func()) {
	ch.pending = append(ch.pending, send)
	if !ch.waiting {
		ch.waiting = true
		queueMicrotask.Invoke(ch.pump)
	}
}

func (ch *chain) sendNext() {
	if len(ch.pending) == 0 {
		ch.waiting = false
		if len(ch.streams) == 0 {
			ch.release()
		}
		return
	}
	send := ch.pending[0]
	ch.pending[0] = nil
	ch.pending = ch.pending[1:]
	send()
	queueMicrotask.Invoke(ch.pump)
}

// release lets go of the chain's functions: once every stream has ended and its messages are
// written, or when the connection is disposed of.
func (ch *chain) release() {
	for _, end := range ch.streams {
		end()
	}
	if !ch.waiting {
		jsutil.Release(ch.pump)
	}
	delete(ch.c.uploads, ch)
}

func (ch *chain) subscribe(stream js.Value, id string) {
	c := ch.c
	var next, fail, complete js.Func
	ch.streams[id] = func() {
		delete(ch.streams, id)
		jsutil.Release(next)
		jsutil.Release(fail)
		jsutil.Release(complete)
	}
	// end is once: a foreign observable may end twice.
	end := func(errText string) {
		if release, running := ch.streams[id]; running {
			release()
			ch.enqueue(func() { _ = c.conn.CompleteStream(id, errText) })
		}
	}
	next = jsutil.FuncOf(func(_ js.Value, a []js.Value) any {
		raw, err := c.codec.Encode(arg(a, 0))
		if err != nil {
			c.log.Log(client.Debug, "Stream item for '"+id+"' not sent: "+client.ErrorString(err))
			return nil
		}
		ch.enqueue(func() {
			if err := c.conn.SendStreamItem(id, raw); err != nil {
				c.log.Log(client.Debug, "Stream item for '"+id+"' not sent: "+client.ErrorString(err))
			}
		})
		return nil
	})
	fail = jsutil.FuncOf(func(_ js.Value, a []js.Value) any {
		end(streamErrorMessage(arg(a, 0)))
		return nil
	})
	complete = jsutil.FuncOf(func(js.Value, []js.Value) any {
		end("")
		return nil
	})
	observer := js.Global().Get("Object").New()
	observer.Set("next", next)
	observer.Set("error", fail)
	observer.Set("complete", complete)
	if err := jsutil.Try(func() { stream.Call("subscribe", observer) }); err != nil {
		c.log.Log(client.Error, "Subscribing to the stream argument failed: "+client.ErrorString(err))
	}
}

// streamErrorMessage is the Completion error signalr.js sends for a stream's error(err).
func streamErrorMessage(err js.Value) string {
	switch {
	case !err.Truthy():
		return "Unknown error"
	case err.InstanceOf(js.Global().Get("Error")):
		return jsStringOf(err.Get("message"))
	case err.Type() != js.TypeObject && err.Type() != js.TypeFunction:
		return jsStringOf(err) // a primitive: its toString
	case err.Get("toString").Type() == js.TypeFunction:
		return jsStringOf(err)
	}
	return "Unknown error"
}
