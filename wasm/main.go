//go:build js && wasm

// Command wasm is signalr.wasm: it hands the bridge's api to the loader and then lives as
// long as the page, serving calls from JS. It must hand it over before anything blocks: the
// loader's callback is on the global object only while go.run() runs (web/src/loader.js).
package main

import (
	"syscall"
	"syscall/js"

	"github.com/signalr-wasm/signalr-wasm/jsapi"
)

func main() {
	// syscall's Getenv, not os's: package os (files, io/fs) would add 16 KB of brotli.
	name, _ := syscall.Getenv("SIGNALR_WASM_READY")
	ready := js.Global().Get(name)
	if ready.Type() != js.TypeFunction {
		panic("signalr.wasm: SIGNALR_WASM_READY does not name the loader's callback")
	}
	ready.Invoke(jsapi.New())
	select {}
}
