package client

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"github.com/signalr-wasm/signalr-wasm/protocol"
	"github.com/signalr-wasm/signalr-wasm/transport"
)

const maxRedirects = 100

// negotiateURL appends /negotiate to the path and negotiateVersion=1 to the query, keeping the
// page's own query as it was written (signalr.js re-serialises it with URLSearchParams, which
// only matters for unusual encodings). Stateful reconnect is asked for with
// useStatefulReconnect=true, which a page may also write into its URL itself; stateful tells
// whether it was asked for either way.
func negotiateURL(base string, statefulOption bool) (nurl string, stateful bool, err error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", false, err
	}
	if strings.HasSuffix(u.Path, "/") {
		u.Path += "negotiate"
	} else {
		u.Path += "/negotiate"
	}
	if u.RawPath != "" {
		u.RawPath = ""
	}
	if !u.Query().Has("negotiateVersion") {
		if u.RawQuery != "" {
			u.RawQuery += "&"
		}
		u.RawQuery += "negotiateVersion=1"
	}
	if q := u.Query(); q.Has("useStatefulReconnect") {
		stateful = q.Get("useStatefulReconnect") == "true"
	} else if statefulOption {
		u.RawQuery += "&useStatefulReconnect=true"
		stateful = true
	}
	return u.String(), stateful, nil
}

// connectURL adds the connection token as signalr.js does: verbatim, after ? or &.
func connectURL(base, token string) string {
	if token == "" {
		return base
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	return base + sep + "id=" + token
}

// negotiate posts to {url}/negotiate. tokenFactory is the factory in force for this start
// (a redirect's accessToken replaces the page's factory until the next start).
func (c *HubConnection) negotiate(ctx context.Context, base string, token func(context.Context) (string, error)) (*protocol.NegotiateResponse, error) {
	nurl, stateful, err := negotiateURL(base, c.opts.StatefulReconnect)
	if err != nil {
		return nil, c.negotiateFailed(err)
	}
	bearer := ""
	if token != nil {
		if bearer, err = token(ctx); err != nil {
			return nil, c.negotiateFailed(err)
		}
		c.mu.Lock()
		c.httpToken = bearer
		c.mu.Unlock()
	}
	headers := c.requestHeaders(bearer)
	c.httpLog.Log(Debug, "Sending negotiation request: "+nurl+".")
	resp, err := c.opts.HTTPClient.Do(ctx, &transport.Request{
		Method:          "POST",
		URL:             nurl,
		Headers:         headers,
		WithCredentials: c.opts.WithCredentials,
		Timeout:         c.opts.HTTPTimeout,
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, errStoppedDuringNegotiation
		}
		if isNetworkError(err) {
			c.httpLog.Log(Warning, "Error from HTTP request. "+ErrorString(err)+".")
		}
		return nil, c.negotiateFailed(err)
	}
	if resp.StatusCode != 200 {
		return nil, errorf("Unexpected status code returned from negotiate '%d'", resp.StatusCode)
	}
	nr, err := protocol.ParseNegotiateResponse(resp.Body)
	if err != nil {
		return nil, c.negotiateFailed(c.platformJSONError(err))
	}
	if nr.NegotiateVersion < 1 {
		nr.ConnectionToken = nr.ConnectionID
	}
	if nr.UseStatefulReconnect && !stateful {
		return nil, &FailedToNegotiateError{Message: "Client didn't negotiate Stateful Reconnect but the server did."}
	}
	return nr, nil
}

// requestHeaders are the headers of every HTTP request: the user agent, the page's headers and
// the bearer token, if any.
func (c *HubConnection) requestHeaders(bearer string) map[string]string {
	name, value := userAgentHeader()
	headers := map[string]string{name: value}
	for k, v := range c.opts.Headers {
		headers[k] = v
	}
	if bearer != "" {
		headers["Authorization"] = "Bearer " + bearer
	}
	return headers
}

func (c *HubConnection) negotiateFailed(err error) error {
	msg := "Failed to complete negotiation with the server: " + ErrorString(err)
	var he *transport.HTTPError
	if errors.As(err, &he) && he.StatusCode == 404 {
		msg += " Either this is not a SignalR endpoint or there is a proxy blocking the connection."
	}
	c.httpLog.Log(Error, msg)
	return &FailedToNegotiateError{Message: msg}
}

// isNetworkError tells a request that got no response (fetch's TypeError) from an HTTP
// status, an abort or a timeout: signalr.js's FetchHttpClient warns only for the first.
func isNetworkError(err error) bool {
	var he *transport.HTTPError
	var ae *transport.AbortError
	var te *transport.TimeoutError
	return !errors.As(err, &he) && !errors.As(err, &ae) && !errors.As(err, &te)
}
