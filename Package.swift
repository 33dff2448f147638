// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Clinterview",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "ClinterviewCore", targets: ["ClinterviewCore"]),
        .library(name: "ClinterviewJournal", targets: ["ClinterviewJournal"]),
        .executable(name: "clinterview", targets: ["clinterview"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The engine: format, expressions, linter, session, replay. Foundation only.
        .target(name: "ClinterviewCore"),
        // Session journals on disk: durable, locked, tamper-evident. Foundation and POSIX only.
        .target(name: "ClinterviewJournal", dependencies: ["ClinterviewCore"]),
        .executableTarget(
            name: "clinterview",
            dependencies: [
                "ClinterviewCore",
                "ClinterviewJournal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "ClinterviewCoreTests",
            dependencies: ["ClinterviewCore"]
        ),
        .testTarget(
            name: "ClinterviewJournalTests",
            dependencies: ["ClinterviewJournal", "ClinterviewCore"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
