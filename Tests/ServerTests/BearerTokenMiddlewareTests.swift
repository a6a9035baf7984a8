import Hummingbird
import XCTest

@testable import Server

final class BearerTokenMiddlewareTests: XCTestCase {
    func testATokenMatchesOnlyItself() {
        let tokens = ["alpha-token", "beta"].map { Array($0.utf8) }
        let matches = { (given: String) in
            BearerTokenMiddleware<BasicRequestContext>.matches(Array(given.utf8), anyOf: tokens)
        }
        XCTAssertTrue(matches("alpha-token"))
        XCTAssertTrue(matches("beta"))
        XCTAssertFalse(matches("alpha-toke"), "a prefix")
        XCTAssertFalse(matches("alpha-tokenX"), "a longer token")
        XCTAssertFalse(matches("betb"))
        XCTAssertFalse(matches(""))
        XCTAssertFalse(BearerTokenMiddleware<BasicRequestContext>.matches(Array("beta".utf8), anyOf: []))
    }

    func testLengthsThatDifferByAMultipleOf256DoNotMatch() {
        let token = [UInt8](repeating: 0x61, count: 256)
        XCTAssertFalse(BearerTokenMiddleware<BasicRequestContext>.matches([], anyOf: [token]))
    }
}
