// swift-tools-version:6.0
// bandcamp-tracker: Bandcamp's live sales feed turned into a warehouse, reports, alerts and a dashboard,
// as Swift functions on AWS Lambda's custom runtime.
import PackageDescription

/// Every target of ours builds in the Swift 6 language mode (complete concurrency checking).
let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "bandcamp-tracker",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ExtractFunction", targets: ["ExtractFunction"]),
        .executable(name: "LoadFunction", targets: ["LoadFunction"]),
        .executable(name: "ReportFunction", targets: ["ReportFunction"]),
        .executable(name: "AlertFunction", targets: ["AlertFunction"]),
        .executable(name: "UnsubscribeFunction", targets: ["UnsubscribeFunction"]),
        .executable(name: "DashboardFunction", targets: ["DashboardFunction"]),
        .executable(name: "BackfillFunction", targets: ["BackfillFunction"]),
        .executable(name: "ChartsFunction", targets: ["ChartsFunction"]),
        .executable(name: "lambda-emulator", targets: ["LambdaEmulator"]),
        .executable(name: "bandcamp-replay", targets: ["BandcampReplay"]),
        .library(name: "RuntimeShim", targets: ["RuntimeShim"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // C libraries of the system, each behind a module map and a shim header.
        .systemLibrary(
            name: "CCurl",
            path: "Sources/System/CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            path: "Sources/System/CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "CLibPQ",
            path: "Sources/System/CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),

        .systemLibrary(
            name: "CHaru",
            path: "Sources/System/CHaru",
            providers: [.apt(["libhpdf-dev"])]
        ),
        .systemLibrary(
            name: "CZlib",
            path: "Sources/System/CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // gzip on zlib, for raw objects.
        .target(
            name: "Gzip",
            dependencies: ["CZlib"],
            path: "Sources/Libraries/Gzip",
            swiftSettings: strict
        ),

        // Percent-encoding, one implementation for every module (no dependencies: the runtime shim uses it).
        .target(
            name: "PercentEncoding",
            path: "Sources/Libraries/PercentEncoding",
            swiftSettings: strict
        ),

        // The events Lambda hands our functions: EventBridge's Scheduled and Object Created events, and function
        // URL requests and responses (payload 2.0).
        .target(
            name: "LambdaEvents",
            dependencies: ["PercentEncoding"],
            path: "Sources/Libraries/LambdaEvents",
            swiftSettings: strict
        ),

        // A small HTTP client on libcurl: blocking and async calls, timeouts, connection reuse.
        .target(
            name: "HTTPClient",
            dependencies: ["CCurl"],
            path: "Sources/Libraries/HTTPClient",
            swiftSettings: strict
        ),

        // AWS on libcurl: our SigV4 signer, S3, SES v2, SNS, Secrets Manager, with typed errors and retries.
        .target(
            name: "AWS",
            dependencies: [
                "HTTPClient", "Markup", "PercentEncoding",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Libraries/AWS",
            swiftSettings: strict
        ),
        // XML and HTML on libxml2.
        .target(
            name: "Markup",
            dependencies: ["CLibXML2"],
            path: "Sources/Libraries/Markup",
            swiftSettings: strict
        ),
        // The object store, mailer and notifier behind small protocols, each with an AWS and a local
        // implementation, chosen by the settings.
        .target(
            name: "Adapters",
            dependencies: [
                "RuntimeShim",
                "Configuration",
                "AWS", "Tracker", "PercentEncoding",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/Pipeline/Adapters",
            swiftSettings: strict
        ),

        // PostgreSQL through libpq: parameterised queries, transactions, COPY, off the cooperative pool.
        .target(
            name: "Postgres",
            dependencies: [
                "CLibPQ",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/Libraries/Postgres",
            swiftSettings: strict
        ),

        // Extract: the sales feed followed into raw objects, and release pages read and stored.
        .target(
            name: "Extract",
            dependencies: [
                "Configuration", "RuntimeShim", "LambdaEvents", "AWS",
                "Tracker", "Adapters", "HTTPClient", "Gzip", "Markup", "PercentEncoding",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Pipeline/Extract",
            swiftSettings: strict
        ),

        // Load: raw objects into the PostgreSQL warehouse (schema migrations, streaming loader, sweep).
        .target(
            name: "Warehouse",
            dependencies: [
                "RuntimeShim", "LambdaEvents", "AWS",
                "Configuration",
                "Tracker", "Adapters", "Postgres", "Gzip",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Pipeline/Warehouse",
            swiftSettings: strict
        ),

        // PDF documents on libharu: A4 pages, embedded TrueType fonts (a CJK face for those scripts), shapes.
        .target(
            name: "PDF",
            dependencies: ["CHaru"],
            path: "Sources/Libraries/PDF",
            swiftSettings: strict
        ),
        // Trends: the statistics of rising genres and artists (exact rate-ratio tests, empirical-Bayes
        // shrinkage, overdispersion, false discovery control). Pure: no I/O.
        .target(
            name: "Trends",
            path: "Sources/Domain/Trends",
            swiftSettings: strict
        ),
        // The read model: every figure the report, the alerts and the dashboard show, read from the warehouse
        // (the day's report, the analysis, the trend rules' counts, the dashboard's rankings and charts).
        .target(
            name: "ReadModel",
            dependencies: ["Tracker", "Trends", "Postgres", "PercentEncoding"],
            path: "Sources/Pipeline/ReadModel",
            swiftSettings: strict
        ),
        // Alerts: the trend rules run on the warehouse's counts, signals recorded, matched to subscriptions and
        // delivered by email and SNS.
        .target(
            name: "Alerts",
            dependencies: [
                "Configuration", "RuntimeShim", "LambdaEvents", "Warehouse",
                "Tracker", "Adapters", "Postgres", "Trends", "ReadModel", "PercentEncoding",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Pipeline/Alerts",
            swiftSettings: strict
        ),
        // Report: the day's figures read from the warehouse, drawn as a PDF, stored and mailed to subscribers.
        .target(
            name: "Report",
            dependencies: [
                "Configuration", "RuntimeShim", "LambdaEvents", "Warehouse",
                "Tracker", "Adapters", "Postgres", "PDF", "ReadModel", "Gzip",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Pipeline/Report",
            swiftSettings: strict
        ),

        // The dashboard: pages rendered on the server from the warehouse (inline SVG charts, a world map), the
        // sign-in, the sign-up with double opt-in, the confirmation and unsubscribe pages.
        .target(
            name: "Dashboard",
            dependencies: [
                "Configuration", "RuntimeShim",
                "Tracker", "Adapters", "Postgres", "Warehouse", "ReadModel", "Trends", "PercentEncoding",
                "LambdaEvents",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Pipeline/Dashboard",
            swiftSettings: strict
        ),

        // Symbols that keep a bootstrap built on Debian 12 within Amazon Linux 2023's glibc (see hypotf.c).
        .target(name: "GlibcCompat", path: "Sources/System/GlibcCompat"),

        // Our own client of the Lambda Runtime API, run loop, context, logging and local invocation. It speaks
        // HTTP to the Runtime API itself: linking libcurl alone would cost ~6.5 ms of every cold start.
        .target(
            name: "RuntimeShim",
            dependencies: [
                "PercentEncoding",
                "GlibcCompat",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),

        // Every setting of every function, typed and checked at start-up, each bad one named. Pure.
        .target(
            name: "Configuration",
            path: "Sources/Domain/Configuration",
            swiftSettings: strict
        ),
        // The domain: the feed, sale rows, CSV, Components' rows, Spotify's charts, money and how figures are
        // written. It imports no I/O module.
        .target(
            name: "Tracker",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            path: "Sources/Domain/Tracker",
            swiftSettings: strict
        ),

        // The pipeline's functions: each main.swift wires configuration to a handler.
        .executableTarget(
            name: "ExtractFunction",
            dependencies: ["RuntimeShim", "Extract"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "LoadFunction",
            dependencies: ["RuntimeShim", "Warehouse"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "ReportFunction",
            dependencies: ["RuntimeShim", "Report"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "AlertFunction",
            dependencies: ["RuntimeShim", "Alerts"],
            swiftSettings: strict
        ),

        // The unsubscribe page behind a Lambda function URL (the reports' and alerts' links).
        .executableTarget(
            name: "UnsubscribeFunction",
            dependencies: ["RuntimeShim", "Dashboard"],
            swiftSettings: strict
        ),
        // The dashboard behind its function URL (and, locally, `--serve 127.0.0.1:8080`).
        .executableTarget(
            name: "DashboardFunction",
            dependencies: ["RuntimeShim", "Dashboard"],
            swiftSettings: strict
        ),

        // The backfill of Components' dataset (CSV under backfill/), in resumable chunks.
        .executableTarget(
            name: "BackfillFunction",
            dependencies: ["RuntimeShim", "Warehouse"],
            swiftSettings: strict
        ),

        // Spotify's chart exports (CSV under charts/) into the chart tables.
        .executableTarget(
            name: "ChartsFunction",
            dependencies: ["RuntimeShim", "Warehouse"],
            swiftSettings: strict
        ),

        // A local HTTP/1.1 server on SwiftNIO for tests, local peers (Runtime API, Bandcamp stand-in)
        // and local serving. Never part of a deployed function.
        .target(
            name: "LocalHTTPServer",
            dependencies: [
                "PercentEncoding",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Sources/Tools/LocalHTTPServer",
            swiftSettings: strict
        ),
        // A local implementation of the Lambda Runtime API (and the bit of the Extensions API we use).
        .target(
            name: "RuntimeEmulator",
            dependencies: ["LocalHTTPServer", "PercentEncoding"],
            path: "Sources/Tools/RuntimeEmulator",
            swiftSettings: strict
        ),
        // `lambda-emulator`: runs a function binary under the local Runtime API, for people.
        .executableTarget(
            name: "LambdaEmulator",
            dependencies: [
                "RuntimeEmulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/Tools/LambdaEmulator",
            swiftSettings: strict
        ),
        // `bandcamp-replay`: recorded sales served as Bandcamp's feed on 127.0.0.1, for offline runs.
        .executableTarget(
            name: "BandcampReplay",
            dependencies: [
                "LocalHTTPServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/Tools/BandcampReplay",
            swiftSettings: strict
        ),
        // `pipeline-bench`: the benchmarks' data generator and the pipeline's own code timed (feed parsing).
        .executableTarget(
            name: "PipelineBench",
            dependencies: [
                "Tracker", "Extract", "Gzip",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/Tools/PipelineBench",
            swiftSettings: strict
        ),
        // libFuzzer's entry into the parsers of outside values (feed, page, CSV, chart, HTTP head). Built only by
        // scripts/fuzz, with -sanitize=fuzzer -parse-as-library (libFuzzer brings main).
        .executableTarget(
            name: "FuzzParsers",
            dependencies: ["Extract", "RuntimeShim", "Tracker"],
            path: "Sources/Tools/FuzzParsers",
            swiftSettings: strict
        ),
        // A trivial function, the subject of the runtime benchmark.
        .executableTarget(
            name: "EchoFunction",
            dependencies: ["RuntimeShim"],
            swiftSettings: strict
        ),
        // The runtime benchmark: cold start, peak RSS, invocations per second.
        .executableTarget(
            name: "RuntimeBench",
            dependencies: [
                "RuntimeEmulator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/Tools/RuntimeBench",
            swiftSettings: strict
        ),

        // Helpers that tests share: a moto_server for each test process.
        .target(
            name: "TestSupport",
            dependencies: ["AWS", "HTTPClient", "LocalHTTPServer", "Postgres", "Warehouse"],
            path: "Tests/TestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "HTTPClientTests",
            dependencies: ["HTTPClient", "LocalHTTPServer"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "RuntimeShimTests",
            dependencies: [
                "RuntimeShim", "RuntimeEmulator", "LocalHTTPServer", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AWSTests",
            dependencies: ["AWS", "HTTPClient", "LocalHTTPServer", "TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AdaptersTests",
            dependencies: ["Adapters", "AWS", "Tracker", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ExtractTests",
            dependencies: ["Extract", "Adapters", "Tracker", "HTTPClient", "Gzip", "TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PostgresTests",
            dependencies: ["Postgres", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "WarehouseTests",
            dependencies: [
                "Warehouse", "Postgres", "Adapters", "Tracker", "Gzip", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ReportTests",
            dependencies: [
                "Report", "ReadModel", "PDF", "Warehouse", "Postgres", "Adapters", "AWS", "Tracker", "TestSupport",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "DashboardTests",
            dependencies: [
                "Dashboard", "ReadModel", "LambdaEvents", "Warehouse", "Postgres", "Adapters", "Tracker", "Alerts",
                "AWS", "HTTPClient", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TrendsTests",
            dependencies: ["Trends"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "AlertsTests",
            dependencies: [
                "Alerts", "ReadModel", "Trends", "Warehouse", "Postgres", "Adapters", "AWS", "Tracker", "TestSupport",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ConfigurationTests",
            dependencies: ["Configuration"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "LambdaEventsTests",
            dependencies: ["LambdaEvents"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "GzipTests",
            dependencies: ["Gzip"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "MarkupTests",
            dependencies: ["Markup"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "PercentEncodingTests",
            dependencies: ["PercentEncoding"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TrackerTests",
            dependencies: ["Tracker"],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "SystemLibraryTests",
            dependencies: ["CCurl", "CLibXML2", "CLibPQ"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "HandlerTests",
            dependencies: [
                "Extract", "Warehouse", "Report", "Alerts", "Dashboard", "RuntimeShim", "LambdaEvents", "Tracker",
                "Gzip", "Postgres", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "FunctionTests",
            dependencies: [
                "RuntimeEmulator", "TestSupport", "Postgres", "HTTPClient",
                // Built before the tests that run them as child processes.
                "ExtractFunction", "LoadFunction", "ReportFunction", "AlertFunction", "UnsubscribeFunction",
                "DashboardFunction", "BackfillFunction", "ChartsFunction", "EchoFunction", "LambdaEmulator",
            ],
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
    ]
)
