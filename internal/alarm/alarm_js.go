package alarm

import (
	"syscall/js"
	"time"

	"github.com/signalr-wasm/signalr-wasm/internal/jsutil"
)

var (
	setTimeout   = js.Global().Get("setTimeout")
	clearTimeout = js.Global().Get("clearTimeout")
)

// Alarm is a one-shot timer: C receives once it fires. Its JS callback exists only while
// it is set, so a stopped Alarm holds no js.Func.
type Alarm struct {
	C       chan struct{}
	fire    js.Func
	timeout js.Value // setTimeout's id while set
	set     bool
}

func New() *Alarm { return &Alarm{C: make(chan struct{}, 1)} }

// Reset sets the alarm to fire after d, in place of any earlier setting.
func (a *Alarm) Reset(d time.Duration) {
	a.clear()
	if !a.set {
		a.set = true
		a.fire = jsutil.FuncOf(func(js.Value, []js.Value) any {
			select {
			case a.C <- struct{}{}:
			default:
			}
			return nil
		})
	}
	a.timeout = setTimeout.Invoke(a.fire, ms(d))
}

// Stop disarms the alarm and lets go of its callback; a fire not yet read is dropped.
func (a *Alarm) Stop() {
	a.clear()
	if a.set {
		a.set = false
		jsutil.Release(a.fire)
	}
	select {
	case <-a.C:
	default:
	}
}

func (a *Alarm) clear() {
	if a.set {
		clearTimeout.Invoke(a.timeout)
	}
}

// ms is d in whole milliseconds, rounded up as Go's runtime rounds its own timeouts, and
// capped where setTimeout would overflow and fire at once: a capped alarm fires early, and
// its reader, which compares deadlines with the clock, sets it again.
func ms(d time.Duration) int64 {
	const most = 1<<31 - 1
	n := (d + time.Millisecond - 1) / time.Millisecond
	return int64(min(max(n, 0), most))
}
