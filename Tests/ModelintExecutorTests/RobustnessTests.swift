import Testing
import ModelintExecutor

/// Mutated fixture scenarios (truncated, numbers swapped for edge values, brackets doubled) must produce a
/// result, a PyTorch error or a malformed-scenario error, never a crash: a trap here kills the test process.
@Suite struct RobustnessTests {
    static let replacements = ["0", "1", "-1", "2", "3", "1.5", "-0.0", "null", "true", "\"x\"", "[]", "[[1]]", "NaN"]

    /// Byte offsets where a number literal starts.
    static func numberStarts(_ bytes: [UInt8]) -> [Int] {
        bytes.indices.filter { index in
            let byte = bytes[index]
            let startsNumber = byte == UInt8(ascii: "-") || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            let previous = index > 0 ? bytes[index - 1] : 0
            return startsNumber && (previous == UInt8(ascii: " ") || previous == UInt8(ascii: "[") || previous == UInt8(ascii: ":"))
        }
    }

    static func numberEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var end = start + 1
        while end < bytes.count, !",]} ".utf8.contains(bytes[end]) { end += 1 }
        return end
    }

    @Test(arguments: Fixtures.names.filter { !$0.hasPrefix("initialization") })
    func mutatedScenariosNeverCrash(_ name: String) throws {
        let bytes = try Fixtures.scenarioBytes(name)
        var generator = SeededGenerator(seed: UInt64(bytes.count))
        var variants: [[UInt8]] = []
        for _ in 0..<6 {
            variants.append(Array(bytes[..<Int(generator.next() % UInt64(bytes.count))]))
        }
        let starts = Self.numberStarts(bytes)
        for _ in 0..<30 where !starts.isEmpty {
            let start = starts[Int(generator.next() % UInt64(starts.count))]
            let end = Self.numberEnd(bytes, from: start)
            let replacement = Self.replacements[Int(generator.next() % UInt64(Self.replacements.count))]
            variants.append(Array(bytes[..<start]) + Array(replacement.utf8) + Array(bytes[end...]))
        }
        for _ in 0..<4 {
            let index = Int(generator.next() % UInt64(bytes.count))
            variants.append(Array(bytes[..<index]) + Array("]".utf8) + Array(bytes[index...]))
        }
        for variant in variants {
            do {
                _ = try ScenarioRunner.run(try ScenarioDecoder.decode(variant))
            } catch let error as ScenarioError {
                #expect(!error.description.isEmpty)
            } catch let error as SimulationError {
                switch error {
                case .invalidScenario(let problem): #expect(!problem.path.isEmpty)
                case .torch(let problem): #expect(!problem.message.isEmpty)
                }
            }
        }
    }
}
