import COpenBLAS

/// The matrix products of the Whisper engine, on OpenBLAS: a tuned SGEMM is many times faster
/// than any loop written here, and Debian ships it.
public enum BLAS {
    /// OpenBLAS's own thread pool: emoscan parallelises across files, so nested BLAS threads
    /// would only compete with its workers (as `OpenCVThreads` says for OpenCV).
    ///
    /// - Parameter count: threads per product; 1 for one per worker.
    public static func setThreads(_ count: Int) { openblas_set_num_threads(Int32(count)) }

    /// `c[m×n] = a[m×k] · b[n×k]ᵀ (+ bias)`, row-major: a linear layer whose weights are stored
    /// out × in, as PyTorch and CTranslate2 store them.
    ///
    /// - Parameters:
    ///   - a: the inputs, one row each.
    ///   - rows: how many rows `a` has (m).
    ///   - weights: n × k.
    ///   - bias: n values added to every row, or nil.
    ///   - outputs: n.
    /// - Returns: m × n values.
    static func linear(
        _ a: UnsafeBufferPointer<Float>, rows: Int, weights: UnsafeBufferPointer<Float>,
        bias: UnsafeBufferPointer<Float>?, outputs: Int
    ) -> [Float] {
        let inputs = weights.count / outputs
        precondition(a.count == rows * inputs && weights.count == outputs * inputs, "shapes do not match")
        var c = [Float](repeating: 0, count: rows * outputs)
        if let bias {
            for row in 0..<rows { for column in 0..<outputs { c[row * outputs + column] = bias[column] } }
        }
        c.withUnsafeMutableBufferPointer { c in
            cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outputs), Int32(inputs), 1,
                a.baseAddress, Int32(inputs), weights.baseAddress, Int32(inputs), bias == nil ? 0 : 1,
                c.baseAddress, Int32(outputs))
        }
        return c
    }

    /// `c = alpha · op(a) · op(b) + beta · c` over strided row-major blocks: the attention's per-head
    /// products, which read the heads out of one wide buffer by their leading dimensions.
    ///
    /// - Parameters:
    ///   - transposeB: multiply by `b`ᵀ rather than `b`.
    ///   - m: rows of the result.
    ///   - n: columns of the result.
    ///   - k: the inner dimension.
    ///   - alpha: scale of the product.
    ///   - a: m × k, rows `lda` apart.
    ///   - lda: distance between rows of `a`.
    ///   - b: k × n (or n × k when transposed), rows `ldb` apart.
    ///   - ldb: distance between rows of `b`.
    ///   - c: m × n, rows `ldc` apart.
    ///   - ldc: distance between rows of `c`.
    static func multiply(
        transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        cblas_sgemm(
            CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans, Int32(m), Int32(n), Int32(k),
            alpha, a, Int32(lda), b, Int32(ldb), 0, c, Int32(ldc))
    }
}
