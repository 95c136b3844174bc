/// Byte searches eight bytes at a time for the hot scanning loops (UTF-8 validation, line starts, comments,
/// string bodies, indentation). The zero-byte test `(v - 0x01..) & ~v & 0x80..` is nonzero iff some byte of
/// `v` is zero, so `v ^ (b * 0x01..)` finds a byte equal to `b`.
enum ByteWords {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080
    /// Eight spaces.
    static let spaces: UInt64 = ones &* 0x20

    /// The eight bytes at `i` (the caller checks `i + 8 <= buf.count`), first byte lowest.
    @inline(__always) static func load(_ buf: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt64 {
        UnsafeRawPointer(buf.baseAddress! + i).loadUnaligned(as: UInt64.self)
    }

    @inline(__always) static func holdsZero(_ word: UInt64) -> Bool {
        (word &- ones) & ~word & highs != 0
    }

    @inline(__always) static func holds(_ word: UInt64, _ byte: UInt8) -> Bool {
        holdsZero(word ^ (ones &* UInt64(byte)))
    }

    @inline(__always) static func holdsLineBreak(_ word: UInt64) -> Bool {
        holds(word, 0x0A) || holds(word, 0x0D)
    }

    @inline(__always) static func isASCII(_ word: UInt64) -> Bool {
        word & highs == 0
    }

    /// From `i`, past every whole word before `end` for which `stops` is false: the start of the first word
    /// that stops, or the first position with fewer than eight bytes left. The caller goes on byte by byte.
    @inline(__always) static func skip(_ buf: UnsafeBufferPointer<UInt8>, from i: Int, to end: Int,
                                       until stops: (UInt64) -> Bool) -> Int {
        var p = i
        while p + 8 <= end && !stops(load(buf, p)) { p += 8 }
        return p
    }

    /// The `count` (at most eight) bytes at `start` packed little-endian, zero above them: unique for text
    /// without NUL bytes, so a name or keyword compares as one integer.
    @inline(__always) static func packed(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> UInt64 {
        if start + 8 <= buf.count {
            let word = load(buf, start)
            return count >= 8 ? word : word & ((1 << UInt64(count * 8)) - 1)
        }
        var packed: UInt64 = 0
        for offset in 0..<count { packed |= UInt64(buf[start + offset]) << UInt64(offset * 8) }
        return packed
    }
}
