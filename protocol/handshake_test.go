package protocol

import (
	"errors"
	"testing"
)

// A handshake response that is not a JSON object fails the handshake; null reads as an empty
// one (as it did with encoding/json); text that is not JSON is an *InvalidJSONError.
func TestHandshakeResponseShapes(t *testing.T) {
	if resp, _, err := ParseHandshakeResponse([]byte("null" + rs)); err != nil || resp.Error != "" {
		t.Errorf("null: %+v, %v", resp, err)
	}
	if resp, _, err := ParseHandshakeResponse([]byte(`{"error":5,"minorVersion":1}` + rs)); err != nil || resp.Error != "5" || resp.MinorVersion != 1 {
		t.Errorf("a number as the error: %+v, %v", resp, err)
	}
	if _, _, err := ParseHandshakeResponse([]byte(`[]` + rs)); err == nil || errors.As(err, new(*InvalidJSONError)) {
		t.Errorf("an array: %v, want an error that is not *InvalidJSONError", err)
	}
	if _, _, err := ParseHandshakeResponse([]byte(`{"error":` + rs)); !errors.As(err, new(*InvalidJSONError)) {
		t.Errorf("not JSON: %v, want an *InvalidJSONError", err)
	}
}
