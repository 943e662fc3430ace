package client

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/signalr-wasm/signalr-wasm/internal/jstext"
	"github.com/signalr-wasm/signalr-wasm/protocol"
	"github.com/signalr-wasm/signalr-wasm/transport"
)

const maxRedirects = 100

// negotiateURL is signalr.js's _resolveNegotiateUrl: /negotiate appended to the path,
// negotiateVersion=1 to the query unless the page wrote one, and useStatefulReconnect=true
// when the option asks for stateful reconnect and the page's query does not say; stateful
// tells whether it was asked for either way. The page's own query is kept as it was written
// (signalr.js re-serialises it with URLSearchParams, which only matters for unusual
// encodings).
func negotiateURL(base string, statefulOption bool) (nurl string, stateful bool) {
	rest, fragment := base, ""
	if i := strings.IndexByte(base, '#'); i >= 0 {
		rest, fragment = base[:i], base[i:]
	}
	path, query, _ := strings.Cut(rest, "?")
	if strings.HasSuffix(path, "/") {
		path += "negotiate"
	} else {
		path += "/negotiate"
	}
	add := func(param string) {
		if query != "" {
			query += "&"
		}
		query += param
	}
	if _, ok := queryParam(query, "negotiateVersion"); !ok {
		add("negotiateVersion=1")
	}
	if v, ok := queryParam(query, "useStatefulReconnect"); ok {
		stateful = v == "true"
	} else if statefulOption {
		add("useStatefulReconnect=true")
		stateful = true
	}
	return path + "?" + query + fragment, stateful
}

// queryParam is URLSearchParams.get on a URL's query: the first value of the parameter name.
func queryParam(query, name string) (value string, ok bool) {
	for _, pair := range strings.Split(query, "&") {
		k, v, _ := strings.Cut(pair, "=")
		if pair != "" && queryUnescape(k) == name {
			return queryUnescape(v), true
		}
	}
	return "", false
}

// queryUnescape decodes as URLSearchParams does: + is a space, %XX a byte, and a % without two
// hex digits stays as it is.
func queryUnescape(s string) string {
	if !strings.ContainsAny(s, "+%") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '+' {
			c = ' '
		} else if c == '%' && i+2 < len(s) {
			hi, okHi := jstext.HexDigit(s[i+1])
			lo, okLo := jstext.HexDigit(s[i+2])
			if okHi && okLo {
				c = hi<<4 | lo
				i += 2
			}
		}
		b = append(b, c)
	}
	return string(b)
}

// negotiate posts to {url}/negotiate. tokenFactory is the factory in force for this start
// (a redirect's accessToken replaces the page's factory until the next start).
func (c *httpConnection) negotiate(ctx context.Context, hc *transport.AccessTokenHTTPClient, base string, token func(context.Context) (string, error)) (*protocol.NegotiateResponse, error) {
	nurl, stateful := negotiateURL(base, c.opts.StatefulReconnect)
	if token != nil {
		bearer, err := token(ctx)
		if err != nil {
			return nil, c.negotiateFailed(err)
		}
		hc.SetToken(bearer)
	}
	c.log.Log(Debug, "Sending negotiation request: "+nurl+".")
	resp, err := hc.Do(ctx, &transport.Request{
		Method:          "POST",
		URL:             nurl,
		WithCredentials: c.opts.WithCredentials,
		Timeout:         c.opts.HTTPTimeout,
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil, errStoppedDuringNegotiation
		}
		return nil, c.negotiateFailed(err)
	}
	if resp.StatusCode != 200 {
		return nil, errors.New("Unexpected status code returned from negotiate '" + strconv.Itoa(resp.StatusCode) + "'")
	}
	nr, err := protocol.ParseNegotiateResponse(resp.Body)
	if err != nil {
		return nil, c.negotiateFailed(c.opts.PlatformError(err))
	}
	if nr.NegotiateVersion < 1 {
		nr.ConnectionToken = nr.ConnectionID
	}
	if nr.UseStatefulReconnect && !stateful {
		return nil, &FailedToNegotiateError{Message: "Client didn't negotiate Stateful Reconnect but the server did."}
	}
	return nr, nil
}

// requestHeaders are the headers of every HTTP request but for the bearer token: the user
// agent and the page's headers.
func (c *httpConnection) requestHeaders() map[string]string {
	name, value := userAgentHeader()
	headers := map[string]string{name: value}
	for k, v := range c.opts.Headers {
		headers[k] = v
	}
	return headers
}

func (c *httpConnection) negotiateFailed(err error) error {
	msg := "Failed to complete negotiation with the server: " + ErrorString(err)
	if he, ok := errors.AsType[*transport.HTTPError](err); ok && he.StatusCode == 404 {
		msg += " Either this is not a SignalR endpoint or there is a proxy blocking the connection."
	}
	c.log.Log(Error, msg)
	return &FailedToNegotiateError{Message: msg}
}
