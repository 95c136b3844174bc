/// The cheap pre-check: does a file mention a framework whose modules the analysis tracks? One pass over the
/// bytes looking for "torch", "timm", "lightning" or "from_pretrained".
enum FrameworkMarkers {
    static func mentionsFramework(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            let n = buffer.count
            @inline(__always) func matches(_ i: Int, _ marker: StaticString) -> Bool {
                let length = marker.utf8CodeUnitCount
                guard i + length <= n else { return false }
                let text = marker.utf8Start
                var j = 1
                while j < length {
                    if base[i + j] != text[j] { return false }
                    j += 1
                }
                return true
            }
            var i = 0
            while i < n {
                switch base[i] {
                case 0x74: // t
                    if matches(i, "torch") || matches(i, "timm") { return true }
                case 0x6C: // l
                    if matches(i, "lightning") { return true }
                case 0x66: // f
                    if matches(i, "from_pretrained") { return true }
                default:
                    break
                }
                i += 1
            }
            return false
        }
    }
}
