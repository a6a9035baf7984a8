// swift-tools-version:6.0
import PackageDescription

// The fuzzer binary, apart from the main package: it links libFuzzer, which only a build with
// `-sanitize=fuzzer` can. `Scripts/fuzz` builds and runs it.
let package = Package(
    name: "emoscan-fuzz",
    dependencies: [.package(name: "emoscan", path: "..")],
    targets: [
        .target(name: "CFuzzer"),
        .executableTarget(name: "fuzz-decoding", dependencies: [
            "CFuzzer", .product(name: "DecodingFuzzTarget", package: "emoscan"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
