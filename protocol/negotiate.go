package protocol

import (
	"bytes"
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
	// it is the raw JSON value, nil unless truthy (the test server never sends one).
	ProtocolVersion      Raw  `json:"-"`
	UseStatefulReconnect bool `json:"useStatefulReconnect,omitempty"`
}

// AvailableTransport is one transport the server offers, with its transfer formats.
type AvailableTransport struct {
	Transport       string   `json:"transport"`
	TransferFormats []string `json:"transferFormats"`
}

// ParseNegotiateResponse reads a negotiate body as signalr.js does (JSON.parse, then
// property reads): text that is not JSON fails with an *InvalidJSONError, for the caller to
// report the platform's own parser error; JSON that is not an object fails with the
// TypeError signalr.js's first property access throws; keys are compared exactly, and a
// field of an unexpected type (null included) is left unset rather than failing.
func ParseNegotiateResponse(body []byte) (*NegotiateResponse, error) {
	if !validJSON(body) {
		return nil, &InvalidJSONError{Record: body, Err: errInvalidJSON}
	}
	nr := &NegotiateResponse{}
	trimmed := bytes.TrimSpace(body)
	switch trimmed[0] {
	case '{':
	case '[':
		return nr, nil
	case 'n':
		return nil, &DecodeError{Class: "TypeError", Message: "Cannot read properties of null (reading 'negotiateVersion')", Fault: FaultNegotiate, Value: trimmed}
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
		return nil, &DecodeError{Class: "TypeError", Message: "Cannot create property 'connectionToken' on " + kind + " '" + jsText(trimmed) + "'", Fault: FaultNegotiate, Value: trimmed}
	}
	var errText, protocolVersion, stateful []byte // the last of each, as JSON.parse keeps it
	eachMember(trimmed, '{', func(key, raw []byte) {
		switch string(key) {
		case "connectionId":
			nr.ConnectionID, _ = unquote(raw)
		case "connectionToken":
			nr.ConnectionToken, _ = unquote(raw)
		case "url":
			nr.URL, _ = unquote(raw)
		case "accessToken":
			nr.AccessToken, _ = unquote(raw)
		case "negotiateVersion":
			nr.NegotiateVersion, _ = jsonInt(raw)
		case "error":
			errText = raw
		case "ProtocolVersion":
			protocolVersion = raw
		case "useStatefulReconnect":
			stateful = raw
		case "availableTransports":
			nr.AvailableTransports = nil
			eachMember(raw, '[', func(_, item []byte) {
				var t AvailableTransport
				eachMember(item, '{', func(key, raw []byte) {
					switch string(key) {
					case "transport":
						t.Transport, _ = unquote(raw)
					case "transferFormats":
						t.TransferFormats = jsonStrings(raw)
					}
				})
				nr.AvailableTransports = append(nr.AvailableTransports, t)
			})
		}
	})
	// signalr.js tests these for truthiness, and throws new Error(error) for any value.
	if truthy(errText) {
		nr.Error = jsText(errText)
	}
	if truthy(protocolVersion) {
		nr.ProtocolVersion = Raw(protocolVersion)
	}
	nr.UseStatefulReconnect = truthy(stateful)
	return nr, nil
}
