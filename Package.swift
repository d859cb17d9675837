// swift-tools-version:6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny")
]

let package = Package(
    name: "anvil",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "anvil", targets: ["anvil"]),
        .library(name: "AnvilCore", targets: ["AnvilCore"]),
        .library(name: "AnvilStore", targets: ["AnvilStore"]),
        .library(name: "AnvilProviders", targets: ["AnvilProviders"]),
        .library(name: "AnvilServer", targets: ["AnvilServer"]),
        .library(name: "AnvilPluginKit", targets: ["AnvilPluginKit"]),
        .library(name: "RAGSearch", targets: ["RAGSearch"]),
        .executable(name: "anvil-bench-retrieval", targets: ["anvil-bench-retrieval"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/vapor/postgres-kit.git", from: "2.17.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "4.1.0"..<"6.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/mattpolzin/OpenAPIKit.git", from: "6.4.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-async-algorithms.git", from: "1.1.4"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk.git", exact: "0.12.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", exact: "1.0.2"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
    ],
    targets: [
        .target(
            name: "AnvilCore",
            dependencies: [
                .product(name: "Logging", package: "swift-log")
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AnvilStore",
            dependencies: [
                "AnvilCore",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
                .product(name: "PostgresKit", package: "postgres-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AnvilProviders",
            dependencies: [
                "AnvilCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AnvilPluginKit",
            dependencies: [
                "AnvilCore",
                "AnvilStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AnvilServer",
            dependencies: [
                "AnvilCore",
                "AnvilStore",
                "AnvilProviders",
                "AnvilPluginKit",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "anvil",
            dependencies: [
                "AnvilCore",
                "AnvilPluginKit",
                "AnvilStore",
                "AnvilServer",
                "ManifestTools",
                "Memory",
                "Notes",
                "RAGSearch",
                "WebBrowse",
                "Calendar",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "AnvilTestSupport",
            dependencies: [
                "AnvilCore",
                "AnvilStore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/AnvilTestSupport",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "PromptExtractionCases",
            dependencies: ["AnvilCore"],
            path: "Tests/PromptExtractionCases",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "anvil-bench-prompts",
            dependencies: ["AnvilCore", "PromptExtractionCases"],
            path: "Benchmarks/PromptBench",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "anvil-bench-upstream",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/BenchUpstream",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AnvilCoreTests",
            dependencies: ["AnvilCore", "PromptExtractionCases"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AnvilProvidersTests",
            dependencies: [
                "AnvilProviders",
                "AnvilTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AnvilStoreTests",
            dependencies: ["AnvilStore", "AnvilTestSupport"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AnvilServerTests",
            dependencies: [
                "AnvilServer",
                "AnvilPluginKit",
                "Memory",
                "Notes",
                "RAGSearch",
                "AnvilTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
            ],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "CCurl",
            path: "Plugins/CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            path: "Plugins/CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(
            name: "WebBrowse",
            dependencies: [
                "AnvilCore",
                "AnvilPluginKit",
                "CCurl",
                "CLibXML2",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Plugins/WebBrowse",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ManifestTools",
            dependencies: [
                "AnvilCore",
                "AnvilPluginKit",
                "AnvilProviders",
                "WebBrowse",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            path: "Plugins/ManifestTools",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ManifestToolsTests",
            dependencies: [
                "ManifestTools",
                "AnvilPluginKit",
                "AnvilServer",
                "AnvilStore",
                "AnvilTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "RAGSearch",
            dependencies: [
                "AnvilCore",
                "AnvilPluginKit",
                "AnvilStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            path: "Plugins/RAGSearch",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RAGSearchTests",
            dependencies: ["RAGSearch", "AnvilTestSupport"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Notes",
            dependencies: [
                "AnvilCore",
                "AnvilPluginKit",
                "AnvilStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            path: "Plugins/Notes",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Memory",
            dependencies: [
                "AnvilCore",
                "AnvilPluginKit",
                "AnvilStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            path: "Plugins/Memory",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "anvil-bench-retrieval",
            dependencies: [
                "AnvilCore",
                "AnvilStore",
                "AnvilProviders",
                "RAGSearch",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/Retrieval",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Calendar",
            dependencies: [
                "AnvilCore",
                "AnvilPluginKit",
                "AnvilStore",
                "WebBrowse",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            path: "Plugins/Calendar",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "CalendarTests",
            dependencies: [
                "Calendar",
                "AnvilCore",
                "AnvilPluginKit",
                "AnvilServer",
                "AnvilStore",
                "AnvilTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "WebBrowseTests",
            dependencies: [
                "WebBrowse",
                "AnvilProviders",
                "AnvilTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
