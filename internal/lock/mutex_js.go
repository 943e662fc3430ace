package lock

// Mutex is a mutual exclusion lock whose zero value is unlocked, as sync.Mutex's. An
// uncontended Lock and Unlock are a test and a store each; a contended Lock waits in line,
// and Unlock hands the lock to the first waiter.
type Mutex struct {
	held    bool
	waiters []chan struct{}
}

func (m *Mutex) Lock() {
	if !m.held {
		m.held = true
		return
	}
	wake := make(chan struct{})
	m.waiters = append(m.waiters, wake)
	<-wake // the lock is ours: Unlock handed it over held
}

func (m *Mutex) Unlock() {
	if !m.held {
		panic("lock: unlock of unlocked mutex")
	}
	if len(m.waiters) == 0 {
		m.held = false
		return
	}
	wake := m.waiters[0]
	m.waiters[0] = nil
	m.waiters = m.waiters[1:]
	close(wake)
}
