// Command floor is the cold-start benchmark's measure of Go's own start-up in a page: a wasm
// that uses the packages every Go client for the browser needs (syscall/js, time, context,
// strings, strconv, sync), built as build.sh builds signalr.wasm, that marks "Go ready" as
// soon as its main runs and then waits. No client written in Go can be ready sooner than this
// page is, whatever it does afterwards (e2e/coldstart_test.go).
package main

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"syscall/js"
	"time"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	var mu sync.Mutex
	mu.Lock()
	js.Global().Set("floorValue", strings.Repeat("x", 3)+strconv.Itoa(42))
	mu.Unlock()
	js.Global().Get("performance").Call("mark", "Go ready")
	<-ctx.Done()
}
