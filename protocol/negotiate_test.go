package protocol

import (
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
		`{"error":"no","ConnectionId":"ignored","connectionId":5}`: {Error: "no"},
		`{"ProtocolVersion":"1.5","negotiateVersion":"1"}`:         {ProtocolVersion: Raw(`"1.5"`)},
		` null `: {},
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
	if _, err := ParseNegotiateResponse([]byte(`[1]`)); err == nil || errors.As(err, new(*InvalidJSONError)) {
		t.Errorf("an array: %v, want another error", err)
	}
}
