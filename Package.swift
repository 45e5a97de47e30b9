// swift-tools-version:6.0
// Gridwall: a geospatial grid-and-heatmap service for grid-governance command centres.
//
// Dependencies point one way: GridwallCore (pure Swift, no I/O) <- the C adapters
// (GridwallGEOS, GridwallPROJ) <- GridwallStore (SQLite/GeoPackage) <- GridwallServer <- gridwall.
import PackageDescription

let package = Package(
    name: "Gridwall",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "gridwall", targets: ["gridwall"]),
        .library(name: "GridwallCore", targets: ["GridwallCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "5.0.1"),
    ],
    targets: [
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        .target(name: "GridwallCore"),
        .target(name: "GridwallGEOS", dependencies: ["CGEOS", "GridwallCore"]),
        .target(name: "GridwallPROJ", dependencies: ["CPROJ", "GridwallCore"]),
        // Streaming batch assignment of point files (`gridwall assign`).
        .target(name: "GridwallBatch", dependencies: ["GridwallCore"]),
        // The deterministic sample-district generator (uses GEOS to dissolve lattice triangles).
        .target(name: "GridwallSample", dependencies: ["GridwallCore", "GridwallGEOS"]),
        // Grid plans: the validation of a redrawn grid layer (edges matched in Core, measured with GEOS).
        .target(name: "GridwallStore", dependencies: [
            "GridwallCore", "GridwallGEOS", "GridwallPROJ",
            .product(name: "GRDB", package: "GRDB.swift"),
            // SQLite's own binding calls for the live ingest's inserts (BoundStatement).
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            // SHA-256 of API tokens (only the hash is stored).
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        // Grid plans: validation (edges matched in Core, measured with GEOS), impact, and the
        // plan book (submit, apply as a new version of the area layer in the store).
        .target(name: "GridwallPlans", dependencies: ["GridwallCore", "GridwallGEOS", "GridwallStore"]),
        // Event analysis for heatmaps: the event store with projected positions, per-area
        // heatmaps, bins, kernel density and hot spots, assembled from the pure pieces in Core.
        .target(name: "GridwallAnalysis", dependencies: ["CZlib", "GridwallCore", "GridwallGEOS", "GridwallPROJ"]),
        .target(name: "GridwallServer", dependencies: [
            "GridwallCore", "GridwallGEOS", "GridwallStore", "GridwallPROJ", "GridwallAnalysis", "GridwallPlans",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            // The `serve` configuration file.
            .product(name: "Yams", package: "Yams"),
        ], resources: [
            // The wall page and the map library it runs on, served from memory at /wall.
            .copy("Wall"),
        ]),
        .executableTarget(name: "gridwall", dependencies: [
            "GridwallCore", "GridwallGEOS", "GridwallPROJ", "GridwallStore", "GridwallServer", "GridwallSample", "GridwallBatch", "GridwallAnalysis", "GridwallPlans",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        // Paths and loaders shared by the test targets (not shipped in the executable).
        .target(name: "GridwallTestSupport", dependencies: ["GridwallCore"]),

        .testTarget(name: "GridwallCoreTests", dependencies: [
            "GridwallCore", "GridwallTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "GridwallGEOSTests", dependencies: [
            "GridwallCore", "GridwallGEOS", "GridwallSample", "GridwallStore", "GridwallTestSupport",
            .product(name: "PropertyBased", package: "swift-property-based"),
        ]),
        .testTarget(name: "GridwallPlansTests", dependencies: ["GridwallCore", "GridwallGEOS", "GridwallPlans", "GridwallSample", "GridwallTestSupport"]),
        .testTarget(name: "GridwallBatchTests", dependencies: ["GridwallBatch", "GridwallCore", "GridwallTestSupport"]),
        .testTarget(name: "GridwallPROJTests", dependencies: ["GridwallCore", "GridwallPROJ", "GridwallTestSupport"]),
        .testTarget(name: "GridwallStoreTests", dependencies: [
            "GridwallCore", "GridwallGEOS", "GridwallStore", "GridwallTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "GridwallAnalysisTests", dependencies: [
            "GridwallCore", "GridwallGEOS", "GridwallPROJ", "GridwallAnalysis", "GridwallTestSupport",
        ]),
        // Runs the built `gridwall` binary (swift build --build-tests builds it beside the tests).
        .testTarget(name: "GridwallCLITests", dependencies: ["GridwallCore", "GridwallTestSupport"]),
        .testTarget(name: "GridwallServerTests", dependencies: [
            "GridwallCore", "GridwallGEOS", "GridwallStore", "GridwallServer", "GridwallSample", "GridwallTestSupport",
            .product(name: "Logging", package: "swift-log"),
        ]),
    ]
)
