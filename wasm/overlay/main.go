//go:build !js

// Command overlay writes the `go build -overlay` file that signalr.wasm is built with
// (build.sh) into a folder, and prints its path.
//
// It replaces one file of the standard library: time/sleep.go, without its GODEBUG setting
// asynctimerchan. That setting is the wasm's only user of internal/godebug, and importing
// internal/godebug links, through its init, the GODEBUG parser, internal/bisect and the
// runtime's table of metrics (runtime.initMetrics): 26 KB of brotli and 200 KB raw that every
// visitor would download and compile. A page cannot set GODEBUG, so in the browser the
// setting never had an effect: timers behave as with its default.
//
// A Go release whose time/sleep.go no longer reads as expected fails the build here, with
// what to look at, rather than shipping a wasm that silently links it again.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// cuts are the parts of time/sleep.go that read the setting, each found exactly once.
var cuts = []string{
	"\t\"internal/godebug\"\n",
	"var asynctimerchan = godebug.New(\"asynctimerchan\")\n",
	"\tif asynctimerchan.Value() == \"1\" {\n\t\tasynctimerchan.IncNonDefault()\n\t\treturn nil\n\t}\n",
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./wasm/overlay <folder>")
		os.Exit(2)
	}
	path, err := write(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "wasm/overlay:", err)
		os.Exit(1)
	}
	fmt.Println(path)
}

func write(dir string) (string, error) {
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return "", err
	}
	original := filepath.Join(strings.TrimSpace(string(goroot)), "src", "time", "sleep.go")
	src, err := os.ReadFile(original)
	if err != nil {
		return "", err
	}
	text := string(src)
	for _, cut := range cuts {
		if strings.Count(text, cut) != 1 {
			return "", fmt.Errorf("%s does not hold %q once: this Go release reads GODEBUG asynctimerchan differently; update wasm/overlay's cuts", original, cut)
		}
		text = strings.Replace(text, cut, "", 1)
	}
	if strings.Contains(text, "godebug.") {
		return "", fmt.Errorf("%s still uses internal/godebug after the cuts; update wasm/overlay", original)
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	replaced := filepath.Join(dir, "sleep.go")
	if err := os.WriteFile(replaced, []byte(text), 0o644); err != nil {
		return "", err
	}
	overlay, err := json.Marshal(map[string]map[string]string{"Replace": {original: replaced}})
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "overlay.json")
	return path, os.WriteFile(path, overlay, 0o644)
}
