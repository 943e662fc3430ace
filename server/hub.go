package server

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// Hub is embedded in every hub type; the server fills it before each call, as ASP.NET sets a
// hub's Context, Clients and Groups.
type Hub struct {
	Context *HubContext
	Clients *HubClients
	Groups  *GroupManager
}

func (h *Hub) hub() *Hub { return h }

// HubInstance is a pointer to a struct embedding Hub. Its other exported methods are the
// hub methods; it may also have OnConnected() error and OnDisconnected(error) error.
type HubInstance interface{ hub() *Hub }

// HubContext is the calling connection.
type HubContext struct {
	ConnectionID string
	c            *conn
	ctx          context.Context
}

// Canceled is closed when the call should stop: for a streaming method, when the client
// cancels the stream (CancelInvocation) or the connection ends; otherwise with the connection.
func (x *HubContext) Canceled() <-chan struct{} { return x.ctx.Done() }

// Query is the connecting request's query value (fault switches, app parameters).
func (x *HubContext) Query(name string) string { return x.c.request.URL.Query().Get(name) }

// Header is the connecting request's header value.
func (x *HubContext) Header(name string) string { return x.c.request.Header.Get(name) }

// Items is per-connection state, like ASP.NET's Context.Items.
func (x *HubContext) Items() map[string]any {
	v, _ := x.c.items.LoadOrStore("items", map[string]any{})
	return v.(map[string]any)
}

// CloseLingering closes the WebSocket without a Close message, and keeps its TCP connection
// until the page signals "release" on the connection's hook: the browser's socket is CLOSING
// until then.
func (x *HubContext) CloseLingering() { x.c.closeLingering() }

// Abort drops the connection without a Close message.
func (x *HubContext) Abort() { x.c.abort() }

// DropTransport closes the WebSocket without a close frame but keeps the connection, a
// network fault that stateful reconnect survives; without stateful reconnect the connection
// ends as with Abort.
func (x *HubContext) DropTransport() { x.c.dropTransport() }

// ReceivedFrames is every frame this client has sent so far (the first 64), as they came.
func (x *HubContext) ReceivedFrames() [][]byte { return x.c.receivedFrames() }

// Stall makes the server stop sending on this connection, pings included, while the socket
// stays open: a hung server or a silent network, which only the client's timeout ends.
func (x *HubContext) Stall() { x.c.stalled.Store(true) }

// Close sends a Close message with errText (and allowReconnect) and ends the connection.
func (x *HubContext) Close(errText string, allowReconnect bool) {
	x.c.closeWith(errText, allowReconnect)
}

// SendRaw writes frame to this connection as it is, bypassing the protocol, as a WebSocket
// message of its own.
func (x *HubContext) SendRaw(frame []byte) error { return x.c.writeRaw(frame, x.c.binary) }

// SendRawOtherKind writes frame as the other kind of WebSocket message than the protocol's
// frames: text under MessagePack, binary under JSON.
func (x *HubContext) SendRawOtherKind(frame []byte) error { return x.c.writeRaw(frame, !x.c.binary) }

// HubError is ASP.NET's HubException: its message reaches the client even without
// DetailedErrors.
type HubError struct{ Message string }

func (e *HubError) Error() string { return e.Message }

type hubEntry struct {
	path    string
	newHub  func() HubInstance
	methods map[string]reflect.Method // lower-cased name: ASP.NET matches case-insensitively
}

var (
	errorType  = reflect.TypeOf((*error)(nil)).Elem()
	hubMethods = func() map[string]bool {
		m := map[string]bool{"OnConnected": true, "OnDisconnected": true}
		t := reflect.TypeOf(&Hub{})
		for i := 0; i < t.NumMethod(); i++ {
			m[t.Method(i).Name] = true
		}
		return m
	}()
)

func newHubEntry(path string, newHub func() HubInstance) *hubEntry {
	e := &hubEntry{path: path, newHub: newHub, methods: map[string]reflect.Method{}}
	t := reflect.TypeOf(newHub())
	for i := 0; i < t.NumMethod(); i++ {
		m := t.Method(i)
		if !hubMethods[m.Name] {
			e.methods[strings.ToLower(m.Name)] = m
		}
	}
	return e
}

func (e *hubEntry) instance(c *conn) HubInstance {
	h := e.newHub()
	base := h.hub()
	base.Context = &HubContext{ConnectionID: c.id, c: c, ctx: c.ctx}
	base.Clients = &HubClients{s: c.s, hub: e, caller: c}
	base.Groups = &GroupManager{s: c.s}
	return h
}

func (e *hubEntry) connected(c *conn) {
	if h, ok := e.instance(c).(interface{ OnConnected() error }); ok {
		if err := safe(func() error { return h.OnConnected() }); err != nil {
			c.s.logf("OnConnected of %s: %v", c.id, err)
		}
	}
}

func (e *hubEntry) disconnected(c *conn, cause error) {
	if h, ok := e.instance(c).(interface{ OnDisconnected(error) error }); ok {
		if err := safe(func() error { return h.OnDisconnected(cause) }); err != nil {
			c.s.logf("OnDisconnected of %s: %v", c.id, err)
		}
	}
}

// invoke runs one hub method and answers with a Completion when the client waits for one.
// A streaming method (one that returns a channel) goes on in the background.
func (e *hubEntry) invoke(c *conn, m *protocol.Message) {
	var result protocol.Raw
	var errText string
	method, ok := e.methods[strings.ToLower(m.Target)]
	switch {
	case ok && isStreaming(method):
		if m.Type == protocol.StreamInvocationType {
			e.stream(c, m)
			return
		}
		errText = "The client attempted to invoke the streaming '" + m.Target + "' method with a non-streaming invocation."
	case ok && m.Type == protocol.StreamInvocationType:
		errText = "The client attempted to invoke the non-streaming '" + m.Target + "' method with a streaming invocation."
	default:
		result, errText = e.call(c, e.instance(c), m)
	}
	if m.InvocationID == "" {
		if errText != "" {
			c.s.logf("invocation of %s by %s failed: %s", m.Target, c.id, errText)
		}
		return
	}
	done := &protocol.Message{Type: protocol.CompletionType, InvocationID: m.InvocationID, Error: errText, Result: result}
	if err := c.write(done); err != nil {
		c.s.logf("completion for %s: %v", c.id, err)
	}
}

func (e *hubEntry) call(c *conn, hub HubInstance, m *protocol.Message) (protocol.Raw, string) {
	value, err, errText := e.run(c, hub, m)
	if errText != "" {
		return nil, errText
	}
	if err != nil {
		return nil, errorText(m.Target, err, c.s.opts.DetailedErrors)
	}
	if !value.IsValid() {
		return nil, ""
	}
	raw, encErr := c.proto.Encode(value.Interface())
	if encErr != nil {
		return nil, errorText(m.Target, encErr, c.s.opts.DetailedErrors)
	}
	return raw, ""
}

// run binds the arguments and calls the method: its value, its error (a returned error or a
// panic), or the text of a call that could not be made.
func (e *hubEntry) run(c *conn, hub HubInstance, m *protocol.Message) (value reflect.Value, err error, errText string) {
	method, ok := e.methods[strings.ToLower(m.Target)]
	if !ok {
		return value, nil, "Unknown hub method '" + m.Target + "'"
	}
	args, errText := e.bind(c, method, m)
	if errText != "" {
		return value, nil, errText
	}
	var out []reflect.Value
	err = safe(func() error {
		out = method.Func.Call(append([]reflect.Value{reflect.ValueOf(hub)}, args...))
		return nil
	})
	if err == nil && !isStreaming(method) {
		err = c.uploadsFailed(m)
	}
	for _, o := range out {
		if o.Type() == errorType {
			if !o.IsNil() && err == nil {
				err = o.Interface().(error)
			}
		} else {
			value = o
		}
	}
	return value, err, ""
}

// bind decodes the argument array into the method's parameter types; parameters that are
// channels take the invocation's client-to-server streams, in order, as ASP.NET's
// ChannelReader parameters do.
func (e *hubEntry) bind(c *conn, method reflect.Method, m *protocol.Message) ([]reflect.Value, string) {
	raws, err := c.proto.SplitArray(m.Arguments)
	if err != nil {
		return nil, bindError(m.Target)
	}
	t := method.Type
	var params []reflect.Type // the parameters the arguments fill
	uploads := 0
	for i := 1; i < t.NumIn(); i++ {
		if isUploadParam(t.In(i)) {
			uploads++
		} else {
			params = append(params, t.In(i))
		}
	}
	if uploads != len(m.StreamIDs) {
		return nil, fmt.Sprintf("Failed to invoke '%s' due to an error on the server. HubException: Client sent %d stream(s), Hub method expects %d.", m.Target, len(m.StreamIDs), uploads)
	}
	want := len(params)
	variadic := t.IsVariadic()
	if len(raws) != want && !(variadic && len(raws) >= want-1) {
		return nil, fmt.Sprintf("Failed to invoke '%s' due to an error on the server. InvalidDataException: Invocation provides %d argument(s) but target expects %d.", m.Target, len(raws), want)
	}
	decoded := make([]reflect.Value, 0, len(raws))
	for i, raw := range raws {
		pt := params[min(i, want-1)]
		if variadic && i >= want-1 {
			pt = pt.Elem()
		}
		v := reflect.New(pt)
		if err := c.proto.Decode(raw, v.Interface()); err != nil {
			return nil, bindError(m.Target)
		}
		decoded = append(decoded, v.Elem())
	}
	args := make([]reflect.Value, 0, t.NumIn()-1)
	nextArg, nextStream := 0, 0
	for i := 1; i < t.NumIn(); i++ {
		if isUploadParam(t.In(i)) {
			ch, ok := c.takeUpload(m.StreamIDs[nextStream])
			if !ok {
				return nil, bindError(m.Target)
			}
			nextStream++
			args = append(args, ch.Convert(t.In(i)))
			continue
		}
		if variadic && i == t.NumIn()-1 {
			args = append(args, decoded[nextArg:]...)
			break
		}
		args = append(args, decoded[nextArg])
		nextArg++
	}
	return args, ""
}

func bindError(target string) string {
	return "Failed to invoke '" + target + "' due to an error on the server. InvalidDataException: Error binding arguments. Make sure that the types of the provided values match the types of the hub method being invoked."
}

// errorText is ASP.NET's Completion error for a hub method that failed.
func errorText(target string, err error, detailed bool) string {
	return errorMessage("An unexpected error occurred invoking '"+target+"' on the server.", err, detailed)
}

// errorMessage is ASP.NET's ErrorMessageHelper.BuildErrorMessage: a HubError always shows
// its message, other errors only with DetailedErrors.
func errorMessage(text string, err error, detailed bool) string {
	var he *HubError
	switch {
	case errors.As(err, &he):
		return text + " HubException: " + he.Message
	case detailed:
		return text + " Exception: " + err.Error()
	}
	return text
}

// safe runs f and turns a panic into an error: a faulty hub method must not take the
// server, or the other connections, down.
func safe(f func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return f()
}

// Decode reads a value in the connection's protocol (a client result, say).
func (x *HubContext) Decode(raw protocol.Raw, v any) error { return x.c.proto.Decode(raw, v) }
