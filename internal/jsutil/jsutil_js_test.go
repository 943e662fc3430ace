package jsutil

import (
	"errors"
	"syscall/js"
	"testing"
	"unsafe"
)

func TestAwait(t *testing.T) {
	promise := js.Global().Get("Promise")
	v, err := Await(promise.Call("resolve", 42))
	if err != nil || v.Int() != 42 {
		t.Fatalf("resolved: got %v, %v", v, err)
	}
	_, err = Await(promise.Call("reject", js.Global().Get("TypeError").New("nope")))
	var jerr *Error
	if !errors.As(err, &jerr) || jerr.Error() != "nope" || jerr.JSString() != "TypeError: nope" {
		t.Fatalf("rejected: got %v", err)
	}
	if v, err := Await(js.ValueOf("plain")); err != nil || v.String() != "plain" {
		t.Fatalf("non-promise: got %v, %v", v, err)
	}
}

func TestTryKeepsTheJSException(t *testing.T) {
	thrower := js.Global().Get("Function").New(`throw new RangeError("bad")`)
	err := Try(func() { thrower.Invoke() })
	var jerr *Error
	if !errors.As(err, &jerr) {
		t.Fatalf("want *Error, got %T %v", err, err)
	}
	if name := jerr.Value.Get("constructor").Get("name").String(); name != "RangeError" {
		t.Fatalf("class: %s", name)
	}
	if err := Try(func() { panic("go panic") }); err == nil || err.Error() != "go panic" {
		t.Fatalf("go panic: %v", err)
	}
	if err := Try(func() {}); err != nil {
		t.Fatal(err)
	}
}

// ValueID is the index of a value in wasm_exec.js's table (go._values): the predefined ones,
// and a function's, read from the table of the Go instance, which syscall/js holds as its
// predefined value 6.
func TestValueID(t *testing.T) {
	if id := ValueID(js.Null()); id != 2 {
		t.Errorf("null: id %d, want 2", id)
	}
	if id := ValueID(js.Global()); id != 5 {
		t.Errorf("the global object: id %d, want 5", id)
	}
	var goInstance js.Value // syscall/js's jsGo: an object (type flag 1) under id 6
	(*valueLayout)(unsafe.Pointer(&goInstance)).ref = (0x7FF80000|1)<<32 | 6
	fn := js.Global().Get("eval").Invoke("(function handler() {})")
	if got := goInstance.Get("_values").Index(int(ValueID(fn))); !got.Equal(fn) {
		t.Errorf("go._values[ValueID(fn)] is %v, not fn", got)
	}
}
