import Foundation
import HTTPTypes
import Hummingbird

/// `Authorization: Bearer <token>` against the tokens of `--token-file`, compared in constant
/// time (every byte of every token is looked at whatever matches), so that timing tells nothing
/// of a token. Liveness, readiness and the API's description are open: probes and clients read
/// them before they have a token.
struct BearerTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    let tokens: [[UInt8]]
    static var openPaths: Set<String> { ["/health", "/ready", "/openapi.yaml"] }

    init(tokens: [String]) {
        self.tokens = tokens.map { Array($0.utf8) }
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        guard !tokens.isEmpty, !Self.openPaths.contains(request.uri.path), request.method != .options else {
            return try await next(request, context)
        }
        let header = request.headers[.authorization] ?? ""
        guard header.lowercased().hasPrefix("bearer ") else {
            throw Problem(
                .unauthorized, "this server needs a token: send 'Authorization: Bearer <token>'",
                headers: [.wwwAuthenticate: "Bearer"])
        }
        let given = Array(header.dropFirst(7).trimmingCharacters(in: .whitespaces).utf8)
        guard Self.matches(given, anyOf: tokens) else {
            throw Problem(
                .unauthorized, "the token is not one this server accepts: check --token-file",
                headers: [.wwwAuthenticate: "Bearer error=\"invalid_token\""])
        }
        return try await next(request, context)
    }

    /// Whether `given` equals one of `tokens`, in time that depends on their lengths only.
    static func matches(_ given: [UInt8], anyOf tokens: [[UInt8]]) -> Bool {
        var found: UInt8 = 0
        for token in tokens {
            var difference: UInt8 = token.count == given.count ? 0 : 1
            for index in token.indices {
                difference |= token[index] ^ (index < given.count ? given[index] : 0)
            }
            found |= difference == 0 ? 1 : 0
        }
        return found == 1
    }
}
