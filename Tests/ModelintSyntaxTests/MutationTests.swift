// Mutation test: real stdlib files with bytes deleted, inserted and swapped. Every mutant must go
// through decode + lex + parse (and the JSON dump, when it parses) without crashing, and every
// diagnostic must point inside the file. Deterministic: fixed seeds, our own RNG.
import Foundation
import Testing
import ModelintSyntax

/// SplitMix64: tiny, fast, and the same sequence on every platform and Swift version (the syntax tests' one
/// seeded generator).
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<bound (bound > 0); the modulo bias is irrelevant here.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

@Suite
struct MutationTests {
    static let mutantsPerFile = 100
    static let fileCount = 220
    /// Bytes that steer the lexer and parser into their interesting states.
    static let alphabet = Array("()[]{}:;,.'\"\\#\n\r\t fbru{}=!*@-+<>%0123456789xe_\u{0}".utf8) + [0x80, 0xC3, 0xE2, 0xFF]

    /// Small stdlib files (0.4-2 KB), spread evenly over the sorted list so every package contributes.
    static func corpus() throws -> [(path: String, bytes: [UInt8])] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let root = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, !root.isEmpty else { return [] }

        var candidates: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            if relative.hasPrefix("site-packages") { enumerator?.skipDescendants(); continue }
            guard relative.hasSuffix(".py") else { continue }
            let size = (try? FileManager.default.attributesOfItem(atPath: root + "/" + relative)[.size] as? Int) ?? 0
            if (400...2_000).contains(size) { candidates.append(root + "/" + relative) }
        }
        candidates.sort()
        let stride = max(1, candidates.count / fileCount)
        return Swift.stride(from: 0, to: candidates.count, by: stride).prefix(fileCount).compactMap { index in
            FileManager.default.contents(atPath: candidates[index]).map { (candidates[index], [UInt8]($0)) }
        }
    }

    static func mutate(_ original: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = original
        for _ in 0...rng.below(3) {
            switch rng.below(3) {
            case 0 where !bytes.isEmpty:
                let start = rng.below(bytes.count)
                let length = min(bytes.count - start, 1 + rng.below(rng.below(4) == 0 ? 40 : 3))
                bytes.removeSubrange(start..<start + length)
            case 1:
                let byte = rng.below(4) == 0 ? UInt8(truncatingIfNeeded: rng.next()) : alphabet[rng.below(alphabet.count)]
                bytes.insert(byte, at: rng.below(bytes.count + 1))
            default:
                guard bytes.count > 1 else { continue }
                let i = rng.below(bytes.count)
                // Mostly nearby swaps (transposed characters), sometimes far apart.
                let j = rng.below(2) == 0 ? min(bytes.count - 1, i + 1 + rng.below(8)) : rng.below(bytes.count)
                bytes.swapAt(i, j)
            }
        }
        return bytes
    }

    @Test func mutantsNeverCrashAndErrorsPointInsideTheFile() throws {
        let files = try Self.corpus()
        try #require(files.count >= 200, "found only \(files.count) small stdlib files")

        let outcomes = OutcomeTable(files.count)
        DispatchQueue.concurrentPerform(iterations: files.count) { fileIndex in
            var rng = SplitMix64(seed: 0x6D6F_6465_6C69_6E74 ^ UInt64(fileIndex))
            var outcome = Outcome()
            for mutantIndex in 0..<Self.mutantsPerFile {
                let mutant = Self.mutate(files[fileIndex].bytes, &rng)
                let result = FrontEndResult(mutant)
                if result.diagnostics.isEmpty {
                    outcome.accepted += 1
                    if let module = result.module, let source = result.source {
                        outcome.jsonBytes += ASTJSON.encode(module, in: source, style: .compact).count
                    }
                } else {
                    outcome.rejected += 1
                }
                for problem in result.positionProblems(rawBytes: mutant) where outcome.problems.count < 5 {
                    outcome.problems.append("\(files[fileIndex].path) mutant \(mutantIndex): \(problem)")
                }
            }
            outcomes.set(fileIndex, outcome)
        }

        let all = outcomes.all
        let mutants = all.reduce(0) { $0 + $1.accepted + $1.rejected }
        print("mutation test: \(files.count) files, \(mutants) mutants, \(all.reduce(0) { $0 + $1.accepted }) still parse")
        #expect(mutants >= 20_000)
        // Both paths must be exercised: mostly rejected, but plenty still valid Python.
        #expect(all.reduce(0) { $0 + $1.rejected } > mutants / 4)
        #expect(all.reduce(0) { $0 + $1.accepted } > mutants / 50)
        #expect(all.reduce(0) { $0 + $1.jsonBytes } > 0)
        for problem in all.flatMap(\.problems).prefix(20) {
            Issue.record(Comment(rawValue: problem))
        }
    }
}

struct Outcome: Sendable {
    var accepted = 0
    var rejected = 0
    var jsonBytes = 0
    var problems: [String] = []
}

/// One slot per file, each written by exactly one concurrentPerform iteration, in raw memory.
final class OutcomeTable: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<Outcome>

    init(_ count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: Outcome())
    }

    deinit {
        slots.baseAddress?.deinitialize(count: slots.count)
        slots.deallocate()
    }

    func set(_ index: Int, _ outcome: Outcome) { slots[index] = outcome }

    var all: [Outcome] { Array(slots) }
}
