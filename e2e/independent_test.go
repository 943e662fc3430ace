//go:build !js

package e2e

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/philippseith/signalr"

	"github.com/signalr-wasm/signalr-wasm/server"
	"github.com/signalr-wasm/signalr-wasm/server/hubs"
)

// TestIndependentServer runs scenarios against a server we did not write,
// github.com/philippseith/signalr, over JSON and MessagePack, with the official client and
// with ours, and requires the two records to be equal. Its hub (independentHub) has the test
// hub's methods that it can express. Left out, for what that server lacks:
//
//	clientResults, wireFrames   no client results (a hub cannot await a client's answer)
//	routing                     no Others, AllExcept or OthersInGroup
//	serverErrors, streams       a returned Go error becomes a result, not a Completion error
//	serverClose…, reconnectAfterServerClose, serverCloseWithoutReconnect
//	                            a hub cannot send a Close message
//	stateful…                   no stateful reconnect
//	streamDispose               no record of canceled streams
//	handlers, throwingHandler, callsInsideHandler, unknownClientMethod, traceLogs, consoleLogger
//	                            no variadic hub methods (SendToCaller(method, args...))
//	clientStreams               the connection ends when a client stream fails, and
//	                            signalr.js then leaves an unhandled rejection on the page
//	malformed…, stall, restart, the query-string faults and the hooks that tell a page when
//	the server got somewhere (keepAliveKeepsServerTimeoutAway counts the client's pings with
//	them) are our test server's switches.
func TestIndependentServer(t *testing.T) {
	base := independentServer(t)
	for _, protocol := range []string{"json", "messagepack"} {
		t.Run(protocol, func(t *testing.T) {
			for _, name := range []string{
				"lifecycle", "startTwice", "echo", "notConnected", "valueMapping",
				"stopWithPendingInvoke", "builder", "enums", "badArguments",
				"serverAbort", "reconnectAfterAbort",
				"stopDuringReconnectDelay", "retryPolicyDeclinesOrThrows", "stopInOnreconnecting",
				"freezeWarning", "streamObserverThrows", "streamWhenConnectionDrops",
			} {
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					query := "protocol=" + protocol
					official := runScenarioAt(t, base, "official", name, query)
					ours := runScenarioAt(t, base, "ours", name, query)
					for _, d := range differences("ours", official, ours) {
						t.Errorf("ours differs from the official client: %s", d)
					}
				})
			}
		})
	}
}

// independentServer serves philippseith/signalr's hub at /testhub beside the test pages and
// both clients.
func independentServer(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	srv, err := signalr.NewServer(ctx,
		signalr.SimpleHubFactory(&independentHub{}),
		signalr.HTTPTransports(signalr.TransportWebSockets),
		signalr.InsecureSkipVerify(true),
		signalr.Logger(nopLogger{}, false))
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	srv.MapHTTP(signalr.WithHTTPServeMux(mux), "/testhub")
	mux.Handle("/", server.New(server.Options{Static: pageAssets(root)}))
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts.URL
}

type nopLogger struct{}

func (nopLogger) Log(...any) error { return nil }

// independentHub has the test hub's methods that the scenarios above call, as
// philippseith/signalr expresses them.
type independentHub struct{ signalr.Hub }

func (h *independentHub) Echo(x any) any                { return x }
func (h *independentHub) Add(a, b float64) float64      { return a + b }
func (h *independentHub) GetCallerConnectionId() string { return h.ConnectionID() }
func (h *independentHub) Types() map[string]any         { return hubs.TypeSamples() }
func (h *independentHub) Abort()                        { h.Hub.Abort() }
func (h *independentHub) InvokeWithString(message string) {
	h.Clients().Caller().Send("Message", message)
}

func (h *independentHub) Delay(ms int) int {
	time.Sleep(time.Duration(ms) * time.Millisecond)
	return ms
}

func (h *independentHub) Counter(count, delayMs int) <-chan any {
	ch := make(chan any)
	ctx := h.Context()
	go func() {
		defer close(ch)
		for i := 0; i < count; i++ {
			select {
			case ch <- i:
			case <-ctx.Done():
				return
			}
			select {
			case <-time.After(time.Duration(delayMs) * time.Millisecond):
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch
}
