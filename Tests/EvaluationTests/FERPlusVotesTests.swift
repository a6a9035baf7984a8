import Evaluation
import XCTest

final class FERPlusVotesTests: XCTestCase {
    func testRowsAreReadFromTheEndPastTheQuotedBox() {
        let votes = FERPlusVotes.parse(
            """
            fer0028638.png,"(0, 0, 48, 48)",4,0,0,0,1,0,0,4,1,0
            fer0028640.png,"(0, 0, 48, 48)",7,0,0,0,2,0,0,1,0,0\r
            not a row
            fer0000001.png,"(0, 0, 48, 48)",1,x,0,0,0,0,0,0,0,0
            """)
        XCTAssertEqual(Set(votes.keys), ["fer0028638.png", "fer0028640.png"], "malformed lines are skipped")
        XCTAssertEqual(votes["fer0028640.png"]?.counts, [7, 0, 0, 0, 2, 0, 0, 1, 0, 0])
    }

    func testTheMajorityVoteOrWhyThereIsNone() {
        let cases: [([Int], FERPlusVotes.Majority)] = [
            ([7, 0, 0, 0, 2, 0, 0, 1, 0, 0], .emotion("neutral")),
            ([0, 0, 0, 0, 0, 0, 0, 6, 4, 0], .emotion("contempt")),
            ([4, 0, 0, 0, 1, 0, 0, 4, 1, 0], .leftOut(reason: "tie")),
            ([1, 0, 0, 0, 0, 0, 0, 0, 9, 0], .leftOut(reason: "unknown")),
            ([0, 0, 0, 0, 0, 0, 0, 0, 0, 10], .leftOut(reason: "not a face")),
            ([0, 0, 0, 0, 0, 0, 0, 0, 0, 0], .leftOut(reason: "no votes")),
        ]
        for (counts, expected) in cases {
            XCTAssertEqual(FERPlusVotes(counts: counts).majority, expected, "\(counts)")
        }
    }
}
