/// The audio stream's format as stored, before emoscan downmixes and resamples it.
public struct AudioStreamInfo: Codable, Sendable, Equatable {
    public var streamIndex: Int
    public var codec: String
    public var sampleRate: Int
    public var channels: Int

    public init(streamIndex: Int, codec: String, sampleRate: Int, channels: Int) {
        self.streamIndex = streamIndex
        self.codec = codec
        self.sampleRate = sampleRate
        self.channels = channels
    }
}
