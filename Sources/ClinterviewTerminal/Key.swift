/// A key press, independent of the terminal library.
public enum Key: Sendable, Hashable {
    case character(Character)
    case enter, escape, backspace, delete, tab
    case up, down, left, right, home, end, pageUp, pageDown
    case function(Int)
    /// Ctrl plus a letter, e.g. `.control("n")` for Ctrl-N.
    case control(Character)
    /// The terminal changed size.
    case resize
    /// No key within the polling interval: a chance to update the clock.
    case tick
    /// The terminal went away (its window closed, the connection dropped).
    case hangup
}
