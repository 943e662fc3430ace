//go:build js && wasm

package transport_test

import (
	"testing"

	"github.com/signalr-wasm/signalr-wasm/internal/jstest"
)

// testServerURL is the test server that `make test-wasm` starts beside the browser, with the
// facade's event batching installed as the loader installs it.
func testServerURL(t *testing.T) string {
	t.Helper()
	jstest.InstallEvents(t)
	return jstest.ServerURL(t)
}
