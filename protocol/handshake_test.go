package protocol

import (
	"errors"
	"testing"
)

// A handshake response is read as signalr.js reads JSON.parse's value: null throws on its
// first property read, another value that is not an object has no error (a success), and text
// that is not JSON is an *InvalidJSONError.
func TestHandshakeResponseShapes(t *testing.T) {
	var d *DecodeError
	if _, _, err := ParseHandshakeResponse([]byte("null" + rs)); !errors.As(err, &d) || d.JSString() != "TypeError: Cannot read properties of null (reading 'type')" {
		t.Errorf("null: %v", err)
	}
	if resp, _, err := ParseHandshakeResponse([]byte(`{"error":5,"minorVersion":1}` + rs)); err != nil || resp.Error != "5" {
		t.Errorf("a number as the error: %+v, %v", resp, err)
	}
	if resp, rest, err := ParseHandshakeResponse([]byte(`[]` + rs + "x")); err != nil || resp.Error != "" || string(rest) != "x" {
		t.Errorf("an array: %+v, %q, %v, want a success", resp, rest, err)
	}
	if _, _, err := ParseHandshakeResponse([]byte(`{"error":` + rs)); !errors.As(err, new(*InvalidJSONError)) {
		t.Errorf("not JSON: %v, want an *InvalidJSONError", err)
	}
}
