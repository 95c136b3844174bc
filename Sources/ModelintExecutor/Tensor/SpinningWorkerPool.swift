import Dispatch
import Foundation
import Synchronization

/// Helper threads for the matrix products that stay awake for a short while after each one.
///
/// A training step runs a few sub-millisecond products separated by tens of microseconds of elementwise work.
/// Dispatch parks its threads in between, and waking one costs about as much as the work it is woken for; so
/// these helpers spin for up to `spinWindow` before sleeping (as OpenMP's do for PyTorch), and sleep for good
/// when no product comes. Chunks are claimed from one atomic cursor that also carries the job's generation,
/// so a helper that wakes late can never run a chunk of a newer job with an older body.
@available(macOS 15, *)
final class SpinningWorkerPool: Sendable {
    /// One pool per process, sized by `MatrixMultiply.maximumWorkers`; nil when products run on one core.
    static let shared: SpinningWorkerPool? =
        MatrixMultiply.maximumWorkers > 1 ? SpinningWorkerPool(helpers: MatrixMultiply.maximumWorkers - 1) : nil

    /// How long an idle helper spins before it sleeps.
    static let spinWindow: UInt64 = 300_000  // nanoseconds

    private struct Job: Sendable {
        let generation: Int
        let chunks: Int
        let body: @Sendable (Int) -> Void
    }

    private let helpers: Int
    /// (generation << 32) | index of the next unclaimed chunk.
    private let cursor = Atomic<Int>(0)
    private let completedChunks = Atomic<Int>(0)
    private let generation = Atomic<Int>(0)
    private let job = Mutex<Job?>(nil)
    /// Held by the one caller whose job the helpers serve; concurrent callers fall back to Dispatch.
    private let busy = Atomic<Bool>(false)
    private let sleepers = Atomic<Int>(0)
    private let wakeup = DispatchSemaphore(value: 0)

    private init(helpers: Int) {
        self.helpers = helpers
        for _ in 0..<helpers {
            let thread = Thread { [self] in helperLoop() }
            thread.name = "modelint-gemm"
            thread.start()
        }
    }

    /// Runs `body(0..<chunks)` on the caller and the helpers; returns when every chunk is done. Returns false,
    /// without running anything, when another thread is using the pool.
    func run(chunks: Int, _ body: @escaping @Sendable (Int) -> Void) -> Bool {
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        let current = generation.wrappingAdd(1, ordering: .relaxed).newValue & 0x7FFF_FFFF
        let published = Job(generation: current, chunks: chunks, body: body)
        job.withLock { $0 = published }
        completedChunks.store(0, ordering: .relaxed)
        cursor.store(current << 32, ordering: .sequentiallyConsistent)
        // Pairs with the helper's announce-then-recheck: either it sees the new cursor or we see it asleep.
        let sleeping = sleepers.load(ordering: .sequentiallyConsistent)
        for _ in 0..<min(sleeping, helpers) { wakeup.signal() }
        work(published)
        var spins = 0
        while completedChunks.load(ordering: .acquiring) < chunks {
            spins += 1
            // A helper preempted mid-chunk: stop burning the core it may need.
            if spins > 10_000 { sched_yield() }
        }
        job.withLock { $0 = nil }
        busy.store(false, ordering: .releasing)
        return true
    }

    /// Claims and runs chunks of `job` until none are left or a newer job replaced it.
    private func work(_ job: Job) {
        while true {
            let value = cursor.load(ordering: .acquiring)
            guard value >> 32 == job.generation else { return }
            let chunk = value & 0xFFFF_FFFF
            guard chunk < job.chunks else { return }
            if cursor.compareExchange(expected: value, desired: value + 1, ordering: .acquiringAndReleasing).exchanged {
                job.body(chunk)
                completedChunks.add(1, ordering: .releasing)
            }
        }
    }

    private func helperLoop() {
        var seenGeneration = 0
        while true {
            var spinStart = DispatchTime.now().uptimeNanoseconds
            var spins = 0
            while cursor.load(ordering: .acquiring) >> 32 == seenGeneration {
                spins += 1
                guard spins & 63 == 0 else { continue }
                if DispatchTime.now().uptimeNanoseconds - spinStart < SpinningWorkerPool.spinWindow { continue }
                sleepers.add(1, ordering: .sequentiallyConsistent)
                if cursor.load(ordering: .sequentiallyConsistent) >> 32 == seenGeneration { wakeup.wait() }
                sleepers.subtract(1, ordering: .sequentiallyConsistent)
                spinStart = DispatchTime.now().uptimeNanoseconds
            }
            seenGeneration = cursor.load(ordering: .acquiring) >> 32
            guard let current = job.withLock({ $0 }), current.generation == seenGeneration else { continue }
            work(current)
        }
    }
}
