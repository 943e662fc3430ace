package client

import (
	"errors"
	"strconv"

	"github.com/signalr-wasm/signalr-wasm/internal/recovered"
	"github.com/signalr-wasm/signalr-wasm/protocol"
)

// processIncoming handles one frame; an error closes the transport with it, as a throw from
// signalr.js's onreceive does.
//
// A panic while reading a frame (a fault in a protocol) closes the connection with an error
// too: in wasm it would otherwise end the program, and every connection on the page with it.
//
// A foreign frame (of the other transfer format) may still carry the handshake response,
// which signalr.js reads from text and binary alike; its hub messages are refused.
func (c *HubConnection) processIncoming(sess *hubSession, frame []byte, foreign bool) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = recovered.Error(r)
		}
	}()
	c.mu.Lock()
	sess.timers.receiving = true // the server timeout waits for the frame's end
	c.mu.Unlock()
	handshake := !sess.receivedHandshake
	if handshake {
		rest, err := c.processHandshakeResponse(sess, frame)
		if err != nil {
			return err
		}
		sess.receivedHandshake = true
		frame = rest
	}
	// signalr.js skips only an empty string: an empty binary frame (or Blob) still fails.
	format := c.opts.Protocol.TransferFormat()
	if foreign && (len(frame) > 0 || !handshake && format == protocol.Text) {
		return foreignFrameError(format)
	}
	if len(frame) > 0 {
		// The session's messages are read into one slice, frame after frame: a new slice
		// per frame was most of what reading a message allocated. It is taken while in use,
		// so that a nested call (none is expected) would make its own.
		msgs, err := c.opts.Protocol.Parse(sess.messages[:0], frame)
		sess.messages = nil
		if err != nil {
			return err
		}
		// Without stateful reconnect every message is taken. A buffer comes only with a
		// handshake's response, never while this frame's messages are dispatched.
		stateful := c.frames.Buffer() != nil
		for i := range msgs {
			if stateful && !c.frames.Accept(msgs[i].Type, c.ack) {
				continue // a replayed duplicate, or sent before the server's Sequence
			}
			c.dispatch(&msgs[i])
		}
		clear(msgs) // keeps nothing of the frame alive
		sess.messages = msgs[:0]
	}
	c.mu.Lock()
	c.resetTimeoutLocked(sess)
	c.mu.Unlock()
	return nil
}

func (c *HubConnection) processHandshakeResponse(sess *hubSession, frame []byte) ([]byte, error) {
	resp, rest, err := protocol.ParseHandshakeResponse(frame)
	if err != nil {
		msg := "Error parsing handshake response: " + ErrorString(c.opts.PlatformError(err))
		c.log.Log(Error, msg)
		herr := errors.New(msg)
		sess.handshake <- herr
		return nil, herr
	}
	if resp.Error != "" {
		msg := "Server returned handshake error: " + resp.Error
		c.log.Log(Error, msg)
		herr := errors.New(msg)
		sess.handshake <- herr
		return nil, herr
	}
	c.log.Log(Debug, "Server handshake complete.")
	var buf *protocol.SequenceBuffer
	if sess.transport.stateful() {
		// Made before the messages that may follow the handshake in its frame, which the
		// server has already numbered.
		buf = protocol.NewSequenceBuffer(c.opts.StatefulReconnectBufferSize)
	}
	if old := c.frames.UseBuffer(buf); old != nil {
		old.Dispose(errConnectionClosed)
	}
	sess.handshake <- nil
	return rest, nil
}

func (c *HubConnection) dispatch(m *protocol.Message) {
	switch m.Type {
	case protocol.InvocationType:
		c.invokeClientMethod(m)
	case protocol.StreamItemType, protocol.CompletionType:
		c.mu.Lock()
		call, pending := c.calls[m.InvocationID]
		if pending && m.Type == protocol.CompletionType {
			delete(c.calls, m.InvocationID)
		}
		c.mu.Unlock()
		if pending {
			call.receive(m, nil)
		}
	case protocol.PingType:
	case protocol.CloseType:
		c.log.Log(Information, "Close message received from server.")
		var err error
		if m.Error != "" {
			err = errors.New("Server returned an error on close: " + m.Error)
		}
		if m.AllowReconnect {
			c.stopTransport(err)
		} else {
			c.stopInternal(err)
		}
	case protocol.AckType, protocol.SequenceType:
		if err := c.frames.Received(m); err != nil {
			c.stopTransport(err)
		}
	default: // StreamInvocation and CancelInvocation too: they are for servers, as in signalr.js.
		c.log.Log(Information, "Unknown message type '"+strconv.Itoa(int(m.Type))+"' ignored.")
	}
}

// sendAck tells the server what arrived; a closed connection needs no Ack.
func (c *HubConnection) sendAck(sequenceID int64) {
	if frame, err := c.opts.Protocol.Append(nil, &protocol.Message{Type: protocol.AckType, SequenceID: sequenceID}); err == nil {
		_ = c.sendFrame(frame)
	}
}
