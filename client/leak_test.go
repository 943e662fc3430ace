package client_test

import (
	"context"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/signalr-wasm/signalr-wasm/client"
	"github.com/signalr-wasm/signalr-wasm/protocol"
	"github.com/signalr-wasm/signalr-wasm/server"
	"github.com/signalr-wasm/signalr-wasm/transport"
)

// Nothing the engine starts outlives it: 1,000 start/stop cycles and 1,000 reconnects forced
// by server faults leave the process with the goroutines it had before, the in-process
// server's included (a leak on either side shows). A page that builds a connection per view
// runs these paths for as long as the tab lives.
func TestNoGoroutineLeak(t *testing.T) {
	const cycles = 1000
	url := testServerWith(t, server.Options{DetailedErrors: true, AllowStatefulReconnects: true, LongPolling: true, ServerSentEvents: true}) + "/testhub"
	transports := []transport.Type{transport.WebSockets, transport.ServerSentEvents, transport.LongPolling}
	before := runtime.NumGoroutine()

	for i := 0; i < cycles; i++ {
		c, err := client.New(client.Options{URL: url, Transports: transports[i%3]})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Start(context.Background()); err != nil {
			t.Fatalf("start %d: %v", i, err)
		}
		if err := c.Stop(); err != nil {
			t.Fatalf("stop %d: %v", i, err)
		}
	}
	t.Logf("%d start/stop cycles: %d goroutines before, %d after", cycles, before, settle(t, before))

	// The faults rotate: a dropped socket, a Close message that allows a reconnect (over
	// each transport), and, under stateful reconnect, a dropped WebSocket the connection
	// resumes over.
	var plain [3]*reconnector
	for i, tr := range transports {
		plain[i] = reconnectingClient(t, url, tr, false)
	}
	stateful := reconnectingClient(t, url, transport.WebSockets, true)
	for i := 0; i < cycles; i++ {
		r := plain[i/3%3]
		switch i % 3 {
		case 0:
			_, _ = r.c.Invoke(context.Background(), "Abort", nil)
			r.await(t, i)
		case 1:
			_, _ = r.c.Invoke(context.Background(), "CloseConnection", args(t, "bye", true))
			r.await(t, i)
		case 2:
			if r, err := stateful.c.Invoke(ctx(t), "DropTransport", args(t, 1, 1)); err != nil || string(r) != "2" {
				t.Fatalf("reconnect %d: %s %v", i, r, err)
			}
		}
	}
	for _, r := range append(plain[:], stateful) {
		if err := r.c.Stop(); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d reconnects: %d goroutines before, %d after", cycles, before, settle(t, before))
}

type reconnector struct {
	c           *client.HubConnection
	reconnected chan struct{}
}

func reconnectingClient(t *testing.T, url string, tr transport.Type, stateful bool) *reconnector {
	r := &reconnector{reconnected: make(chan struct{}, 1)}
	r.c = connect(t, url, client.Options{Transports: tr, ReconnectPolicy: client.RetryDelays{0}, StatefulReconnect: stateful})
	r.c.OnReconnected(func(string) error { r.reconnected <- struct{}{}; return nil })
	r.c.On("item", &funcHandler{func(protocol.Raw) {}})
	return r
}

func (r *reconnector) await(t *testing.T, i int) {
	t.Helper()
	select {
	case <-r.reconnected:
	case <-time.After(10 * time.Second):
		t.Fatalf("reconnect %d: still %s", i, r.c.State())
	}
}

// settle waits until the goroutine count is back to want: sockets and timers wind down
// asynchronously. It fails with every goroutine's stack if the count stays above.
func settle(t *testing.T, want int) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		// Kept-alive HTTP connections are the HTTP client's pool, not the engine's.
		http.DefaultClient.CloseIdleConnections()
		n := runtime.NumGoroutine()
		if n <= want {
			return n
		}
		if time.Now().After(deadline) {
			_ = pprof.Lookup("goroutine").WriteTo(os.Stderr, 1)
			t.Fatalf("%d goroutines, want %d", n, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
