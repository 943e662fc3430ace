package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
)

// NegotiateResponse is the body of POST {hub}/negotiate, read by the client and written by
// the test server (SignalR's TransportProtocols spec). A redirect carries only URL and
// AccessToken; a refusal only Error.
type NegotiateResponse struct {
	ConnectionID        string               `json:"connectionId,omitempty"`
	ConnectionToken     string               `json:"connectionToken,omitempty"`
	NegotiateVersion    int                  `json:"negotiateVersion"`
	AvailableTransports []AvailableTransport `json:"availableTransports,omitempty"`
	URL                 string               `json:"url,omitempty"`
	AccessToken         string               `json:"accessToken,omitempty"`
	Error               string               `json:"error,omitempty"`
	// ProtocolVersion is set only by the old ASP.NET SignalR, which the client refuses; read,
	// it is nil unless truthy.
	ProtocolVersion      json.RawMessage `json:"ProtocolVersion,omitempty"`
	UseStatefulReconnect bool            `json:"useStatefulReconnect,omitempty"`
}

// AvailableTransport is one transport the server offers, with its transfer formats.
type AvailableTransport struct {
	Transport       string   `json:"transport"`
	TransferFormats []string `json:"transferFormats"`
}

// ParseNegotiateResponse reads a negotiate body as signalr.js does (JSON.parse, then
// property reads): text that is not JSON fails with an *InvalidJSONError, for the caller to
// report the platform's own parser error; JSON that is not an object fails with the
// TypeError signalr.js's first property access throws; a field of an unexpected type is
// left unset rather than failing with a Go decoder's text.
func ParseNegotiateResponse(body []byte) (*NegotiateResponse, error) {
	if !json.Valid(body) {
		return nil, &InvalidJSONError{Record: body, Err: errors.New("invalid JSON")}
	}
	var nr NegotiateResponse
	trimmed := bytes.TrimSpace(body)
	switch trimmed[0] {
	case '{':
		var errText, stateful json.RawMessage
		readFields(trimmed, map[string]any{
			"connectionId": &nr.ConnectionID, "connectionToken": &nr.ConnectionToken,
			"negotiateVersion": &nr.NegotiateVersion, "url": &nr.URL, "accessToken": &nr.AccessToken,
			"error": &errText, "ProtocolVersion": &nr.ProtocolVersion, "useStatefulReconnect": &stateful,
		})
		// signalr.js tests these for truthiness, and throws new Error(error) for any value.
		if truthy(errText) {
			nr.Error = jsText(errText)
		}
		if !truthy(nr.ProtocolVersion) {
			nr.ProtocolVersion = nil
		}
		nr.UseStatefulReconnect = truthy(stateful)
		var transports []json.RawMessage
		readFields(trimmed, map[string]any{"availableTransports": &transports})
		for _, raw := range transports {
			var t AvailableTransport
			readFields(raw, map[string]any{"transport": &t.Transport, "transferFormats": &t.TransferFormats})
			nr.AvailableTransports = append(nr.AvailableTransports, t)
		}
	case '[':
	case 'n':
		return nil, &DecodeError{Class: "TypeError", Message: "Cannot read properties of null (reading 'negotiateVersion')"}
	default:
		// Without negotiateVersion, signalr.js copies connectionId into connectionToken:
		// a property set on a primitive, which strict code refuses.
		kind := "number"
		switch trimmed[0] {
		case '"':
			kind = "string"
		case 't', 'f':
			kind = "boolean"
		}
		return nil, &DecodeError{Class: "TypeError", Message: "Cannot create property 'connectionToken' on " + kind + " '" + jsText(trimmed) + "'"}
	}
	return &nr, nil
}

// readFields reads the members of a JSON object named exactly as the keys of fields (as a
// JS property read, where encoding/json would also match other cases) into their values;
// a member of another type leaves its value unset.
func readFields(object []byte, fields map[string]any) {
	var members map[string]json.RawMessage
	if json.Unmarshal(object, &members) != nil {
		return
	}
	for name, v := range fields {
		if raw, ok := members[name]; ok {
			_ = json.Unmarshal(raw, v)
		}
	}
}
