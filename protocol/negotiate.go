package protocol

import "encoding/json"

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
	// ProtocolVersion is set only by the old ASP.NET SignalR, which the client refuses.
	ProtocolVersion      json.RawMessage `json:"ProtocolVersion,omitempty"`
	UseStatefulReconnect bool            `json:"useStatefulReconnect,omitempty"`
}

// AvailableTransport is one transport the server offers, with its transfer formats.
type AvailableTransport struct {
	Transport       string   `json:"transport"`
	TransferFormats []string `json:"transferFormats"`
}
