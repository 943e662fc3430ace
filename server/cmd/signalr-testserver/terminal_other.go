//go:build !linux

package main

// takeTerminal is Linux-only; elsewhere Ctrl-C reaches make as well, which then reports it.
func takeTerminal() (restore func()) { return func() {} }
