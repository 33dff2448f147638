import Foundation

/// Where the service store is and how to log in, from a PostgreSQL URL
/// (`postgres://user:password@host:port/database?sslmode=require`), as
/// libpq reads one: the password from the URL, else `PGPASSWORD`, else
/// `~/.pgpass` (or `PGPASSFILE`); `host` may be a socket directory.
public struct DatabaseSettings: Sendable, Equatable {
    public enum TLSMode: String, Sendable {
        /// No TLS.
        case disable
        /// TLS when the server offers it, certificate not checked (libpq's default).
        case prefer
        /// TLS always, certificate not checked (as libpq's `require`).
        case require
        /// TLS always, certificate and host name checked against the system's roots.
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var tls: TLSMode
    /// A Unix socket directory instead of a TCP host.
    public var socketDirectory: String?

    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    public static func parse(
        _ url: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        home: String = NSHomeDirectory()
    ) throws(Problem) -> DatabaseSettings {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? "")
        else {
            throw Problem(
                description:
                    "'\(redacted(url))' is not a PostgreSQL URL: write postgres://USER@HOST:PORT/DATABASE (the password from PGPASSWORD or ~/.pgpass)"
            )
        }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        var settings = DatabaseSettings(
            host: components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "localhost",
            port: components.port ?? Int(environment["PGPORT"] ?? "") ?? 5432,
            user: components.user.flatMap { $0.removingPercentEncoding } ?? environment["PGUSER"] ?? NSUserName(),
            password: components.password.flatMap { $0.removingPercentEncoding },
            database: String(components.path.drop { $0 == "/" }).removingPercentEncoding.flatMap {
                $0.isEmpty ? nil : $0
            }
                ?? "clinterview",
            tls: .prefer, socketDirectory: nil)
        if let mode = query["sslmode"] {
            switch mode {
            case "disable": settings.tls = .disable
            case "allow", "prefer": settings.tls = .prefer
            case "require": settings.tls = .require
            case "verify-ca", "verify-full": settings.tls = .verifyFull
            default:
                throw Problem(
                    description: "sslmode=\(mode) is not one of disable, prefer, require, verify-full")
            }
        }
        if let socket = query["host"], socket.hasPrefix("/") {
            settings.socketDirectory = socket
            settings.tls = .disable
        }
        if settings.password == nil { settings.password = environment["PGPASSWORD"] }
        if settings.password == nil {
            let file = environment["PGPASSFILE"] ?? (home as NSString).appendingPathComponent(".pgpass")
            settings.password = passwordFile(file, for: settings)
        }
        return settings
    }

    /// The first matching line of a .pgpass file
    /// (`host:port:database:user:password`, `*` matches anything).
    static func passwordFile(_ path: String, for settings: DatabaseSettings) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            var fields: [String] = []
            var current = ""
            var escaped = false
            for character in line {
                if escaped {
                    current.append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == ":" && fields.count < 4 {
                    fields.append(current)
                    current = ""
                } else {
                    current.append(character)
                }
            }
            fields.append(current)
            guard fields.count == 5 else { continue }
            let wanted = [
                settings.socketDirectory ?? settings.host, String(settings.port), settings.database, settings.user,
            ]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// The URL with its password hidden, for messages.
    public static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }

    public var description: String {
        "\(user)@\(socketDirectory ?? host):\(port)/\(database)"
    }
}
