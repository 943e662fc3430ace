package jsapi

import (
	"syscall/js"

	"github.com/signalr-wasm/signalr-wasm/client"
	"github.com/signalr-wasm/signalr-wasm/internal/jsutil"
	"github.com/signalr-wasm/signalr-wasm/protocol"
	"github.com/signalr-wasm/signalr-wasm/transport"
)

var (
	// createError is the facade's factory: only the facade can make its own error classes,
	// which pages test with instanceof.
	createError js.Value
	// engineFault is the facade's engineFault (web/src/errors.js).
	engineFault js.Value
)

// jsError turns an engine error into the JS error signalr.js would have produced.
func jsError(err error) js.Value {
	if err == nil {
		return js.Undefined()
	}
	switch e := err.(type) {
	case *jsutil.Error:
		return e.Value
	case client.TextError:
		return js.ValueOf(string(e))
	case *transport.AbortError:
		return makeError("AbortError", e.Error(), nil)
	case *transport.TimeoutError:
		return makeError("TimeoutError", e.Error(), nil)
	case *transport.HTTPError:
		return makeError("HttpError", e.Message, e.StatusCode)
	case *client.FailedToNegotiateError:
		return makeError("FailedToNegotiateWithServerError", e.Message, nil)
	case *client.FailedToStartTransportError:
		return makeError("FailedToStartTransportError", e.Message, int(e.Transport))
	case *client.DisabledTransportError:
		return makeError("DisabledTransportError", e.Message, int(e.Transport))
	case *client.UnsupportedTransportError:
		return makeError("UnsupportedTransportError", e.Message, int(e.Transport))
	case *protocol.DecodeError:
		return makeError(e.Class, e.Message, nil)
	case *client.AggregateError:
		inner := make([]any, len(e.Errors))
		for i, ie := range e.Errors {
			inner[i] = jsError(ie)
		}
		return makeError("AggregateErrors", e.Message, inner)
	}
	return makeError("Error", err.Error(), nil)
}

// makeError calls the facade's factory: extra is HttpError's statusCode, a transport error's
// transport, or AggregateErrors' innerErrors.
func makeError(kind, message string, extra any) js.Value {
	if createError.Type() != js.TypeFunction {
		return jsutil.NewError(message)
	}
	return createError.Invoke(kind, message, extra)
}

// errorDetail is signalr.js's getErrorString: a JS error's stack, else its message, else `${e}`.
func errorDetail(err error) string {
	if e, ok := err.(*jsutil.Error); ok && e.Value.Type() == js.TypeObject {
		for _, field := range []string{"stack", "message"} {
			if v := e.Value.Get(field); v.Truthy() {
				return v.String()
			}
		}
	}
	return client.ErrorString(err)
}
