import Logging
import Media

/// `--log-format text`: swift-log's stream handler on stderr, with control characters in the
/// message and metadata escaped (`FileSystemPath.displayed`), so that a file name holding a
/// newline cannot split one log line into two that a reader or a log shipper takes apart.
struct TextLogHandler: LogHandler {
    private var stream: StreamLogHandler

    init(label: String, level: Logger.Level) {
        stream = StreamLogHandler.standardError(label: label)
        stream.logLevel = level
    }

    var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { stream.metadata }
        set { stream.metadata = newValue.mapValues(Self.escaped) }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { stream[metadataKey: key] }
        set { stream[metadataKey: key] = newValue.map(Self.escaped) }
    }

    func log(event: LogEvent) {
        var event = event
        event.message = "\(FileSystemPath.displayed(event.message.description))"
        event.metadata = event.metadata?.mapValues(Self.escaped)
        stream.log(event: event)
    }

    private static func escaped(_ value: Logger.MetadataValue) -> Logger.MetadataValue {
        switch value {
        case .string(let text): return .string(FileSystemPath.displayed(text))
        case .stringConvertible(let convertible): return .string(FileSystemPath.displayed(convertible.description))
        case .array(let values): return .array(values.map(escaped))
        case .dictionary(let values): return .dictionary(values.mapValues(escaped))
        }
    }
}
