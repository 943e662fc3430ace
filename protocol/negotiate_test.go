package protocol

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// The negotiate response is read as signalr.js reads JSON.parse's object: exact keys, values of
// another type taken as absent; text that is not JSON is an *InvalidJSONError for the bridge
// to replace with JSON.parse's SyntaxError.
func TestParseNegotiateResponse(t *testing.T) {
	for body, want := range map[string]NegotiateResponse{
		`{"connectionId":"a","connectionToken":"b","negotiateVersion":1,"useStatefulReconnect":true,` +
			`"availableTransports":[{"transport":"WebSockets","transferFormats":["Text","Binary"]},null]}`: {
			ConnectionID: "a", ConnectionToken: "b", NegotiateVersion: 1, UseStatefulReconnect: true,
			AvailableTransports: []AvailableTransport{{Transport: "WebSockets", TransferFormats: []string{"Text", "Binary"}}, {}},
		},
		`{"url":"http://x/hub","accessToken":"t\u00e9"}`:           {URL: "http://x/hub", AccessToken: "té"},
		`{"error":"no","ConnectionId":"ignored","connectionId":5}`: {Error: "no", ConnectionID: "5"},
		`{"ProtocolVersion":"1.5","negotiateVersion":"1"}`:         {ProtocolVersion: Raw(`"1.5"`), NegotiateVersion: 1},
		`[1]`: {},
		`{"availableTransports":{"transport":"WebSockets"}}`:                 {},
		`{"availableTransports":[{"transport":1,"transferFormats":"Text"}]}`: {AvailableTransports: []AvailableTransport{{}}},
	} {
		got, err := ParseNegotiateResponse([]byte(body))
		if err != nil || !reflect.DeepEqual(*got, want) {
			t.Errorf("%s: got %+v, %v; want %+v", body, got, err, want)
		}
	}
	if _, err := ParseNegotiateResponse([]byte(`not json`)); !errors.As(err, new(*InvalidJSONError)) {
		t.Errorf("not JSON: %v, want an *InvalidJSONError", err)
	}
}

// JSON that is not an object fails as signalr.js's first property access on it does.
func TestParseNegotiateResponseNotAnObject(t *testing.T) {
	for body, want := range map[string]string{
		` null `: "TypeError: Cannot read properties of null (reading 'negotiateVersion')",
		`5`:      "TypeError: Cannot create property 'connectionToken' on number '5'",
		`"x"`:    "TypeError: Cannot create property 'connectionToken' on string 'x'",
		`true`:   "TypeError: Cannot create property 'connectionToken' on boolean 'true'",
	} {
		_, err := ParseNegotiateResponse([]byte(body))
		text := ""
		var d *DecodeError
		if errors.As(err, &d) {
			text = d.JSString()
		} else if err != nil {
			text = err.Error()
		}
		if text != want {
			t.Errorf("%s: got %q, want %q", body, text, want)
		}
	}
	// Keys are matched as JS reads properties, case and all; a value of another type is
	// not read, but for those signalr.js only tests for truthiness, or compares as JS does.
	nr, err := ParseNegotiateResponse([]byte(`{"connectionId":"a","ConnectionToken":"b","negotiateVersion":"1","availableTransports":[{"transport":"WebSockets","TransferFormats":["Text"]}],"ProtocolVersion":0,"useStatefulReconnect":1,"error":""}`))
	want := &NegotiateResponse{ConnectionID: "a", NegotiateVersion: 1, AvailableTransports: []AvailableTransport{{Transport: "WebSockets"}}, UseStatefulReconnect: true}
	if err != nil || !reflect.DeepEqual(nr, want) {
		t.Errorf("got %+v %v", nr, err)
	}
}

// negotiateVersion takes connectionId for connectionToken exactly where signalr.js's
// `!v || v < 1` holds, whatever JSON the server wrote (what Node says of that expression for
// each value), and reads a number as it is.
func TestNegotiateVersionAsSignalRJSReadsIt(t *testing.T) {
	for raw, want := range map[string]string{
		`1`: "token", `1.0`: "token", `2.5`: "token", `0.5`: "id", `0`: "id", `-1`: "id", `1e999`: "token",
		`"1"`: "token", `""`: "id", `" 2 "`: "token", `"0x10"`: "token", `"0b1"`: "token", `"-0x1"`: "token",
		`"1e3"`: "token", `"abc"`: "token", `"1_0"`: "token", `"Infinity"`: "token", `"-Infinity"`: "id",
		`"inf"`: "token", `"INFINITY"`: "token", `true`: "token", `false`: "id", `null`: "id", `[]`: "id",
		`[5]`: "token", `["0"]`: "id", `[1,2]`: "token", `{}`: "token",
		// Number() skips JS's whitespace, which is not Unicode's: U+0085 is not in it, U+FEFF is.
		`"\ufeff0"`: "id", `"\u00850"`: "token", `"\u00a00"`: "id", `"\u20280\u2029"`: "id", `"\u180e0"`: "token",
		`"\u200b0"`: "token", `"\u30000"`: "id", `"\u000b0\f"`: "id",
	} {
		nr, err := ParseNegotiateResponse([]byte(`{"negotiateVersion":` + raw + `}`))
		if got := map[bool]string{true: "id", false: "token"}[nr.NegotiateVersion < 1]; err != nil || got != want {
			t.Errorf("negotiateVersion %s: version %d (%s), %v; signalr.js uses the %s", raw, nr.NegotiateVersion, got, err, want)
		}
	}
	for raw, want := range map[string]int{`1`: 1, `1.0`: 1, `2.5`: 2, `"3"`: 3, `0.5`: 0} {
		if nr, _ := ParseNegotiateResponse([]byte(`{"negotiateVersion":` + raw + `}`)); nr.NegotiateVersion != want {
			t.Errorf("negotiateVersion %s: got %d, want %d", raw, nr.NegotiateVersion, want)
		}
	}
}

// Any negotiate body reads as signalr.js reads it: not JSON is an *InvalidJSONError (the
// platform's parser names the fault), and what the test server writes reads back the same.
func FuzzParseNegotiateResponse(f *testing.F) {
	f.Add([]byte(`{"connectionId":"x","connectionToken":"t","negotiateVersion":1,"availableTransports":[{"transport":"WebSockets","transferFormats":["Text","Binary"]}]}`))
	f.Add([]byte(`{"url":"http://elsewhere/hub","accessToken":"tok"}`))
	f.Add([]byte(`{"error":"refused","ProtocolVersion":"1.5"}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`<html>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		nr, err := ParseNegotiateResponse(body)
		var invalid *InvalidJSONError
		if errors.As(err, &invalid) != !json.Valid(body) {
			t.Fatalf("%q: %v", body, err)
		}
		if err != nil {
			return
		}
		written, err := json.Marshal(nr)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseNegotiateResponse(written)
		if err != nil {
			t.Fatalf("%s: %v", written, err)
		}
		if rewritten, _ := json.Marshal(again); string(rewritten) != string(written) {
			t.Fatalf("%s read back as %s", written, rewritten)
		}
	})
}

// A connectionId or connectionToken that is not a string is used as signalr.js uses it:
// `"id=" + token` when truthy, `connectionId || null`; so a number is its text, and a falsy
// value is none (what Node prints for each).
func TestNegotiateIDsAsSignalRJSUsesThem(t *testing.T) {
	for raw, want := range map[string]string{
		`"abc"`: "abc", `42`: "42", `1.50`: "1.5", `true`: "true", `{"a":1}`: "[object Object]", `[1,"b"]`: "1,b",
		`0`: "", `false`: "", `null`: "", `""`: "",
	} {
		nr, err := ParseNegotiateResponse([]byte(`{"negotiateVersion":1,"connectionId":` + raw + `,"connectionToken":` + raw + `}`))
		if err != nil || nr.ConnectionID != want || nr.ConnectionToken != want {
			t.Errorf("%s: got id %q, token %q, %v; want %q", raw, nr.ConnectionID, nr.ConnectionToken, err, want)
		}
	}
}
