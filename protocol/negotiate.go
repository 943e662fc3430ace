package protocol

import (
	"bytes"
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
	// ProtocolVersion is set only by the old ASP.NET SignalR, which the client refuses; it is
	// the raw JSON value (the test server never sends one).
	ProtocolVersion      Raw  `json:"-"`
	UseStatefulReconnect bool `json:"useStatefulReconnect,omitempty"`
}

// AvailableTransport is one transport the server offers, with its transfer formats.
type AvailableTransport struct {
	Transport       string   `json:"transport"`
	TransferFormats []string `json:"transferFormats"`
}

var errNegotiateNotObject = errors.New("The negotiate response is not a JSON object.")

// ParseNegotiateResponse reads a negotiate response as signalr.js reads the object JSON.parse
// makes of it: keys compared exactly, and a value of another type than the field's (null
// included) taken as absent. Text that is not JSON is an *InvalidJSONError.
func ParseNegotiateResponse(body []byte) (*NegotiateResponse, error) {
	nr := &NegotiateResponse{}
	if string(bytes.TrimSpace(body)) == "null" {
		return nr, nil
	}
	err := eachObjectMember(body, func(key, raw []byte) {
		switch string(key) {
		case "connectionId":
			nr.ConnectionID, _ = unquote(raw)
		case "connectionToken":
			nr.ConnectionToken, _ = unquote(raw)
		case "url":
			nr.URL, _ = unquote(raw)
		case "accessToken":
			nr.AccessToken, _ = unquote(raw)
		case "error":
			nr.Error, _ = unquote(raw)
		case "negotiateVersion":
			n, _ := jsonNumber(raw)
			nr.NegotiateVersion = int(n)
		case "useStatefulReconnect":
			nr.UseStatefulReconnect = string(raw) == "true"
		case "ProtocolVersion":
			nr.ProtocolVersion = Raw(raw)
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
	}, errNegotiateNotObject)
	if err != nil {
		return nil, err
	}
	return nr, nil
}
