// swift-tools-version:6.0
import PackageDescription

// The fuzzer binary, apart from the main package: libFuzzer brings its own `main`, which only a
// build with `-sanitize=fuzzer` links. `Scripts/fuzz` builds and runs it.
let package = Package(
    name: "emoscan-fuzz",
    dependencies: [.package(name: "emoscan", path: "..")],
    targets: [
        .executableTarget(name: "fuzz-decoding", dependencies: [.product(name: "DecodingFuzzTarget", package: "emoscan")]),
    ],
    swiftLanguageModes: [.v6]
)
