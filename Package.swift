// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Clinterview",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "ClinterviewCore", targets: ["ClinterviewCore"]),
        .executable(name: "clinterview", targets: ["clinterview"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The engine: format, expressions, linter, session, replay. Foundation only.
        .target(name: "ClinterviewCore"),
        .executableTarget(
            name: "clinterview",
            dependencies: [
                "ClinterviewCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "ClinterviewCoreTests",
            dependencies: ["ClinterviewCore"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
