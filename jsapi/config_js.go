package jsapi

import (
	"context"
	"errors"
	"strings"
	"syscall/js"
	"time"

	"github.com/signalr-wasm/signalr-wasm/client"
	"github.com/signalr-wasm/signalr-wasm/jsapi/jsutil"
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
		HTTPTimeout:       millis(o.Get("timeout")),
	}
	if t := o.Get("transport"); t.Type() == js.TypeNumber {
		opts.Transports = transport.Type(t.Int())
	}
	switch wc := o.Get("withCredentials"); wc.Type() {
	case js.TypeUndefined:
	case js.TypeBoolean:
		opts.WithCredentials = wc.Bool()
	default:
		return opts, nil, errors.New("withCredentials option was not a 'boolean' or 'undefined' value")
	}
	if h := o.Get("headers"); h.Type() == js.TypeObject {
		opts.Headers = map[string]string{}
		keys := js.Global().Get("Object").Call("keys", h)
		for i := 0; i < keys.Length(); i++ {
			k := keys.Index(i).String()
			opts.Headers[k] = jsStringOf(h.Get(k))
		}
	}
	if f := o.Get("accessTokenFactory"); f.Type() == js.TypeFunction {
		opts.AccessTokenFactory = tokenFactory(f)
	}
	codec, proto, err := hubProtocol(config.Get("protocol"))
	if err != nil {
		return opts, nil, err
	}
	opts.Protocol = proto
	url, err := resolveURL(config.Get("url").String(), opts.HTTPLogger)
	opts.URL = url
	return opts, codec, err
}

func millis(v js.Value) time.Duration {
	if v.Type() != js.TypeNumber {
		return 0
	}
	return time.Duration(v.Float() * float64(time.Millisecond))
}

func jsStringOf(v js.Value) string { return js.Global().Get("String").Invoke(v).String() }

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
	if name == "json" {
		return jsonCodec{}, protocol.JSONProtocol{}, nil
	}
	return nil, nil, errors.New("The hub protocol '" + name + "' is not supported.")
}

// resolveURL is signalr.js's _resolveUrl: an <a> element normalises a relative URL against
// the page; where there is no document (a worker) only absolute URLs work.
func resolveURL(url string, log client.Logger) (string, error) {
	if strings.HasPrefix(url, "https://") || strings.HasPrefix(url, "http://") {
		return url, nil
	}
	doc := js.Global().Get("document")
	if doc.IsUndefined() {
		return url, errors.New("Cannot resolve '" + url + "'.")
	}
	a := doc.Call("createElement", "a")
	a.Set("href", url)
	href := a.Get("href").String()
	log.Log(client.Information, "Normalizing '"+url+"' to '"+href+"'.")
	return href, nil
}
