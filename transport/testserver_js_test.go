//go:build js && wasm

package transport_test

import (
	"os"
	"testing"
)

// testServerURL is the test server that `make test-wasm` starts beside the browser: a wasm
// test cannot listen, and wasmbrowsertest passes the environment through.
func testServerURL(t *testing.T) string {
	t.Helper()
	url := os.Getenv("SIGNALR_TEST_SERVER")
	if url == "" {
		t.Fatal("SIGNALR_TEST_SERVER is not set: run these tests with `make test-wasm`")
	}
	return url
}
