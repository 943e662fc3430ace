//go:build !js

package main

import (
	"os/exec"
	"strings"
	"testing"
)

// denied are packages signalr.wasm must not link, each with why: every page downloads what
// the wasm links (make size prints what it costs today).
var denied = map[string]string{
	// The browser's fetch and WebSocket do the networking: no Go network stack.
	"net":                        "network stack",
	"net/http":                   "network stack",
	"crypto/tls":                 "network stack",
	"github.com/coder/websocket": "network stack",
	"net/url":                    "URLs are the browser's, resolved by the facade (client/negotiate.go builds the rest)",
	// Reflection-driven codecs and formatting: the protocol reads and writes by hand.
	"encoding/json":                     "reflection (the envelope scanner reads JSON)",
	"github.com/vmihailenco/msgpack/v5": "reflection (internal/msgpack reads and writes MessagePack by hand)",
	"reflect":                           "reflection",
	"fmt":                               "reflection (errors are concatenated strings)",
	"log":                               "fmt",
	"encoding/binary":                   "reflect",
	"os":                                "files and io/fs (wasm/main.go uses syscall.Getenv)",
	"sort":                              "generic sorts",
	"encoding/base64":                   "four encodings and their tables (internal/taggedjson has the one it needs)",
	// With build.sh's overlay (wasm/overlay), time no longer reads GODEBUG.
	"internal/godebug": "the GODEBUG parser, internal/bisect and the runtime's metrics table, for a setting a page cannot set",
}

// TestNoDeniedPackageInTheWasm lists what the wasm links as build.sh builds it, with its overlay.
func TestNoDeniedPackageInTheWasm(t *testing.T) {
	overlay, err := exec.Command("go", "run", "./overlay", t.TempDir()).Output()
	if err != nil {
		t.Fatalf("wasm/overlay: %v", err)
	}
	cmd := exec.Command("go", "list", "-overlay="+strings.TrimSpace(string(overlay)), "-deps", ".")
	cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, pkg := range strings.Fields(string(out)) {
		if why, ok := denied[pkg]; ok {
			t.Errorf("signalr.wasm links %s (%s)", pkg, why)
		}
	}
}
