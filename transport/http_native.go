//go:build !js

package transport

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/signalr-wasm/signalr-wasm/internal/logging"
)

// DefaultHTTPClient is net/http natively; the wasm build uses fetch and never links net/http.
// It logs its timeouts and failed requests to log (logging.NullLogger{} for none), as
// signalr.js's HTTP clients do.
func DefaultHTTPClient(log logging.Logger) HTTPClient { return nativeHTTP{log} }

type nativeHTTP struct{ log logging.Logger }

func (n nativeHTTP) Do(ctx context.Context, r *Request) (*Response, error) {
	if r.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.Timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, r.URL, bytes.NewReader(r.Body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-Requested-With", "XMLHttpRequest")
	if len(r.Body) > 0 {
		req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
		if r.Binary {
			req.Header.Set("Content-Type", "application/octet-stream")
		}
	}
	for k, v := range r.Headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			n.log.Log(logging.Warning, timeoutLine)
			return nil, &TimeoutError{}
		}
		if ctx.Err() != nil {
			return nil, &AbortError{}
		}
		logRequestError(n.log, err)
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	statusText := resp.Status // "404 Not Found": the text is what follows the code
	if i := strings.IndexByte(statusText, ' '); i >= 0 {
		statusText = statusText[i+1:]
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg := string(body)
		if msg == "" {
			msg = statusText
		}
		return nil, &HTTPError{Message: msg, StatusCode: resp.StatusCode}
	}
	return &Response{StatusCode: resp.StatusCode, StatusText: statusText, Body: body}, nil
}
