import Foundation
import HTTPTypes
import Hummingbird
import Store

/// Turns every error a route throws into a problem document: the route's own `Problem`s as they
/// are, Hummingbird's errors (an unknown route, a body too large to decode) with their status,
/// a store that fails as 503, and anything else as 500 with its words.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch {
            return Self.problem(for: error, request: request).response(instance: request.uri.path)
        }
    }

    static func problem(for error: Error, request: Request) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as HTTPError:
            let detail =
                switch error.status {
                case .notFound: "no such endpoint: \(request.method) \(request.uri.path) (GET /openapi.yaml lists them)"
                case .methodNotAllowed: "\(request.method) is not allowed on \(request.uri.path)"
                default: error.body ?? error.status.reasonPhrase
                }
            return Problem(error.status, detail, headers: error.headers)
        case let error as StoreError:
            return Problem(
                .serviceUnavailable, "the results store is unavailable: \(error.reason)", headers: [.retryAfter: "5"])
        default:
            return Problem(.internalServerError, StoreError.words(for: error))
        }
    }
}
