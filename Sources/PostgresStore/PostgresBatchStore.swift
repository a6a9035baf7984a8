import Foundation
import Logging
import Model
import NIOSSL
import PostgresNIO
import Store

/// The `BatchStore` for many machines: one PostgreSQL database holds the queue, the results with
/// their documents (`jsonb`) and the labels, so that `emoscan run` on any number of hosts drains
/// one queue with no shared folder.
///
/// - A claim is one statement: the next job's row is locked with `FOR UPDATE SKIP LOCKED`, so
///   concurrent workers pass over each other's rows instead of waiting on them.
/// - Every time (leases, retry delays, rates) is the database's `now()`, never a worker's clock,
///   so machines whose clocks disagree still agree on what has expired.
/// - A queued job is announced with `NOTIFY`; idle workers `LISTEN` instead of polling.
/// - A lost connection (the server restarting) is retried with backoff for `reconnectFor`
///   before a call gives up with `StoreError.unavailable`. A result whose write failed is written
///   again: `complete` is idempotent for the worker and attempt that finished the job.
///
/// Its methods throw `StoreError.unavailable`, with the server's reason, when the database cannot
/// be reached or refuses a statement.
public final class PostgresBatchStore: BatchStore {
    public let address: PostgresAddress
    private let client: PostgresClient
    private let running: Task<Void, Never>
    private let clock: (@Sendable () -> Date)?
    private let reconnectFor: Duration
    private let logger: Logger

    /// Connects, checks the login, and brings the schema up to date (under an advisory lock, so
    /// machines starting together take turns).
    ///
    /// - Parameters:
    ///   - address: the server, database and login.
    ///   - reconnectFor: how long a call keeps trying while the server is unreachable.
    ///   - clock: the store's clock for tests; nil (the default) uses the database's `now()`.
    ///   - logger: where the driver and postgres-nio log.
    /// - Throws: `StoreError.unavailable` with one line that says what failed: the server could
    ///   not be reached, refused the login, has no such database, or holds a newer schema.
    public init(
        address: PostgresAddress, reconnectFor: Duration = .seconds(60), clock: (@Sendable () -> Date)? = nil,
        logger: Logger
    ) async throws {
        self.address = address
        self.reconnectFor = reconnectFor
        self.clock = clock
        self.logger = logger
        try await Self.probe(address, logger: logger)
        let client = PostgresClient(configuration: try Self.clientConfiguration(address), backgroundLogger: logger)
        self.client = client
        running = Task { await client.run() }
        await Task.yield()  // let the client start before the first lease
        do {
            let applied = try await perform { [client] in try await PostgresSchema.migrate(client, logger: logger) }
            if !applied.isEmpty { logger.info("store schema migrated", metadata: ["versions": "\(applied)"]) }
            try await checkSchemaIsKnown()
        } catch {
            running.cancel()
            throw error
        }
    }

    deinit {
        running.cancel()
    }

    // MARK: Queue

    /// Adds the requests in one transaction, one statement each, as `BatchStore.enqueue(_:force:)`
    /// describes.
    public func enqueue(_ requests: [JobRequest], force: Bool) async throws -> [EnqueueOutcome] {
        let now = clock?()
        return try await perform { [client, logger] in
            try await client.withTransaction(logger: logger) { connection in
                var outcomes: [EnqueueOutcome] = []
                for request in requests {
                    let row = try await connection.query(
                        Self.enqueueStatement(request, force: force, now: now), logger: logger
                    )
                    .collect().first
                    let (outcome, state, path) =
                        try row?.decode((String, String, String).self) ?? ("skipped", "queued", request.path)
                    switch outcome {
                    case "added": outcomes.append(.added)
                    case "requeued": outcomes.append(.requeued)
                    default: outcomes.append(.skipped(state: JobState(rawValue: state) ?? .queued, path: path))
                    }
                }
                return outcomes
            }
        }
    }

    /// One request's enqueue, in one statement: the job of the same content and pipeline is
    /// locked if there is one; without one, the file's failed job of older content goes (so the
    /// queue's counts see one file once) and a job is added; with one, `force` queues it again
    /// (unless it is running), else the file's current size and time are remembered, so the
    /// next `queue add` needn't read it again. Returns the outcome, and the existing job's
    /// state and path.
    private static func enqueueStatement(_ request: JobRequest, force: Bool, now: Date?) -> PostgresQuery {
        """
        WITH clock AS (SELECT COALESCE(\(now)::timestamptz, now()) AS t),
        existing AS (
            SELECT id, state, path FROM job
            WHERE sha256 = \(request.sha256) AND pipeline_hash = \(request.pipelineHash) FOR UPDATE
        ),
        cleared AS (
            DELETE FROM job WHERE path = \(request.path) AND pipeline_hash = \(request.pipelineHash)
              AND state = 'failed' AND NOT EXISTS (SELECT 1 FROM existing)
        ),
        inserted AS (
            INSERT INTO job (path, sha256, size_bytes, modified, pipeline, pipeline_hash, priority, available_at,
                             queued_at)
            SELECT \(request.path), \(request.sha256), \(request.sizeBytes), \(request.modified), \(request.pipeline),
                   \(request.pipelineHash), \(request.priority), clock.t, clock.t
            FROM clock WHERE NOT EXISTS (SELECT 1 FROM existing)
            ON CONFLICT (sha256, pipeline_hash) DO NOTHING RETURNING id
        ),
        requeued AS (
            UPDATE job SET state = 'queued', attempts = 0, error = NULL, worker = NULL, lease_until = NULL,
                path = \(request.path), size_bytes = \(request.sizeBytes), modified = \(request.modified),
                pipeline = \(request.pipeline), priority = \(request.priority), available_at = clock.t,
                queued_at = clock.t, started_at = NULL, finished_at = NULL
            FROM existing, clock
            WHERE job.id = existing.id AND \(force)::boolean AND existing.state <> 'running'
            RETURNING job.id
        ),
        touched AS (
            UPDATE job SET size_bytes = \(request.sizeBytes), modified = \(request.modified)
            FROM existing
            WHERE job.id = existing.id AND NOT (\(force)::boolean AND existing.state <> 'running')
              AND existing.path = \(request.path)
            RETURNING job.id
        )
        SELECT CASE WHEN EXISTS (SELECT 1 FROM inserted) THEN 'added'
                    WHEN EXISTS (SELECT 1 FROM requeued) THEN 'requeued'
                    ELSE 'skipped' END,
               COALESCE((SELECT state FROM existing), 'queued'),
               COALESCE((SELECT path FROM existing), \(request.path))
        """
    }

    /// Looks up the digest by path, size and modification time.
    public func knownDigest(path: String, sizeBytes: Int64, modified: Double) async throws -> String? {
        try await values(
            """
            SELECT sha256 FROM job WHERE path = \(path) AND size_bytes = \(sizeBytes) AND modified = \(modified) LIMIT 1
            """, as: String.self
        ).first
    }

    /// Fails the jobs out of attempts and claims the next one (`priority DESC, id`), in one statement.
    ///
    /// The claim carries a token of its own, so that a try repeated after a lost connection
    /// finds the job an earlier try took, if that one went through, instead of taking a second.
    public func claim(for worker: WorkerID, lease: TimeInterval, policy: RetryPolicy) async throws -> Job? {
        let now = clock?()
        let token = UUID().uuidString
        let rows = try await rows(
            """
            WITH clock AS (SELECT COALESCE(\(now)::timestamptz, now()) AS t),
            exhausted AS (
                UPDATE job SET state = 'failed', finished_at = clock.t, worker = NULL, lease_until = NULL,
                    error = 'the worker analysing it stopped without finishing, ' || attempts || ' times'
                FROM clock
                WHERE job.id IN (
                    SELECT id FROM job, clock
                    WHERE state = 'running' AND lease_until < clock.t AND attempts >= \(policy.maxAttempts)
                    FOR UPDATE OF job SKIP LOCKED)
                RETURNING job.path, job.pipeline, job.pipeline_hash, job.error, clock.t
            ),
            failed_result AS (\(unescaped: Self.failedResultInsert(from: "exhausted")))
            UPDATE job SET state = 'running', worker = \(worker.rawValue), claim = \(token),
                attempts = CASE WHEN job.claim = \(token) THEN attempts ELSE attempts + 1 END,
                lease_until = clock.t + make_interval(secs => \(lease)), started_at = clock.t
            FROM clock
            WHERE job.id = COALESCE(
                (SELECT id FROM job WHERE claim = \(token) AND state = 'running'),
                (SELECT id FROM job, clock
                 WHERE (state = 'queued' AND available_at <= clock.t)
                    OR (state = 'running' AND lease_until < clock.t AND attempts < \(policy.maxAttempts))
                 ORDER BY priority DESC, id
                 FOR UPDATE OF job SKIP LOCKED LIMIT 1))
            RETURNING \(unescaped: Self.jobColumns)
            """)
        return try rows.first.map(Self.job)
    }

    /// Sets the lease of each of `worker`'s running jobs to end `lease` seconds from now.
    public func renewLeases(of worker: WorkerID, lease: TimeInterval) async throws -> Int {
        let now = clock?()
        return try await count(
            """
            UPDATE job SET lease_until = COALESCE(\(now)::timestamptz, now()) + make_interval(secs => \(lease))
            WHERE worker = \(worker.rawValue) AND state = 'running' RETURNING id
            """)
    }

    /// Marks the job done or failed and upserts its result row with the document, if its worker
    /// holds it on this attempt (or already finished it on this attempt: a retried write), in
    /// one statement.
    public func complete(_ job: Job, entry: ResultEntry, document: Data?) async throws -> Bool {
        let now = clock?()
        let state = entry.status == .failed ? "failed" : "done"
        let error = entry.status == .failed ? entry.error : nil
        var query: PostgresQuery = """
            WITH clock AS (SELECT COALESCE(\(now)::timestamptz, now()) AS t),
            finished AS (
                UPDATE job SET state = \(state), error = \(error), finished_at = clock.t, lease_until = NULL
                FROM clock
                WHERE id = \(job.id) AND worker = \(job.worker?.rawValue) AND attempts = \(job.attempts)
                  AND (state = 'running' OR state = \(state))
                RETURNING clock.t
            )
            """
        try Self.appendResultUpsert(entry, document: document, timeFrom: "finished", to: &query)
        return try await count(query) > 0
    }

    /// Queues the held job again after `policy`'s delay, or fails it, with a result row, after its last try.
    public func giveBack(_ job: Job, reason: String, policy: RetryPolicy) async throws -> JobState {
        let now = clock?()
        let held = "id = \(job.id) AND worker = $2 AND attempts = \(job.attempts) AND state = 'running'"
        if job.attempts >= policy.maxAttempts {
            var binds = PostgresBindings()
            binds.append(now)
            binds.append(job.worker?.rawValue)
            binds.append("\(reason) (after \(job.attempts) attempts)")
            let failed = try await count(
                PostgresQuery(
                    unsafeSQL: """
                        WITH clock AS (SELECT COALESCE($1::timestamptz, now()) AS t),
                        exhausted AS (
                            UPDATE job SET state = 'failed', error = $3, finished_at = clock.t, worker = NULL,
                                lease_until = NULL
                            FROM clock WHERE \(held)
                            RETURNING job.path, job.pipeline, job.pipeline_hash, job.error, clock.t
                        ),
                        failed_result AS (\(Self.failedResultInsert(from: "exhausted")))
                        SELECT 1 FROM exhausted
                        """, binds: binds))
            return failed > 0 ? .failed : job.state
        }
        var binds = PostgresBindings()
        binds.append(now)
        binds.append(job.worker?.rawValue)
        binds.append(reason)
        binds.append(policy.delay(after: job.attempts))
        let queued = try await count(
            PostgresQuery(
                unsafeSQL: """
                    UPDATE job SET state = 'queued', error = $3, worker = NULL, lease_until = NULL,
                        available_at = COALESCE($1::timestamptz, now()) + make_interval(secs => $4)
                    WHERE \(held) RETURNING id
                    """, binds: binds))
        return queued > 0 ? .queued : job.state
    }

    /// Queues the held job again after `delay` seconds, taking back the attempt its claim counted.
    public func postpone(_ job: Job, reason: String, delay: TimeInterval) async throws -> Bool {
        let now = clock?()
        return try await count(
            """
            UPDATE job SET state = 'queued', attempts = greatest(0, attempts - 1), error = \(reason), worker = NULL,
                lease_until = NULL, available_at = COALESCE(\(now)::timestamptz, now()) + make_interval(secs => \(delay))
            WHERE id = \(job.id) AND worker = \(job.worker?.rawValue) AND attempts = \(job.attempts)
              AND state = 'running'
            RETURNING id
            """) == 1
    }

    /// Queues every job `worker` holds again at once, taking back the attempts their claims counted.
    public func release(_ worker: WorkerID) async throws -> Int {
        let now = clock?()
        return try await count(
            """
            UPDATE job SET state = 'queued', attempts = greatest(0, attempts - 1), worker = NULL, lease_until = NULL,
                available_at = COALESCE(\(now)::timestamptz, now())
            WHERE worker = \(worker.rawValue) AND state = 'running' RETURNING id
            """)
    }

    /// The distinct workers of the running jobs, in no particular order.
    public func workersHoldingJobs() async throws -> [WorkerID] {
        try await values(
            "SELECT DISTINCT worker FROM job WHERE state = 'running' AND worker IS NOT NULL", as: String.self
        ).map(WorkerID.init(rawValue:))
    }

    /// Ends the leases of `worker`'s running jobs, so that the next `claim` takes them over.
    public func expireLeases(of worker: WorkerID) async throws -> Int {
        try await count(
            """
            UPDATE job SET lease_until = '-infinity' WHERE worker = \(worker.rawValue) AND state = 'running' RETURNING id
            """)
    }

    /// Queues every failed job again, attempts reset and available at once.
    public func retryFailed() async throws -> Int {
        let now = clock?()
        return try await count(
            """
            UPDATE job SET state = 'queued', attempts = 0, error = NULL, worker = NULL,
                available_at = COALESCE(\(now)::timestamptz, now()), finished_at = NULL
            WHERE state = 'failed' RETURNING id
            """)
    }

    /// Deletes the queued and failed jobs.
    public func clearQueue() async throws -> Int {
        try await count("DELETE FROM job WHERE state IN ('queued', 'failed') RETURNING id")
    }

    /// The jobs matching `query`, by id, in one statement: a filter that is not set is NULL.
    public func jobs(_ query: JobQuery) async throws -> [Job] {
        try await rows(
            """
            SELECT \(unescaped: Self.jobColumns) FROM job
            WHERE (\(query.id)::bigint IS NULL OR id = \(query.id))
              AND (\(query.sha256)::text IS NULL OR sha256 = \(query.sha256))
              AND (\(query.pipelineHash)::text IS NULL OR pipeline_hash = \(query.pipelineHash))
              AND (\(query.state?.rawValue)::text IS NULL OR state = \(query.state?.rawValue))
              AND (\(query.queuedSince)::timestamptz IS NULL OR queued_at >= \(query.queuedSince))
              AND (\(query.fusedEmotion)::text IS NULL
                   OR path IN (SELECT file FROM result WHERE fused_emotion = \(query.fusedEmotion)))
              AND (\(query.afterID)::bigint IS NULL OR id > \(query.afterID))
            ORDER BY id LIMIT \(max(0, query.limit))
            """
        ).map(Self.job)
    }

    /// Deletes the job when it is queued (the state checked again under the row's lock, so a job
    /// claimed meanwhile stays); returns the state it had, in one statement.
    public func cancel(_ id: Int64) async throws -> JobState? {
        let rows = try await rows(
            """
            WITH gone AS (DELETE FROM job WHERE id = \(id) AND state = 'queued' RETURNING state)
            SELECT state FROM gone
            UNION ALL SELECT state FROM job WHERE id = \(id) AND NOT EXISTS (SELECT 1 FROM gone)
            """)
        return try rows.first.flatMap { JobState(rawValue: try $0.decode(String.self)) }
    }

    /// Counts the jobs by state (from the state index), and the rate of those finished in the
    /// last ten minutes, in one statement.
    public func counts() async throws -> QueueCounts {
        let now = clock?()
        let rows = try await rows(
            """
            WITH clock AS (SELECT COALESCE(\(now)::timestamptz, now()) AS t),
            recent AS (
                SELECT count(*) AS n, min(started_at) AS first FROM job, clock
                WHERE finished_at >= clock.t - interval '600 seconds'
            )
            SELECT state, count(*)::bigint, 0::float8 FROM job GROUP BY state
            UNION ALL
            SELECT 'retrying', count(*)::bigint, 0 FROM job, clock WHERE state = 'queued' AND available_at > clock.t
            UNION ALL
            SELECT 'recent', n, COALESCE(extract(epoch FROM clock.t - greatest(first, clock.t - interval '600 seconds')), -1)::float8
            FROM recent, clock
            """)
        var counts = QueueCounts()
        for row in rows {
            let (name, n, span) = try row.decode((String, Int, Double).self)
            switch name {
            case "queued": counts.queued = n
            case "running": counts.running = n
            case "done": counts.done = n
            case "failed": counts.failed = n
            case "retrying": counts.waitingToRetry = n
            case "recent" where n > 0 && span >= 0: counts.perMinute = Double(n) / max(1, span) * 60
            default: break
            }
        }
        return counts
    }

    // MARK: Results index

    /// Upserts `entry` and its document into the `result` table, stamped with the database's clock.
    public func record(_ entry: ResultEntry, document: Data?) async throws {
        let now = clock?()
        var query: PostgresQuery = "WITH clock AS (SELECT COALESCE(\(now)::timestamptz, now()) AS t)"
        try Self.appendResultUpsert(entry, document: document, timeFrom: "clock", to: &query)
        _ = try await count(query)
    }

    /// The `document` of the files' `result` rows, as `jsonb` prints it, in one query.
    public func documents(of files: [String]) async throws -> [String: Data] {
        guard !files.isEmpty else { return [:] }
        let rows = try await rows(
            "SELECT file, document::text FROM result WHERE document IS NOT NULL AND file = ANY(\(files))")
        return Dictionary(
            uniqueKeysWithValues: try rows.map { row in
                let (file, text) = try row.decode((String, String).self)
                return (file, Data(text.utf8))
            })
    }

    /// The file's `result` row, in one statement.
    public func result(of file: String) async throws -> StoredResult? {
        let columns = ResultEntry.columns.joined(separator: ", ")
        let rows = try await rows(
            "SELECT \(unescaped: columns), document::text FROM result WHERE file = \(file)")
        return try rows.first.map { row in
            let values = try row.map { try $0.decode(String?.self) }
            return StoredResult(
                entry: Self.entry(values.dropLast()), document: values.last.flatMap { $0.map { Data($0.utf8) } })
        }
    }

    /// The `result` rows recorded at or after `since` (all when nil), by time and then file.
    public func results(since: Date?) async throws -> [ResultEntry] {
        let columns = ResultEntry.columns.joined(separator: ", ")
        return try await rows(
            """
            SELECT \(unescaped: columns) FROM result
            WHERE \(since)::timestamptz IS NULL OR recorded_at >= \(since)::timestamptz
            ORDER BY recorded_at, file
            """
        ).map { row in Self.entry(try row.map { try $0.decode(String?.self) }) }
    }

    /// The entry of a `result` row's `ResultEntry.columns`, in order.
    private static func entry(_ values: some Collection<String?>) -> ResultEntry {
        ResultEntry(fields: Dictionary(uniqueKeysWithValues: zip(ResultEntry.columns, values.map { $0 ?? "" })))
    }

    /// The number of rows in the `result` table.
    public func resultCount() async throws -> Int {
        try await values("SELECT count(*)::bigint FROM result", as: Int.self).first ?? 0
    }

    // MARK: Human labels

    /// Inserts or replaces `label`'s row in the `label` table, stamped with the database's clock.
    public func setLabel(_ label: HumanLabel) async throws {
        let now = clock?()
        _ = try await count(
            """
            INSERT INTO label (file, emotion, source, labelled_at)
            VALUES (\(label.file), \(label.emotion), \(label.source), COALESCE(\(now)::timestamptz, now()))
            ON CONFLICT (file) DO UPDATE SET emotion = EXCLUDED.emotion, source = EXCLUDED.source,
                labelled_at = EXCLUDED.labelled_at
            RETURNING 1
            """)
    }

    /// Every row of the `label` table, by file path.
    public func labels() async throws -> [HumanLabel] {
        try await rows("SELECT file, emotion, source FROM label ORDER BY file").map { row in
            let (file, emotion, source) = try row.decode((String, String, String).self)
            return HumanLabel(file: file, emotion: emotion, source: source)
        }
    }

    // MARK: Waiting

    /// Listens for a queued job's `NOTIFY` until one comes or `timeout` passes. A job queued
    /// between the caller's empty claim and the `LISTEN` is found at the timeout, which is why
    /// there is one.
    public func waitForJobs(upTo timeout: Duration) async {
        let started = ContinuousClock.now
        do {
            try await Deadline.run(timeout) { [client] in
                try await client.withConnection { connection in
                    try await connection.listen(on: PostgresSchema.jobsChannel) { notifications in
                        for try await _ in notifications { return }
                    }
                }
            }
        } catch is Deadline.Passed {
            return
        } catch {
            // No connection to listen on (the server restarting): wait out the poll interval all the same.
            try? await Task.sleep(for: timeout - (ContinuousClock.now - started))
        }
    }

    // MARK: Statements

    static let jobColumns =
        "job.id, job.path, job.sha256, job.size_bytes, job.modified, job.pipeline, job.pipeline_hash, job.priority, "
        + "job.state, job.attempts, job.worker, job.error, job.queued_at, job.finished_at"

    private static func job(_ row: PostgresRow) throws -> Job {
        let cells = row.makeRandomAccess()
        return Job(
            id: try cells["id"].decode(Int64.self), path: try cells["path"].decode(String.self),
            sha256: try cells["sha256"].decode(String.self), sizeBytes: try cells["size_bytes"].decode(Int64.self),
            modified: try cells["modified"].decode(Double.self), pipeline: try cells["pipeline"].decode(String.self),
            pipelineHash: try cells["pipeline_hash"].decode(String.self),
            priority: try cells["priority"].decode(Int.self),
            state: JobState(rawValue: try cells["state"].decode(String.self)) ?? .queued,
            attempts: try cells["attempts"].decode(Int.self),
            worker: try cells["worker"].decode(String?.self).map(WorkerID.init(rawValue:)),
            error: try cells["error"].decode(String?.self), queuedAt: try cells["queued_at"].decode(Date?.self),
            finishedAt: try cells["finished_at"].decode(Date?.self))
    }

    /// An `INSERT … SELECT` of failed result rows (no document) from a CTE `cte` of failed jobs
    /// with columns `path, pipeline, pipeline_hash, error, t`: what `ResultEntry.failed` records.
    private static func failedResultInsert(from cte: String) -> String {
        """
        INSERT INTO result (file, recorded_at, document, status, error, pipeline, pipeline_hash, analyzed_at)
        SELECT path, t, NULL, 'failed', path || ': ' || error, pipeline, pipeline_hash,
               to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
        FROM \(cte)
        ON CONFLICT (file) DO UPDATE SET \(upsertAssignments)
        """
    }

    /// `column = EXCLUDED.column` for every column of `result` but its key: a new result replaces
    /// the whole row, leaving nothing of the older one.
    private static let upsertAssignments = (["recorded_at", "document"] + ResultEntry.columns.dropFirst())
        .map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")

    /// Appends to `query` (a `WITH` clause whose CTE `timeFrom` has a column `t`) the upsert of
    /// `entry` and its document, stamped with `t`, returning a row when it was written.
    private static func appendResultUpsert(
        _ entry: ResultEntry, document: Data?, timeFrom cte: String, to query: inout PostgresQuery
    ) throws {
        var sql = query.sql
        var binds = query.binds
        let start = binds.count + 1
        let fields = entry.fields
        for field in fields { binds.append(field) }
        binds.append(document.map { String(decoding: $0, as: UTF8.self) })
        let values = fields.indices.map { "$\(start + $0)" }.joined(separator: ", ")
        sql += """

            INSERT INTO result (recorded_at, document, \(ResultEntry.columns.joined(separator: ", ")))
            SELECT t, $\(start + fields.count)::jsonb, \(values) FROM \(cte)
            ON CONFLICT (file) DO UPDATE SET \(upsertAssignments)
            RETURNING 1
            """
        query = PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    // MARK: Running statements

    private func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await perform { [client, logger] in try await client.query(query, logger: logger).collect() }
    }

    private func values<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: T.Type) async throws -> [T] {
        try await rows(query).map { try $0.decode(T.self) }
    }

    /// Runs a statement that returns a row per row it changed, and counts them.
    private func count(_ query: PostgresQuery) async throws -> Int {
        try await rows(query).count
    }

    /// How long one try of a statement may go unanswered before it is given up and tried again:
    /// every statement of the store takes milliseconds.
    static let answerTimeout = Duration.seconds(15)

    /// Runs `body`, trying again with backoff while the server is unreachable (restarting, a
    /// dropped connection, no answer in `answerTimeout`) for up to `reconnectFor`; every failure
    /// leaves as `StoreError`. A try given up may still have gone through: every statement is
    /// safe to repeat (claims carry a token, results are written for their worker and attempt).
    private func perform<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let deadline = ContinuousClock.now + reconnectFor
        var delay = Duration.milliseconds(100)
        while true {
            do {
                return try await Deadline.run(Self.answerTimeout, body)
            } catch {
                guard PostgresFailure.isTransient(error), ContinuousClock.now + delay < deadline, !Task.isCancelled
                else {
                    throw StoreError.unavailable(path: address.description, reason: PostgresFailure.words(for: error))
                }
                logger.warning(
                    "store unreachable; trying again",
                    metadata: ["error": "\(PostgresFailure.words(for: error))", "in": "\(delay)"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }

    private func checkSchemaIsKnown() async throws {
        let version = try await values("SELECT max(version) FROM emoscan_schema", as: Int.self).first ?? 0
        let known = PostgresSchema.migrations.last?.version ?? 0
        guard version <= known else {
            throw StoreError.unavailable(
                path: address.description,
                reason:
                    "the store's schema (version \(version)) is newer than this emoscan's (\(known)): upgrade emoscan"
            )
        }
    }

    // MARK: Connecting

    /// One connection, opened and closed, before the pool starts: the pool retries a refused
    /// connection quietly, where a command starting up must say at once what is wrong.
    private static func probe(_ address: PostgresAddress, logger: Logger) async throws {
        do {
            let connection = try await PostgresConnection.connect(
                configuration: try connectionConfiguration(address), id: 0, logger: logger)
            do {
                try await connection.query("SELECT 1", logger: logger)
            } catch {
                try? await connection.close()
                throw error
            }
            try? await connection.close()
        } catch {
            throw StoreError.unavailable(path: address.description, reason: PostgresFailure.words(for: error))
        }
    }

    private static func tlsConfiguration(_ address: PostgresAddress) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch address.sslMode {
        case .disable, .prefer, .require: tls.certificateVerification = .none  // libpq checks nothing in these modes
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if let root = address.rootCertificate { tls.trustRoots = .file(root) }
        return tls
    }

    private static func clientConfiguration(_ address: PostgresAddress) throws -> PostgresClient.Configuration {
        if address.isUnixSocket {
            return PostgresClient.Configuration(
                unixSocketPath: address.socketPath, username: address.user, password: address.password,
                database: address.database)
        }
        let tls: PostgresClient.Configuration.TLS =
            switch address.sslMode {
            case .disable: .disable
            case .prefer: .prefer(tlsConfiguration(address))
            case .require, .verifyCA, .verifyFull: .require(tlsConfiguration(address))
            }
        return PostgresClient.Configuration(
            host: address.host, port: address.port, username: address.user, password: address.password,
            database: address.database, tls: tls)
    }

    private static func connectionConfiguration(_ address: PostgresAddress) throws -> PostgresConnection.Configuration {
        if address.isUnixSocket {
            return PostgresConnection.Configuration(
                unixSocketPath: address.socketPath, username: address.user, password: address.password,
                database: address.database)
        }
        let tls: PostgresConnection.Configuration.TLS =
            switch address.sslMode {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: tlsConfiguration(address)))
            case .require, .verifyCA, .verifyFull: .require(try NIOSSLContext(configuration: tlsConfiguration(address)))
            }
        return PostgresConnection.Configuration(
            host: address.host, port: address.port, username: address.user, password: address.password,
            database: address.database, tls: tls)
    }
}
