/// A dense, row-major float32 tensor: the only tensor type the executor needs. Value semantics come from
/// the copy-on-write `[Float]` storage, so layers can keep their inputs for backward without defensive copies.
public struct Tensor: Equatable, Sendable {
    public private(set) var shape: [Int]
    public var scalars: [Float]

    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        precondition(shape.reduce(1, *) == scalars.count, "shape \(shape) does not hold \(scalars.count) scalars")
        self.shape = shape
        self.scalars = scalars
    }

    public init(shape: [Int], repeating value: Float) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }

    public var rank: Int { shape.count }
    public var count: Int { scalars.count }

    /// The same scalars viewed with another shape of equal element count (PyTorch's `view`/`reshape`).
    public func reshaped(_ newShape: [Int]) -> Tensor { Tensor(shape: newShape, scalars: scalars) }

    /// PyTorch prints sizes as `[2, 5]` in most messages.
    public var shapeDescription: String { Tensor.describe(shape) }
}

extension Tensor {
    /// Applies `transform` to every scalar; the hot elementwise layers use this so the loop stays on raw buffers.
    @inlinable
    public func map(_ transform: (Float) -> Float) -> Tensor {
        var result = [Float](repeating: 0, count: scalars.count)
        scalars.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { destination in
                for index in 0..<source.count { destination[index] = transform(source[index]) }
            }
        }
        return Tensor(shape: shape, scalars: result)
    }

    /// Elementwise combination of two tensors of identical shape (gradients with their saved activations).
    @inlinable
    public func zipMap(_ other: Tensor, _ combine: (Float, Float) -> Float) -> Tensor {
        precondition(shape == other.shape, "zipMap shapes \(shape) and \(other.shape) differ")
        var result = [Float](repeating: 0, count: scalars.count)
        scalars.withUnsafeBufferPointer { left in
            other.scalars.withUnsafeBufferPointer { right in
                result.withUnsafeMutableBufferPointer { destination in
                    for index in 0..<left.count { destination[index] = combine(left[index], right[index]) }
                }
            }
        }
        return Tensor(shape: shape, scalars: result)
    }
}

extension Tensor {
    /// `[2, 3]`, the way ATen prints an IntArrayRef.
    public static func describe(_ sizes: [Int]) -> String {
        "[" + sizes.map(String.init).joined(separator: ", ") + "]"
    }
}

extension Array where Element == Float {
    /// An array of `count` floats that `fill` writes completely; skips zeroing memory a kernel overwrites anyway.
    static func filled(count: Int, _ fill: (UnsafeMutableBufferPointer<Float>) -> Void) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            fill(buffer)
            initialized = count
        }
    }
}
