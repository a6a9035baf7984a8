/// One colour per emotion, the same in every chart and every report: the face model's and the
/// voice model's names for one emotion (`fear`, `fearful`) share it, so a face band and a voice
/// band that agree look alike.
public enum EmotionPalette {
    /// The colour of `emotion` (`#rrggbb`); an emotion not listed gets a colour derived from its
    /// name, stable from run to run.
    public static func color(for emotion: String) -> String {
        if let known = known[emotion.lowercased()] { return known }
        // FNV-1a over the name: the same name, the same colour, without a seeded hasher.
        var hash: UInt32 = 2_166_136_261
        for byte in emotion.lowercased().utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return spare[Int(hash % UInt32(spare.count))]
    }

    /// Frames without an accepted face, and audio without speech: grey, not an emotion's colour.
    public static let nothing = "#c8c8c8"

    static let known: [String: String] = [
        "neutral": "#8c8c8c", "calm": "#6baed6", "happy": "#f2b701", "sad": "#3366cc", "angry": "#d62728",
        "fear": "#8e44ad", "fearful": "#8e44ad", "disgust": "#2ca02c", "surprise": "#ff7f0e",
        "surprised": "#ff7f0e", "contempt": "#8c564b", "boredom": "#7f7f7f",
    ]

    static let spare = ["#17becf", "#bcbd22", "#e377c2", "#9edae5", "#c49c94", "#aec7e8"]
}
