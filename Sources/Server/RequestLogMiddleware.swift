import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// One log line per request (method, path, status, duration, request id), in the CLI's text or
/// JSON format through the server's `Logger`, and the request counted in the metrics. It wraps
/// `ProblemMiddleware`, so it sees the status that was answered.
struct RequestLogMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger
    let metrics: ServerMetrics

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    )
        async throws -> Response
    {
        let started = ContinuousClock.now
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = ProblemMiddleware<Context>.problem(for: error, request: request)
                .response(instance: request.uri.path)
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        logger.info(
            "request",
            metadata: [
                "method": "\(request.method)", "path": "\(request.uri.path)", "status": "\(response.status.code)",
                "ms": "\(String(format: "%.1f", seconds * 1000))", "request_id": "\(context.id)",
            ])
        metrics.request(
            method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: response.status.code,
            seconds: seconds)
        var answered = response
        answered.headers[.requestID] = context.id
        return answered
    }
}

extension HTTPField.Name {
    /// The id of the request, as the server's log line gives it: what a client quotes in a bug report.
    static let requestID = HTTPField.Name("X-Request-Id")!
}
