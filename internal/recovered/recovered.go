// Package recovered turns a recovered panic value into an error without fmt, which the wasm
// does not link. The engine and the JS bridge recover panics so that one fault never ends the
// program: in the browser that would end every connection on the page.
package recovered

import "errors"

// Error is the error a recovered panic value stands for: the value itself when it is an
// error, the text when it is a string (what panics carry); any other value, which only fmt's
// reflection could print, is said to be one.
func Error(r any) error {
	switch v := r.(type) {
	case error:
		return v
	case string:
		return errors.New(v)
	}
	return errors.New("panic with a value that is neither an error nor a string")
}
