package protocol

import (
	"errors"
	"strconv"

	"github.com/signalr-wasm/signalr-wasm/internal/jstext"
)

// HandshakeRequest is the client's first message, always JSON whatever the hub protocol.
type HandshakeRequest struct {
	Protocol string `json:"protocol"`
	Version  int    `json:"version"`
}

// HandshakeResponse is the server's answer; Error is "" on success.
type HandshakeResponse struct {
	Error string `json:"error"`
}

// WriteHandshakeRequest is exactly signalr.js's `{"protocol":"json","version":1}` + separator.
func WriteHandshakeRequest(protocolName string, version int) []byte {
	b := make([]byte, 0, 48)
	b = append(b, `{"protocol":`...)
	b = jstext.AppendString(b, protocolName)
	b = append(b, `,"version":`...)
	b = strconv.AppendInt(b, int64(version), 10)
	return append(b, '}', RecordSeparator)
}

// ParseHandshakeResponse reads the response up to the first separator and returns what
// follows it: a server may send its first messages in the same frame. It reads the response
// as signalr.js does (JSON.parse, then truthiness tests): text that is not JSON fails with an
// *InvalidJSONError, for the caller to report the platform's own parser error.
func ParseHandshakeResponse(data []byte) (HandshakeResponse, []byte, error) {
	var resp HandshakeResponse
	body, rest, err := nextRecord(data)
	if err != nil {
		return resp, nil, err
	}
	if !validJSON(body) {
		return resp, nil, &InvalidJSONError{Record: body, Err: errInvalidJSON}
	}
	// Valid JSON but not an object: `null.type` throws; any other value has no type and no
	// error, a success.
	if string(trimSpace(body)) == "null" {
		return resp, nil, &DecodeError{Class: "TypeError", Message: "Cannot read properties of null (reading 'type')", Fault: FaultHandshake, Value: []byte("null")}
	}
	var typ, errText []byte // the last of each, as JSON.parse keeps it
	eachMember(body, '{', func(key, raw []byte) {
		switch string(key) {
		case "type":
			typ = raw
		case "error":
			errText = raw
		}
	})
	if truthy(typ) {
		return HandshakeResponse{}, nil, errors.New("Expected a handshake response from the server.")
	}
	if truthy(errText) {
		resp.Error = jsText(errText)
	}
	return resp, rest, nil
}

// ParseHandshakeRequest is the server side of the handshake.
func ParseHandshakeRequest(data []byte) (HandshakeRequest, []byte, error) {
	var req HandshakeRequest
	body, rest, err := nextRecord(data)
	if err != nil {
		return req, nil, err
	}
	if err := handshakeMembers(body, func(key, raw []byte) {
		switch string(key) {
		case "protocol":
			req.Protocol, _ = unquote(raw)
		case "version":
			if n, ok := jstext.ParseNumber(raw); ok && n == float64(int(n)) {
				req.Version = int(n)
			}
		}
	}); err != nil {
		return req, nil, err
	}
	return req, rest, nil
}

var errHandshakeNotObject = errors.New("The handshake message is not a JSON object.")

// handshakeMembers reads a handshake message: a JSON object (null counts as an empty one).
func handshakeMembers(body []byte, f func(key, raw []byte)) error {
	if string(trimSpace(body)) == "null" {
		return nil
	}
	return eachObjectMember(body, f, errHandshakeNotObject)
}

// WriteHandshakeResponse is `{}` on success or `{"error":"..."}`, plus the separator.
func WriteHandshakeResponse(errMsg string) []byte {
	if errMsg == "" {
		return []byte{'{', '}', RecordSeparator}
	}
	b := append([]byte(`{"error":`), jstext.AppendString(nil, errMsg)...)
	return append(b, '}', RecordSeparator)
}
