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

// applyHandler is the facade's applyHandler as a wasm import (see Imports): it parses the
// arguments' JSON text and calls the handler with them. When it awaits the handler's result
// (asked for with awaited, or a truthy result) it returns a token of that await, and calls
// handlerSettled with it once the result settles, at the tick where signalr.js's await of it
// resumes; else 0: the result was falsy, all signalr.js would look at when nothing follows
// the await. It returns -1 when the handler threw, and importThrown then gives what.
var applyHandler func(fn uint32, address float64, length int32, flags int32) int32

// applyHandler's flags.
const (
	handlerArgsTagged  = 1 // the arguments need the MessagePack reviver
	handlerResultAwait = 2 // something follows the await of the result
)

// importThrown is the loader's importThrown(): what the last of its wasm imports that
// returned -1 caught (Imports).
var importThrown js.Value

// panicIfThrown panics, as syscall/js's Invoke does when JS throws, with what an import
// that returned result (-1) caught.
func panicIfThrown(result int32) {
	if result < 0 {
		panic(js.Error{Value: importThrown.Invoke()})
	}
}

// awaitedHandlers are the handler calls whose result the facade awaits, by token. (Go runs
// on the page's one thread: nothing else runs between two reads of it here.)
var awaitedHandlers = map[int]chan handlerOutcome{}

type handlerOutcome struct {
	v js.Value
	// truthy is the facade's !!v: syscall/js cannot tell the type of a BigInt.
	truthy bool
	err    error
}

// handlerSettled(token, ok, value, truthy) is called by the facade when an awaited handler's
// result settles: value is the result (truthy: whether it is), or what it was rejected with.
func handlerSettled(_ js.Value, args []js.Value) any {
	jsutil.Guard(func() {
		jsutil.Entry(func() {
			token := arg(args, 0).Int()
			ch, ok := awaitedHandlers[token]
			delete(awaitedHandlers, token)
			switch v := arg(args, 2); {
			case !ok:
			case arg(args, 1).Bool():
				ch <- handlerOutcome{v: v, truthy: arg(args, 3).Bool()}
			default:
				ch <- handlerOutcome{err: &jsutil.Error{Value: v}}
			}
		})
	})
	return nil
}

func (h *jsHandler) Call(args protocol.Raw, then client.Await) (client.HandlerResult, func() (client.HandlerResult, error), error) {
	// Flushed first: the page code it may run can call into Go, and the text is the codec's
	// buffer until the facade has read it.
	flushDeliveries()
	text, tagged, err := h.codec.Text(args)
	if err != nil {
		return client.HandlerResult{}, nil, err
	}
	var flags int32
	if tagged {
		flags |= handlerArgsTagged
	}
	if then != client.AwaitNothing {
		flags |= handlerResultAwait
	}
	address, length := jsevents.TextAt(text)
	token := int(applyHandler(jsutil.ValueID(h.fn), float64(address), int32(length), flags))
	runtime.KeepAlive(text)
	runtime.KeepAlive(h.fn)
	switch {
	case token < 0:
		return client.HandlerResult{}, nil, &jsutil.Error{Value: importThrown.Invoke()}
	case token == 0:
		return client.HandlerResult{}, nil, nil
	}
	// No JS runs before this returns to the event loop: the result cannot have settled yet.
	ch := make(chan handlerOutcome, 1)
	awaitedHandlers[token] = ch
	return client.HandlerResult{}, func() (client.HandlerResult, error) {
		o := <-ch
		switch {
		case o.err != nil:
			return client.HandlerResult{}, o.err
		case then != client.AwaitAnswer:
			// Nobody reads the value: it is not encoded (signalr.js never serialises it).
			return client.HandlerResult{Truthy: o.truthy}, nil
		}
		return h.result(o.v, o.truthy)
	}, nil
}

func (h *jsHandler) result(v js.Value, truthy bool) (client.HandlerResult, error) {
	if v.IsUndefined() {
		return client.HandlerResult{}, nil
	}
	raw, err := h.codec.Encode(v)
	if err != nil {
		return client.HandlerResult{}, err
	}
	return client.HandlerResult{Value: raw, Truthy: truthy}, nil
}
