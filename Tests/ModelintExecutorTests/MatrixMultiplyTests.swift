import Testing
@testable import ModelintExecutor

/// The packed kernel against a naive triple loop, for every operand layout, edge-tile sizes, an empty inner
/// dimension, accumulation, and a product large enough to take the multi-core path.
@Suite struct MatrixMultiplyTests {
    static func random(_ count: Int, seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { _ in generator.nextUniform(from: -1, to: 1) }
    }

    /// C = op(A)·op(B) in double from the stored layouts.
    static func reference(
        m: Int, n: Int, k: Int, a: [Float], _ aLayout: MatrixMultiply.Layout, b: [Float], _ bLayout: MatrixMultiply.Layout
    ) -> [Double] {
        var c = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for kk in 0..<k {
                    let left = aLayout == .normal ? a[i * k + kk] : a[kk * m + i]
                    let right = bLayout == .normal ? b[kk * n + j] : b[j * k + kk]
                    sum += Double(left) * Double(right)
                }
                c[i * n + j] = sum
            }
        }
        return c
    }

    static func product(
        m: Int, n: Int, k: Int, a: [Float], _ aLayout: MatrixMultiply.Layout, b: [Float], _ bLayout: MatrixMultiply.Layout,
        initial: [Float]? = nil
    ) -> [Float] {
        var c = initial ?? [Float](repeating: .nan, count: m * n)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    MatrixMultiply.multiply(m: m, n: n, k: k, a: a, aLayout, b: b, bLayout, c: c, accumulate: initial != nil)
                }
            }
        }
        return c
    }

    @Test(arguments: [(1, 1, 1), (5, 7, 3), (6, 8, 4), (13, 17, 9), (64, 10, 256), (7, 33, 1)])
    func matchesNaiveProductForEveryLayout(_ sizes: (Int, Int, Int)) {
        let (m, n, k) = sizes
        let a = Self.random(m * k, seed: 1), b = Self.random(k * n, seed: 2)
        for aLayout in [MatrixMultiply.Layout.normal, .transposed] {
            for bLayout in [MatrixMultiply.Layout.normal, .transposed] {
                let expected = Self.reference(m: m, n: n, k: k, a: a, aLayout, b: b, bLayout)
                let actual = Self.product(m: m, n: n, k: k, a: a, aLayout, b: b, bLayout)
                for index in expected.indices {
                    #expect(abs(Double(actual[index]) - expected[index]) <= 1e-5 * Double(k), "\(sizes) \(aLayout) \(bLayout) [\(index)]")
                }
            }
        }
    }

    @Test func accumulatesOntoExistingValues() {
        let (m, n, k) = (7, 11, 5)
        let a = Self.random(m * k, seed: 3), b = Self.random(k * n, seed: 4), initial = Self.random(m * n, seed: 5)
        let expected = Self.reference(m: m, n: n, k: k, a: a, .normal, b: b, .normal)
        let actual = Self.product(m: m, n: n, k: k, a: a, .normal, b: b, .normal, initial: initial)
        for index in expected.indices {
            #expect(abs(Double(actual[index]) - (expected[index] + Double(initial[index]))) <= 1e-5)
        }
    }

    @Test func emptyInnerDimensionGivesZerosOrKeepsTheAccumulator() {
        #expect(Self.product(m: 2, n: 3, k: 0, a: [], .normal, b: [], .normal) == [Float](repeating: 0, count: 6))
        let initial: [Float] = [1, 2, 3, 4, 5, 6]
        #expect(Self.product(m: 2, n: 3, k: 0, a: [], .normal, b: [], .normal, initial: initial) == initial)
    }

    /// 96×200×128 crosses the parallel threshold; splitting columns across workers must not change any sum.
    @Test func parallelProductEqualsSerialOrderExactly() {
        let (m, n, k) = (96, 200, 128)
        #expect(m * n * k >= MatrixMultiply.parallelThreshold)
        let a = Self.random(m * k, seed: 6), b = Self.random(k * n, seed: 7)
        let parallel = Self.product(m: m, n: n, k: k, a: a, .normal, b: b, .transposed)
        // The same tiles computed one at a time: a single-row product never takes the parallel path.
        for row in [0, 41, 95] {
            let single = Self.product(m: 1, n: n, k: k, a: Array(a[(row * k)..<((row + 1) * k)]), .normal, b: b, .transposed)
            #expect(Array(parallel[(row * n)..<((row + 1) * n)]) == single)
        }
    }
}
