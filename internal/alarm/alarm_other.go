//go:build !js

package alarm

import "time"

// Alarm is a one-shot timer: C receives once it fires.
type Alarm struct {
	C     <-chan time.Time
	timer *time.Timer
}

func New() *Alarm {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &Alarm{C: t.C, timer: t}
}

// Reset sets the alarm to fire after d, in place of any earlier setting.
func (a *Alarm) Reset(d time.Duration) { a.timer.Reset(d) }

// Stop disarms the alarm; a fire not yet read is dropped.
func (a *Alarm) Stop() { a.timer.Stop() }
