//go:build !js

package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The wasm stays small: the browser's fetch and WebSocket do the networking, so no Go
// network stack (nor what it drags in) may be linked into signalr.wasm.
func TestNoNetworkStackInTheWasm(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		switch pkg {
		case "net", "net/http", "crypto/tls", "github.com/coder/websocket":
			t.Errorf("signalr.wasm links %s", pkg)
		}
	}
}
