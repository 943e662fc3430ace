// Command signalr-testserver serves the chat demo, the built client and the test hubs:
// what `make run` starts.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/signalr-wasm/signalr-wasm/server"
	"github.com/signalr-wasm/signalr-wasm/server/hubs"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:5000", "listen address")
	demo := flag.String("demo", "web/demo", `directory served at / (the chat demo); "" serves none`)
	dist := flag.String("dist", "dist", `directory served at /dist/ (the built client, ./build.sh); "" serves none`)
	src := flag.String("src", "web/src", `directory served at /src/ (the facade's sources); "" serves none`)
	verbose := flag.Bool("v", false, "log connections")
	stateful := flag.Bool("stateful", true, "agree to stateful reconnect with clients that ask for it")
	longPolling := flag.Bool("longpolling", false, "offer Long Polling beside WebSockets in every negotiation")
	sse := flag.Bool("sse", false, "offer Server-Sent Events beside WebSockets in every negotiation")
	foreground := flag.Bool("foreground", false, "take the terminal's foreground, so that Ctrl-C stops the server alone and the command that started it (make run) exits 0")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("signalr-testserver: ")

	// A wrong folder would otherwise answer 404 to every page while the log says all is well.
	var static []server.StaticDir
	for _, d := range []struct{ prefix, dir, flag, needs, hint string }{
		{"/", *demo, "demo", "index.html", ""},
		{"/dist/", *dist, "dist", "browser/signalr.js", ": build the client first (make build)"},
		// The facade's sources, which the wasm tests load (jsapi/msgpack_js_test.go).
		{"/src/", *src, "src", "values.js", ""},
	} {
		if d.dir == "" {
			continue
		}
		if info, err := os.Stat(d.dir); err != nil || !info.IsDir() {
			log.Fatalf("-%s %s: no such directory (-%s \"\" serves none)", d.flag, d.dir, d.flag)
		}
		if _, err := os.Stat(filepath.Join(d.dir, d.needs)); err != nil {
			log.Fatalf("-%s %s holds no %s%s", d.flag, d.dir, d.needs, d.hint)
		}
		static = append(static, server.StaticDir{Prefix: d.prefix, Dir: d.dir})
	}

	opts := server.Options{
		DetailedErrors:          true,
		AllowStatefulReconnects: *stateful,
		LongPolling:             *longPolling,
		ServerSentEvents:        *sse,
		Static:                  static,
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
	hubPaths := []string{"/chathub", "/testhub"}
	srv.MapHub(hubPaths[0], hubs.NewChat())
	srv.MapHub(hubPaths[1], hubs.NewTest())
	// Browsers ask every site for a favicon; the demo has none, and a 404 in its console
	// would look like a fault.
	mux := http.NewServeMux()
	mux.Handle("/", srv)
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })

	base := "http://" + ln.Addr().String()
	if *demo != "" {
		log.Printf("chat demo   %s/", base)
	}
	if *dist != "" {
		log.Printf("client      %s/dist/browser/signalr.js", base)
	}
	log.Printf("hubs        %s%s (any case, as in ASP.NET Core)", base, strings.Join(hubPaths, " "+base))
	log.Print("transports  ", transports(*longPolling, *sse), "; stateful reconnect ", map[bool]string{true: "allowed", false: "refused"}[*stateful])

	restore := func() {}
	if *foreground {
		restore = takeTerminal()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		if err := http.Serve(ln, mux); err != nil && !errors.Is(err, http.ErrServerClosed) {
			restore()
			log.Fatal(err)
		}
	}()
	<-ctx.Done()
	// Stopping is what Ctrl-C is for: no error, exit status 0.
	restore()
	fmt.Fprintln(os.Stderr)
	log.Print("stopped")
}

func transports(longPolling, sse bool) string {
	offered := []string{"WebSockets"}
	var asked []string
	for _, t := range []struct {
		name, query string
		always      bool
	}{{"Long Polling", "?longPolling=1", longPolling}, {"Server-Sent Events", "?serverSentEvents=1", sse}} {
		if t.always {
			offered = append(offered, t.name)
		} else {
			asked = append(asked, t.name+" with "+t.query)
		}
	}
	s := strings.Join(offered, ", ")
	if len(asked) > 0 {
		s += " (" + strings.Join(asked, ", ") + " in the hub URL)"
	}
	return s
}
