package protocol

import (
	"errors"
	"sync"
	"time"

	"github.com/signalr-wasm/signalr-wasm/internal/lock"
)

// ErrSequenceAhead is signalr.js's error for a Sequence message that skips messages.
var ErrSequenceAhead = errors.New("Sequence ID greater than amount of messages we've received.")

// Sequenced tells the messages stateful reconnect numbers, buffers and replays.
func Sequenced(t MessageType) bool {
	switch t {
	case InvocationType, StreamItemType, CompletionType, StreamInvocationType, CancelInvocationType:
		return true
	}
	return false
}

// SequenceBuffer is one side of stateful reconnect (signalr.js's MessageBuffer; the server
// keeps the same): it numbers what it sends and keeps it until the peer acks it, counts what
// it receives to drop replayed duplicates, and replays after a transport reconnect.
type SequenceBuffer struct {
	mu             lock.Mutex
	limit          int // bytes of unacked frames past which senders wait; 0 is no limit
	buffered       int
	unacked        []sequencedFrame
	totalSent      int64
	nextReceiving  int64 // the number the next sequenced message received will have
	latestReceived int64
	waitSequence   bool // after a reconnect, nothing counts until the peer's Sequence
	reconnecting   bool // sends are kept, not written, until Resend
	ackTimer       *time.Timer
	acks           sync.WaitGroup // the Ack timer, from when it is set until its send returns
	acksStopped    bool           // no Ack goes out any more: StopAcks or Dispose
}

// ackDelay is how long an Ack waits, so that one Ack covers everything received meanwhile.
const ackDelay = time.Second

type sequencedFrame struct {
	id    int64
	frame []byte
	// room, when not nil, tells a sender waiting on the limit that it may go on: it receives
	// nil once the buffer is back under its limit, or the error that ended the connection.
	room chan error
}

// NewSequenceBuffer starts both counts at 1, as the protocol does. limit is signalr.js's
// bufferSize: once that many bytes wait for an Ack, a send waits for room (backpressure).
func NewSequenceBuffer(limit int) *SequenceBuffer {
	return &SequenceBuffer{nextReceiving: 1, limit: limit}
}

// Sent records (a copy of) a frame about to be sent and tells whether to write it now: not
// while the transport is being reconnected (Resend will). room, when not nil, is what the
// sender waits on before its send counts as done.
func (b *SequenceBuffer) Sent(t MessageType, frame []byte) (writeNow bool, room <-chan error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if Sequenced(t) {
		b.totalSent++
		b.buffered += len(frame)
		f := sequencedFrame{id: b.totalSent, frame: append([]byte(nil), frame...)}
		if b.limit > 0 && b.buffered >= b.limit {
			f.room = make(chan error, 1)
			room = f.room
		}
		b.unacked = append(b.unacked, f)
	}
	return !b.reconnecting, room
}

// Ack drops what the peer has received and lets waiting senders go on, as far as the
// limit allows.
func (b *SequenceBuffer) Ack(id int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for i := range b.unacked {
		f := &b.unacked[i]
		if f.id <= id {
			b.buffered -= len(f.frame)
			n = i + 1
		} else if b.buffered >= b.limit {
			break
		}
		f.makeRoom(nil)
	}
	b.unacked = b.unacked[n:]
}

func (f *sequencedFrame) makeRoom(err error) {
	if f.room != nil {
		f.room <- err
		f.room = nil
	}
}

// AckSoon has send called with the latest id received, a second from now, unless a call is
// already pending or, by then, the transport is being reconnected: signalr.js's Ack timer,
// which both sides keep.
func (b *SequenceBuffer) AckSoon(send func(sequenceID int64)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ackTimer != nil || b.acksStopped {
		return
	}
	b.acks.Add(1)
	b.ackTimer = time.AfterFunc(ackDelay, func() {
		defer b.acks.Done()
		b.mu.Lock()
		b.ackTimer = nil
		skip, id := b.reconnecting || b.acksStopped, b.latestReceived
		b.mu.Unlock()
		if !skip {
			send(id)
		}
	})
}

// stopAckTimerLocked cancels a pending Ack; one already firing goes on (acks waits for it).
func (b *SequenceBuffer) stopAckTimerLocked() {
	if b.ackTimer != nil && b.ackTimer.Stop() {
		b.acks.Done()
	}
	b.ackTimer = nil
}

// StopAcks ends the Ack timer with the transport session that owns it: no Ack goes out
// once it returns, and an Ack being sent has been.
func (b *SequenceBuffer) StopAcks() {
	b.mu.Lock()
	b.acksStopped = true
	b.stopAckTimerLocked()
	b.mu.Unlock()
	b.acks.Wait()
}

// Dispose ends the buffer with the connection: senders still waiting for room get err, and
// no Ack goes out any more.
func (b *SequenceBuffer) Dispose(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.acksStopped = true
	b.stopAckTimerLocked()
	for i := range b.unacked {
		b.unacked[i].makeRoom(err)
	}
}

// Received tells whether to process a message: not a replayed duplicate, nor anything
// between a reconnect and the peer's Sequence. ack reports that the peer should hear of it.
func (b *SequenceBuffer) Received(t MessageType) (process, ack bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.waitSequence {
		if t != SequenceType {
			return false, false
		}
		b.waitSequence = false
		return true, false
	}
	if !Sequenced(t) {
		return true, false
	}
	current := b.nextReceiving
	b.nextReceiving++
	if current <= b.latestReceived {
		return false, current == b.latestReceived
	}
	b.latestReceived = current
	return true, true
}

// Accept is Received for a side's read loop: whether to process the message, with the Ack
// that tells the peer of it sent through sendAck a second later (AckSoon).
func (b *SequenceBuffer) Accept(t MessageType, sendAck func(sequenceID int64)) bool {
	process, ack := b.Received(t)
	if ack {
		b.AckSoon(sendAck)
	}
	return process
}

// Resequence is the peer's Sequence message: its next message will have number id.
//
// An id past what was received is a gap, and an error. signalr.js and ASP.NET compare it
// with the next number expected, which an earlier Sequence may have moved back below what
// had arrived: a transport lost again before a replay arrived would then close the
// connection although nothing is missing. Everything up to latestReceived did arrive.
func (b *SequenceBuffer) Resequence(id int64) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if id > max(b.nextReceiving, b.latestReceived+1) {
		return ErrSequenceAhead
	}
	b.nextReceiving = id
	return nil
}

// LatestReceived is what an Ack message acknowledges.
func (b *SequenceBuffer) LatestReceived() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.latestReceived
}

// Reconnecting reports whether the transport is being reconnected.
func (b *SequenceBuffer) Reconnecting() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.reconnecting
}

// Disconnected starts a reconnect: sends are kept, and received messages wait for a Sequence.
func (b *SequenceBuffer) Disconnected() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.reconnecting = true
	b.waitSequence = true
}

// Resend is what to send on the new transport: the Sequence id (the first unacked message,
// or the next one), then every unacked frame. Sends are written again once it returns.
func (b *SequenceBuffer) Resend() (sequence int64, frames [][]byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	sequence = b.totalSent + 1
	if len(b.unacked) > 0 {
		sequence = b.unacked[0].id
	}
	for _, f := range b.unacked {
		frames = append(frames, f.frame)
	}
	b.reconnecting = false
	return sequence, frames
}

// Replay writes, on the new transport, what Resend gives: the Sequence message in protocol p,
// then every unacknowledged frame, stopping at the first write that fails.
func (b *SequenceBuffer) Replay(p HubProtocol, write func(frame []byte) error) error {
	sequence, frames := b.Resend()
	frame, err := p.Append(nil, &Message{Type: SequenceType, SequenceID: sequence})
	if err != nil {
		return err
	}
	for _, f := range append([][]byte{frame}, frames...) {
		if err := write(f); err != nil {
			return err
		}
	}
	return nil
}
