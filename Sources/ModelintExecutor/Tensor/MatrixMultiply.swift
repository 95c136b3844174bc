import Dispatch
import Foundation

/// Row-major single-precision matrix products for Linear forward and backward.
///
/// The micro-kernel keeps a 4-row × 16-column block of C in SIMD registers and streams one row of B per step
/// of k, so the inner loop is contiguous loads and multiply-adds the optimiser vectorises. Column panels are
/// outermost so a 16-wide panel of B stays in L1 while every row block of A passes over it. Large products are
/// split across cores by column panels (disjoint writes, no reduction needed).
enum MatrixMultiply {
    typealias Vector = SIMD16<Float>
    static let panelWidth = Vector.scalarCount
    static let rowBlock = 4
    /// Below this many multiply-adds the dispatch overhead outweighs a second core.
    static let parallelThreshold = 1 << 20

    /// C[m×n] (+)= A[m×k] · B[k×n]. With `accumulate`, C's current contents are added (bias rows, gradients).
    static func multiply(
        m: Int, n: Int, k: Int,
        a: UnsafeBufferPointer<Float>, b: UnsafeBufferPointer<Float>, c: UnsafeMutableBufferPointer<Float>,
        accumulate: Bool
    ) {
        precondition(a.count == m * k && b.count == k * n && c.count == m * n, "matrix buffer sizes disagree")
        if m == 0 || n == 0 { return }
        if k == 0 {
            if !accumulate { c.update(repeating: 0) }
            return
        }
        multiply(m: m, n: n, k: k, a: a.baseAddress!, b: b.baseAddress!, c: c.baseAddress!, accumulate: accumulate)
    }

    private static func multiply(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
        accumulate: Bool
    ) {
        let panels = (n + panelWidth - 1) / panelWidth
        let workers = m * n * k >= parallelThreshold ? min(ProcessInfo.processInfo.activeProcessorCount, panels) : 1
        if workers <= 1 {
            multiplyPanels(0..<panels, m: m, n: n, k: k, a: a, b: b, c: c, accumulate: accumulate)
            return
        }
        // Pointers cross into the workers as integers: each worker writes a disjoint column range of C.
        let addresses = (a: UInt(bitPattern: a), b: UInt(bitPattern: b), c: UInt(bitPattern: c))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let first = panels * worker / workers
            let last = panels * (worker + 1) / workers
            multiplyPanels(
                first..<last, m: m, n: n, k: k,
                a: UnsafePointer(bitPattern: addresses.a)!, b: UnsafePointer(bitPattern: addresses.b)!,
                c: UnsafeMutablePointer(bitPattern: addresses.c)!, accumulate: accumulate)
        }
    }

    private static func multiplyPanels(
        _ panels: Range<Int>, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
        accumulate: Bool
    ) {
        for panel in panels {
            let column = panel * panelWidth
            if column + panelWidth <= n {
                var row = 0
                while row + rowBlock <= m {
                    fullBlock(row: row, column: column, n: n, k: k, a: a, b: b, c: c, accumulate: accumulate)
                    row += rowBlock
                }
                while row < m {
                    fullRow(row: row, column: column, n: n, k: k, a: a, b: b, c: c, accumulate: accumulate)
                    row += 1
                }
            } else {
                for row in 0..<m {
                    partialRow(row: row, columns: column..<n, n: n, k: k, a: a, b: b, c: c, accumulate: accumulate)
                }
            }
        }
    }

    @inline(__always)
    private static func loadVector(_ pointer: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    private static func storeVector(_ vector: Vector, _ pointer: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(pointer).storeBytes(of: vector, as: Vector.self)
    }

    private static func fullBlock(
        row: Int, column: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, accumulate: Bool
    ) {
        let c0 = c + row * n + column, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n
        var sum0 = accumulate ? loadVector(c0) : Vector()
        var sum1 = accumulate ? loadVector(c1) : Vector()
        var sum2 = accumulate ? loadVector(c2) : Vector()
        var sum3 = accumulate ? loadVector(c3) : Vector()
        let a0 = a + row * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k
        var bRow = b + column
        for index in 0..<k {
            let bVector = loadVector(bRow)
            sum0 += a0[index] * bVector
            sum1 += a1[index] * bVector
            sum2 += a2[index] * bVector
            sum3 += a3[index] * bVector
            bRow += n
        }
        storeVector(sum0, c0)
        storeVector(sum1, c1)
        storeVector(sum2, c2)
        storeVector(sum3, c3)
    }

    private static func fullRow(
        row: Int, column: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, accumulate: Bool
    ) {
        let cRow = c + row * n + column
        var sum = accumulate ? loadVector(cRow) : Vector()
        let aRow = a + row * k
        var bRow = b + column
        for index in 0..<k {
            sum += aRow[index] * loadVector(bRow)
            bRow += n
        }
        storeVector(sum, cRow)
    }

    private static func partialRow(
        row: Int, columns: Range<Int>, n: Int, k: Int,
        a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, accumulate: Bool
    ) {
        let aRow = a + row * k
        for column in columns {
            var sum: Float = accumulate ? c[row * n + column] : 0
            for index in 0..<k { sum += aRow[index] * b[index * n + column] }
            c[row * n + column] = sum
        }
    }

    /// `destination[j×rows + i] = source[i×columns + j]`: backward needs Wᵀ and dYᵀ as contiguous rows.
    static func transpose(_ source: [Float], rows: Int, columns: Int) -> [Float] {
        precondition(source.count == rows * columns, "transpose size disagrees")
        return [Float](unsafeUninitializedCapacity: rows * columns) { buffer, initialized in
            source.withUnsafeBufferPointer { source in
                if let from = source.baseAddress, let to = buffer.baseAddress {
                    transpose(rows: rows, columns: columns, source: from, destination: to)
                }
            }
            initialized = rows * columns
        }
    }

    private static func transpose(
        rows: Int, columns: Int, source: UnsafePointer<Float>, destination: UnsafeMutablePointer<Float>
    ) {
        let tile = 32
        var rowStart = 0
        while rowStart < rows {
            let rowEnd = min(rowStart + tile, rows)
            var columnStart = 0
            while columnStart < columns {
                let columnEnd = min(columnStart + tile, columns)
                for i in rowStart..<rowEnd {
                    for j in columnStart..<columnEnd { destination[j * rows + i] = source[i * columns + j] }
                }
                columnStart = columnEnd
            }
            rowStart = rowEnd
        }
    }
}
