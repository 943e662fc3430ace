package protocol

import (
	"errors"
	"reflect"
	"strconv"
	"testing"
)

func TestSequenceBufferReplaysUnacked(t *testing.T) {
	b := NewSequenceBuffer(0)
	for _, f := range []string{"a", "b", "c"} {
		if now, _ := b.Sent(InvocationType, []byte(f)); !now {
			t.Fatal("not written while connected")
		}
	}
	b.Sent(PingType, []byte("ping")) // not sequenced: never replayed
	b.Ack(1)
	b.Disconnected()
	if now, _ := b.Sent(CompletionType, []byte("d")); now {
		t.Fatal("written while reconnecting")
	}
	seq, frames := b.Resend()
	var got []string
	for _, f := range frames {
		got = append(got, string(f))
	}
	if seq != 2 || !reflect.DeepEqual(got, []string{"b", "c", "d"}) {
		t.Fatalf("resend %d %v", seq, got)
	}
	b.Ack(4)
	if seq, frames := b.Resend(); seq != 5 || len(frames) != 0 {
		t.Fatalf("after ack: %d %v", seq, frames)
	}
}

func TestSequenceBufferDropsDuplicates(t *testing.T) {
	b := NewSequenceBuffer(0)
	for i := 0; i < 3; i++ {
		if p, ack := b.Received(InvocationType); !p || !ack {
			t.Fatalf("message %d: %v %v", i+1, p, ack)
		}
	}
	b.Disconnected()
	if p, _ := b.Received(InvocationType); p {
		t.Fatal("processed before the Sequence")
	}
	if p, _ := b.Received(SequenceType); !p {
		t.Fatal("Sequence not processed")
	}
	if err := b.Resequence(2); err != nil {
		t.Fatal(err)
	}
	// 2 and 3 are replays; 4 is new.
	for i, want := range []bool{false, false, true} {
		if p, _ := b.Received(InvocationType); p != want {
			t.Fatalf("replayed message %d: process %v", i+2, p)
		}
	}
	if b.LatestReceived() != 4 {
		t.Fatalf("latest %d", b.LatestReceived())
	}
	if err := b.Resequence(9); err != ErrSequenceAhead {
		t.Fatalf("ahead: %v", err)
	}
}

func TestSequenceBufferBackpressure(t *testing.T) {
	b := NewSequenceBuffer(10)
	if _, room := b.Sent(InvocationType, []byte("12345")); room != nil {
		t.Fatal("waits under the limit")
	}
	_, room2 := b.Sent(InvocationType, []byte("12345"))
	_, room3 := b.Sent(InvocationType, []byte("12345"))
	if room2 == nil || room3 == nil {
		t.Fatal("no wait at the limit")
	}
	b.Ack(1) // 10 bytes still unacked: the limit is still reached
	for _, room := range []<-chan error{room2, room3} {
		select {
		case <-room:
			t.Fatal("room while still at the limit")
		default:
		}
	}
	b.Ack(2) // 5 bytes: room for the acked one and for the one under the limit
	for _, room := range []<-chan error{room2, room3} {
		if err := <-room; err != nil {
			t.Fatal(err)
		}
	}
	_, room4 := b.Sent(InvocationType, []byte("1234567890"))
	closed := errors.New("closed")
	b.Dispose(closed)
	if err := <-room4; err != closed {
		t.Fatalf("dispose: %v", err)
	}
}

// seqPeer is one side of a stateful connection in FuzzSequenceBuffer: what it has sent, what
// it has processed, and what is on the wire towards the other side.
type seqPeer struct {
	buf  *SequenceBuffer
	sent int
	got  []int
	wire []seqFrame
}

type seqFrame struct {
	t       MessageType
	payload int   // an Invocation's number
	id      int64 // an Ack's or a Sequence's id
}

// receive is the read loop's handling of one message (the client's and the server's).
func (p *seqPeer) receive(t *testing.T, m seqFrame) {
	process, _ := p.buf.Received(m.t)
	if !process {
		return
	}
	switch m.t {
	case InvocationType:
		p.got = append(p.got, m.payload)
	case AckType:
		p.buf.Ack(m.id)
	case SequenceType:
		if err := p.buf.Resequence(m.id); err != nil {
			t.Fatalf("Sequence %d: %v", m.id, err)
		}
	}
}

// Stateful reconnect never loses, duplicates or reorders a message: two peers send, deliver,
// acknowledge, lose the connection (and what was in flight) and replay, in any interleaving;
// once everything is delivered, each has processed exactly what the other sent, in order.
func FuzzSequenceBuffer(f *testing.F) {
	f.Add([]byte{0, 0, 1, 3, 1, 4, 1, 1})
	f.Add([]byte{0, 8, 0, 1, 2, 9, 10, 1, 3, 0, 8, 4, 1, 9, 9})
	f.Add([]byte{3, 4, 0, 3, 0, 4, 1, 1, 1})
	f.Fuzz(func(t *testing.T, ops []byte) {
		peers := [2]*seqPeer{{buf: NewSequenceBuffer(0)}, {buf: NewSequenceBuffer(0)}}
		connected := true
		reconnect := func() {
			for _, p := range peers {
				seq, frames := p.buf.Resend()
				p.wire = []seqFrame{{t: SequenceType, id: seq}}
				for _, frame := range frames {
					n, _ := strconv.Atoi(string(frame))
					p.wire = append(p.wire, seqFrame{t: InvocationType, payload: n})
				}
			}
			connected = true
		}
		for _, op := range ops {
			p, other := peers[op>>3&1], peers[1-op>>3&1]
			switch op & 7 {
			case 0: // a send
				p.sent++
				if now, _ := p.buf.Sent(InvocationType, []byte(strconv.Itoa(p.sent))); now {
					p.wire = append(p.wire, seqFrame{t: InvocationType, payload: p.sent})
				}
			case 1: // the other side reads one message
				if connected && len(p.wire) > 0 {
					m := p.wire[0]
					p.wire = p.wire[1:]
					other.receive(t, m)
				}
			case 2: // an Ack of what arrived
				if connected {
					p.wire = append(p.wire, seqFrame{t: AckType, id: p.buf.LatestReceived()})
				}
			case 3: // the transport drops, with whatever was in flight
				if connected {
					for _, q := range peers {
						q.wire = nil
						q.buf.Disconnected()
					}
					connected = false
				}
			case 4: // the transport is back: both sides replay
				if !connected {
					reconnect()
				}
			case 5: // a ping, which is not numbered
				if connected {
					p.buf.Sent(PingType, nil)
					p.wire = append(p.wire, seqFrame{t: PingType})
				}
			}
		}
		if !connected {
			reconnect()
		}
		for len(peers[0].wire)+len(peers[1].wire) > 0 {
			for i, p := range peers {
				for len(p.wire) > 0 {
					m := p.wire[0]
					p.wire = p.wire[1:]
					peers[1-i].receive(t, m)
				}
			}
		}
		for i, p := range peers {
			other := peers[1-i]
			if len(other.got) != p.sent {
				t.Fatalf("peer %d sent %d, peer %d processed %v", i, p.sent, 1-i, other.got)
			}
			for n, payload := range other.got {
				if payload != n+1 {
					t.Fatalf("peer %d sent 1..%d, peer %d processed %v", i, p.sent, 1-i, other.got)
				}
			}
		}
	})
}

// The Ack timer ends with the transport session that owns it: StopAcks cancels a pending
// Ack, and no later receive sets the timer again.
func TestSequenceBufferStopAcks(t *testing.T) {
	b := NewSequenceBuffer(0)
	sent := make(chan int64, 2)
	send := func(id int64) { sent <- id }
	if !b.Accept(InvocationType, send) {
		t.Fatal("first message not accepted")
	}
	b.StopAcks()
	if !b.Accept(InvocationType, send) {
		t.Fatal("second message not accepted")
	}
	b.mu.Lock()
	armed := b.ackTimer != nil
	b.mu.Unlock()
	if armed {
		t.Fatal("an Ack timer was set after StopAcks")
	}
	b.acks.Wait() // returns at once: no timer is pending or firing
	select {
	case id := <-sent:
		t.Fatalf("Ack %d sent after StopAcks", id)
	default:
	}
}
