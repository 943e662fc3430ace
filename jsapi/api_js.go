package jsapi

import (
	"syscall/js"

	"github.com/signalr-wasm/signalr-wasm/jsapi/jsutil"
)

// New builds the api object the loader receives (see the package doc for the contract).
func New() js.Value {
	api := js.Global().Get("Object").New()
	api.Set("init", js.FuncOf(func(_ js.Value, args []js.Value) any {
		facade := arg(args, 0)
		createError = facade.Get("createError")
		msgpackReplacer = facade.Get("msgpackReplacer")
		msgpackReviver = facade.Get("msgpackReviver")
		return nil
	}))
	api.Set("createConnection", js.FuncOf(func(_ js.Value, args []js.Value) (result any) {
		defer func() {
			if r := recover(); r != nil {
				result = jsError(jsutil.FromPanic(r))
			}
		}()
		return newCore(arg(args, 0), arg(args, 1))
	}))
	return api
}
