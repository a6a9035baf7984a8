import Logging
import PostgresNIO

/// The store's tables, as numbered migrations applied in order from version 1. A released
/// migration is never edited: a change is a new one, so that any older database is brought up to
/// date. `emoscan_schema` records what was applied.
enum PostgresSchema {
    struct Migration {
        let version: Int
        let name: String
        /// One statement each: the extended protocol takes one at a time.
        let statements: [String]
    }

    /// An arbitrary constant (`emoscan` in ASCII): the advisory lock's key, so that two machines
    /// starting at once migrate one after the other.
    static let lockKey: Int64 = 0x656d_6f73_6361_6e

    /// The channel a queued job is announced on, to wake idle workers.
    static let jobsChannel = "emoscan_jobs"

    static let migrations = [
        Migration(
            version: 1, name: "jobs, results with their documents, labels",
            statements: [
                """
                CREATE TABLE job (
                    id            bigserial PRIMARY KEY,
                    path          text             NOT NULL,
                    sha256        text             NOT NULL,
                    size_bytes    bigint           NOT NULL,
                    modified      double precision NOT NULL,
                    pipeline      text             NOT NULL,
                    pipeline_hash text             NOT NULL,
                    priority      integer          NOT NULL DEFAULT 0,
                    state         text             NOT NULL DEFAULT 'queued'
                                  CHECK (state IN ('queued', 'running', 'done', 'failed')),
                    attempts      integer          NOT NULL DEFAULT 0,
                    available_at  timestamptz      NOT NULL,
                    worker        text,
                    claim         text,
                    lease_until   timestamptz,
                    error         text,
                    queued_at     timestamptz      NOT NULL,
                    started_at    timestamptz,
                    finished_at   timestamptz,
                    UNIQUE (sha256, pipeline_hash)
                )
                """,
                // A claim reads this index in its order and stops at the first row it can lock:
                // done and failed jobs, the bulk of a big table, are not in it.
                "CREATE INDEX job_claimable ON job (priority DESC, id) WHERE state IN ('queued', 'running')",
                "CREATE INDEX job_by_state ON job (state)",
                "CREATE INDEX job_by_path ON job (path)",
                "CREATE INDEX job_by_worker ON job (worker) WHERE state = 'running'",
                "CREATE INDEX job_by_claim ON job (claim) WHERE state = 'running'",
                "CREATE INDEX job_by_finish ON job (finished_at) WHERE finished_at IS NOT NULL",
                // One row per file, its latest result: summary.csv's columns as text, and the document.
                """
                CREATE TABLE result (
                    file                text PRIMARY KEY,
                    recorded_at         timestamptz NOT NULL,
                    document            jsonb,
                    status              text NOT NULL,
                    error               text,
                    duration_s          text,
                    frames_sampled      text,
                    frames_with_face    text,
                    frames_accepted     text,
                    face_emotion        text,
                    face_confidence     text,
                    result              text,
                    pipeline            text,
                    pipeline_hash       text,
                    analyzed_at         text,
                    voice_emotion       text,
                    voice_confidence    text,
                    fused_emotion       text,
                    fused_confidence    text,
                    fusion_method       text,
                    language            text,
                    language_confidence text
                )
                """,
                "CREATE INDEX result_by_time ON result (recorded_at, file)",
                """
                CREATE TABLE label (
                    file        text PRIMARY KEY,
                    emotion     text NOT NULL,
                    source      text NOT NULL,
                    labelled_at timestamptz NOT NULL
                )
                """,
                // Idle workers LISTEN; a job becoming claimable NOTIFYs them. Notifications of one
                // transaction with the same payload are delivered once, however many rows it queued.
                """
                CREATE FUNCTION emoscan_job_queued() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('\(jobsChannel)', '');
                    RETURN NULL;
                END $$
                """,
                """
                CREATE TRIGGER job_queued AFTER INSERT OR UPDATE OF state ON job
                FOR EACH ROW WHEN (NEW.state = 'queued') EXECUTE FUNCTION emoscan_job_queued()
                """,
            ])
    ]

    /// Brings the database up to the latest version, in one transaction under the advisory lock:
    /// a second process waits, then finds nothing left to do.
    ///
    /// - Returns: the versions applied now (empty when it was up to date).
    static func migrate(_ client: PostgresClient, logger: Logger) async throws -> [Int] {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS emoscan_schema (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, logger: logger)
            var current = 0
            for try await version in try await connection.query(
                "SELECT COALESCE(max(version), 0) FROM emoscan_schema", logger: logger
            ).decode(Int.self) {
                current = version
            }
            var applied: [Int] = []
            for migration in migrations where migration.version > current {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO emoscan_schema (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger)
                applied.append(migration.version)
            }
            return applied
        }
    }
}
