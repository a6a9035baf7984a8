import Store
import StoreContract
import XCTest

final class MemoryBatchStoreTests: XCTestCase {
    func testPassesTheStoreContract() async throws {
        try await BatchStoreContract.run { clock in
            let store = MemoryBatchStore(now: { clock.now })
            return (store, store)
        }
    }
}
