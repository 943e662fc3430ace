package jsapi

import (
	"strings"
	"syscall/js"
	"unsafe"

	"github.com/signalr-wasm/signalr-wasm/internal/jsutil"
	"github.com/signalr-wasm/signalr-wasm/internal/taggedjson"
	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// valueCodec moves values between JS and the protocol's Raw encoding with one boundary
// call per message rather than one per field.
type valueCodec interface {
	// Encode serialises a JS value (an arguments array, a result); a JS exception
	// (a BigInt, a cycle) comes back as the JS error itself.
	Encode(v js.Value) (protocol.Raw, error)
	// EncodeText is Encode of what the facade already serialised (see web/src/values.js),
	// text from a batch of calls. The value may lie in the batch or be the codec's until
	// its next EncodeText: send it, or copy it, before the batch's next call.
	EncodeText(text string) (protocol.Raw, error)
	// Text is the JSON text the facade parses into the value (with its MessagePack reviver
	// when tagged); nil stays nil, which the facade reads as undefined. The text may be the
	// codec's until its next Text: read or copy it before Go goes on.
	Text(r protocol.Raw) (text []byte, tagged bool, err error)
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

// EncodeText's value is the text's own bytes, not a copy per call.
func (jsonCodec) EncodeText(text string) (protocol.Raw, error) {
	return textBytes(text), nil
}

// textBytes is text's bytes where they lie, for reading only.
func textBytes(text string) []byte { return unsafe.Slice(unsafe.StringData(text), len(text)) }

func (jsonCodec) Text(r protocol.Raw) ([]byte, bool, error) { return r, false, nil }

// msgpackCodec moves MessagePack values as one JSON string each way: JSON.stringify with
// the facade's replacer, then a transcode to MessagePack in Go; a transcode to JSON in Go,
// then JSON.parse (with the facade's reviver only when a value needs it). See the package
// doc for why this beats reading JS values from Go.
type msgpackCodec struct{}

// msgpackReplacer is the facade's (web/src/values.js), set by api.init, for handlers' results.
var msgpackReplacer js.Value

func (msgpackCodec) Encode(v js.Value) (protocol.Raw, error) {
	var s js.Value
	if err := jsutil.Try(func() { s = stringify.Invoke(v, msgpackReplacer) }); err != nil {
		if isCycleError(err) {
			return nil, taggedjson.ErrTooDeep
		}
		return nil, err
	}
	if s.IsUndefined() {
		return protocol.Raw{0xc0}, nil
	}
	// Not EncodeText's buffer: a handler's result is sent after its await, when the
	// buffer may hold a later call's arguments.
	return transcoder.ToMsgpack(nil, textBytes(s.String()))
}

// transcoder transcodes the arguments of the page's calls and its handlers' results, one at
// a time: nothing in a transcode calls out, and Go's wasm runs one goroutine at a time.
var transcoder taggedjson.Transcoder

// EncodeText reads text where it is (the transcode only reads it) into msgpackArgs: a copy
// of the text and the transcode's counts were two allocations of each send of a burst, whose
// collections made a burst's sending several times slower than over JSON, and MessagePack of
// its own was one more.
func (msgpackCodec) EncodeText(text string) (protocol.Raw, error) {
	args, err := transcoder.ToMsgpack(msgpackArgs[:0], textBytes(text))
	keepBuffer(&msgpackArgs, args)
	return args, err
}

// msgpackArgs is the buffer msgpackCodec.EncodeText transcodes into, again for each call.
var msgpackArgs []byte

// msgpackText is the buffer msgpackCodec.Text transcodes into, again for each value: a new
// one per value was an allocation per message received, and a collection every few thousand.
// Every caller is done with the text before Go reaches the next Text: the deliveries copy it,
// and a handler's arguments are read by the facade before the handler runs.
var msgpackText []byte

// maxKeptText is the largest msgpackArgs or msgpackText kept between values.
const maxKeptText = 64 << 10

// keepBuffer keeps used's array as *buf for the next value, unless it grew past maxKeptText.
func keepBuffer(buf *[]byte, used []byte) {
	if cap(used) <= maxKeptText {
		*buf = used[:0]
	}
}

func (msgpackCodec) Text(r protocol.Raw) ([]byte, bool, error) {
	if r == nil {
		return nil, false, nil
	}
	text, tagged, err := taggedjson.FromMsgpack(msgpackText[:0], r)
	keepBuffer(&msgpackText, text)
	return text, tagged, err
}

// isCycleError tells JSON.stringify's TypeError for a cycle (V8's and Firefox's texts).
func isCycleError(err error) bool {
	e, ok := err.(*jsutil.Error)
	if !ok || e.Value.Type() != js.TypeObject || !e.Value.InstanceOf(js.Global().Get("TypeError")) {
		return false
	}
	msg := e.Value.Get("message").String()
	return strings.HasPrefix(msg, "Converting circular structure") || strings.Contains(msg, "cyclic")
}
