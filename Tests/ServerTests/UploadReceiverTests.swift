import XCTest

@testable import Server

final class UploadReceiverTests: XCTestCase {
    func testContentDispositionParameters() {
        let value = #"form-data; name="audio"; filename="voice take 2.wav""#
        XCTAssertEqual(UploadReceiver.dispositionParameter("name", in: value), "audio")
        XCTAssertEqual(UploadReceiver.dispositionParameter("filename", in: value), "voice take 2.wav")
        XCTAssertNil(UploadReceiver.dispositionParameter("size", in: value))
        XCTAssertEqual(UploadReceiver.dispositionParameter("name", in: "form-data; NAME=file"), "file")
    }
}
