/// The `String`s of short ASCII names already built, so that `self`, `x` or `len` become a `String` once
/// instead of once per use (creating one validates the bytes each time). A parse takes its cache from the
/// `ParseRecycler` when it has one, so the cache is not allocated per file and starts warm.
///
/// Direct-mapped: a name of at most eight bytes packs little-endian into a `UInt64` (names hold no zero
/// byte, so the packing is unique and 0 means empty); a slot holds the last name that hashed to it.
struct ShortNameCache {
    private static let slotBits = 10
    private var keys = [UInt64](repeating: 0, count: 1 << slotBits)
    private var names = [String](repeating: "", count: 1 << slotBits)

    /// The name spelled by the `count` bytes (ASCII) at `start` of `text`, from the cache when it was seen before.
    mutating func name(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> String {
        let bytes = UnsafeBufferPointer(rebasing: text[start..<(start + count)])
        guard count <= 8 else { return String(decoding: bytes, as: UTF8.self) }
        let packed = ByteWords.packed(text, start, count)
        let slot = Int(truncatingIfNeeded: (packed &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - Self.slotBits))
        if keys[slot] == packed { return names[slot] }
        let name = String(decoding: bytes, as: UTF8.self)
        keys[slot] = packed
        names[slot] = name
        return name
    }
}
