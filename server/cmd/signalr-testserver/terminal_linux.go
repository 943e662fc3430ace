package main

import (
	"os/signal"
	"syscall"
	"unsafe"
)

// takeTerminal moves the server into its own process group and makes that group the
// terminal's foreground, as a shell does for a job, so that Ctrl-C reaches the server alone.
// Without it the `make` that started the server gets the SIGINT too, and make, whatever its
// recipe does, re-raises it and dies of it: the shell reports a failure. restore gives the
// terminal back to the group that had it.
func takeTerminal() (restore func()) {
	const tty = 0
	previous, err := foregroundGroup(tty)
	group := syscall.Getpgrp()
	if err != nil || previous != group {
		return func() {} // not started from a terminal, or started in the background (make run &)
	}
	// A background process group that sets the foreground gets SIGTTOU unless it ignores it.
	signal.Ignore(syscall.SIGTTOU)
	if err := syscall.Setpgid(0, 0); err != nil {
		return func() {}
	}
	if err := setForegroundGroup(tty, syscall.Getpid()); err != nil {
		_ = syscall.Setpgid(0, group) // back where Ctrl-C reaches it
		return func() {}
	}
	return func() { _ = setForegroundGroup(tty, previous) }
}

func foregroundGroup(fd int) (int, error) {
	var pgid int32
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.TIOCGPGRP, uintptr(unsafe.Pointer(&pgid))); errno != 0 {
		return 0, errno
	}
	return int(pgid), nil
}

func setForegroundGroup(fd, pgid int) error {
	id := int32(pgid)
	if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.TIOCSPGRP, uintptr(unsafe.Pointer(&id))); errno != 0 {
		return errno
	}
	return nil
}
