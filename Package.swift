// swift-tools-version:6.0
// modelint: a linter for PyTorch train/eval mode misuse. No third-party packages, by design.
import PackageDescription

/// Release builds on Linux carry the Swift runtime and Foundation inside the binary (see docs/performance.md).
/// Modules are compiled against the static runtime's module files, whose link entries name Foundation's own
/// dependencies; lld links, as it does not repeat glibc's link-time notes about functions Foundation uses.
let staticRuntime = BuildSettingCondition.when(platforms: [.linux], configuration: .release)
let staticCompile: [SwiftSetting] = [.unsafeFlags(["-static-stdlib"], staticRuntime)]
let staticLink: [LinkerSetting] = [.unsafeFlags(["-static-stdlib", "-use-ld=lld"], staticRuntime)]

let package = Package(
    name: "modelint",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "modelint", targets: ["modelint"]),
        .library(name: "ModelintSyntax", targets: ["ModelintSyntax"]),
        .library(name: "ModelintExecutor", targets: ["ModelintExecutor"]),
    ],
    targets: [
        // syntax: source buffer, lexer, parser, AST, syntax diagnostics.
        .target(name: "ModelintSyntax", swiftSettings: staticCompile),
        // evidence: tensors, Dropout/BatchNorm kernels, optimizers, scenario runner. No parser dependency.
        .target(name: "ModelintExecutor", swiftSettings: staticCompile),
        // semantics + dataflow: program loading, import resolution, module tracking, CFG, mode analysis.
        .target(name: "ModelintAnalysis", dependencies: ["ModelintSyntax"], swiftSettings: staticCompile),
        // rules: the engine, the registry and one file per rule.
        .target(name: "ModelintRules", dependencies: ["ModelintAnalysis"], swiftSettings: staticCompile),
        // reporting: text, concise and JSON output of findings.
        .target(name: "ModelintReporting", dependencies: ["ModelintRules"], swiftSettings: staticCompile),
        // CLI: the subcommands (`ast`, `simulate`, ...) as a library so tests can drive them in-process.
        .target(name: "ModelintCLI", dependencies: [
            "ModelintSyntax", "ModelintAnalysis", "ModelintRules", "ModelintReporting", "ModelintExecutor",
        ], swiftSettings: staticCompile),
        // runtime: the size-class allocator that replaces malloc in the `modelint` binary (and the tests).
        .target(name: "ModelintAllocator"),
        .executableTarget(name: "modelint", dependencies: ["ModelintCLI", "ModelintAllocator"],
                          swiftSettings: staticCompile, linkerSettings: staticLink),
        // Benchmarks, side by side with other tools; see docs/performance.md.
        .executableTarget(name: "modelint-bench", dependencies: ["ModelintSyntax", "ModelintExecutor"],
                          swiftSettings: staticCompile, linkerSettings: staticLink),
        .testTarget(name: "ModelintSyntaxTests", dependencies: ["ModelintSyntax"]),
        .testTarget(name: "ModelintExecutorTests", dependencies: ["ModelintExecutor"]),
        .testTarget(name: "ModelintAnalysisTests", dependencies: ["ModelintAnalysis"]),
        // Linked into the one test executable, the allocator serves the whole suite, not just its own tests.
        .testTarget(name: "ModelintAllocatorTests", dependencies: ["ModelintAllocator"]),
        .testTarget(name: "ModelintRulesTests", dependencies: ["ModelintRules", "ModelintReporting"]),
        .testTarget(name: "ModelintCLITests", dependencies: [
            "ModelintCLI", "ModelintExecutor", "ModelintReporting", "ModelintRules", "ModelintSyntax",
        ]),
    ],
    swiftLanguageModes: [.v6]
)
