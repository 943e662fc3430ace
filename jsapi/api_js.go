package jsapi

import (
	"errors"
	"runtime"
	"syscall/js"
	"unsafe"

	"github.com/signalr-wasm/signalr-wasm/internal/jsevents"
	"github.com/signalr-wasm/signalr-wasm/internal/jsutil"
)

// cores are the connections whose facade HubConnection may still be reachable, by id: the
// facade holds only the id, and disposes of it when its HubConnection is collected.
var (
	cores  = map[int]connection{}
	lastID int
	// idle is the facade's connectionIdle(id): the connection is Disconnected and need no
	// longer keep itself alive.
	idle js.Value
	// sendsShared is the facade's sendsShared(id, shared): whether connection id's sends now
	// share one Promise per turn (client.HubConnection.SendsShareOutcome).
	sendsShared js.Value
)

// Imports are the facade's functions that Go calls as wasm imports, which wasm's main
// declares (a package that declares one cannot be instantiated without it, and this one is
// also built into test binaries that run without the loader).
type Imports struct {
	// ApplyHandler is the loader's signalr.applyHandler (handler_js.go's applyHandler): a
	// handler is called once per message, and through syscall/js, which stores each argument
	// and reads it back in JS, that call's machinery was about a ninth of a broadcast
	// message's samples in a profile.
	ApplyHandler func(fn uint32, address float64, length int32, flags int32) int32
	// Deliver is the loader's signalr.deliver (calls_js.go's deliverImport), and SendFrame
	// its signalr.sendFrame (jsevents.SendFrame): each is called once or more a turn, and
	// syscall/js's Invoke converts each argument through js.ValueOf, a function large enough
	// that V8 compiled it a second time, in the background, at about 100 ms, once a page had
	// received a few hundred frames.
	// Each returns -1 when what it called threw (importThrown gives what); SendFrame
	// returns 1 when the socket was not open.
	Deliver   func(address float64, length int32, errs uint32) int32
	SendFrame func(socket uint32, binary int32, table float64, count int32) int32
}

// New builds the api object the loader receives (see the package doc for the contract).
func New(imports Imports) js.Value {
	applyHandler, deliverImport = imports.ApplyHandler, imports.Deliver
	api := js.Global().Get("Object").New()
	api.Set("init", jsutil.FuncOf(func(_ js.Value, args []js.Value) any {
		facade := arg(args, 0)
		createError = facade.Get("createError")
		engineFault = facade.Get("engineFault")
		msgpackReplacer = facade.Get("msgpackReplacer")
		idle = facade.Get("connectionIdle")
		sendsShared = facade.Get("sendsShared")
		importThrown = facade.Get("importThrown")
		installPageWatch(facade.Get("watchPage"))
		jsevents.Install(facade.Get("inbox"), func(socket uint32, binary int32, table float64, count int32) bool {
			result := imports.SendFrame(socket, binary, table, count)
			panicIfThrown(result)
			return result == 0
		})
		jsevents.ReceiveCalls(func(id int, batch []byte) {
			if c, ok := cores[id]; ok {
				// Not a copy, which was most of what a burst of calls allocated: the
				// batch lies in memory the next message is written to (jsevents.Post), so
				// what outlives its run copies its part (streamRecord).
				c.calls(unsafe.String(unsafe.SliceData(batch), len(batch)))
			}
		})
		deliveries.flush = jsutil.FuncOf(func(js.Value, []js.Value) any {
			jsutil.Guard(flushQueuedDeliveries)
			return nil
		})
		return nil
	}))
	api.Set("handlerSettled", jsutil.FuncOf(handlerSettled))
	api.Set("createConnection", jsutil.FuncOf(func(_ js.Value, args []js.Value) (result any) {
		defer func() {
			if r := recover(); r != nil {
				result = jsError(jsutil.FromPanic(r))
			}
		}()
		config := arg(args, 0)
		lastID++
		cores[lastID] = newConnection(lastID, config)
		return lastID
	}))
	methods := js.Global().Get("Object").New()
	for name, method := range entries {
		methods.Set(name, jsutil.FuncOf(func(_ js.Value, args []js.Value) (result any) {
			defer func() {
				if r := recover(); r != nil {
					result = jsError(jsutil.FromPanic(r))
				}
			}()
			c, ok := cores[arg(args, 0).Int()]
			if !ok {
				return jsError(errors.New("The connection was disposed of."))
			}
			return method(c, args[1:])
		}))
	}
	api.Set("core", methods)
	// counters are for tests: a dropped connection must leave neither a core nor a function,
	// nor Go memory that a collection does not free.
	api.Set("counters", jsutil.FuncOf(func(js.Value, []js.Value) any {
		runtime.GC()
		return map[string]any{"cores": len(cores), "funcs": jsutil.LiveFuncs()}
	}))
	return api
}
