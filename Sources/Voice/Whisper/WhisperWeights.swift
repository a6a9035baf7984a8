import Foundation

/// Whisper base's weights, mapped read-only from emoscan's converted file (the safetensors
/// layout `Scripts/models/whisper_to_safetensors.py` writes): float32 for the encoder, float16 for
/// the decoder's language step.
///
/// Mapped, not read: the pages are the kernel's page cache, shared by every worker of a process
/// and by every process on the machine, and only the tensors a call touches are ever loaded.
/// `shared(path:)` keeps one mapping per file for the whole process.
public final class WhisperWeights: @unchecked Sendable {
    /// The format the converter writes into the file's metadata.
    public static let format = "emoscan.whisper/2"

    /// One tensor of the file: its type, shape and where its bytes lie in the mapping.
    struct Tensor {
        enum Kind: String {
            case float32 = "F32"
            case float16 = "F16"
        }

        let kind: Kind
        let shape: [Int]
        let offset: Int
        let byteCount: Int
    }

    /// The file it was mapped from.
    public let path: String
    /// Whisper's language codes (`en`, `zh`, `de`, …), in the order of the language rows.
    public let languages: [String]
    /// Where the weights came from, as the converter recorded it.
    public let source: String
    private let mapping: UnsafeMutableRawPointer
    private let mappedLength: Int
    private let dataStart: Int
    private let tensors: [String: Tensor]

    private static let cache = NSLock()
    nonisolated(unsafe) private static var mapped: [String: WhisperWeights] = [:]

    /// The process's one mapping of `path`, made on first use.
    ///
    /// - Parameter path: the converted Whisper file.
    /// - Returns: the weights, the same object for every caller with the same path.
    /// - Throws: `WhisperError.unreadable` or `.notAWhisperFile`.
    public static func shared(path: String) throws -> WhisperWeights {
        try cache.withLock {
            if let weights = mapped[path] { return weights }
            let weights = try WhisperWeights(path: path)
            mapped[path] = weights
            return weights
        }
    }

    /// Maps `path` and reads its header.
    ///
    /// - Parameter path: the converted Whisper file.
    /// - Throws: `WhisperError.unreadable` when it cannot be opened or mapped, `.notAWhisperFile`
    ///   when its header is not the converter's.
    init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw WhisperError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw WhisperError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        let length = Int(status.st_size)
        guard length > 8, let mapping = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0),
            mapping != MAP_FAILED
        else {
            throw WhisperError.unreadable(
                path: path, reason: length > 8 ? String(cString: strerror(errno)) : "too short")
        }
        self.mapping = mapping
        mappedLength = length
        do {
            let headerLength = Int(UInt64(littleEndian: mapping.loadUnaligned(as: UInt64.self)))
            guard headerLength > 0, 8 + headerLength <= length else {
                throw WhisperError.notAWhisperFile(
                    path: path, reason: "its header length \(headerLength) is impossible")
            }
            dataStart = 8 + headerLength
            let header = Data(bytes: mapping + 8, count: headerLength)
            (tensors, languages, source) = try Self.parse(header, path: path, dataLength: length - dataStart)
        } catch {
            munmap(mapping, length)
            throw error
        }
    }

    deinit { munmap(mapping, mappedLength) }

    /// A float32 tensor of exactly `shape`.
    ///
    /// - Parameters:
    ///   - name: the tensor's name in the file (CTranslate2's: `encoder/conv1/weight`, …).
    ///   - shape: the shape Whisper base has for it.
    /// - Returns: its values, row-major, valid as long as these weights live.
    /// - Throws: `WhisperError.badTensor` when it is absent, not float32 or of another shape.
    func float32(_ name: String, shape: [Int]) throws -> UnsafeBufferPointer<Float> {
        let tensor = try self.tensor(name, kind: .float32, shape: shape)
        return UnsafeBufferPointer(
            start: (mapping + dataStart + tensor.offset).assumingMemoryBound(to: Float.self),
            count: tensor.byteCount / 4)
    }

    /// A float16 tensor of exactly `shape`.
    ///
    /// - Parameters:
    ///   - name: the tensor's name in the file.
    ///   - shape: the shape Whisper base has for it.
    /// - Returns: its values, row-major, valid as long as these weights live.
    /// - Throws: `WhisperError.badTensor` when it is absent, not float16 or of another shape.
    func float16(_ name: String, shape: [Int]) throws -> UnsafeBufferPointer<Float16> {
        let tensor = try self.tensor(name, kind: .float16, shape: shape)
        return UnsafeBufferPointer(
            start: (mapping + dataStart + tensor.offset).assumingMemoryBound(to: Float16.self),
            count: tensor.byteCount / 2)
    }

    private func tensor(_ name: String, kind: Tensor.Kind, shape: [Int]) throws -> Tensor {
        guard let tensor = tensors[name] else { throw WhisperError.badTensor(path: path, name: name, reason: "absent") }
        guard tensor.kind == kind, tensor.shape == shape else {
            throw WhisperError.badTensor(
                path: path, name: name,
                reason: "\(tensor.kind.rawValue) \(tensor.shape), not \(kind.rawValue) \(shape)")
        }
        return tensor
    }

    private static func parse(
        _ header: Data, path: String, dataLength: Int
    ) throws -> (
        [String: Tensor], [String], String
    ) {
        guard let object = try? JSONSerialization.jsonObject(with: header) as? [String: Any],
            let metadata = object["__metadata__"] as? [String: String]
        else {
            throw WhisperError.notAWhisperFile(path: path, reason: "its header is not a safetensors JSON object")
        }
        guard metadata["format"] == format else {
            throw WhisperError.notAWhisperFile(
                path: path, reason: "format \(metadata["format"] ?? "none"), not \(format)")
        }
        var tensors: [String: Tensor] = [:]
        for (name, value) in object where name != "__metadata__" {
            guard let entry = value as? [String: Any], let kind = (entry["dtype"] as? String).flatMap(Tensor.Kind.init),
                let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2,
                offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= dataLength,
                offsets[0] % (kind == .float32 ? 4 : 2) == 0,
                offsets[1] - offsets[0] == shape.reduce(1, *) * (kind == .float32 ? 4 : 2)
            else {
                throw WhisperError.notAWhisperFile(path: path, reason: "tensor \(name) is not described correctly")
            }
            tensors[name] = Tensor(kind: kind, shape: shape, offset: offsets[0], byteCount: offsets[1] - offsets[0])
        }
        let languages = (metadata["languages"] ?? "").split(separator: ",").map(String.init)
        return (tensors, languages, metadata["source"] ?? "")
    }
}
