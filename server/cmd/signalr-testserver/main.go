// Command signalr-testserver serves the chat demo, the built client and the test hubs:
// what `make run` starts.
package main

import (
	"flag"
	"log"
	"net/http"

	"github.com/signalr-wasm/signalr-wasm/server"
	"github.com/signalr-wasm/signalr-wasm/server/hubs"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:5000", "listen address")
	demo := flag.String("demo", "web/demo", "directory served at /")
	dist := flag.String("dist", "dist", "directory served at /dist/ (the built client)")
	src := flag.String("src", "web/src", "directory served at /src/ (the facade's sources)")
	verbose := flag.Bool("v", false, "log connections")
	stateful := flag.Bool("stateful", true, "agree to stateful reconnect with clients that ask for it")
	longPolling := flag.Bool("longpolling", false, "offer Long Polling beside WebSockets in every negotiation")
	sse := flag.Bool("sse", false, "offer Server-Sent Events beside WebSockets in every negotiation")
	flag.Parse()

	opts := server.Options{
		DetailedErrors:          true,
		AllowStatefulReconnects: *stateful,
		LongPolling:             *longPolling,
		ServerSentEvents:        *sse,
		Static: []server.StaticDir{
			{Prefix: "/", Dir: *demo},
			{Prefix: "/dist/", Dir: *dist},
			// The facade's sources, which the wasm tests load (jsapi/msgpack_js_test.go).
			{Prefix: "/src/", Dir: *src},
		},
	}
	if *verbose {
		opts.Logf = log.Printf
	}
	ln, err := server.Listen(*addr)
	if err != nil {
		log.Fatal(err)
	}
	opts.Listener = ln
	srv := server.New(opts)
	srv.MapHub("/chathub", hubs.NewChat())
	srv.MapHub("/testhub", hubs.NewTest())

	log.Printf("signalr-testserver: chat demo at http://%s/ (hubs /chathub, /testhub)", ln.Addr())
	log.Fatal(http.Serve(ln, srv))
}
