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
	ready.Invoke(jsapi.New(jsapi.Imports{ApplyHandler: applyHandler, Deliver: deliver, SendFrame: sendFrame}))
	select {}
}

// applyHandler is web/src/loader.js's import signalr.applyHandler (jsapi.Imports).
//
//go:wasmimport signalr applyHandler
func applyHandler(fn uint32, address float64, length int32, flags int32) int32

// deliver is web/src/loader.js's import signalr.deliver (jsapi.Imports).
//
//go:wasmimport signalr deliver
func deliver(address float64, length int32, errs uint32) int32

// sendFrame is web/src/loader.js's import signalr.sendFrame (jsapi.Imports).
//
//go:wasmimport signalr sendFrame
func sendFrame(socket uint32, binary int32, table float64, count int32) int32
