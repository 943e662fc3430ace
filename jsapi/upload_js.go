package jsapi

import (
	"syscall/js"

	"github.com/signalr-wasm/signalr-wasm/client"
	"github.com/signalr-wasm/signalr-wasm/jsapi/jsutil"
)

// jsLength is the length of an optional JS array (undefined: none).
func jsLength(v js.Value) int {
	if v.Type() != js.TypeObject {
		return 0
	}
	return v.Length()
}

// launchStreams returns what subscribes to the client-to-server streams once their
// invocation is sent (signalr.js's _launchStreams): each item becomes a StreamItem, the end a
// Completion. The observers live as long as their stream; the subject may never end, so they
// are released only when it does.
func (c *core) launchStreams(streams js.Value, ids []string) func() {
	return func() {
		for i, id := range ids {
			c.upload(streams.Index(i), id)
		}
	}
}

func (c *core) upload(stream js.Value, id string) {
	var next, fail, complete js.Func
	release := func() { // once: a foreign observable may end twice
		if _, running := c.uploads[id]; !running {
			return
		}
		delete(c.uploads, id)
		jsutil.Release(next)
		jsutil.Release(fail)
		jsutil.Release(complete)
	}
	c.uploads[id] = release
	next = jsutil.FuncOf(func(_ js.Value, a []js.Value) any {
		raw, err := c.codec.Encode(arg(a, 0))
		if err == nil {
			err = c.conn.SendStreamItem(id, raw)
		}
		if err != nil {
			c.log.Log(client.Debug, "Stream item for '"+id+"' not sent: "+client.ErrorString(err))
		}
		return nil
	})
	fail = jsutil.FuncOf(func(_ js.Value, a []js.Value) any {
		defer release()
		_ = c.conn.CompleteStream(id, streamErrorMessage(arg(a, 0)))
		return nil
	})
	complete = jsutil.FuncOf(func(js.Value, []js.Value) any {
		defer release()
		_ = c.conn.CompleteStream(id, "")
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
