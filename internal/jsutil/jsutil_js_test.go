package jsutil

import (
	"errors"
	"syscall/js"
	"testing"
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
