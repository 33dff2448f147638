import ClinterviewTerminal
import Glibc

/// Runs an app on the terminal until it wants to stop or a signal ends it.
public enum TerminalLoop {
    public enum Ending: Equatable {
        case quit
        case signal(Int32)
    }

    public static func run(_ app: TerminalApp, on terminal: CursesTerminal, until finished: () -> Bool = { false }) -> Ending {
        while !finished() {
            let size = terminal.size
            terminal.present(app.render(rows: size.rows, columns: size.columns))
            if app.settle() { continue }
            let key = terminal.readKey(timeout: 1000)
            let signal = CursesTerminal.takeSignal()
            if signal != 0 {
                app.quit()
                return .signal(signal)
            }
            if key == .hangup {
                app.quit()
                return .signal(SIGHUP)
            }
            if key == .resize { terminal.invalidate() }
            app.handle(key)
            if app.wantsQuit { return .quit }
        }
        return .quit
    }
}
