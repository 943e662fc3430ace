//go:build !js

package main

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/signalr-wasm/signalr-wasm/"

// layers are the client's layers from the bottom up: a package imports only from its own
// layer or below, so that each can be read, and tested, without what sits above it. The
// leaf packages under internal/ (log levels and error text, JS helpers, panic recovery,
// MessagePack and JS's JSON text byte for byte, the bridge's value transcoder) sit below all
// of them. The test server (server/) and the page tests (e2e/) stand beside the
// stack: nothing in it imports them.
var layers = []string{"internal", "protocol", "transport", "client", "jsapi", "wasm"}

// owners are internal packages that serve one layer only: they sit below all so that their
// tests and fuzz targets run natively (the bridge's own code builds only in wasm), and only
// their layer imports them.
var owners = map[string]string{
	"internal/taggedjson": "jsapi",
}

func layerOf(pkg string) int {
	rel := strings.TrimPrefix(pkg, module)
	for i, l := range layers {
		if rel == l || strings.HasPrefix(rel, l+"/") {
			return i
		}
	}
	return -1
}

// TestLayers checks the import graph of the client's packages, natively and in wasm (the
// _js.go files have imports of their own).
func TestLayers(t *testing.T) {
	for _, goos := range []string{"", "js"} {
		cmd := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Imports}} {{.}}{{end}}`, module+"...")
		cmd.Dir = ".."
		if goos != "" {
			cmd.Env = append(cmd.Environ(), "GOOS=js", "GOARCH=wasm")
		}
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			fields := strings.Fields(line)
			pkg, imports := fields[0], fields[1:]
			layer := layerOf(pkg)
			if layer < 0 {
				continue // beside the stack
			}
			for _, imp := range imports {
				if !strings.HasPrefix(imp, module) {
					continue
				}
				switch l := layerOf(imp); {
				case l < 0:
					t.Errorf("%s imports %s, which is not part of the client", pkg, imp)
				case l > layer:
					t.Errorf("%s (layer %s) imports %s, a layer above it (%s)", pkg, layers[layer], imp, layers[l])
				}
				if owner, ok := owners[strings.TrimPrefix(imp, module)]; ok && layers[layer] != owner {
					t.Errorf("%s imports %s, which only %s uses", pkg, imp, owner)
				}
			}
		}
	}
}
