package jsapi

import (
	"bytes"
	"syscall/js"
	"testing"
	"time"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/signalr-wasm/signalr-wasm/internal/jstest"
	"github.com/signalr-wasm/signalr-wasm/internal/jsutil"
	"github.com/signalr-wasm/signalr-wasm/internal/taggedjson"
	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// loadTaggers installs the facade's replacer and reviver (web/src/values.js, which the test
// server serves at /src/) as api.init would.
func loadTaggers(tb testing.TB) {
	tb.Helper()
	if msgpackReplacer.Type() == js.TypeFunction {
		return
	}
	taggers := jstest.Facade(tb, []string{"values.js"}, "msgpackReplacer", "msgpackReviver")
	msgpackReplacer, msgpackReviver = taggers[0], taggers[1]
}

// decode is what the facade does with a value Go hands over: JSON.parse of its text, with
// the reviver when Go saw a tag; nil is undefined.
func decode(codec valueCodec, raw protocol.Raw) (js.Value, error) {
	text, tagged, err := codec.Text(raw)
	if err != nil || text == nil {
		return js.Undefined(), err
	}
	var v js.Value
	err = jsutil.Try(func() {
		if tagged {
			v = parse.Invoke(string(text), msgpackReviver)
		} else {
			v = parse.Invoke(string(text))
		}
	})
	return v, err
}

// msgpackReviver is the facade's, which parses what Go hands over (web/src/values.js).
var msgpackReviver js.Value

func evalJS(src string) js.Value { return js.Global().Call("eval", "("+src+")") }

// The MessagePack codec round-trips what JSON cannot carry, in the browser.
func TestMsgpackCodec(t *testing.T) {
	loadTaggers(t)
	v := evalJS(`[new Uint8Array([1, 2]), new Date(1500), NaN, undefined, { a: [1.5, "x"] }]`)
	raw, err := msgpackCodec{}.Encode(v)
	if err != nil {
		t.Fatal(err)
	}
	back, err := decode(msgpackCodec{}, raw)
	if err != nil {
		t.Fatal(err)
	}
	check := js.Global().Get("Function").New("v", `return v[0] instanceof Uint8Array && v[0][1] === 2 &&
		v[1] instanceof Date && v[1].getTime() === 1500 && Number.isNaN(v[2]) && v[3] === null &&
		v[4].a[0] === 1.5 && v[4].a[1] === "x";`)
	if !check.Invoke(back).Bool() {
		t.Errorf("round trip gave %s", js.Global().Get("JSON").Call("stringify", back).String())
	}
	cyclic := evalJS(`(() => { const o = {}; o.self = o; return [o]; })()`)
	if _, err := (msgpackCodec{}).Encode(cyclic); err != taggedjson.ErrTooDeep {
		t.Errorf("a cycle: %v", err)
	}
}

// The MessagePack codec transcodes each value into one buffer it keeps, unless the value was
// large: a new buffer per message received was a collection every few thousand messages.
func TestMsgpackTextBuffer(t *testing.T) {
	small, err := msgpack.Marshal([]any{1, "hello"})
	if err != nil {
		t.Fatal(err)
	}
	first, _, err := msgpackCodec{}.Text(small)
	if err != nil || string(first) != `[1,"hello"]` {
		t.Fatalf("text %q, %v", first, err)
	}
	second, _, _ := msgpackCodec{}.Text(small)
	if &first[0] != &second[0] {
		t.Error("the second value was transcoded into a new buffer")
	}
	large, _ := msgpack.Marshal([]any{string(bytes.Repeat([]byte("x"), maxKeptText))})
	if _, _, err := (msgpackCodec{}).Text(large); err != nil {
		t.Fatal(err)
	}
	if cap(msgpackText) > maxKeptText {
		t.Errorf("kept %d bytes after a large value", cap(msgpackText))
	}
}

// The two designs for moving a MessagePack value across the JS/Go boundary, measured:
// walking the JS value from Go (a boundary crossing per field), and one JSON string
// transcoded in Go (the codec's). `make bench-wasm` prints them.
var benchArgs = `[{ user: "alice", message: "hello, this is a chat message of ordinary length", n: 42,
	tags: ["a", "b", "c"], at: new Date(1500), data: new Uint8Array([1, 2, 3, 4]) }]`

func BenchmarkMsgpackEncodeTranscoded(b *testing.B) {
	loadTaggers(b)
	v := evalJS(benchArgs)
	for b.Loop() {
		if _, err := (msgpackCodec{}).Encode(v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMsgpackEncodeWalked(b *testing.B) {
	v := evalJS(benchArgs)
	for b.Loop() {
		var buf bytes.Buffer
		if err := walkEncode(msgpack.NewEncoder(&buf), v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMsgpackDecodeTranscoded(b *testing.B) {
	loadTaggers(b)
	raw, err := msgpackCodec{}.Encode(evalJS(benchArgs))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := decode(msgpackCodec{}, raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMsgpackDecodeBuilt(b *testing.B) {
	loadTaggers(b)
	raw, err := msgpackCodec{}.Encode(evalJS(benchArgs))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		var decoded any
		if err := msgpack.Unmarshal(raw, &decoded); err != nil {
			b.Fatal(err)
		}
		_ = js.ValueOf(toJSValue(decoded))
	}
}

// walkEncode is the design not taken: read each field of the JS value from Go.
func walkEncode(enc *msgpack.Encoder, v js.Value) error {
	switch v.Type() {
	case js.TypeUndefined, js.TypeNull:
		return enc.EncodeNil()
	case js.TypeBoolean:
		return enc.EncodeBool(v.Bool())
	case js.TypeNumber:
		f := v.Float()
		if f == float64(int64(f)) {
			return enc.EncodeInt(int64(f))
		}
		return enc.EncodeFloat64(f)
	case js.TypeString:
		return enc.EncodeString(v.String())
	}
	if v.InstanceOf(js.Global().Get("Uint8Array")) {
		b := make([]byte, v.Length())
		js.CopyBytesToGo(b, v)
		return enc.EncodeBytes(b)
	}
	if v.InstanceOf(js.Global().Get("Date")) {
		return enc.EncodeFloat64(v.Call("getTime").Float())
	}
	if js.Global().Get("Array").Call("isArray", v).Bool() {
		n := v.Length()
		if err := enc.EncodeArrayLen(n); err != nil {
			return err
		}
		for i := 0; i < n; i++ {
			if err := walkEncode(enc, v.Index(i)); err != nil {
				return err
			}
		}
		return nil
	}
	keys := js.Global().Get("Object").Call("keys", v)
	if err := enc.EncodeMapLen(keys.Length()); err != nil {
		return err
	}
	for i := 0; i < keys.Length(); i++ {
		k := keys.Index(i).String()
		if err := enc.EncodeString(k); err != nil {
			return err
		}
		if err := walkEncode(enc, v.Get(k)); err != nil {
			return err
		}
	}
	return nil
}

// toJSValue shapes a decoded Go value for js.ValueOf, which builds the JS value field by field.
func toJSValue(v any) any {
	switch x := v.(type) {
	case []any:
		for i := range x {
			x[i] = toJSValue(x[i])
		}
		return x
	case map[string]any:
		for k := range x {
			x[k] = toJSValue(x[k])
		}
		return x
	case int8:
		return float64(x)
	case int16:
		return float64(x)
	case int32:
		return float64(x)
	case int64:
		return float64(x)
	case uint8:
		return float64(x)
	case uint16:
		return float64(x)
	case uint32:
		return float64(x)
	case uint64:
		return float64(x)
	case time.Time:
		return js.Global().Get("Date").New(float64(x.UnixMilli()))
	case []byte:
		a := js.Global().Get("Uint8Array").New(len(x))
		js.CopyBytesToJS(a, x)
		return a
	}
	return v
}
