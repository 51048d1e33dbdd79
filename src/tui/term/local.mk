# src/tui/term: terminal emulation (libvterm state layer -> our grid + scrollback)
