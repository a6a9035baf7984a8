// swift-tools-version:6.1
import PackageDescription

// OpenCV is linked module by module: the full `opencv4` pkg-config list pulls in about 380 shared
// libraries and costs about 0.3 s at every start-up.
let openCVModules = ["opencv_core", "opencv_imgproc", "opencv_objdetect", "opencv_dnn", "opencv_ml"]

let package = Package(
    name: "emoscan",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "emoscan", targets: ["emoscan"]),
        /// For `Fuzz/`, the fuzzer binary built apart (see `Scripts/fuzz`).
        .library(name: "DecodingFuzzTarget", targets: ["DecodingFuzzTarget"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // swift-configuration support is left out: `serve` is configured by its flags.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // MARK: C and C++ shims

        /// FFmpeg's C libraries, plus inline helpers for the macros Swift cannot import.
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat",
            providers: [
                .apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev", "libswresample-dev", "libavutil-dev"])
            ]
        ),
        /// aubio's pitch trackers (the YIN family), for the F0 of `EmotionFeatures`.
        .systemLibrary(name: "CAubio", pkgConfig: "aubio", providers: [.apt(["libaubio-dev"])]),
        /// OpenBLAS's CBLAS: the matrix products of the Whisper encoder.
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        /// Matrix-vector products over float16 weights, widened with F16C where the CPU has it:
        /// Whisper's decoder step reads its weights from the mapped file in half precision.
        .target(name: "CHalfPrecision"),
        /// OpenCV behind a plain-C header: every call is wrapped in try/catch and returns an error
        /// code, because an exception crossing into Swift would abort the process.
        .target(
            name: "CVShim",
            cxxSettings: [.unsafeFlags(["-I/usr/include/opencv4"])],
            linkerSettings: (openCVModules + ["jpeg"]).map { .linkedLibrary($0) }
        ),

        // MARK: Swift modules, one concern each

        /// The result document and the pipeline's settings: plain values, no C, for every reader.
        .target(name: "Model"),
        /// The Swift side of CVShim shared by Vision and Voice: errors, ONNX networks, OpenCV `ml`
        /// classifiers, threads.
        .target(name: "CVSupport", dependencies: ["CVShim"]),
        .target(
            name: "Media",
            dependencies: [
                "CFFmpeg", "Model",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "Vision",
            dependencies: [
                "Media", "Model", "CVShim", "CVSupport",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "Voice",
            dependencies: [
                "Model", "CVShim", "CVSupport", "CAubio", "COpenBLAS", "CHalfPrecision",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "Pipeline",
            dependencies: [
                "Media", "Model", "Vision", "Voice", "CVSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
                .product(name: "Yams", package: "Yams"),
            ]),
        /// The queue and results index as a protocol (`BatchStore`) with an in-memory driver, and
        /// the results folder: documents written atomically, `summary.csv`.
        .target(
            name: "Store",
            dependencies: [
                "Media", "Model",
                .product(name: "SwiftCSV", package: "SwiftCSV"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        /// The embedded `BatchStore` driver: one SQLite file through GRDB.
        .target(
            name: "SQLiteStore",
            dependencies: [
                "Model", "Store",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        /// The shared `BatchStore` driver for many machines: PostgreSQL through postgres-nio's pooled
        /// client, claims by `FOR UPDATE SKIP LOCKED`, documents as `jsonb`, idle workers woken by `NOTIFY`.
        .target(
            name: "PostgresStore",
            dependencies: [
                "Model", "Store",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        /// The queue's workers and `queue add`: claim, analyse, record; leases and retries.
        .target(
            name: "Batch",
            dependencies: [
                "Media", "Model", "Pipeline", "Store",
                .product(name: "Logging", package: "swift-log"),
            ]),
        /// Scoring the models on labelled corpora: naming schemes, label maps, `emoscan evaluate`'s reports.
        .target(
            name: "Evaluation",
            dependencies: [
                "Media", "Model", "Vision", "Pipeline", "Store",
                .product(name: "Logging", package: "swift-log"),
            ]),
        /// Making emoscan's own voice model: training sets cut as analysis cuts speech, the
        /// classifiers' training, speaker-grouped cross-validation, the model file and its licence.
        .target(name: "Training", dependencies: ["Model", "CVSupport", "Voice", "Pipeline", "Evaluation", "Store"]),
        /// Reports people read: a result as one self-contained HTML page with SVG charts, a batch as
        /// one page with its table; PDF through headless Chromium. Reads results only: Model alone.
        .target(name: "Report", dependencies: ["Model", .product(name: "Mustache", package: "swift-mustache")]),
        /// `emoscan serve`: the HTTP API on Hummingbird, its own workers on the store's queue, `/metrics`.
        .target(
            name: "Server",
            dependencies: [
                "Media", "Model", "Pipeline", "Store", "Batch", "Report",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "emoscan",
            dependencies: [
                "Media", "Model", "Vision", "Voice", "Pipeline", "Store", "SQLiteStore", "PostgresStore", "Batch",
                "Evaluation", "Training", "Server", "Report",
                "CVSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
                .product(name: "Logging", package: "swift-log"),
            ]),

        // MARK: Tests mirror the modules

        .target(name: "TestSupport", dependencies: ["Media"], path: "Tests/TestSupport"),
        /// What every `BatchStore` driver must do: one suite, run against each driver.
        .target(name: "StoreContract", dependencies: ["Store", "Model"], path: "Tests/StoreContract"),
        /// The decoding path as the fuzzer drives it; `MediaTests` replays what the fuzzer kept.
        .target(name: "DecodingFuzzTarget", dependencies: ["Media", "Model"], path: "Tests/Fuzz"),
        .testTarget(name: "CVSupportTests", dependencies: ["CVSupport"]),
        .testTarget(
            name: "MediaTests", dependencies: ["Media", "Model", "TestSupport", "DecodingFuzzTarget"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "VisionTests", dependencies: ["Vision", "Model", "CVSupport", "TestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(
            name: "VoiceTests", dependencies: ["Voice", "Model", "Media", "CVSupport", "TestSupport"],
            resources: [.copy("Fixtures")]),
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Model", "Voice", "TestSupport"]),
        .testTarget(name: "ModelTests", dependencies: ["Model", "Pipeline", "TestSupport"]),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "Store", "Model", "StoreContract", "TestSupport", .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "SQLiteStoreTests",
            dependencies: [
                "SQLiteStore", "Store", "StoreContract", "Model", "Pipeline", "TestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .testTarget(
            name: "PostgresStoreTests",
            dependencies: [
                "PostgresStore", "Store", "StoreContract", "Model", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(
            name: "BatchTests",
            dependencies: ["Batch", "Store", "SQLiteStore", "Model", "Pipeline", "Media", "TestSupport"]),
        .testTarget(
            name: "TrainingTests",
            dependencies: ["Training", "Evaluation", "Model", "Pipeline", "Voice", "TestSupport"]),
        .testTarget(
            name: "EvaluationTests",
            dependencies: [
                "Evaluation", "Model", "Pipeline", "Store", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Model", "Pipeline", "TestSupport"]),
        .testTarget(
            name: "ServerTests",
            dependencies: ["Server", "Model", "Pipeline", "TestSupport", .product(name: "Yams", package: "Yams")]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "TestSupport", "Media", .product(name: "SwiftCSV", package: "SwiftCSV"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
