package jsapi

import (
	"runtime"
	"syscall/js"

	"github.com/signalr-wasm/signalr-wasm/client"
	"github.com/signalr-wasm/signalr-wasm/internal/jsevents"
	"github.com/signalr-wasm/signalr-wasm/internal/jsutil"
	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// jsHandler is a page function registered with on(), as the facade's stand-in for it: called
// with the arguments spread, and the stand-in gives the connection as `this`, as signalr.js's
// handler.apply(this, args).
type jsHandler struct {
	fn    js.Value
	codec valueCodec
}

func (h *jsHandler) Same(other client.Handler) bool {
	o, ok := other.(*jsHandler)
	return ok && o.fn.Equal(h.fn)
}

// applyHandler is the facade's: it parses the arguments' JSON text and calls the handler with
// them, one crossing where building the arguments from Go and calling would be two.
var applyHandler js.Value

func (h *jsHandler) Call(args protocol.Raw) (client.HandlerResult, func() (client.HandlerResult, error), error) {
	text, tagged, err := h.codec.Text(args)
	if err != nil {
		return client.HandlerResult{}, nil, err
	}
	var ret js.Value
	flushDeliveries()
	address, length := jsevents.TextAt(text)
	err = jsutil.Try(func() { ret = applyHandler.Invoke(h.fn, address, length, tagged) })
	runtime.KeepAlive(text)
	if err != nil {
		return client.HandlerResult{}, nil, err
	}
	if jsutil.IsThenable(ret) {
		// A variable of its own: the closure outlives the call, and capturing ret would
		// move it to the heap for every call, thenable or not.
		promise := ret
		return client.HandlerResult{}, func() (client.HandlerResult, error) {
			v, err := jsutil.Await(promise)
			if err != nil {
				return client.HandlerResult{}, err
			}
			return h.result(v)
		}, nil
	}
	r, err := h.result(ret)
	return r, nil, err
}

func (h *jsHandler) result(v js.Value) (client.HandlerResult, error) {
	if v.IsUndefined() {
		return client.HandlerResult{}, nil
	}
	raw, err := h.codec.Encode(v)
	if err != nil {
		return client.HandlerResult{}, err
	}
	return client.HandlerResult{Value: raw, Truthy: v.Truthy()}, nil
}
