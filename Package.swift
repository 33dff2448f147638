// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Clinterview",
    products: [
        .library(name: "ClinterviewCore", targets: ["ClinterviewCore"]),
        .library(name: "ClinterviewJournal", targets: ["ClinterviewJournal"]),
        .executable(name: "clinterview", targets: ["clinterview"]),
        .executable(name: "clinterview-bench", targets: ["ClinterviewBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // The engine: format, expressions, linter, session, replay. Foundation only.
        .target(name: "ClinterviewCore"),
        // Session journals on disk: durable, locked, tamper-evident (SHA-256 from swift-crypto).
        .target(
            name: "ClinterviewJournal",
            dependencies: ["ClinterviewCore", .product(name: "Crypto", package: "swift-crypto")]),
        // Reports, exports, FHIR and routing graphs, from journals and definitions.
        .target(name: "ClinterviewReports", dependencies: ["ClinterviewCore", "ClinterviewJournal"]),
        // The service store: journals synced into PostgreSQL, append-only, with results and roles.
        .target(
            name: "ClinterviewStore",
            dependencies: [
                "ClinterviewCore", "ClinterviewJournal", "ClinterviewReports",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        // The clinician's interface, drawn into an in-memory cell grid; no terminal library.
        .target(name: "ClinterviewTerminal", dependencies: ["ClinterviewCore", "ClinterviewJournal"]),
        // The only target that talks to ncursesw.
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncurses-dev"])]),
        // Ctrl-C, SIGTERM and SIGHUP recorded for the terminal loop (plain POSIX C).
        .target(name: "CTerminalSignals"),
        .target(name: "ClinterviewCurses", dependencies: ["CNcursesw", "CTerminalSignals", "ClinterviewTerminal"]),
        .executableTarget(
            name: "clinterview",
            dependencies: [
                "ClinterviewCore",
                "ClinterviewJournal",
                "ClinterviewReports",
                "ClinterviewStore",
                "ClinterviewTerminal",
                "ClinterviewCurses",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks: synthetic interviews, the peers' model, in-process key-to-frame.
        .executableTarget(
            name: "ClinterviewBench",
            dependencies: [
                "ClinterviewCore",
                "ClinterviewJournal",
                "ClinterviewTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // What every test target shares: repository paths, the bundled interviews, a seeded generator, a byte mutator.
        .target(name: "ClinterviewTestSupport", dependencies: ["ClinterviewCore"], path: "Tests/Support"),
        .testTarget(
            name: "ClinterviewCoreTests",
            dependencies: ["ClinterviewCore", "ClinterviewTestSupport"]
        ),
        .testTarget(
            name: "ClinterviewTerminalTests",
            dependencies: ["ClinterviewTerminal", "ClinterviewJournal", "ClinterviewCore", "ClinterviewTestSupport"]
        ),
        .testTarget(
            name: "ClinterviewReportsTests",
            dependencies: ["ClinterviewReports", "ClinterviewJournal", "ClinterviewCore", "ClinterviewTestSupport"]
        ),
        .testTarget(
            name: "ClinterviewStoreTests",
            dependencies: [
                "ClinterviewStore", "ClinterviewJournal", "ClinterviewCore", "ClinterviewTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .testTarget(
            name: "ClinterviewJournalTests",
            dependencies: ["ClinterviewJournal", "ClinterviewCore", "ClinterviewTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
