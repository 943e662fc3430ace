package protocol

import (
	"errors"
	"reflect"
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
