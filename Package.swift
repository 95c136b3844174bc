// swift-tools-version:6.0
// modelint: a linter for PyTorch train/eval mode misuse. No third-party packages, by design.
import PackageDescription

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
        .target(name: "ModelintSyntax"),
        // evidence: tensors, Dropout/BatchNorm kernels, optimizers, scenario runner. No parser dependency.
        .target(name: "ModelintExecutor"),
        // semantics + dataflow: program loading, import resolution, module tracking, CFG, mode analysis.
        .target(name: "ModelintAnalysis", dependencies: ["ModelintSyntax"]),
        // rules: the engine, the registry and one file per rule.
        .target(name: "ModelintRules", dependencies: ["ModelintAnalysis"]),
        // reporting: text, concise and JSON output of findings.
        .target(name: "ModelintReporting", dependencies: ["ModelintRules"]),
        // CLI: the subcommands (`ast`, `simulate`, ...) as a library so tests can drive them in-process.
        .target(name: "ModelintCLI", dependencies: [
            "ModelintSyntax", "ModelintAnalysis", "ModelintRules", "ModelintReporting", "ModelintExecutor",
        ]),
        // runtime: the size-class allocator that replaces malloc in the `modelint` binary (and the tests).
        .target(name: "ModelintAllocator"),
        .executableTarget(name: "modelint", dependencies: ["ModelintCLI", "ModelintAllocator"]),
        // Benchmarks, side by side with other tools; see docs/performance.md.
        .executableTarget(name: "modelint-bench", dependencies: ["ModelintSyntax", "ModelintExecutor"]),
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
