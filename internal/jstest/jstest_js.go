// Package jstest gives the wasm tests what the loader gives the wasm in a page: the
// facade's functions (web/src), which the test server serves at /src/.
package jstest

import (
	"os"
	"sync"
	"syscall/js"
	"testing"
	"time"

	"github.com/signalr-wasm/signalr-wasm/internal/jsevents"
	"github.com/signalr-wasm/signalr-wasm/internal/jsutil"
)

// ServerURL is the test server that `make test-wasm` starts beside the browser: a wasm test
// cannot listen, and wasmbrowsertest passes the environment through.
func ServerURL(tb testing.TB) string {
	tb.Helper()
	url := os.Getenv("SIGNALR_TEST_SERVER")
	if url == "" {
		tb.Fatal("SIGNALR_TEST_SERVER is not set: run these tests with `make test-wasm`")
	}
	return url
}

// Facade evaluates the files of web/src, one after the other in one scope as build.sh joins
// them, and returns the functions they declare under names.
func Facade(tb testing.TB, files []string, names ...string) []js.Value {
	tb.Helper()
	src := ""
	for _, file := range files {
		resp, err := jsutil.Await(js.Global().Call("fetch", ServerURL(tb)+"/src/"+file))
		if err != nil {
			tb.Fatal(err)
		}
		text, err := jsutil.Await(resp.Call("text"))
		if err != nil {
			tb.Fatal(err)
		}
		src += text.String() + "\n"
	}
	object := ""
	for _, name := range names {
		object += name + ","
	}
	f := js.Global().Get("Function").New(src + "; return {" + object + "};").Invoke()
	values := make([]js.Value, len(names))
	for i, name := range names {
		values[i] = f.Get(name)
	}
	return values
}

var installed sync.Once

// InstallEvents does what the loader's init does for the transports: the browser
// transports receive their events and send their frames through the facade's goInbox, made
// for this program's Go instance.
func InstallEvents(tb testing.TB) {
	tb.Helper()
	installed.Do(func() {
		inbox := Facade(tb, []string{"short-text.js", "events.js"}, "goInbox")[0].Invoke(goInstance())
		jsevents.Install(inbox, func(socket uint32, binary int32, table float64, count int32) bool {
			return inbox.Call("sendFrame", socket, binary, table, count).Int() == 0
		})
	})
}

// goInstance is wasm_exec.js's Go object that runs this test program, which the test
// harness keeps to itself: the next time JS resumes Go (here, the end of a sleep), the
// resume is caught on Go's prototype.
func goInstance() js.Value {
	catch := js.Global().Get("Function").New(`
		const proto = Go.prototype, resume = proto._resume, caught = {};
		proto._resume = function () { proto._resume = resume; caught.go = this; return resume.call(this); };
		return caught;`).Invoke()
	for catch.Get("go").IsUndefined() {
		time.Sleep(time.Millisecond)
	}
	return catch.Get("go")
}
