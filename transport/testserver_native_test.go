//go:build !js

package transport_test

import (
	"net/http/httptest"
	"testing"

	"github.com/signalr-wasm/signalr-wasm/server"
	"github.com/signalr-wasm/signalr-wasm/server/hubs"
)

// testServerURL starts the test server in process.
func testServerURL(t *testing.T) string {
	t.Helper()
	srv := server.New(server.Options{})
	srv.MapHub("/testhub", hubs.NewTest())
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts.URL
}
