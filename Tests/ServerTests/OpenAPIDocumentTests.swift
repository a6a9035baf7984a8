import Foundation
import TestSupport
import XCTest
import Yams

@testable import Server

/// The hand-written API description is held to the code: every route the server's sources
/// register is in it, with its method, and it parses as OpenAPI 3.1. (The other direction, and
/// the shapes of the answers, are checked against a live server: `ServeCommandTests` and
/// `Scripts/check-api`.)
final class OpenAPIDocumentTests: XCTestCase {
    private var document: [String: Any] = [:]

    override func setUpWithError() throws {
        document = try XCTUnwrap(try Yams.load(yaml: OpenAPIDocument.yaml) as? [String: Any])
    }

    func testEveryRegisteredRouteIsDescribed() throws {
        let paths = try XCTUnwrap(document["paths"] as? [String: Any])
        let folder = RepoPaths.root.appendingPathComponent("Sources/Server")
        var registered: [(method: String, path: String)] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: folder.path) where file.hasSuffix(".swift") {
            let source = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            for match in source.matches(of: /router\.(get|post|put|delete)\("([^"]+)"\)/) {
                registered.append((String(match.output.1), String(match.output.2)))
            }
        }
        XCTAssertGreaterThanOrEqual(registered.count, 19, "the routes found in the sources: \(registered)")
        for route in registered {
            let operations = paths[route.path] as? [String: Any]
            XCTAssertNotNil(operations?[route.method], "\(route.method.uppercased()) \(route.path) is not described")
        }
    }

    func testItIsOpenAPI31WithProblemDocumentsAndBearerTokens() throws {
        XCTAssertEqual(document["openapi"] as? String, "3.1.0")
        let components = try XCTUnwrap(document["components"] as? [String: Any])
        XCTAssertNotNil((components["schemas"] as? [String: Any])?["Problem"])
        XCTAssertNotNil((components["securitySchemes"] as? [String: Any])?["bearerAuth"])
    }
}
