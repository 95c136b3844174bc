#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The cheap pre-check: does a file mention a framework whose modules the analysis tracks? Looks for
/// "torch", "timm", "lightning" or "from_pretrained" anywhere in the bytes (comments and strings included).
///
/// Two `memchr` passes instead of a byte loop: every marker holds an `h` or an `m`, which are rare in Python
/// source, so the search stops at a few percent of the bytes.
enum FrameworkMarkers {
    /// A marker and the offset of its anchor byte.
    private static let anchoredOnH: [(marker: [UInt8], offset: Int)] = [(Array("torch".utf8), 4),
                                                                        (Array("lightning".utf8), 3)]
    private static let anchoredOnM: [(marker: [UInt8], offset: Int)] = [(Array("timm".utf8), 2),
                                                                        (Array("from_pretrained".utf8), 3)]

    static func mentionsFramework(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            search(buffer, anchor: UInt8(ascii: "h"), anchoredOnH) || search(buffer, anchor: UInt8(ascii: "m"), anchoredOnM)
        }
    }

    private static func search(_ text: UnsafeBufferPointer<UInt8>, anchor: UInt8,
                               _ markers: [(marker: [UInt8], offset: Int)]) -> Bool {
        guard let base = text.baseAddress else { return false }
        let count = text.count
        var position = 0
        while position < count, let hit = memchr(base + position, Int32(anchor), count - position) {
            let found = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
            for (marker, offset) in markers {
                let start = found - offset
                guard start >= 0, start + marker.count <= count else { continue }
                var matched = 0
                while matched < marker.count && base[start + matched] == marker[matched] { matched += 1 }
                if matched == marker.count { return true }
            }
            position = found + 1
        }
        return false
    }
}
