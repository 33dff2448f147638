import CNcursesw
import CTerminalSignals
import ClinterviewTerminal
import Glibc

/// Why the terminal cannot be used; the message says what to do.
public struct TerminalUnavailable: Error, CustomStringConvertible {
    public var description: String
}

/// The real terminal, through ncursesw: the only code that calls it.
public final class CursesTerminal {
    private var screen: OpaquePointer?
    private var shown: CellGrid?
    private let hasColours: Bool
    private var isOpen = true

    /// Checks what must hold before curses is started, so that nothing is drawn
    /// on a terminal that cannot show it.
    public static func checkEnvironment(environment: [String: String]) -> TerminalUnavailable? {
        guard isatty(0) == 1, isatty(1) == 1 else {
            return TerminalUnavailable(
                description:
                    "an interactive terminal is needed on standard input and output. For scripted use, see 'clinterview record' and 'clinterview replay'."
            )
        }
        let term = environment["TERM"] ?? ""
        if term.isEmpty || term == "dumb" || term == "unknown" {
            return TerminalUnavailable(
                description:
                    "TERM is \(term.isEmpty ? "not set" : "'\(term)'"), which cannot draw the interview. Run clinterview in a terminal emulator, or set TERM (e.g. TERM=xterm-256color)."
            )
        }
        if setlocale(LC_ALL, "") == nil {
            // The locale asked for does not exist here: a UTF-8 locale that is
            // not installed is not the same mistake as a locale that is not UTF-8.
            let (variable, name) =
                ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { key in
                    environment[key].flatMap { $0.isEmpty ? nil : (key, $0) }
                }.first ?? ("LANG", "")
            return TerminalUnavailable(
                description:
                    "The locale '\(name)' (from \(variable)) is not installed on this system. Install it (Debian: apt-get install locales, then dpkg-reconfigure locales) or use one that is, e.g. \(variable)=C.UTF-8, and run again."
            )
        }
        guard clinterview_locale_is_utf8() == 1 else {
            return TerminalUnavailable(
                description:
                    "The locale is not UTF-8, so text in other languages cannot be shown. Set it, e.g. LANG=C.UTF-8 (or LC_ALL=C.UTF-8), and run again."
            )
        }
        return nil
    }

    public init(term: String) throws(TerminalUnavailable) {
        clinterview_install_signal_handlers()
        guard let created = newterm(term, clinterview_stdout(), clinterview_stdin()) else {
            throw TerminalUnavailable(
                description:
                    "The terminal type '\(term)' is not known here. Set TERM to a known type, e.g. TERM=xterm-256color."
            )
        }
        screen = created
        set_term(created)
        cbreak()
        noecho()
        nonl()
        keypad(clinterview_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        hasColours = has_colors()
        if hasColours {
            start_color()
            use_default_colors()
            init_pair(1, Int16(COLOR_CYAN), -1)
            init_pair(2, Int16(COLOR_RED), -1)
            init_pair(3, Int16(COLOR_GREEN), -1)
        }
        wtimeout(clinterview_stdscr(), 1000)
        sendEachFrameInOneWrite()
        drawWithoutCheckingForTypeahead()
    }

    /// Until curses has once been suspended and resumed, ncurses (6.4) writes
    /// its buffer out after every cursor movement, so a frame reaches the
    /// terminal in several pieces, each of which the terminal takes and draws
    /// on its own. Suspending and resuming at once, before anything is drawn,
    /// makes every refresh one write.
    private func sendEachFrameInOneWrite() {
        endwin()
        doupdate()
    }

    /// ncurses looks for typed-ahead keys (two polls of standard input) before
    /// every refresh, to cut drawing short; every frame here is small, and the
    /// keys wait in the terminal anyway.
    private func drawWithoutCheckingForTypeahead() {
        typeahead(-1)
    }

    deinit { close() }

    public var size: (rows: Int, columns: Int) {
        (Int(getmaxy(clinterview_stdscr())), Int(getmaxx(clinterview_stdscr())))
    }

    /// Restores the terminal: normal mode, cursor visible. Safe to call twice.
    public func close() {
        guard isOpen else { return }
        isOpen = false
        curs_set(1)
        endwin()
        if let screen { delscreen(screen) }
        screen = nil
    }

    /// The signal (SIGINT, SIGTERM, SIGHUP) received since the last call, or 0.
    public static func takeSignal() -> Int32 {
        clinterview_take_signal()
    }

    /// Waits up to `timeout` milliseconds for a key; `.tick` when none came.
    public func readKey(timeout milliseconds: Int32 = 1000) -> Key {
        wtimeout(clinterview_stdscr(), milliseconds)
        var character: wint_t = 0
        let result = wget_wch(clinterview_stdscr(), &character)
        if result == KEY_CODE_YES { return functionKey(Int32(character)) }
        guard result == OK else { return terminalIsGone() ? .hangup : .tick }
        switch character {
        case 10, 13: return .enter
        case 27: return .escape
        case 9: return .tab
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(UInt8(96 + character))))
        default:
            guard let scalar = Unicode.Scalar(UInt32(character)) else { return .tick }
            return .character(Character(scalar))
        }
    }

    /// A read that fails at once on a terminal that was closed would otherwise
    /// spin: ask the system whether standard input has hung up.
    private func terminalIsGone() -> Bool {
        var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, 0) >= 0 else { return errno != EINTR }
        return descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }

    private func functionKey(_ code: Int32) -> Key {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_ENTER: return .enter
        case KEY_RESIZE: return .resize
        case (KEY_F0 + 1)...(KEY_F0 + 12): return .function(Int(code - KEY_F0))
        default: return .tick
        }
    }

    /// Copies a grid to the screen, rewriting only the rows that changed.
    public func present(_ grid: CellGrid) {
        let window = clinterview_stdscr()
        let redrawAll = shown.map { $0.rows != grid.rows || $0.columns != grid.columns } ?? true
        if redrawAll { werase(window) }
        for row in 0..<grid.rows {
            if !redrawAll, let shown, grid.rowIsUnchanged(row, since: shown) { continue }
            wmove(window, Int32(row), 0)
            wclrtoeol(window)
            writeRow(row, of: grid, into: window)
            wattr_set(window, clinterview_a_normal(), 0, nil)
        }
        if let cursor = grid.cursor {
            curs_set(1)
            wmove(window, Int32(cursor.row), Int32(cursor.column))
        } else {
            curs_set(0)
        }
        wrefresh(window)
        shown = grid
    }

    /// Writes a row in runs of cells of one style, one call per run. A run ends
    /// after any character that is not ASCII, so that the next run is placed at
    /// its own column even where the terminal measures a character differently.
    private func writeRow(_ row: Int, of grid: CellGrid, into window: UnsafeMutablePointer<WINDOW>?) {
        var end = grid.columns
        while end > 0, grid[row, end - 1].character == " ", grid[row, end - 1].style == .plain { end -= 1 }
        var run: [wchar_t] = []
        run.reserveCapacity(end + 1)
        var runStart = 0
        var runStyle = Style.plain
        func flush() {
            guard !run.isEmpty else { return }
            wattr_set(window, attributes(runStyle), colourPair(runStyle), nil)
            run.append(0)
            mvwaddnwstr(window, Int32(row), Int32(runStart), &run, Int32(run.count - 1))
            run.removeAll(keepingCapacity: true)
        }
        for column in 0..<end {
            let cell = grid[row, column]
            if cell.isContinuation { continue }
            if cell.style != runStyle { flush() }
            if run.isEmpty {
                runStart = column
                runStyle = cell.style
            }
            if let ascii = cell.character.asciiValue {
                run.append(wchar_t(ascii))
            } else {
                for scalar in cell.character.unicodeScalars { run.append(wchar_t(bitPattern: scalar.value)) }
                flush()
            }
        }
        flush()
    }

    /// Forget what is on screen, so the next frame is drawn in full.
    public func invalidate() {
        shown = nil
    }

    private func attributes(_ style: Style) -> attr_t {
        var value = clinterview_a_normal()
        if style.contains(.bold) { value |= clinterview_a_bold() }
        if style.contains(.reverse) { value |= clinterview_a_reverse() }
        if style.contains(.underline) { value |= clinterview_a_underline() }
        if style.contains(.dim) || style.contains(.muted) { value |= clinterview_a_dim() }
        return value
    }

    private func colourPair(_ style: Style) -> Int16 {
        guard hasColours else { return 0 }
        if style.contains(.danger) { return 2 }
        if style.contains(.good) { return 3 }
        if style.contains(.accent) { return 1 }
        return 0
    }
}
