package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/signalr-wasm/signalr-wasm/internal/jstext"
)

const rs = "\x1e"

// The frames signalr.js 10 writes for the same calls: its object literals' key order
// (target, arguments, invocationId, streamIds, type) and JSON.stringify's spelling.
func TestJSONWriteMatchesSignalRJS(t *testing.T) {
	p := JSONProtocol{}
	for _, tc := range []struct {
		name string
		m    Message
		want string
	}{
		{"invoke", Message{Type: InvocationType, Target: "SendMessage", Arguments: Raw(`["user","hi"]`), InvocationID: "0"},
			`{"target":"SendMessage","arguments":["user","hi"],"invocationId":"0","type":1}`},
		{"send", Message{Type: InvocationType, Target: "Echo", Arguments: Raw(`[1]`)},
			`{"target":"Echo","arguments":[1],"type":1}`},
		{"no arguments", Message{Type: InvocationType, Target: "Ping", InvocationID: "3"},
			`{"target":"Ping","arguments":[],"invocationId":"3","type":1}`},
		{"streams", Message{Type: InvocationType, Target: "Upload", Arguments: Raw(`[]`), InvocationID: "1", StreamIDs: []string{"2"}},
			`{"target":"Upload","arguments":[],"invocationId":"1","streamIds":["2"],"type":1}`},
		{"stream invocation", Message{Type: StreamInvocationType, Target: "Counter", Arguments: Raw(`[5]`), InvocationID: "4"},
			`{"target":"Counter","arguments":[5],"invocationId":"4","type":4}`},
		{"stream item", Message{Type: StreamItemType, InvocationID: "2", Item: Raw(`"x"`)},
			`{"invocationId":"2","item":"x","type":2}`},
		{"cancel", Message{Type: CancelInvocationType, InvocationID: "4"},
			`{"invocationId":"4","type":5}`},
		{"completion result", Message{Type: CompletionType, InvocationID: "7", Result: Raw(`42`)},
			`{"invocationId":"7","result":42,"type":3}`},
		{"completion error", Message{Type: CompletionType, InvocationID: "7", Error: "nope"},
			`{"error":"nope","invocationId":"7","type":3}`},
		{"ping", Message{Type: PingType}, `{"type":6}`},
		{"close", Message{Type: CloseType}, `{"type":7}`},
		{"close error", Message{Type: CloseType, Error: "bye", AllowReconnect: true}, `{"type":7,"error":"bye","allowReconnect":true}`},
		{"completion", Message{Type: CompletionType, InvocationID: "7"}, `{"invocationId":"7","type":3}`},
		{"headers", Message{Type: InvocationType, Target: "Echo", Arguments: Raw(`[1]`), Headers: map[string]string{"b": "2", "a": "\"1\""}},
			`{"headers":{"a":"\"1\"","b":"2"},"target":"Echo","arguments":[1],"type":1}`},
		{"headers of a ping", Message{Type: PingType, Headers: map[string]string{"a": "1"}}, `{"headers":{"a":"1"},"type":6}`},
		{"ack", Message{Type: AckType, SequenceID: 3}, `{"type":8,"sequenceId":3}`},
		{"sequence", Message{Type: SequenceType, SequenceID: 300}, `{"type":9,"sequenceId":300}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := p.Append(nil, &tc.m)
			if err != nil {
				t.Fatal(err)
			}
			if want := tc.want + rs; string(got) != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
}

func TestJSONParseSeveralMessagesPerFrame(t *testing.T) {
	frame := `{"type":1,"target":"ReceiveMessage","arguments":["a","b"]}` + rs +
		`{"type":6}` + rs +
		`{"type":3,"invocationId":"1","result":{"x":[1,2]}}` + rs +
		`{"type":3,"invocationId":"2","error":"boom"}` + rs +
		`{"type":7,"error":"bye","allowReconnect":true}` + rs
	got, err := JSONProtocol{}.Parse(nil, []byte(frame))
	if err != nil {
		t.Fatal(err)
	}
	want := []Message{
		{Type: InvocationType, Target: "ReceiveMessage", Arguments: Raw(`["a","b"]`)},
		{Type: PingType},
		{Type: CompletionType, InvocationID: "1", Result: Raw(`{"x":[1,2]}`)},
		{Type: CompletionType, InvocationID: "2", Error: "boom"},
		{Type: CloseType, Error: "bye", AllowReconnect: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

// The texts are signalr.js's JsonHubProtocol and TextMessageFormat errors.
func TestJSONParseErrors(t *testing.T) {
	for frame, want := range map[string]string{
		`{"tYpe":6}` + rs:                "Invalid payload.", // keys are case-sensitive, as in JSON.parse
		`{"type":6}`:                     "Message is incomplete.",
		`5` + rs:                         "Invalid payload.",
		`{"target":"x"}` + rs:            "Invalid payload.",
		`{"type":1,"arguments":[]}` + rs: "Invalid payload for Invocation message.",
		`{"type":2,"item":1}` + rs:       "Invalid payload for StreamItem message.",
		`{"type":3}` + rs:                "Invalid payload for Completion message.",
		`{"type":3,"invocationId":"1","result":1,"error":"e"}` + rs: "Invalid payload for Completion message.",
		`{"type":8}` + rs:                  "Invalid SequenceId for Ack message.",
		`{"type":9,"sequenceId":"x"}` + rs: "Invalid SequenceId for Sequence message.",
	} {
		_, err := JSONProtocol{}.Parse(nil, []byte(frame))
		if err == nil || err.Error() != want {
			t.Errorf("Parse(%q) = %v, want %q", frame, err, want)
		}
	}
	_, err := JSONProtocol{}.Parse(nil, []byte("{bad"+rs))
	if _, ok := err.(*InvalidJSONError); !ok {
		t.Errorf("not JSON: got %T %v, want *InvalidJSONError", err, err)
	}
}

// signalr.js ignores (and logs) unknown message types.
func TestJSONParseSkipsUnknownTypes(t *testing.T) {
	got, err := JSONProtocol{}.Parse(nil, []byte(`{"type":99}`+rs+`{"type":6}`+rs))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].Type != PingType {
		t.Errorf("got %+v", got)
	}
}

// A Close error is shown as JS's "" + error shows it, whatever its JSON type.
func TestCloseErrorAsJSText(t *testing.T) {
	for raw, want := range map[string]string{
		`"bye"`: "bye", `5`: "5", `1.5e-7`: "1.5e-7", `1e21`: "1e+21", `123456789012`: "123456789012",
		`true`: "true", `{"a":1}`: "[object Object]", `[1,"a",null,[2,3]]`: "1,a,,2,3",
		`0`: "", `""`: "", `null`: "", `false`: "",
	} {
		got, err := JSONProtocol{}.Parse(nil, []byte(`{"type":7,"error":`+raw+`}`+rs))
		if err != nil {
			t.Fatal(err)
		}
		if got[0].Error != want {
			t.Errorf("error %s: got %q, want %q", raw, got[0].Error, want)
		}
	}
}

func TestTruthyAsJS(t *testing.T) {
	for raw, want := range map[string]bool{
		"": false, "null": false, "false": false, "true": true, `""`: false, `" "`: true, `"0"`: true,
		`"\u0000"`: true, "0": false, "-0": false, "0.0": false, "0e5": false, "1e-400": false,
		"1": true, "-1.5": true, "1e400": true, "{}": true, "[]": true, "[0]": true,
	} {
		if got := truthy([]byte(raw)); got != want {
			t.Errorf("truthy(%s) = %v, JS: %v", raw, got, want)
		}
	}
}

func TestHandshake(t *testing.T) {
	if got := string(WriteHandshakeRequest("json", 1)); got != `{"protocol":"json","version":1}`+rs {
		t.Errorf("request %q", got)
	}
	resp, rest, err := ParseHandshakeResponse([]byte(`{}` + rs + `{"type":6}` + rs))
	if err != nil || resp.Error != "" || string(rest) != `{"type":6}`+rs {
		t.Errorf("success: %+v %q %v", resp, rest, err)
	}
	resp, _, err = ParseHandshakeResponse([]byte(`{"error":"Requested protocol 'x' is not available."}` + rs))
	if err != nil || resp.Error != "Requested protocol 'x' is not available." {
		t.Errorf("error: %+v %v", resp, err)
	}
	if _, _, err := ParseHandshakeResponse([]byte(`{"type":1}` + rs)); err == nil || err.Error() != "Expected a handshake response from the server." {
		t.Errorf("message instead of response: %v", err)
	}
	if _, _, err := ParseHandshakeResponse([]byte(`{}`)); err == nil || err.Error() != "Message is incomplete." {
		t.Errorf("incomplete: %v", err)
	}
	req, _, err := ParseHandshakeRequest(WriteHandshakeRequest("messagepack", 1))
	if err != nil || req != (HandshakeRequest{Protocol: "messagepack", Version: 1}) {
		t.Errorf("request round trip: %+v %v", req, err)
	}
	if got := string(WriteHandshakeResponse("no \"json\"")); got != `{"error":"no \"json\""}`+rs {
		t.Errorf("response %q", got)
	}
}

// JSON.stringify's escaping: only quote, backslash and control characters; lone surrogates
// as \u escapes; everything else as is (no HTML escaping).
func TestAppendJSString(t *testing.T) {
	for in, want := range map[string]string{
		"plain": `"plain"`, `q"b\`: `"q\"b\\"`, "\n\t\b\f\r": `"\n\t\b\f\r"`, "\x01\x1f": `"\u0001\u001f"`,
		"<&>": `"<&>"`, "héllo ✓ 🚀": `"héllo ✓ 🚀"`, "\u2028": "\"\u2028\"",
	} {
		if got := string(jstext.AppendString(nil, in)); got != want {
			t.Errorf("%q: got %s, want %s", in, got, want)
		}
	}
}

// The reading of the records servers write agrees with the reading of any JSON on every
// record it takes, ends each at its separator, and takes the usual ones.
func FuzzJSONPlainEnvelope(f *testing.F) {
	usual := []string{
		`{"type":1,"target":"item","arguments":[17,{"user":"alice","n":42}]}`,
		`{"type":2,"invocationId":"1","item":12345}`,
		`{"type":3,"invocationId":"12","result":{"a":[1,2]}}`,
		`{"type":3,"invocationId":"7","error":"boom"}`,
		`{"type":6}`,
	}
	for _, rec := range usual {
		var env jsonEnvelope
		if env.decodePlain([]byte(rec+"\x1e")) != len(rec) {
			f.Fatalf("%s is not read as a plain record", rec)
		}
		f.Add([]byte(rec + "\x1e"))
	}
	for _, seed := range []string{
		`{"type":1,"target":"a\u0062","arguments":[],"headers":{"k":"v"},"streamIds":["2"]}`,
		`{"type":0,"item":-1,"result":1.5e3,"error":01}`, `{"type":3,"type":2,"item":10,"item":"é"}`,
		`{"type":2 ,"item":1}`, `{"type":2,"item":1} `, `{"type":2,"item":1}x`, `{"ty\"pe":2}`,
		`{"type":2,"item":"abc`, `{"type":2,"item":12`, `{}`, `{"a":{}}`, `{"type":[1,{"b":[]}]}`,
		`{"type":2,"item":"a\x1eb"}`, `{"type":2,"item":[1\x1e]}`, `{"type":6},`,
	} {
		f.Add([]byte(seed + "\x1e"))
	}
	f.Add([]byte(`{"type":6}` + "\x1e" + `{"type":6}` + "\x1e"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var plain, general jsonEnvelope
		n := plain.decodePlain(data)
		if n < 0 {
			return
		}
		if first := bytes.IndexByte(data, RecordSeparator); n != first {
			t.Fatalf("%q read as a plain record of %d bytes, though its separator is at %d", data, n, first)
		}
		if !general.decodeMembers(data[:n]) {
			t.Fatalf("%q read as a plain record, though it is not one JSON object", data[:n])
		}
		general.decodeLists()
		if !reflect.DeepEqual(plain, general) {
			t.Fatalf("%q: plain %+v, general %+v", data[:n], plain, general)
		}
	})
}

// FuzzJSONParse: any frame parses or fails with an error, never a panic; whatever parses
// writes back to a frame that parses to the same messages.
func FuzzJSONParse(f *testing.F) {
	for _, seed := range []string{
		`{"type":1,"target":"a","arguments":[1,"x",{"y":null}],"invocationId":"1","streamIds":["2"]}` + rs,
		`{"type":2,"invocationId":"1","item":[1]}` + rs + `{"type":3,"invocationId":"1"}` + rs,
		`{"type":3,"invocationId":"1","error":"e"}` + rs + `{"type":6}` + rs,
		`{"type":7,"error":"x","allowReconnect":true}` + rs + `{"type":8,"sequenceId":3}` + rs,
		`{"type":5,"invocationId":"9"}` + rs, `{"type":4,"target":"s","arguments":[],"invocationId":"1"}` + rs,
		`{bad` + rs, rs, `{"type":3,"invocationId":"1","result":1,"error":"e"}` + rs,
	} {
		f.Add([]byte(seed))
	}
	p := JSONProtocol{}
	f.Fuzz(func(t *testing.T, frame []byte) {
		msgs, err := p.Parse(nil, frame)
		if err != nil {
			return
		}
		for _, m := range msgs {
			if m.Type < InvocationType || m.Type > SequenceType {
				continue // unknown types are skipped by the reader, never written
			}
			out, err := p.Append(nil, &m)
			if err != nil {
				t.Fatalf("Append(%+v): %v", m, err)
			}
			again, err := p.Parse(nil, out)
			if err != nil {
				t.Fatalf("Parse(Append(%+v)) = %q: %v", m, out, err)
			}
			if len(again) != 1 || !sameMessage(again[0], m) {
				t.Fatalf("round trip of %q: %+v became %+v", frame, m, again)
			}
		}
	})
}

// sameMessage compares what a frame carries for the message's type. A completion with an
// error carries no result as written, as signalr.js writes one (a reader lets a falsy result
// through beside an error, and the error is what the caller gets).
func sameMessage(a, b Message) bool {
	norm := func(m Message) Message {
		if m.Type == CompletionType && m.Error != "" {
			m.Result = nil
		}
		if string(m.Arguments) == "[]" {
			m.Arguments = nil // written as [] when absent
		}
		if len(m.Headers) == 0 {
			m.Headers = nil
		}
		if len(m.StreamIDs) == 0 {
			m.StreamIDs = nil
		}
		return m
	}
	return reflect.DeepEqual(norm(a), norm(b))
}

// FuzzJSONParseRepeats: a frame reads as its records read one by one, whichever of them
// repeat the one before but for their last value (Parse reads those without their envelope).
func FuzzJSONParseRepeats(f *testing.F) {
	for _, seed := range [][]string{
		{`{"type":1,"target":"item","arguments":[1,{"n":42}]}`, `{"type":1,"target":"item","arguments":[2,{"n":43}]}`, `{"type":1,"target":"item","arguments":[3]}`},
		{`{"type":2,"invocationId":"1","item":1}`, `{"type":2,"invocationId":"1","item":"x"}`, `{"type":2,"invocationId":"1","item":{}}`, `{"type":3,"invocationId":"1"}`},
		{`{"type":1,"target":"a","arguments":[1]}`, `{"type":1,"target":"a","arguments":[2],"target":"b"}`, `{"type":1,"target":"a","arguments":[3] }`},
		{`{"type":1,"target":"a","arguments":[1]}`, `{"type":1,"target":"a","arguments":[2`, `{"type":1,"target":"a","arguments":}`},
		{`{"type":1,"target":"a","arguments":[1]}`, `{"type":1,"target":"a","arguments":[2]x`},
		{`{"type":1,"target":"a","arguments":[1],"streamIds":["1"]}`, `{"type":1,"target":"a","arguments":[1],"streamIds":["2"]}`},
		{`{"type":1,"headers":{"a":"b"},"target":"a","arguments":[1]}`, `{"type":1,"headers":{"a":"b"},"target":"a","arguments":[2]}`},
		{`{"type":2,"invocationId":"1","item":1}`, `{"type":2,"invocationId":"1","item":1x}`, `{"type":2,"invocationId":"1","item":-0.5e3}`},
		{`{"type":4,"target":"s","arguments":[]}`, `{"type":4,"target":"s","arguments":[1]}`, `{"type":9,"item":1}`, `{"type":9,"item":2}`},
		{`{"type":2,"invocationId":"1","item":1}`, `{"type":2,"invocationId":"1","item":2}`, `{"type":2,"invocationId":"1","item":2}`},
		{`{"target":"item","arguments":[0,{"n":42}],"type":1}`, `{"target":"item","arguments":[1,{"n":42}],"type":1}`, `{"target":"item","arguments":[2],"type":2}`},
		{`{"item":1,"invocationId":"1","type":2}`, `{"item":"2","invocationId":"1","type":2}`, `{"item":3,"invocationId":"1","type":2,"item":4}`},
		{`{"type":1,"arguments":[1],"target":"a","arguments":[2]}`, `{"type":1,"arguments":[1],"target":"a","arguments":[3]}`, `{"type":1,"arguments":[5],"target":"a","arguments":[3]}`},
		{`{"arguments":[1],"type":1,"target":"a"}`, `{"arguments":[1,2],"type":1,"target":"a"}`, `{"arguments":[3]1,"type":1,"target":"a"}`},
	} {
		f.Add([]byte(strings.Join(seed, rs) + rs))
	}
	p := JSONProtocol{}
	f.Fuzz(func(t *testing.T, frame []byte) {
		if complete(frame) != nil {
			return
		}
		msgs, err := p.Parse(nil, frame)
		var each []Message
		var eachErr error
		for rest := frame; len(rest) > 0 && eachErr == nil; {
			i := bytes.IndexByte(rest, RecordSeparator)
			each, eachErr = p.Parse(each, rest[:i+1])
			rest = rest[i+1:]
		}
		if (err == nil) != (eachErr == nil) || err != nil && err.Error() != eachErr.Error() {
			t.Fatalf("%q: %v, record by record %v", frame, err, eachErr)
		}
		if err == nil && !reflect.DeepEqual(msgs, each) {
			t.Fatalf("%q: %+v, record by record %+v", frame, msgs, each)
		}
	})
}

func FuzzParseHandshakeResponse(f *testing.F) {
	for _, seed := range []string{`{}` + rs, `{"error":"x"}` + rs, `{"type":1}` + rs, `{"minorVersion":1}` + rs + `{"type":6}` + rs, `{`, ``} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, rest, err := ParseHandshakeResponse(data)
		if err == nil && len(rest) > len(data) {
			t.Fatalf("rest longer than the input")
		}
		// Only a response that is not JSON leaves its error to the platform's parser.
		var invalid *InvalidJSONError
		if i := bytes.IndexByte(data, RecordSeparator); i >= 0 && errors.As(err, &invalid) == json.Valid(data[:i]) {
			t.Fatalf("%q: %v", data[:i], err)
		}
	})
}

// A chat message as a server pushes it: what the receive path parses per message.
var benchFrame = []byte(`{"type":1,"target":"ReceiveMessage","arguments":["alice","hello, this is a chat message of ordinary length",42]}` + "\x1e")

func BenchmarkJSONParse(b *testing.B) {
	for b.Loop() {
		if _, err := (JSONProtocol{}).Parse(nil, benchFrame); err != nil {
			b.Fatal(err)
		}
	}
}

// A frame of a server stream's items as ASP.NET Core joins them: per item, the envelope is
// all there is to read.
func BenchmarkJSONParseStream(b *testing.B) {
	var frame []byte
	for i := range 128 {
		frame = fmt.Appendf(frame, `{"type":2,"invocationId":"1","item":%d}`+"\x1e", i*37)
	}
	benchmarkParseItems(b, JSONProtocol{}, frame, 128)
}

// A fresh page's first frame of a stream whose items the server joined by the thousand: the
// messages' slice grows from nothing.
func BenchmarkJSONParseLargeFrame(b *testing.B) {
	var frame []byte
	for i := range 5000 {
		frame = fmt.Appendf(frame, `{"type":2,"invocationId":"1","item":%d}`+"\x1e", i*37)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := (JSONProtocol{}).Parse(nil, frame); err != nil {
			b.Fatal(err)
		}
	}
}

// A frame of a broadcast as ASP.NET Core joins it (the benchmark's SendMany): per message,
// the envelope and an object argument to find the end of.
func BenchmarkJSONParseInvocations(b *testing.B) {
	var frame []byte
	for i := range 128 {
		frame = fmt.Appendf(frame, `{"type":1,"target":"item","arguments":[%d,{"message":"hello, this is a chat message of ordinary length","n":42,"user":"alice"}]}`+"\x1e", i)
	}
	benchmarkParseItems(b, JSONProtocol{}, frame, 128)
}

// benchmarkParseItems parses frame, which holds n messages, and reports the time per message.
func benchmarkParseItems(b *testing.B, p HubProtocol, frame []byte, n int) {
	msgs := make([]Message, 0, n)
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if msgs, err = p.Parse(msgs[:0], frame); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/item")
}

// The scanner agrees with encoding/json on what is JSON, and on each key's raw value in an
// object (duplicate keys: the last wins in both).
func FuzzJSONScanner(f *testing.F) {
	f.Add([]byte(`{"type":1,"target":"a","arguments":[1,"x",{"y":null}],"invocationId":"1","streamIds":["2"]}`))
	f.Add([]byte(`{"type":3,"type":4,"result":-1.5e+3,"error":"\u00e9"}`))
	f.Add([]byte(` { "a" : [ ] , "item" : { } } `))
	f.Add([]byte(`{"t\u0079pe":[[[{"a":[true,false,null]}]]],"\ud83d\ude00":"\ud800"}`))
	f.Add([]byte(`[1,2`))
	// Strings long enough to be read eight bytes at a time, with what stops that at each place.
	f.Add([]byte(`{"abcdefghij\"klmnopq":"0123456789\u00e9abcdefgh\\/xyz","a longer key, with é in it":["line\nbreak and then some more text","` + "tab\there" + `"]}`))
	f.Fuzz(func(t *testing.T, rec []byte) {
		if valid := validJSON(rec); valid != json.Valid(rec) {
			t.Fatalf("%q: validJSON says %v, encoding/json the opposite", rec, valid)
		}
		fields := map[string][]byte{}
		if !eachMember(rec, '{', func(key, raw []byte) { fields[string(key)] = raw }) {
			return
		}
		var want map[string]json.RawMessage
		if err := json.Unmarshal(rec, &want); err != nil {
			t.Fatalf("read %q as an object, which encoding/json refuses: %v", rec, err)
		}
		if len(fields) != len(want) {
			t.Fatalf("%q: keys %q, encoding/json has %d", rec, fields, len(want))
		}
		for key, raw := range want {
			if string(fields[key]) != string(raw) {
				t.Fatalf("%q: %q is %q, encoding/json says %q", rec, key, fields[key], raw)
			}
		}
		for _, raw := range want {
			var s string
			if json.Unmarshal(raw, &s) == nil {
				if got, ok := unquote(raw); !ok || got != s {
					t.Fatalf("unquote(%q) = %q, %v; encoding/json says %q", raw, got, ok, s)
				}
			}
		}
	})
}

// One frame per message is all Write allocates.
func BenchmarkJSONWrite(b *testing.B) {
	messages := []Message{
		{Type: InvocationType, Target: "Add", Arguments: Raw(`[4321,1]`), InvocationID: "17"},
		{Type: StreamItemType, InvocationID: "3", Item: Raw(`{"n":1}`)},
		{Type: CompletionType, InvocationID: "s1", Result: Raw(`"ok"`)},
		{Type: PingType},
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for j := range messages {
			if _, err := (JSONProtocol{}).Append(nil, &messages[j]); err != nil {
				b.Fatal(err)
			}
		}
	}
}
