package jsapi

import (
	"context"
	"errors"
	"syscall/js"
	"time"

	"github.com/signalr-wasm/signalr-wasm/client"
	"github.com/signalr-wasm/signalr-wasm/internal/jsutil"
	"github.com/signalr-wasm/signalr-wasm/protocol"
	"github.com/signalr-wasm/signalr-wasm/transport"
)

// options reads the facade's config (see doc.go) into engine options. It reads each JS field
// once, at creation; only the two timeouts change later, through their setters.
func options(config js.Value) (client.Options, valueCodec, error) {
	o := config.Get("options")
	if o.IsUndefined() || o.IsNull() {
		o = js.Global().Get("Object").New()
	}
	builderLogger := config.Get("logger")
	httpFallback := loggerFrom(builderLogger, consoleLogger{min: client.Information})
	opts := client.Options{
		Logger:            loggerFrom(builderLogger, client.NullLogger{}),
		HTTPLogger:        loggerFrom(o.Get("logger"), httpFallback),
		SkipNegotiation:   o.Get("skipNegotiation").Truthy(),
		LogMessageContent: o.Get("logMessageContent").Truthy(),
		WithCredentials:   true,
		ServerTimeout:     millis(config.Get("serverTimeoutInMilliseconds")),
		KeepAliveInterval: millis(config.Get("keepAliveIntervalInMilliseconds")),
		HTTPTimeout:       httpTimeout(o.Get("timeout")),
		RunLater:          jsutil.QueueMicrotask,
		PlatformError:     platformError,
	}
	if t := o.Get("transport"); t.Type() == js.TypeNumber {
		opts.Transports = transport.Type(t.Int())
	}
	// build() has checked the type, as signalr.js's HttpConnection constructor does.
	if wc := o.Get("withCredentials"); wc.Type() == js.TypeBoolean {
		opts.WithCredentials = wc.Bool()
	}
	if h := o.Get("headers"); h.Type() == js.TypeObject {
		opts.Headers = map[string]string{}
		keys := js.Global().Get("Object").Call("keys", h)
		for i := 0; i < keys.Length(); i++ {
			k := keys.Index(i).String()
			opts.Headers[k] = jsStringOf(h.Get(k))
		}
	}
	// withStatefulReconnect sets the option under signalr.js's own name, which pages that
	// build IHttpConnectionOptions by hand also use.
	opts.StatefulReconnect = o.Get("_useStatefulReconnect").Truthy()
	if n := config.Get("statefulReconnectBufferSize"); n.Type() == js.TypeNumber && n.Int() > 0 {
		opts.StatefulReconnectBufferSize = n.Int()
	}
	if p := config.Get("reconnectPolicy"); p.Type() == js.TypeObject {
		opts.ReconnectPolicy = retryPolicy{p}
	}
	if p := config.Get("startRetryPolicy"); p.Type() == js.TypeObject {
		opts.StartRetryPolicy = retryPolicy{p}
	}
	// withUrl's httpClient: a plain DefaultHttpClient is the engine's own fetch, logging as
	// signalr.js's to the logger it was made with; any other is the page's (httpFetch).
	if f := config.Get("httpFetch"); f.Truthy() {
		opts.HTTPClient = transport.PageHTTPClient(f)
	} else if l := config.Get("defaultHttpClientLogger"); l.Truthy() {
		opts.HTTPClient = transport.DefaultHTTPClient(loggerFrom(l, opts.HTTPLogger))
	}
	if f := o.Get("accessTokenFactory"); f.Type() == js.TypeFunction {
		opts.AccessTokenFactory = tokenFactory(f)
	}
	codec, proto, err := hubProtocol(config.Get("protocol"))
	if err != nil {
		return opts, nil, err
	}
	opts.Protocol = proto
	opts.URL = logNormalizedURL(config, opts.HTTPLogger)
	return opts, codec, nil
}

// retryPolicy is the page's IRetryPolicy (or the builder's default one).
type retryPolicy struct{ policy js.Value }

func (p retryPolicy) NextRetryDelay(rc client.RetryContext) (time.Duration, bool, error) {
	ctx := js.Global().Get("Object").New()
	ctx.Set("elapsedMilliseconds", rc.Elapsed.Milliseconds())
	ctx.Set("previousRetryCount", rc.PreviousRetryCount)
	ctx.Set("retryReason", jsError(rc.RetryReason))
	var v js.Value
	if err := jsutil.Try(func() { v = p.policy.Call("nextRetryDelayInMilliseconds", ctx) }); err != nil {
		return 0, false, err
	}
	// Only null stops: signalr.js tests `!== null`, and setTimeout reads anything else as a number.
	if v.IsNull() {
		return 0, false, nil
	}
	return millis(js.Global().Get("Number").Invoke(v)), true, nil
}

// millis reads a JS number of milliseconds; NaN and negatives are 0, as setTimeout reads them.
func millis(v js.Value) time.Duration {
	if v.Type() != js.TypeNumber {
		return 0
	}
	if f := v.Float(); f > 0 {
		return time.Duration(f * float64(time.Millisecond))
	}
	return 0
}

// httpTimeout reads withUrl's `timeout`: absent is the default, and any other falsy value (0,
// null, NaN) none, as signalr.js sets no timer for it.
func httpTimeout(v js.Value) time.Duration {
	if v.IsUndefined() || v.Truthy() {
		return millis(v)
	}
	return -1
}

var jsString = js.Global().Get("String")

// jsStringOf is String(v); a string, the common case, is read without a call into JS.
func jsStringOf(v js.Value) string {
	if v.Type() == js.TypeString {
		return v.String()
	}
	return jsString.Invoke(v).String()
}

// tokenFactory adapts accessTokenFactory, which may return a string or a Promise of one.
func tokenFactory(f js.Value) func(context.Context) (string, error) {
	return func(context.Context) (string, error) {
		var v js.Value
		if err := jsutil.Try(func() { v = f.Invoke() }); err != nil {
			return "", err
		}
		v, err := jsutil.Await(v)
		if err != nil {
			return "", err
		}
		if v.IsUndefined() || v.IsNull() {
			return "", nil
		}
		return jsStringOf(v), nil
	}
}

// hubProtocol picks the engine protocol named by the page's IHubProtocol object.
func hubProtocol(p js.Value) (valueCodec, protocol.HubProtocol, error) {
	name := "json"
	if p.Type() == js.TypeObject {
		name = jsStringOf(p.Get("name"))
	}
	switch name {
	case "json":
		return jsonCodec{}, browserProtocol{protocol.JSONProtocol{}}, nil
	case "messagepack":
		return msgpackCodec{}, browserProtocol{protocol.MessagePackProtocol{}}, nil
	}
	return nil, nil, errors.New("The hub protocol '" + name + "' is not supported.")
}

// logNormalizedURL logs what signalr.js logs when its constructor resolves a page-relative
// URL; the facade resolves it in build(), where signalr.js throws for one it cannot resolve.
func logNormalizedURL(config js.Value, log client.Logger) string {
	url := config.Get("url").String()
	if requested := config.Get("requestedUrl").String(); requested != url {
		log.Log(client.Information, "Normalizing '"+requested+"' to '"+url+"'.")
	}
	return url
}

// browserProtocol is a hub protocol with the page's own errors (platformError): a JSON record
// that is not JSON fails with the SyntaxError that JSON.parse throws for it, and MessagePack
// cut short with the engine's RangeError, as in signalr.js.
type browserProtocol struct{ protocol.HubProtocol }

func (p browserProtocol) Parse(msgs []protocol.Message, frame []byte) ([]protocol.Message, error) {
	msgs, err := p.HubProtocol.Parse(msgs, frame)
	if err != nil {
		return msgs, platformError(err)
	}
	return msgs, nil
}

// platformError is the error the page's own JS throws where the protocol package found one
// (client.Options.PlatformError): JSON.parse's SyntaxError for text that is not JSON and, for
// a DecodeError with a Fault, what the same expression throws in this engine (the facade's
// engineFault): V8, SpiderMonkey and JavaScriptCore word them differently, and signalr.js
// shows their words.
func platformError(err error) error {
	if invalid, ok := errors.AsType[*protocol.InvalidJSONError](err); ok {
		return jsonSyntaxError(invalid.Record, err)
	}
	fault, ok := errors.AsType[*protocol.DecodeError](err)
	if !ok || fault.Fault == "" || engineFault.Type() != js.TypeFunction {
		return err
	}
	var value any = js.Undefined()
	if fault.Value != nil {
		value = string(fault.Value)
	}
	thrown := engineFault.Invoke(fault.Fault, value)
	if thrown.Type() != js.TypeObject {
		return err // the engine does not throw there, or could not run it (a CSP without eval)
	}
	return &protocol.DecodeError{Class: thrown.Index(0).String(), Message: thrown.Index(1).String()}
}

// jsonSyntaxError is the SyntaxError JSON.parse throws for text.
func jsonSyntaxError(text []byte, err error) error {
	if jsErr := jsutil.Try(func() { parse.Invoke(string(text)) }); jsErr != nil {
		return jsErr
	}
	return err
}
