/// `\N{NAME}` lookup with the rules of CPython's `unicodedata` name database (`_getcode`): primary
/// names and aliases match case-insensitively; the algorithmic names `CJK UNIFIED IDEOGRAPH-XXXX`
/// and `HANGUL SYLLABLE ...` only in upper case; named sequences never.
enum UnicodeNames {
    /// The code point named by `buf[lo..<hi]`, or nil.
    static func lookup(_ buf: UnsafeBufferPointer<UInt8>, _ lo: Int, _ hi: Int) -> UInt32? {
        var spelled: [UInt8] = []
        spelled.reserveCapacity(hi - lo)
        for i in lo..<hi {
            let b = buf[i]
            guard b < 0x80 else { return nil }
            spelled.append(b)
        }
        return lookup(spelled)
    }

    static func lookup(_ name: String) -> UInt32? {
        guard name.utf8.allSatisfy({ $0 < 0x80 }) else { return nil }
        return lookup(Array(name.utf8))
    }

    private static func lookup(_ spelled: [UInt8]) -> UInt32? {
        // CPython matches the algorithmic names case-sensitively, before its case-blind table.
        if hasPrefix(spelled, ideographPrefix) { return ideograph(spelled[ideographPrefix.count...]) }
        if hasPrefix(spelled, hangulPrefix) {
            return hangulSyllables[String(decoding: spelled[hangulPrefix.count...], as: UTF8.self)]
        }
        let upper = spelled.map { $0 &- 0x61 < 26 ? $0 - 0x20 : $0 }
        return table[String(decoding: upper, as: UTF8.self)]
    }

    private static let ideographPrefix = Array("CJK UNIFIED IDEOGRAPH-".utf8)
    private static let hangulPrefix = Array("HANGUL SYLLABLE ".utf8)

    /// After `CJK UNIFIED IDEOGRAPH-`: 4 or 5 upper-case hex digits naming a unified ideograph.
    private static func ideograph(_ digits: ArraySlice<UInt8>) -> UInt32? {
        guard digits.count == 4 || digits.count == 5 else { return nil }
        var value: UInt32 = 0
        for d in digits {
            switch d {
            case 0x30...0x39: value = value << 4 | UInt32(d - 0x30)
            case 0x41...0x46: value = value << 4 | UInt32(d - 0x41 + 10)
            default: return nil
            }
        }
        guard let scalar = Unicode.Scalar(value), isSupported(scalar),
              scalar.properties.name == "CJK UNIFIED IDEOGRAPH-" + String(value, radix: 16, uppercase: true)
        else { return nil }
        return value
    }

    private static func hasPrefix(_ bytes: [UInt8], _ prefix: [UInt8]) -> Bool {
        bytes.count >= prefix.count && bytes[..<prefix.count].elementsEqual(prefix)
    }

    /// CPython 3.12 ships Unicode 15.0; Swift's tables may be newer.
    private static func isSupported(_ scalar: Unicode.Scalar) -> Bool {
        guard let age = scalar.properties.age else { return false }
        return age.major < 15 || (age.major == 15 && age.minor == 0)
    }

    /// Hangul syllable names without their prefix ("GA", "GAG", ...).
    private static let hangulSyllables: [String: UInt32] = {
        var table: [String: UInt32] = [:]
        table.reserveCapacity(11_172)
        for value in UInt32(0xAC00)...0xD7A3 {
            if let name = Unicode.Scalar(value)?.properties.name, name.hasPrefix("HANGUL SYLLABLE ") {
                table[String(name.dropFirst(16))] = value
            }
        }
        return table
    }()

    /// Code points that in Unicode 15.0 have no name the table keeps: the CJK unified ideograph, Hangul
    /// syllable and Tangut ideograph blocks (algorithmic names), surrogates, private use, the planes 3-13
    /// (unassigned but for CJK ideographs) and plane 14 past its variation selectors. Skipping them makes
    /// building the table several times cheaper; it runs while the other files are being parsed.
    private static let unnamedRanges: [Range<UInt32>] = [
        0x3400..<0x4DC0, 0x4E00..<0xA000, 0xAC00..<0xD7A4, 0xD800..<0xF900, 0x1_7000..<0x1_8800,
        0x1_8D00..<0x1_8D80, 0x2_0000..<0x2_F800, 0x3_0000..<0xE_0000, 0xE_0200..<0x11_0000,
    ]

    /// The code points outside `unnamedRanges`, in order (walked range by range: testing each of the
    /// 1.1 million code points against every range cost more than the names themselves).
    private static var namedValues: [ClosedRange<UInt32>] {
        var ranges: [ClosedRange<UInt32>] = []
        var next: UInt32 = 0
        for skipped in unnamedRanges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if next < skipped.lowerBound { ranges.append(next...(skipped.lowerBound - 1)) }
            next = max(next, skipped.upperBound)
        }
        if next <= 0x10FFFF { ranges.append(next...0x10FFFF) }
        return ranges
    }

    /// Every other primary name plus the aliases, built once on first use (a global `let` is
    /// initialised lazily and thread-safely).
    private static let table: [String: UInt32] = {
        var table: [String: UInt32] = [:]
        table.reserveCapacity(48_000)
        for value in namedValues.joined() {
            // The age check first: it rejects the unassigned code points more cheaply than a name lookup.
            guard let scalar = Unicode.Scalar(value), isSupported(scalar), let name = scalar.properties.name
            else { continue }
            // Algorithmic names are matched above; CPython has no Tangut ideograph names.
            if name.hasPrefix("CJK UNIFIED IDEOGRAPH-") || name.hasPrefix("HANGUL SYLLABLE ")
                || name.hasPrefix("TANGUT IDEOGRAPH-") {
                continue
            }
            table[name] = value
        }
        for alias in aliases { table[alias.name] = alias.value }
        return table
    }()
}
