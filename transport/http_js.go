package transport

import (
	"context"
	"syscall/js"
	"time"

	"github.com/signalr-wasm/signalr-wasm/internal/jsutil"
)

// DefaultHTTPClient is the browser's fetch, configured as signalr.js's FetchHttpClient.
func DefaultHTTPClient() HTTPClient { return fetchClient{} }

type fetchClient struct{}

var (
	fetchFn         = js.Global().Get("fetch")
	abortController = js.Global().Get("AbortController")
	objectCtor      = js.Global().Get("Object")
)

func (fetchClient) Do(ctx context.Context, r *Request) (*Response, error) {
	controller := abortController.New()
	headers := objectCtor.New()
	headers.Set("X-Requested-With", "XMLHttpRequest")
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
	if len(r.Body) > 0 {
		if r.Binary {
			body := uint8Array.New(len(r.Body))
			js.CopyBytesToJS(body, r.Body)
			init.Set("body", body)
		} else {
			init.Set("body", string(r.Body))
		}
	}

	// The reason an abort happened decides the error, as in signalr.js.
	var abortReason error
	done := make(chan struct{})
	defer close(done)
	go func() {
		var timeout <-chan time.Time
		if r.Timeout > 0 {
			t := time.NewTimer(r.Timeout)
			defer t.Stop()
			timeout = t.C
		}
		select {
		case <-done:
			return
		case <-ctx.Done():
			abortReason = &AbortError{}
		case <-timeout:
			abortReason = &TimeoutError{}
		}
		controller.Call("abort")
	}()

	var promise js.Value
	if err := jsutil.Try(func() { promise = fetchFn.Invoke(r.URL, init) }); err != nil {
		return nil, err
	}
	resp, err := jsutil.Await(promise)
	if err != nil {
		if abortReason != nil {
			return nil, abortReason
		}
		return nil, err
	}
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
