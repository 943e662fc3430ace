package client

import (
	"strings"

	"github.com/signalr-wasm/signalr-wasm/internal/recovered"
	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// HandlerResult is what a handler returned: Value nil is JS undefined. Truthy carries JS
// truthiness, which signalr.js uses to spot several handlers answering one invocation.
type HandlerResult struct {
	Value  protocol.Raw
	Truthy bool
}

// Handler is a client method registered with On.
type Handler interface {
	// Call runs the handler with the invocation's encoded arguments, which lie in the frame
	// and are the transport's again once Call returns (transport.Receiver): what keeps them
	// copies them. A handler that settles later (a JS async function) returns wait, which
	// blocks until it has; signalr.js awaits each handler before the next. then tells what
	// follows that await: when anything does (another handler, an answer), a JS handler
	// returns wait even for a plain value, settled a microtask later, as signalr.js's await
	// of it is, so the page's own microtasks run in between as there (and so does one for a
	// truthy value, which signalr.js checks after its await).
	Call(args protocol.Raw, then Await) (result HandlerResult, wait func() (HandlerResult, error), err error)
	// Same tells whether two handlers are the same function, for signalr.js's no-duplicates
	// rule and for Off.
	Same(other Handler) bool
}

// Await is what signalr.js does with a handler's result once it has awaited it.
type Await int

const (
	// AwaitNothing: the handler is the invocation's last and the server expects no answer;
	// only the result's Truthy is read (to log that nobody expects it).
	AwaitNothing Await = iota
	// AwaitNextHandler: another handler of the invocation follows; only Truthy is read.
	AwaitNextHandler
	// AwaitAnswer: the server expects an answer, the result's Value.
	AwaitAnswer
)

// On adds a handler; names are case-insensitive and a handler is not added twice.
func (c *HubConnection) On(name string, h Handler) {
	if name == "" || h == nil {
		return
	}
	name = strings.ToLower(name)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.invoked = invokedTarget{}
	for _, existing := range c.handlers[name] {
		if existing.Same(h) {
			return
		}
	}
	c.handlers[name] = append(c.handlers[name], h)
}

// Off removes one handler, or all of a name when h is nil.
func (c *HubConnection) Off(name string, h Handler) {
	if name == "" {
		return
	}
	name = strings.ToLower(name)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.invoked = invokedTarget{}
	if h == nil {
		delete(c.handlers, name)
		return
	}
	list := c.handlers[name]
	for i, existing := range list {
		if existing.Same(h) {
			list = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(c.handlers, name)
	} else {
		c.handlers[name] = list
	}
}

// invokeClientMethod is signalr.js's _invokeClientMethod: handlers in order, each awaited,
// the last defined result answering a server that expects one.
//
// A target that is not a string fails at signalr.js's first line, target.toLowerCase(),
// before any handler runs or any answer is sent; the rejection is logged.
func (c *HubConnection) invokeClientMethod(m *protocol.Message) {
	switch m.TargetKind {
	case protocol.NullTarget:
		c.log.Log(Error, "Invoke client method threw error: TypeError: Cannot read properties of null (reading 'toLowerCase')")
		return
	case protocol.OtherTarget:
		c.log.Log(Error, "Invoke client method threw error: TypeError: invocationMessage.target.toLowerCase is not a function")
		return
	}
	// signalr.js runs a copy of the list; this one is never changed in place (On appends
	// past the end of every list taken before, Off makes a new one), so it serves as it is.
	c.mu.Lock()
	if m.Target != c.invoked.target {
		name := strings.ToLower(m.Target)
		c.invoked = invokedTarget{m.Target, name, c.handlers[name]}
	}
	name, handlers := c.invoked.name, c.invoked.handlers
	c.mu.Unlock()
	if len(handlers) == 0 {
		c.log.Log(Warning, "No client method with the name '"+name+"' found.")
		if m.InvocationID != "" {
			c.log.Log(Warning, "No result given for '"+name+"' method and invocation ID '"+m.InvocationID+"'.")
			c.sendCompletion(m.InvocationID, "Client didn't provide a result.", nil)
		}
		return
	}
	if len(handlers) == 1 && m.InvocationID == "" {
		// A broadcast's usual handler, called without a run: when it returns nothing and does
		// not throw, signalr.js does nothing more with it.
		r, wait, err := handlers[0].Call(m.Arguments, AwaitNothing)
		if wait == nil && err == nil && !r.Truthy {
			return
		}
		d := handlerRun{c: c, args: m.Arguments, name: name, handlers: handlers, next: 1}
		if wait != nil {
			d.later(wait)
			return
		}
		d.record(r, err)
		d.finish()
		return
	}
	// On the stack: run moves it to the heap only when a handler settles later.
	d := handlerRun{c: c, args: m.Arguments, id: m.InvocationID, name: name, handlers: handlers}
	d.run(nil, false)
}

type invokedTarget struct {
	target, name string
	handlers     []Handler
}

type handlerRun struct {
	c *HubConnection
	// args and id are the invocation's: not the message, which the reader reuses for the
	// next frame's while a handler that settles later runs on.
	args     protocol.Raw
	id       string
	name     string
	handlers []Handler
	next     int

	res       HandlerResult
	exception error
	multiple  bool
}

// run calls the handlers from d.next on. It starts on the reader goroutine; the first handler
// that settles later moves the rest of the run to its own goroutine, so that later frames are
// not held up, as in signalr.js where only this invocation's handlers await each other.
func (d *handlerRun) run(wait func() (HandlerResult, error), async bool) {
	for {
		var r HandlerResult
		var err error
		if wait != nil {
			r, err = wait()
			wait = nil
		} else {
			if d.next == len(d.handlers) {
				d.finish()
				return
			}
			h := d.handlers[d.next]
			d.next++
			then := AwaitNothing
			switch {
			case d.id != "":
				then = AwaitAnswer
			case d.next < len(d.handlers):
				then = AwaitNextHandler
			}
			r, wait, err = h.Call(d.args, then)
			if wait != nil {
				if !async {
					d.later(wait)
					return
				}
				continue
			}
		}
		d.record(r, err)
	}
}

// later goes on with the run on a goroutine of its own once wait has the handler's outcome.
func (d *handlerRun) later(wait func() (HandlerResult, error)) {
	// The arguments lie in the frame, which is the transport's again once the frame is read
	// (transport.Receiver).
	rest := *d
	rest.args = append(protocol.Raw(nil), d.args...)
	go rest.runLater(wait)
}

// runLater is run on a goroutine of its own, where a fault (in a handler's stand-in, in
// reading its result) would end the program: it is logged as signalr.js logs a rejected
// invokeClientMethod.
func (d *handlerRun) runLater(wait func() (HandlerResult, error)) {
	defer func() {
		if r := recover(); r != nil {
			d.c.log.Log(Error, "Invoke client method threw error: "+ErrorString(recovered.Error(r)))
		}
	}()
	d.run(wait, true)
}

func (d *handlerRun) record(r HandlerResult, err error) {
	if err != nil {
		d.exception = err
		d.c.log.Log(Error, "A callback for the method '"+d.name+"' threw error '"+ErrorString(err)+"'.")
		return
	}
	prev := d.res
	d.res = r
	if d.id != "" && r.Truthy && prev.Truthy {
		d.c.log.Log(Error, "Multiple results provided for '"+d.name+"'. Sending error to server.")
		d.multiple = true
	}
	d.exception = nil
}

func (d *handlerRun) finish() {
	c, id := d.c, d.id
	switch {
	case d.multiple:
		c.sendCompletion(id, "Client provided multiple results.", nil)
	case id == "":
		if d.res.Truthy {
			c.log.Log(Error, "Result given for '"+d.name+"' method but server is not expecting a result.")
		}
	case d.exception != nil:
		c.sendCompletion(id, ErrorString(d.exception), nil)
	case d.res.Value != nil:
		c.sendCompletion(id, "", d.res.Value)
	default:
		c.log.Log(Warning, "No result given for '"+d.name+"' method and invocation ID '"+id+"'.")
		c.sendCompletion(id, "Client didn't provide a result.", nil)
	}
}

// sendCompletion answers a server invocation; a failed send is logged as signalr.js's
// unawaited promise rejection would be.
func (c *HubConnection) sendCompletion(id, errText string, result protocol.Raw) {
	if err := c.sendMessage(&protocol.Message{Type: protocol.CompletionType, InvocationID: id, Error: errText, Result: result}); err != nil {
		c.log.Log(Error, "Invoke client method threw error: "+err.Error())
	}
}
