#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock and process CPU time of a phase, for `modelint check --statistics`. CPU time is what stays
/// comparable on a loaded machine; wall time is what the user waits.
public struct PhaseTime: Sendable {
    public var wall: Duration = .zero
    public var cpu: Duration = .zero

    public init() {}

    /// "0.412 s (cpu 0.780 s)".
    public var description: String { "\(Self.seconds(wall)) (cpu \(Self.seconds(cpu)))" }

    private static func seconds(_ duration: Duration) -> String {
        let (whole, fraction) = duration.components
        let milliseconds = Int64(whole) * 1000 + fraction / 1_000_000_000_000_000
        let padded = String(milliseconds % 1000)
        return "\(milliseconds / 1000).\(String(repeating: "0", count: 3 - padded.count))\(padded) s"
    }
}

/// Starts timing when created; `elapsed` reads both clocks.
public struct PhaseClock: Sendable {
    private let wallStart: ContinuousClock.Instant
    private let cpuStart: Duration

    public init() {
        wallStart = ContinuousClock.now
        cpuStart = Self.processCPUTime()
    }

    public var elapsed: PhaseTime {
        var time = PhaseTime()
        time.wall = ContinuousClock.now - wallStart
        time.cpu = Self.processCPUTime() - cpuStart
        return time
    }

    private static func processCPUTime() -> Duration {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return .seconds(Int64(spec.tv_sec)) + .nanoseconds(Int64(spec.tv_nsec))
    }
}
