package jsapi

import (
	"strings"
	"syscall/js"
	"testing"

	"github.com/signalr-wasm/signalr-wasm/client"
	"github.com/signalr-wasm/signalr-wasm/protocol"
	"github.com/signalr-wasm/signalr-wasm/transport"
)

// A record that is not JSON fails with the very SyntaxError JSON.parse gives, as in signalr.js.
func TestBrowserJSONSyntaxError(t *testing.T) {
	_, err := browserProtocol{protocol.JSONProtocol{}}.Parse(nil, []byte("{bad json\x1e"))
	if got := client.ErrorString(err); !strings.HasPrefix(got, "SyntaxError: ") {
		t.Fatalf("got %q", got)
	}
	if v := jsError(err); !v.InstanceOf(js.Global().Get("SyntaxError")) {
		t.Errorf("the page gets %s, not the SyntaxError", v.Get("constructor").Get("name"))
	}
	msgs, err := browserProtocol{protocol.JSONProtocol{}}.Parse(nil, []byte(`{"type":6}`+"\x1e"))
	if err != nil || len(msgs) != 1 {
		t.Errorf("a good frame: %v %v", msgs, err)
	}
}

// Without the facade's factory (a test, a broken load) errors are still JS Errors.
func TestErrorsWithoutFactory(t *testing.T) {
	v := jsError(&transport.HTTPError{Message: "Unauthorized", StatusCode: 401})
	if !v.InstanceOf(js.Global().Get("Error")) || v.Get("message").String() != "Unauthorized" {
		t.Errorf("got %v", v)
	}
	if s := jsError(client.TextError("WebSockets failed:")); s.Type() != js.TypeString || s.String() != "WebSockets failed:" {
		t.Errorf("AggregateErrors' text entry became %v", s)
	}
	if !jsError(nil).IsUndefined() {
		t.Error("nil error is not undefined")
	}
}

// The JSON codec is JSON.stringify/parse: undefined and functions become null as signalr.js
// sends them, and a BigInt is the JS TypeError, not a panic.
func TestJSONCodec(t *testing.T) {
	arr := js.Global().Get("Array").New(1, js.Undefined(), "x")
	raw, err := jsonCodec{}.Encode(arr)
	if err != nil || string(raw) != `[1,null,"x"]` {
		t.Errorf("got %s %v", raw, err)
	}
	_, err = jsonCodec{}.Encode(js.Global().Call("BigInt", 10))
	if got := client.ErrorString(err); got != "TypeError: Do not know how to serialize a BigInt" {
		t.Errorf("BigInt: %q", got)
	}
	v, err := decode(jsonCodec{}, []byte(`{"a":[1,2]}`))
	if err != nil || v.Get("a").Index(1).Int() != 2 {
		t.Errorf("decode: %v %v", v, err)
	}
	if v, _ := decode(jsonCodec{}, nil); !v.IsUndefined() {
		t.Errorf("no result is %v, want undefined", v)
	}
}

// A batch's names are cut by their length in UTF-16 units, as the facade counts them, so a
// name may hold anything: separators, characters beyond the BMP, a replaced lone surrogate.
func TestParseCall(t *testing.T) {
	batch := "i1,0,5,Echo😀[1,\"a\"]\x1es22,2,6,a,\x1e\x1fb�[]\x1ex3,7\x1ex4,\x1e"
	var got []callRecord
	for len(batch) > 0 {
		var r callRecord
		batch = parseCall(batch, &r)
		got = append(got, r)
	}
	want := []callRecord{
		{kind: 'i', key: 1, name: "Echo😀", args: `[1,"a"]`},
		{kind: 's', key: 22, streams: 2, name: "a,\x1e\x1fb�", args: "[]"},
		{kind: 'x', key: 3, id: "7"},
		{kind: 'x', key: 4},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d records: %+v", len(got), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("record %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
}
