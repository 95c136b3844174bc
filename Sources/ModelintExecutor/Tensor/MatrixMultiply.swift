import Dispatch
import Foundation

/// Row-major single-precision matrix products for Linear forward and backward.
///
/// GotoBLAS-style: A is packed into blocks of `rowTile` rows and B into panels of `columnTile` columns, both
/// k-major and zero-padded, so the micro-kernel streams two contiguous buffers and keeps a 6×8 tile of C in
/// registers (12 SSE registers of accumulators, which the baseline x86-64 target has 16 of). Packing also
/// absorbs transposition — Wᵀ in forward, dYᵀ for the weight gradient — and keeps power-of-two strides from
/// thrashing L1 sets. Large products split column panels across cores: disjoint writes, no reduction.
/// Every C element is summed over k in order, so the result does not depend on the number of workers.
enum MatrixMultiply {
    typealias Vector = SIMD8<Float>
    static let rowTile = 6
    static let columnTile = Vector.scalarCount
    /// Below this many multiply-adds the dispatch overhead outweighs a second core.
    static let parallelThreshold = 1 << 19
    static let chunksPerWorker = 4
    /// Cores a product may use: all active ones, or `MODELINT_THREADS` when set (benchmarks pin it to compare
    /// with a PyTorch limited by `torch.set_num_threads`). Read once, at the first product.
    static let maximumWorkers: Int = {
        if let text = ProcessInfo.processInfo.environment["MODELINT_THREADS"], let count = Int(text), count > 0 {
            return count
        }
        return ProcessInfo.processInfo.activeProcessorCount
    }()

    /// How an operand is stored: `.normal` holds the logical rows×columns matrix row-major, `.transposed` holds
    /// its transpose (columns×rows) row-major.
    enum Layout {
        case normal, transposed
    }

    /// C[m×n] (+)= A[m×k] · B[k×n]. With `accumulate`, C's current contents are added (bias rows, gradients).
    static func multiply(
        m: Int, n: Int, k: Int,
        a: UnsafeBufferPointer<Float>, _ aLayout: Layout,
        b: UnsafeBufferPointer<Float>, _ bLayout: Layout,
        c: UnsafeMutableBufferPointer<Float>, accumulate: Bool
    ) {
        precondition(a.count == m * k && b.count == k * n && c.count == m * n, "matrix buffer sizes disagree")
        if m == 0 || n == 0 { return }
        if k == 0 {
            if !accumulate { c.update(repeating: 0) }
            return
        }
        let rowBlocks = (m + rowTile - 1) / rowTile
        let panels = (n + columnTile - 1) / columnTile
        // Packing writes every element, padding included, so the buffers need no zeroing first.
        let packedA = [Float].filled(count: rowBlocks * k * rowTile) {
            packA(a.baseAddress!, aLayout, m: m, k: k, into: $0.baseAddress!)
        }
        var packedB = [Float].filled(count: panels * k * columnTile) { _ in }
        let workers = m * n * k >= parallelThreshold ? min(maximumWorkers, panels) : 1
        packedA.withUnsafeBufferPointer { packedA in
            packedB.withUnsafeMutableBufferPointer { packedB in
                let job = Job(
                    m: m, n: n, k: k, a: packedA.baseAddress!, b: b.baseAddress!, bLayout: bLayout,
                    packedB: packedB.baseAddress!, c: c.baseAddress!, accumulate: accumulate)
                if workers <= 1 {
                    job.run(panels: 0..<panels)
                } else {
                    // More chunks than workers, handed out as threads arrive, so a worker that wakes late costs
                    // little: the calling thread starts at once and takes what is left. The spinning pool keeps
                    // helpers awake between products; Dispatch serves when it is busy or unavailable.
                    let chunks = min(panels, workers * chunksPerWorker)
                    let body: @Sendable (Int) -> Void = { chunk in
                        job.run(panels: (panels * chunk / chunks)..<(panels * (chunk + 1) / chunks))
                    }
                    if #available(macOS 15, *), let pool = SpinningWorkerPool.shared, pool.run(chunks: chunks, body) {
                        return
                    }
                    DispatchQueue.concurrentPerform(iterations: chunks, execute: body)
                }
            }
        }
    }

    /// One product's raw pointers, shared read-only by the workers; each writes only its own panels of
    /// `packedB` and its own columns of C, so the unchecked Sendable is sound.
    private struct Job: @unchecked Sendable {
        let m: Int, n: Int, k: Int
        let a: UnsafePointer<Float>
        let b: UnsafePointer<Float>
        let bLayout: Layout
        let packedB: UnsafeMutablePointer<Float>
        let c: UnsafeMutablePointer<Float>
        let accumulate: Bool

        func run(panels: Range<Int>) {
            for panel in panels {
                let panelB = packedB + panel * k * columnTile
                packPanel(panel, into: panelB)
                let column = panel * columnTile
                let columns = min(columnTile, n - column)
                var row = 0
                var block = a
                while row < m {
                    let rows = min(rowTile, m - row)
                    tile(block, panelB, row: row, column: column, rows: rows, columns: columns)
                    row += rowTile
                    block += k * rowTile
                }
            }
        }

        /// Panel p of B, k-major: panel[kk·8 + j] = B(kk, 8p + j), zero beyond n.
        private func packPanel(_ panel: Int, into destination: UnsafeMutablePointer<Float>) {
            let first = panel * columnTile
            let width = min(columnTile, n - first)
            if width < columnTile {
                for kk in 0..<k { (destination + kk * columnTile + width).update(repeating: 0, count: columnTile - width) }
            }
            switch bLayout {
            case .normal:
                for kk in 0..<k {
                    let source = b + kk * n + first
                    let target = destination + kk * columnTile
                    for j in 0..<width { target[j] = source[j] }
                }
            case .transposed:
                // Bᵀ is stored: walk the panel's `width` source rows side by side so the stores stay contiguous.
                let source = b + first * k
                var target = destination
                for kk in 0..<k {
                    for j in 0..<width { target[j] = source[j * k + kk] }
                    target += columnTile
                }
            }
        }

        /// The micro-kernel: a 6×8 tile of C from a packed row block and a packed column panel.
        @inline(__always)
        private func tile(
            _ blockA: UnsafePointer<Float>, _ panelB: UnsafePointer<Float>,
            row: Int, column: Int, rows: Int, columns: Int
        ) {
            var s0 = Vector(), s1 = Vector(), s2 = Vector(), s3 = Vector(), s4 = Vector(), s5 = Vector()
            var pointerA = blockA
            var pointerB = panelB
            for _ in 0..<k {
                let vectorB = UnsafeRawPointer(pointerB).loadUnaligned(as: Vector.self)
                s0 += pointerA[0] * vectorB
                s1 += pointerA[1] * vectorB
                s2 += pointerA[2] * vectorB
                s3 += pointerA[3] * vectorB
                s4 += pointerA[4] * vectorB
                s5 += pointerA[5] * vectorB
                pointerA += rowTile
                pointerB += columnTile
            }
            let origin = c + row * n + column
            if rows == rowTile && columns == columnTile {
                store(s0, origin)
                store(s1, origin + n)
                store(s2, origin + 2 * n)
                store(s3, origin + 3 * n)
                store(s4, origin + 4 * n)
                store(s5, origin + 5 * n)
                return
            }
            // An edge tile: the padded lanes and rows hold zeros and are not stored.
            withUnsafeTemporaryAllocation(of: Vector.self, capacity: rowTile) { sums in
                sums.initializeElement(at: 0, to: s0)
                sums.initializeElement(at: 1, to: s1)
                sums.initializeElement(at: 2, to: s2)
                sums.initializeElement(at: 3, to: s3)
                sums.initializeElement(at: 4, to: s4)
                sums.initializeElement(at: 5, to: s5)
                for r in 0..<rows {
                    for j in 0..<columns {
                        let target = origin + r * n + j
                        target.pointee = accumulate ? target.pointee + sums[r][j] : sums[r][j]
                    }
                }
            }
        }

        @inline(__always)
        private func store(_ sum: Vector, _ target: UnsafeMutablePointer<Float>) {
            let raw = UnsafeMutableRawPointer(target)
            let value = accumulate ? raw.loadUnaligned(as: Vector.self) + sum : sum
            raw.storeBytes(of: value, as: Vector.self)
        }
    }

    /// Row blocks of A, k-major: block[kk·6 + r] = A(6b + r, kk), zero beyond m.
    private static func packA(
        _ a: UnsafePointer<Float>, _ layout: Layout, m: Int, k: Int, into destination: UnsafeMutablePointer<Float>
    ) {
        var block = destination
        var first = 0
        while first < m {
            let rows = min(rowTile, m - first)
            if rows < rowTile {
                for kk in 0..<k { (block + kk * rowTile + rows).update(repeating: 0, count: rowTile - rows) }
            }
            switch layout {
            case .normal:
                for r in 0..<rows {
                    let source = a + (first + r) * k
                    for kk in 0..<k { block[kk * rowTile + r] = source[kk] }
                }
            case .transposed:
                for kk in 0..<k {
                    let source = a + kk * m + first
                    for r in 0..<rows { block[kk * rowTile + r] = source[r] }
                }
            }
            first += rowTile
            block += k * rowTile
        }
    }
}
