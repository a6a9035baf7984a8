import Foundation
import HTTPTypes
import Hummingbird

/// An error as the API answers it: an RFC 9457 problem document (`application/problem+json`)
/// whose `detail` says what to do about it. Every error response of the server is one.
public struct Problem: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    /// What went wrong and what to do, for a person.
    public var detail: String
    /// Headers to add (`WWW-Authenticate`, `Retry-After`).
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ detail: String, headers: HTTPFields = [:]) {
        self.status = status
        self.detail = detail
        self.headers = headers
    }

    /// The problem document, with `instance` set to the request's path.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response(instance: request.uri.path)
    }

    /// The problem document for a request at `instance`.
    public func response(instance: String) -> Response {
        let body: [String: Any] = [
            "type": "about:blank", "title": status.reasonPhrase, "status": status.code, "detail": detail,
            "instance": instance,
        ]
        let data =
            (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data()
        var fields = headers
        fields[.contentType] = "application/problem+json"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
