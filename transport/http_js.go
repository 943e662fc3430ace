package transport

import (
	"context"
	"syscall/js"

	"github.com/signalr-wasm/signalr-wasm/internal/alarm"
	"github.com/signalr-wasm/signalr-wasm/internal/jsutil"
	"github.com/signalr-wasm/signalr-wasm/internal/logging"
)

// DefaultHTTPClient is the browser's fetch, configured as signalr.js's FetchHttpClient,
// which logs its timeouts and failed requests to log (logging.NullLogger{} for none).
func DefaultHTTPClient(log logging.Logger) HTTPClient {
	return fetchClient{log: log, fetch: js.Global().Get("fetch")}
}

// PageHTTPClient sends every request through the page's own HttpClient (withUrl's
// httpClient), to which signalr.js leaves the timeout and the logging: fetch has fetch's
// signature and answers, and calls the client (the facade's pageFetch, web/src/protocols.js).
// The request's init also carries its timeout (in milliseconds) and, for a binary request,
// its responseType, which fetch itself would ignore.
func PageHTTPClient(fetch js.Value) HTTPClient {
	return fetchClient{log: logging.NullLogger{}, fetch: fetch, page: true}
}

type fetchClient struct {
	log   logging.Logger
	fetch js.Value
	page  bool
}

var (
	abortController = js.Global().Get("AbortController")
	objectCtor      = js.Global().Get("Object")
)

func (f fetchClient) Do(ctx context.Context, r *Request) (*Response, error) {
	controller := abortController.New()
	headers := objectCtor.New()
	if !f.page {
		headers.Set("X-Requested-With", "XMLHttpRequest")
	}
	for k, v := range r.Headers {
		headers.Set(k, v)
	}
	init := objectCtor.New()
	init.Set("method", r.Method)
	init.Set("cache", "no-cache")
	credentials := "same-origin"
	if r.WithCredentials {
		credentials = "include"
	}
	init.Set("credentials", credentials)
	init.Set("mode", "cors")
	init.Set("redirect", "follow")
	init.Set("headers", headers)
	init.Set("signal", controller.Get("signal"))
	init.Set("timeout", max(r.Timeout, 0).Milliseconds())
	if r.Binary {
		init.Set("responseType", "arraybuffer")
	}
	if len(r.Body) > 0 {
		// signalr.js's FetchHttpClient names the body's type (a page's own client does not).
		contentType := "text/plain;charset=UTF-8"
		if r.Binary {
			contentType = "application/octet-stream"
			body := uint8Array.New(len(r.Body))
			js.CopyBytesToJS(body, r.Body)
			init.Set("body", body)
		} else {
			init.Set("body", string(r.Body))
		}
		if !f.page {
			headers.Set("Content-Type", contentType)
		}
	}

	// The reason an abort happened decides the error, as in signalr.js. The timeout, as
	// signalr.js's, runs until the response's headers are in, not while its body is read.
	var abortReason error
	// A timeout of 0 is none, as signalr.js reads it; a page's own client is given it instead.
	timer := alarm.New()
	var timeout <-chan struct{}
	if r.Timeout > 0 && !f.page {
		timer.Reset(r.Timeout)
		timeout = timer.C
	}
	defer timer.Stop()
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-done:
			return
		case <-ctx.Done():
			abortReason = &AbortError{}
			controller.Call("abort")
		case <-timeout:
			abortReason = &TimeoutError{}
			controller.Call("abort")
		}
	}()

	var promise js.Value
	if err := jsutil.Try(func() { promise = f.fetch.Invoke(r.URL, init) }); err != nil {
		return nil, err
	}
	resp, err := jsutil.Await(promise)
	if err != nil {
		if abortReason != nil {
			if _, timedOut := abortReason.(*TimeoutError); timedOut {
				f.log.Log(logging.Warning, timeoutLine)
			}
			return nil, abortReason
		}
		logRequestError(f.log, err)
		return nil, err
	}
	timer.Stop()
	ok := resp.Get("ok").Bool()
	binary := r.Binary && ok // error bodies are text, as signalr.js reads them
	read := "text"
	if binary {
		read = "arrayBuffer"
	}
	content, err := jsutil.Await(resp.Call(read))
	if err != nil {
		if abortReason != nil {
			return nil, abortReason
		}
		return nil, err
	}
	status := resp.Get("status").Int()
	statusText := resp.Get("statusText").String()
	var body []byte
	if binary {
		view := uint8Array.New(content)
		body = make([]byte, view.Length())
		js.CopyBytesToGo(body, view)
	} else {
		body = []byte(content.String())
	}
	if !ok {
		msg := string(body)
		if msg == "" {
			msg = statusText
		}
		return nil, &HTTPError{Message: msg, StatusCode: status}
	}
	return &Response{StatusCode: status, StatusText: statusText, Body: body}, nil
}
