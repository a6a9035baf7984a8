import Foundation
import HTTPTypes
import Hummingbird

/// JSON in and out of routes: answers built from plain dictionaries (a result document is
/// embedded as it is stored, not re-modelled), and request bodies read within a size limit.
enum JSONBody {
    /// `object` as a JSON response, keys sorted.
    static func response(_ object: Any, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return response(data: data, status: status, headers: headers)
    }

    /// JSON already encoded.
    static func response(data: Data, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The request's body as a JSON object.
    ///
    /// - Throws: `Problem` 413 past `limit` bytes, 400 when it is not a JSON object.
    static func object(of request: Request, limit: Int) async throws -> [String: Any] {
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch {
            throw Problem(.contentTooLarge, "a JSON body may hold at most \(limit) bytes")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any]
        else {
            throw Problem(.badRequest, "the body must be a JSON object")
        }
        return object
    }
}
