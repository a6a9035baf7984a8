import Foundation
import GRDB
import Model
import Store

/// The embedded `BatchStore`: one SQLite database (`emoscan.sqlite` in the results folder), in
/// WAL mode so readers (`status`, `results`) never wait for writers, with every write in a
/// `BEGIN IMMEDIATE` transaction so that two `emoscan run` processes claiming at once take turns.
///
/// All of emoscan's SQLite is in this module. Transactions run on GRDB's own queues, and the
/// calling task suspends while it waits for the lock: a worker's thread is never held.
///
/// Its methods throw `StoreError`: `.locked` when another process holds the write lock past `lockTimeout`,
/// `.unavailable` when the file cannot be opened, read or written. Any other SQLite error, a bug, passes through as
/// GRDB's `DatabaseError`.
public final class SQLiteBatchStore: BatchStore {
    public let path: String
    private let database: any DatabaseWriter
    private let lockTimeout: TimeInterval
    private let now: @Sendable () -> Date

    /// Opens (creating when absent) the database at `path` and brings its schema up to date.
    ///
    /// - Parameters:
    ///   - path: the database file.
    ///   - lockTimeout: how long a write waits for another process's transaction before
    ///     `StoreError.locked`.
    ///   - readOnly: open an existing, up-to-date store for reading only (`status`, `results`):
    ///     such a connection never takes the write lock, not even to set the store up.
    ///   - now: the store's clock, for leases, retry delays and rates (tests pass their own).
    /// - Throws: `StoreError.unavailable` when the store is absent, or (read-only) needs a
    ///   migration; `StoreError.locked` when another process holds it past `lockTimeout`.
    public init(
        path: String, lockTimeout: TimeInterval = 30, readOnly: Bool = false,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        self.path = path
        self.lockTimeout = lockTimeout
        self.now = now
        var configuration = Configuration()
        configuration.busyMode = .timeout(lockTimeout)
        configuration.label = "emoscan.store"
        configuration.readonly = readOnly
        do {
            if readOnly {
                database = try Self.openForReading(path: path, configuration: configuration)
                guard try database.read(Self.migrator.hasCompletedMigrations) else {
                    throw StoreError.unavailable(path: path, reason: "the store's schema is older than this emoscan")
                }
            } else {
                try AtomicFile.createFolder(URL(fileURLWithPath: (path as NSString).deletingLastPathComponent))
                database = try DatabasePool(path: path, configuration: configuration)
                try Self.migrator.migrate(database)
            }
        } catch {
            throw Self.storeError(error, path: path, lockTimeout: lockTimeout)
        }
    }

    /// A read-only connection. A reader of a WAL database shares its `-shm` index with the writers,
    /// and SQLite creates it when absent; in a folder this user cannot write, that fails
    /// ("attempt to write a readonly database"), so there the file is opened as immutable: a
    /// snapshot, which is all that someone who may only read can rely on anyway.
    private static func openForReading(path: String, configuration: Configuration) throws -> DatabaseQueue {
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            _ = try queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM sqlite_master") }
            return queue
        } catch {
            let folder = (path as NSString).deletingLastPathComponent
            guard access(folder.isEmpty ? "." : folder, W_OK) != 0 else { throw error }
            var allowed = CharacterSet.urlPathAllowed
            allowed.remove(charactersIn: "?#%")
            let escaped = path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path
            return try DatabaseQueue(path: "file:\(escaped)?immutable=1", configuration: configuration)
        }
    }

    // MARK: Schema

    /// Every version of the schema, oldest first. A released migration is never edited: a change
    /// is a new migration, so that any older store is brought up to date.
    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: jobs and results") { db in
            try db.execute(
                sql: """
                    CREATE TABLE job (
                        id            INTEGER PRIMARY KEY AUTOINCREMENT,
                        path          TEXT    NOT NULL,
                        sha256        TEXT    NOT NULL,
                        size_bytes    INTEGER NOT NULL,
                        modified      REAL    NOT NULL,
                        pipeline      TEXT    NOT NULL,
                        pipeline_hash TEXT    NOT NULL,
                        priority      INTEGER NOT NULL DEFAULT 0,
                        state         TEXT    NOT NULL DEFAULT 'queued'
                                      CHECK (state IN ('queued', 'running', 'done', 'failed')),
                        attempts      INTEGER NOT NULL DEFAULT 0,
                        available_at  REAL    NOT NULL,
                        worker        TEXT,
                        lease_until   REAL,
                        error         TEXT,
                        queued_at     REAL    NOT NULL,
                        started_at    REAL,
                        finished_at   REAL,
                        UNIQUE (sha256, pipeline_hash)
                    );
                    CREATE INDEX job_by_state ON job (state, priority DESC, id);
                    CREATE INDEX job_by_path ON job (path);
                    CREATE INDEX job_by_worker ON job (worker) WHERE worker IS NOT NULL;
                    CREATE INDEX job_by_finish ON job (finished_at) WHERE finished_at IS NOT NULL;

                    -- One row per file, its latest result: the columns of summary.csv, as text.
                    CREATE TABLE result (
                        file             TEXT PRIMARY KEY,
                        recorded_at      REAL NOT NULL,
                        status           TEXT NOT NULL,
                        error            TEXT,
                        duration_s       TEXT,
                        frames_sampled   TEXT,
                        frames_with_face TEXT,
                        frames_accepted  TEXT,
                        face_emotion     TEXT,
                        face_confidence  TEXT,
                        result           TEXT,
                        pipeline         TEXT,
                        pipeline_hash    TEXT,
                        analyzed_at      TEXT,
                        voice_emotion    TEXT,
                        voice_confidence TEXT,
                        fused_emotion    TEXT,
                        fused_confidence TEXT,
                        fusion_method    TEXT
                    );
                    CREATE INDEX result_by_time ON result (recorded_at);
                    """)
        }
        migrator.registerMigration("v2: human labels") { db in
            try db.execute(
                sql: """
                    CREATE TABLE label (
                        file        TEXT PRIMARY KEY,
                        emotion     TEXT NOT NULL,
                        source      TEXT NOT NULL,
                        labelled_at REAL NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v3: spoken language") { db in
            try db.execute(
                sql: """
                    ALTER TABLE result ADD COLUMN language TEXT;
                    ALTER TABLE result ADD COLUMN language_confidence TEXT;
                    """)
        }
        migrator.registerMigration("v4: documents in the index") { db in
            // The document's JSON beside its file in `files/`: the store answers `results show`
            // and `export` itself, as a database shared by many machines must.
            try db.execute(sql: "ALTER TABLE result ADD COLUMN document BLOB")
        }
        return migrator
    }

    // MARK: Queue

    /// Adds jobs in one write transaction, as `BatchStore.enqueue(_:force:)` describes.
    public func enqueue(_ requests: [JobRequest], force: Bool) async throws -> [EnqueueOutcome] {
        try await write { [self] db in
            try requests.map { request in
                let existing = try Row.fetchOne(
                    db, sql: "SELECT id, state, path FROM job WHERE sha256 = ? AND pipeline_hash = ?",
                    arguments: [request.sha256, request.pipelineHash])
                guard let existing else {
                    // The file's earlier content failed (cut off, still being written): this job replaces
                    // that one, so the queue's counts see one file once.
                    try db.execute(
                        sql: "DELETE FROM job WHERE path = ? AND pipeline_hash = ? AND state = 'failed'",
                        arguments: [request.path, request.pipelineHash])
                    try db.execute(
                        sql: """
                            INSERT INTO job (path, sha256, size_bytes, modified, pipeline, pipeline_hash, priority,
                                             available_at, queued_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            request.path, request.sha256, request.sizeBytes, request.modified, request.pipeline,
                            request.pipelineHash, request.priority, timestamp, timestamp,
                        ])
                    return .added
                }
                let id: Int64 = existing["id"]
                let state = JobState(rawValue: existing["state"]) ?? .queued
                if force, state != .running {
                    try db.execute(
                        sql: """
                            UPDATE job SET state = 'queued', attempts = 0, error = NULL, worker = NULL, lease_until = NULL,
                                           path = ?, size_bytes = ?, modified = ?, pipeline = ?, priority = ?,
                                           available_at = ?, queued_at = ?, started_at = NULL, finished_at = NULL
                            WHERE id = ?
                            """,
                        arguments: [
                            request.path, request.sizeBytes, request.modified, request.pipeline,
                            request.priority, timestamp, timestamp, id,
                        ])
                    return .requeued
                }
                // Remember the file's current size and time, so the next `queue add` needn't read it again.
                try db.execute(
                    sql: "UPDATE job SET size_bytes = ?, modified = ? WHERE id = ? AND path = ?",
                    arguments: [request.sizeBytes, request.modified, id, request.path])
                return .skipped(state: state, path: existing["path"])
            }
        }
    }

    /// Looks up the digest by path, size and modification time.
    public func knownDigest(path: String, sizeBytes: Int64, modified: Double) async throws -> String? {
        try await read { db in
            try String.fetchOne(
                db, sql: "SELECT sha256 FROM job WHERE path = ? AND size_bytes = ? AND modified = ? LIMIT 1",
                arguments: [path, sizeBytes, modified])
        }
    }

    /// Fails the jobs out of attempts and claims the next one (`priority DESC, id`) in one transaction.
    public func claim(for worker: WorkerID, lease: TimeInterval, policy: RetryPolicy) async throws -> Job? {
        try await write { [self] db in
            let now = timestamp
            // Jobs whose worker died on each of their tries are not tried again.
            let exhausted = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM job WHERE state = 'running' AND lease_until < ? AND attempts >= ?
                    """, arguments: [now, policy.maxAttempts])
            for row in exhausted {
                let job = try Self.job(row)
                let reason = "the worker analysing it stopped without finishing, \(job.attempts) times"
                try markFailed(job, reason: reason, at: now, in: db)
            }
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT * FROM job
                        WHERE (state = 'queued' AND available_at <= ?) OR (state = 'running' AND lease_until < ?)
                        ORDER BY priority DESC, id LIMIT 1
                        """, arguments: [now, now])
            else { return nil }
            var job = try Self.job(row)
            try db.execute(
                sql: """
                    UPDATE job SET state = 'running', worker = ?, lease_until = ?, attempts = attempts + 1, started_at = ?
                    WHERE id = ?
                    """, arguments: [worker.rawValue, now + lease, now, job.id])
            job.state = .running
            job.worker = worker
            job.attempts += 1
            return job
        }
    }

    /// Sets the lease of each of `worker`'s running jobs to end `lease` seconds from now.
    public func renewLeases(of worker: WorkerID, lease: TimeInterval) async throws -> Int {
        try await write { [self] db in
            try db.execute(
                sql: "UPDATE job SET lease_until = ? WHERE worker = ? AND state = 'running'",
                arguments: [timestamp + lease, worker.rawValue])
            return db.changesCount
        }
    }

    /// Marks the job done or failed and upserts its result row, if its worker holds it on this attempt.
    public func complete(_ job: Job, entry: ResultEntry, document: Data?) async throws -> Bool {
        try await write { [self] db in
            let failed = entry.status == .failed
            try db.execute(
                sql: """
                    UPDATE job SET state = ?, error = ?, finished_at = ?, worker = NULL, lease_until = NULL
                    WHERE id = ? AND worker = ? AND attempts = ? AND state = 'running'
                    """,
                arguments: [
                    failed ? "failed" : "done", failed ? entry.error : nil, timestamp, job.id,
                    job.worker?.rawValue, job.attempts,
                ])
            guard db.changesCount == 1 else { return false }
            try upsertResult(entry, document: document, in: db)
            return true
        }
    }

    /// Queues the held job again after `policy`'s delay, or fails it, with a result row, after its last try.
    public func giveBack(_ job: Job, reason: String, policy: RetryPolicy) async throws -> JobState {
        try await write { [self] db in
            guard
                try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT 1 FROM job WHERE id = ? AND worker = ? AND attempts = ? AND state = 'running'
                        """, arguments: [job.id, job.worker?.rawValue, job.attempts]) == true
            else { return job.state }
            if job.attempts >= policy.maxAttempts {
                try markFailed(job, reason: "\(reason) (after \(job.attempts) attempts)", at: timestamp, in: db)
                return .failed
            }
            try db.execute(
                sql: """
                    UPDATE job SET state = 'queued', error = ?, worker = NULL, lease_until = NULL, available_at = ?
                    WHERE id = ?
                    """, arguments: [reason, timestamp + policy.delay(after: job.attempts), job.id])
            return .queued
        }
    }

    /// Queues the held job again after `delay` seconds, taking back the attempt its claim counted.
    public func postpone(_ job: Job, reason: String, delay: TimeInterval) async throws -> Bool {
        try await write { [self] db in
            try db.execute(
                sql: """
                    UPDATE job SET state = 'queued', attempts = max(0, attempts - 1), error = ?, worker = NULL,
                                   lease_until = NULL, available_at = ?
                    WHERE id = ? AND worker = ? AND attempts = ? AND state = 'running'
                    """, arguments: [reason, timestamp + delay, job.id, job.worker?.rawValue, job.attempts])
            return db.changesCount == 1
        }
    }

    /// Queues every job `worker` holds again at once, taking back the attempts their claims counted.
    public func release(_ worker: WorkerID) async throws -> Int {
        try await write { [self] db in
            try db.execute(
                sql: """
                    UPDATE job SET state = 'queued', attempts = max(0, attempts - 1), worker = NULL, lease_until = NULL,
                                   available_at = ?
                    WHERE worker = ? AND state = 'running'
                    """, arguments: [timestamp, worker.rawValue])
            return db.changesCount
        }
    }

    /// The distinct workers of the running jobs, in no particular order.
    public func workersHoldingJobs() async throws -> [WorkerID] {
        try await read { db in
            try String.fetchAll(
                db, sql: "SELECT DISTINCT worker FROM job WHERE state = 'running' AND worker IS NOT NULL"
            )
            .map(WorkerID.init(rawValue:))
        }
    }

    /// Ends the leases of `worker`'s running jobs, so that the next `claim` takes them over.
    public func expireLeases(of worker: WorkerID) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: "UPDATE job SET lease_until = 0 WHERE worker = ? AND state = 'running'",
                arguments: [worker.rawValue])
            return db.changesCount
        }
    }

    /// Queues every failed job again, attempts reset and available at once.
    public func retryFailed() async throws -> Int {
        try await write { [self] db in
            try db.execute(
                sql: """
                    UPDATE job SET state = 'queued', attempts = 0, error = NULL, available_at = ?, finished_at = NULL
                    WHERE state = 'failed'
                    """, arguments: [timestamp])
            return db.changesCount
        }
    }

    /// Deletes the queued and failed jobs.
    public func clearQueue() async throws -> Int {
        try await write { db in
            try db.execute(sql: "DELETE FROM job WHERE state IN ('queued', 'failed')")
            return db.changesCount
        }
    }

    /// The `job` rows matching `query`, by id, in one query.
    public func jobs(_ query: JobQuery) async throws -> [Job] {
        try await read { db in
            var conditions: [String] = []
            var arguments = StatementArguments()
            func match(_ condition: String, _ value: (any DatabaseValueConvertible)?) {
                guard let value else { return }
                conditions.append(condition)
                arguments += [value]
            }
            match("id = ?", query.id)
            match("sha256 = ?", query.sha256)
            match("pipeline_hash = ?", query.pipelineHash)
            match("state = ?", query.state?.rawValue)
            match("queued_at >= ?", query.queuedSince?.timeIntervalSince1970)
            match("path IN (SELECT file FROM result WHERE fused_emotion = ?)", query.fusedEmotion)
            match("id > ?", query.afterID)
            let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            arguments += [max(0, query.limit)]
            return try Row.fetchAll(db, sql: "SELECT * FROM job \(filter) ORDER BY id LIMIT ?", arguments: arguments)
                .map(Self.job)
        }
    }

    /// Deletes the job when it is queued; returns the state it had.
    public func cancel(_ id: Int64) async throws -> JobState? {
        try await write { db in
            guard let state = try String.fetchOne(db, sql: "SELECT state FROM job WHERE id = ?", arguments: [id])
            else { return nil }
            try db.execute(sql: "DELETE FROM job WHERE id = ? AND state = 'queued'", arguments: [id])
            return JobState(rawValue: state)
        }
    }

    /// Counts the jobs by state and the rate of those finished in the last ten minutes, in one read.
    public func counts() async throws -> QueueCounts {
        try await read { [self] db in
            let now = timestamp
            var counts = QueueCounts()
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM job GROUP BY state") {
                let n: Int = row["n"]
                switch JobState(rawValue: row["state"]) {
                case .queued: counts.queued = n
                case .running: counts.running = n
                case .done: counts.done = n
                case .failed: counts.failed = n
                case nil: break
                }
            }
            counts.waitingToRetry =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM job WHERE state = 'queued' AND available_at > ?",
                    arguments: [now]) ?? 0
            let window: TimeInterval = 600
            if let recent = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) AS n, MIN(started_at) AS first FROM job WHERE finished_at >= ?
                    """, arguments: [now - window]), let first: Double = recent["first"]
            {
                let n: Int = recent["n"]
                let span = max(1, now - max(first, now - window))
                counts.perMinute = Double(n) / span * 60
            }
            return counts
        }
    }

    // MARK: Results index

    /// Upserts `entry` and its document into the `result` table, stamped with the store's clock.
    public func record(_ entry: ResultEntry, document: Data?) async throws {
        try await write { [self] db in try upsertResult(entry, document: document, in: db) }
    }

    /// The `document` column of the files' `result` rows, in one query.
    public func documents(of files: [String]) async throws -> [String: Data] {
        guard !files.isEmpty else { return [:] }
        return try await read { db in
            let marks = Array(repeating: "?", count: files.count).joined(separator: ", ")
            let rows = try Row.fetchAll(
                db, sql: "SELECT file, document FROM result WHERE document IS NOT NULL AND file IN (\(marks))",
                arguments: StatementArguments(files))
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["file"] as String, $0["document"] as Data) })
        }
    }

    /// The file's `result` row, in one query.
    public func result(of file: String) async throws -> StoredResult? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM result WHERE file = ?", arguments: [file]).map { row in
                StoredResult(entry: Self.entry(row), document: row["document"])
            }
        }
    }

    /// The `result` rows recorded at or after `since` (all when nil), by time and then file.
    public func results(since: Date?) async throws -> [ResultEntry] {
        try await read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM result WHERE recorded_at >= ? ORDER BY recorded_at, file",
                arguments: [since?.timeIntervalSince1970 ?? 0]
            )
            .map(Self.entry)
        }
    }

    private static func entry(_ row: Row) -> ResultEntry {
        ResultEntry(fields: Dictionary(uniqueKeysWithValues: ResultEntry.columns.map { ($0, row[$0] ?? "") }))
    }

    /// The number of rows in the `result` table.
    public func resultCount() async throws -> Int {
        try await read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM result") ?? 0 }
    }

    // MARK: Human labels

    /// Inserts or replaces `label`'s row in the `label` table, stamped with the store's clock.
    public func setLabel(_ label: HumanLabel) async throws {
        try await write { [self] db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO label (file, emotion, source, labelled_at) VALUES (?, ?, ?, ?)",
                arguments: [label.file, label.emotion, label.source, timestamp])
        }
    }

    /// Every row of the `label` table, by file path.
    public func labels() async throws -> [HumanLabel] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT file, emotion, source FROM label ORDER BY file").map { row in
                HumanLabel(file: row["file"], emotion: row["emotion"], source: row["source"])
            }
        }
    }

    // MARK: Helpers

    private var timestamp: Double { now().timeIntervalSince1970 }

    /// The entry in the `result` table's text columns, exactly as `summary.csv` holds them, and its document.
    private func upsertResult(_ entry: ResultEntry, document: Data?, in db: Database) throws {
        let columns = ["recorded_at", "document"] + ResultEntry.columns
        let values: [(any DatabaseValueConvertible)?] = [timestamp, document] + entry.fields
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO result (\(columns.joined(separator: ", ")))
                VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))
                """, arguments: StatementArguments(values))
    }

    /// Marks `job` failed and gives its file a result row that says why, since no analysis will.
    private func markFailed(_ job: Job, reason: String, at time: Double, in db: Database) throws {
        try db.execute(
            sql: """
                UPDATE job SET state = 'failed', error = ?, finished_at = ?, worker = NULL, lease_until = NULL WHERE id = ?
                """, arguments: [reason, time, job.id])
        try upsertResult(.failed(job, reason: reason, at: Date(timeIntervalSince1970: time)), document: nil, in: db)
    }

    private static func job(_ row: Row) throws -> Job {
        Job(
            id: row["id"], path: row["path"], sha256: row["sha256"], sizeBytes: row["size_bytes"],
            modified: row["modified"],
            pipeline: row["pipeline"],
            pipelineHash: row["pipeline_hash"], priority: row["priority"],
            state: JobState(rawValue: row["state"]) ?? .queued, attempts: row["attempts"],
            worker: (row["worker"] as String?).map(WorkerID.init(rawValue:)), error: row["error"],
            queuedAt: (row["queued_at"] as Double?).map(Date.init(timeIntervalSince1970:)),
            finishedAt: (row["finished_at"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so a
    /// transaction never fails half-way because another process started writing first.
    private func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await database.writeWithoutTransaction { db in
                var value: T?
                try db.inTransaction(.immediate) {
                    value = try body(db)
                    return .commit
                }
                return value!
            }
        } catch {
            throw Self.storeError(error, path: path, lockTimeout: lockTimeout)
        }
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await database.read(body)
        } catch {
            throw Self.storeError(error, path: path, lockTimeout: lockTimeout)
        }
    }

    /// SQLite's errors as the CLI reports them: busy → locked (exit 3); cannot open, read-only,
    /// I/O, full, corrupt → unavailable (exit 3); anything else is a bug and passes through.
    private static func storeError(_ error: Error, path: String, lockTimeout: TimeInterval) -> Error {
        guard let error = error as? DatabaseError else {
            if error is StoreError { return error }
            return StoreError.unavailable(path: path, reason: StoreError.words(for: error))
        }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StoreError.locked(path: path, seconds: lockTimeout)
        case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_IOERR, .SQLITE_FULL, .SQLITE_CORRUPT, .SQLITE_NOTADB,
            .SQLITE_PERM, .SQLITE_AUTH:
            return StoreError.unavailable(path: path, reason: error.message ?? "\(error.resultCode)")
        default:
            return error
        }
    }
}
