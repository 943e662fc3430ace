package client

import (
	"context"
	"errors"
	"strings"

	"github.com/signalr-wasm/signalr-wasm/protocol"
	"github.com/signalr-wasm/signalr-wasm/transport"
)

// opened is a connected transport.
type opened struct {
	conn     transport.Conn
	features transport.Features
	id       string                                        // "" when negotiation was skipped
	reopen   func(context.Context) (transport.Conn, error) // session.reopen
}

// openTransport is signalr.js's HttpConnection.start: negotiate (following redirects), then try
// the server's transports in its order until one connects.
func (c *httpConnection) openTransport(ctx context.Context, base string) (*opened, error) {
	format := c.opts.Protocol.TransferFormat()
	c.log.Log(Debug, "Starting connection with transfer format '"+format.String()+"'.")
	token := c.opts.AccessTokenFactory
	hc := &transport.AccessTokenHTTPClient{HTTPClient: c.opts.HTTPClient, Headers: c.requestHeaders(), Refresh: token}

	if c.opts.SkipNegotiation {
		if c.opts.Transports != transport.WebSockets {
			return nil, c.startFailed(errSkipNegotiation)
		}
		ws := transport.New(transport.WebSockets, c.transportSettings(hc, token))
		if ws == nil {
			return nil, c.startFailed(errors.New("'WebSocket' is not supported in your environment."))
		}
		conn, err := ws.Connect(ctx, base, format)
		if err != nil {
			if ctx.Err() != nil {
				err = errStoppedDuringStart
			}
			return nil, c.startFailed(err)
		}
		return &opened{conn: conn, features: ws.Features()}, nil
	}

	var nr *protocol.NegotiateResponse
	for redirects := 0; ; redirects++ {
		if redirects == maxRedirects {
			return nil, c.startFailed(errRedirectLimit)
		}
		var err error
		nr, err = c.negotiate(ctx, hc, base, token)
		if err == nil && ctx.Err() != nil {
			err = errStoppedDuringNegotiation
		}
		if err != nil {
			return nil, c.startFailed(err)
		}
		if nr.Error != "" {
			return nil, c.startFailed(errors.New(nr.Error))
		}
		if nr.ProtocolVersion != nil {
			return nil, c.startFailed(errASPNETSignalR)
		}
		if nr.URL == "" {
			break
		}
		base = nr.URL
		if nr.AccessToken != "" {
			accessToken := nr.AccessToken
			token = func(context.Context) (string, error) { return accessToken, nil }
			hc.Refresh = nil // the redirect's token stays until the next start, as in signalr.js
		}
	}

	o, err := c.selectTransport(ctx, hc, base, token, nr, format)
	if err != nil {
		return nil, c.startFailed(err)
	}
	return o, nil
}

func (c *httpConnection) startFailed(err error) error {
	c.log.Log(Error, "Failed to start the connection: "+ErrorString(err))
	return err
}

// selectTransport walks availableTransports in server order. A failed connect re-negotiates
// before the next transport, because a connection token is single-use.
func (c *httpConnection) selectTransport(ctx context.Context, hc *transport.AccessTokenHTTPClient, base string, token func(context.Context) (string, error), nr *protocol.NegotiateResponse, format protocol.TransferFormat) (*opened, error) {
	var failures []error
	settings := c.transportSettings(hc, token)
	for _, endpoint := range nr.AvailableTransports {
		tr, err := c.resolveTransport(endpoint, format, settings)
		if err != nil {
			failures = append(failures, TextError(endpoint.Transport+" failed:"), err)
			continue
		}
		if nr == nil {
			if nr, err = c.negotiate(ctx, hc, base, token); err != nil {
				return nil, err
			}
		}
		url := base
		if nr.ConnectionToken != "" {
			url = transport.AppendQuery(base, "id", nr.ConnectionToken) // verbatim, as signalr.js
		}
		conn, err := tr.Connect(ctx, url, format)
		if err == nil {
			o := &opened{conn: conn, features: tr.Features(), id: nr.ConnectionID}
			if nr.UseStatefulReconnect && tr.Type() == transport.WebSockets {
				o.reopen = func(ctx context.Context) (transport.Conn, error) {
					return tr.Connect(ctx, url, format)
				}
			}
			return o, nil
		}
		if ctx.Err() != nil {
			return nil, errStoppedDuringStart
		}
		c.log.Log(Error, "Failed to start the transport '"+endpoint.Transport+"': "+ErrorString(err))
		nr = nil
		failures = append(failures, &FailedToStartTransportError{Message: endpoint.Transport + " failed: " + ErrorString(err), Transport: tr.Type()})
	}
	if len(failures) > 0 {
		texts := make([]string, len(failures))
		for i, f := range failures {
			texts[i] = ErrorString(f)
		}
		return nil, &AggregateError{
			Message: "Unable to connect to the server with any of the available transports. " + strings.Join(texts, " "),
			Errors:  failures,
		}
	}
	return nil, errNoTransports
}

// resolveTransport is signalr.js's _resolveTransportOrError: why a listed transport is skipped.
func (c *httpConnection) resolveTransport(endpoint protocol.AvailableTransport, format protocol.TransferFormat, settings transport.Settings) (transport.Transport, error) {
	var t transport.Type
	switch endpoint.Transport {
	case "WebSockets":
		t = transport.WebSockets
	case "ServerSentEvents":
		t = transport.ServerSentEvents
	case "LongPolling":
		t = transport.LongPolling
	default:
		msg := "Skipping transport '" + endpoint.Transport + "' because it is not supported by this client."
		c.log.Log(Debug, msg)
		return nil, errors.New(msg)
	}
	if c.opts.Transports != 0 && c.opts.Transports&t == 0 {
		c.log.Log(Debug, "Skipping transport '"+t.String()+"' because it was disabled by the client.")
		return nil, &DisabledTransportError{Message: "'" + t.String() + "' is disabled by the client.", Transport: t}
	}
	supported := false
	for _, f := range endpoint.TransferFormats {
		if f == format.String() {
			supported = true
		}
	}
	if !supported {
		c.log.Log(Debug, "Skipping transport '"+t.String()+"' because it does not support the requested transfer format '"+format.String()+"'.")
		return nil, errors.New("'" + t.String() + "' does not support " + format.String() + ".")
	}
	tr := transport.New(t, settings)
	if tr == nil {
		c.log.Log(Debug, "Skipping transport '"+t.String()+"' because it is not supported in your environment.'")
		return nil, &UnsupportedTransportError{Message: "'" + t.String() + "' is not supported in your environment.", Transport: t}
	}
	c.log.Log(Debug, "Selecting transport '"+t.String()+"'.")
	return tr, nil
}

// transportSettings are what every transport of a start is built with: hc carries the
// token negotiate got, as signalr.js's AccessTokenHttpClient does, and token is the factory
// a WebSocket asks again (a redirect's token replaces the page's factory until the next start).
func (c *httpConnection) transportSettings(hc *transport.AccessTokenHTTPClient, token func(context.Context) (string, error)) transport.Settings {
	return transport.Settings{
		HTTP:               hc,
		AccessTokenFactory: token,
		WithCredentials:    c.opts.WithCredentials,
		LogMessageContent:  c.opts.LogMessageContent,
		Timeout:            c.opts.HTTPTimeout,
		Logger:             c.log,
	}
}
