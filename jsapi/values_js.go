package jsapi

import (
	"syscall/js"

	"github.com/signalr-wasm/signalr-wasm/jsapi/jsutil"
	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// valueCodec moves values between JS and the protocol's Raw encoding with one boundary
// call per message rather than one per field.
type valueCodec interface {
	// Encode serialises a JS value (an arguments array, a result); a JS exception
	// (a BigInt, a cycle) comes back as the JS error itself.
	Encode(v js.Value) (protocol.Raw, error)
	// Decode makes the JS value; nil is undefined.
	Decode(r protocol.Raw) (js.Value, error)
}

// jsonCodec lets the browser's JSON do the work: JSON.stringify gives exactly the bytes
// signalr.js puts on the wire, and JSON.parse gives exactly the values it hands to pages.
type jsonCodec struct{}

var (
	stringify = jsutil.JSON.Get("stringify")
	parse     = jsutil.JSON.Get("parse")
)

func (jsonCodec) Encode(v js.Value) (protocol.Raw, error) {
	var s js.Value
	if err := jsutil.Try(func() { s = stringify.Invoke(v) }); err != nil {
		return nil, err
	}
	if s.IsUndefined() {
		// JSON.stringify(undefined or a function) is undefined; inside an array it is null.
		return protocol.Raw("null"), nil
	}
	return protocol.Raw(s.String()), nil
}

func (jsonCodec) Decode(r protocol.Raw) (js.Value, error) {
	if r == nil {
		return js.Undefined(), nil
	}
	var v js.Value
	err := jsutil.Try(func() { v = parse.Invoke(string(r)) })
	return v, err
}
