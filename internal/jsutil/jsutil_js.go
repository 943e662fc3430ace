// Package jsutil holds the small helpers every JS-facing Go file needs: awaiting Promises,
// turning JS exceptions into Go errors and back, and recovering panics at the boundary.
package jsutil

import (
	"sync/atomic"
	"syscall/js"
	"unsafe"

	"github.com/signalr-wasm/signalr-wasm/internal/recovered"
)

var (
	global   = js.Global()
	jsString = global.Get("String")
	jsError  = global.Get("Error")
	// JSON is the browser's own JSON: one stringify/parse call per message beats walking values from Go.
	JSON = global.Get("JSON")
)

// Memory is where b lies in the wasm memory, for JS functions that read text from there
// (the loader's textAt) instead of taking a string: a string argument costs a js.Value with
// a finalizer. b must stay alive and unchanged until the function has read it.
func Memory(b []byte) (address uintptr, length int) {
	return uintptr(unsafe.Pointer(unsafe.SliceData(b))), len(b)
}

// ValueID is v's index in wasm_exec.js's table of the values Go holds (go._values), for a
// wasm import that takes an object from Go as a number: an import's call costs a few tens of
// nanoseconds where syscall/js's Invoke, which stores each argument and reads them back in
// JS, costs hundreds. v must be an object or a function (a ref whose lower 32 bits are its
// id), and must stay alive while JS uses the id. It reads syscall/js's Value as it is laid
// out (valueLayout); TestValueID checks that against the table.
func ValueID(v js.Value) uint32 {
	return uint32((*valueLayout)(unsafe.Pointer(&v)).ref)
}

// valueLayout is how syscall/js lays out a js.Value: a zero-size field, then the ref
// (NaN-boxed: a type flag in the upper 32 bits, the value's id in the lower).
type valueLayout struct {
	_   [0]func()
	ref uint64
}

// Error is a JS exception or rejection value kept as it was, so it can be handed back to JS
// unchanged (same class, same message) and printed as JS prints it.
type Error struct{ Value js.Value }

func (e *Error) Error() string {
	if e.Value.Type() == js.TypeObject && e.Value.Get("message").Type() == js.TypeString {
		return e.Value.Get("message").String()
	}
	return jsString.Invoke(e.Value).String()
}

// JSString is `${e}` in JS: "TypeError: Failed to fetch".
func (e *Error) JSString() string { return jsString.Invoke(e.Value).String() }

// Await blocks the calling goroutine until p settles. Never call it on the goroutine of a
// js.FuncOf callback: the event loop could not run to settle p.
func Await(p js.Value) (js.Value, error) {
	if !IsThenable(p) {
		return p, nil
	}
	type outcome struct {
		v   js.Value
		err error
	}
	ch := make(chan outcome, 1)
	var onOK, onErr js.Func
	onOK = FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- outcome{v: arg(args)}
		return nil
	})
	onErr = FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- outcome{err: &Error{Value: arg(args)}}
		return nil
	})
	p.Call("then", onOK, onErr)
	o := <-ch
	Release(onOK)
	Release(onErr)
	return o.v, o.err
}

func arg(args []js.Value) js.Value {
	if len(args) == 0 {
		return js.Undefined()
	}
	return args[0]
}

// Try runs f and turns a panic into an error: a JS exception (js.Error) keeps its JS value,
// anything else becomes a plain JS Error's message. It is what keeps one bad call from
// ending the wasm program and every connection on the page.
func Try(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = FromPanic(r)
		}
	}()
	f()
	return nil
}

// FromPanic converts a recovered panic value to an error.
func FromPanic(r any) error {
	if v, ok := r.(js.Error); ok {
		return &Error{Value: v.Value}
	}
	return recovered.Error(r)
}

// QueueMicrotask runs f in a JS microtask: after the current call from JS has returned and
// before any timer or I/O callback. A panic in f is reported on the console and goes no
// further.
func QueueMicrotask(f func()) {
	var fn js.Func
	fn = FuncOf(func(js.Value, []js.Value) any {
		Release(fn)
		Guard(f)
		return nil
	})
	global.Call("queueMicrotask", fn)
}

// Guard runs f for a callback from JS that has no caller to take an error: a panic is
// reported on the console and goes no further, instead of ending the program.
func Guard(f func()) {
	if err := Try(f); err != nil {
		global.Get("console").Call("error", "signalr-wasm: "+err.Error())
	}
}

// liveFuncs counts the functions Go has handed to JS and not released: every one is made by
// FuncOf and released by Release, so a test can see that a dropped connection released all
// of its own (LiveFuncs).
var liveFuncs atomic.Int64

// FuncOf is js.FuncOf, counted.
func FuncOf(fn func(this js.Value, args []js.Value) any) js.Func {
	liveFuncs.Add(1)
	return js.FuncOf(fn)
}

// Release is f.Release(), counted; call it once per function.
func Release(f js.Func) {
	liveFuncs.Add(-1)
	f.Release()
}

// LiveFuncs is how many functions made by FuncOf are not released.
func LiveFuncs() int { return int(liveFuncs.Load()) }

// NewError makes a plain JS Error.
func NewError(message string) js.Value { return jsError.New(message) }

// IsThenable tells a Promise (or any thenable) from a plain value.
func IsThenable(v js.Value) bool {
	return v.Type() == js.TypeObject && v.Get("then").Type() == js.TypeFunction ||
		v.Type() == js.TypeFunction && v.Get("then").Type() == js.TypeFunction
}
