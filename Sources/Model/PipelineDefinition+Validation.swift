extension PipelineDefinition {
    /// Range checks that types alone cannot express.
    ///
    /// - Parameter path: names the pipeline's file in the error.
    /// - Throws: `PipelineError.invalidValue` naming the first key at fault.
    public func validate(path: String) throws {
        func check(_ ok: Bool, _ key: String, _ reason: String) throws {
            if !ok { throw PipelineError.invalidValue(path: path, key: key, reason: reason) }
        }
        try check(sampling.maxFrames >= 1, "sampling.max_frames", "must be at least 1")
        try check(sampling.maxWidth >= 16, "sampling.max_width", "must be at least 16")
        try check(sampling.decoderThreads >= 0, "sampling.decoder_threads", "must be 0 (automatic) or more")
        try check(sampling.maxPixels >= 256, "sampling.max_pixels", "must be at least 256")
        try check(sampling.maxSpeechSeconds >= 1, "sampling.max_speech_seconds", "must be at least 1")
        try check((0...255).contains(filters.minBrightness), "filters.min_brightness", "must be within 0...255")
        try check(
            (0...255).contains(filters.maxBrightness) && filters.maxBrightness > filters.minBrightness,
            "filters.max_brightness", "must be within 0...255 and above min_brightness")
        try check(filters.minSharpness >= 0, "filters.min_sharpness", "must be 0 or more")
        try check(filters.minFaceSize >= 0, "filters.min_face_size", "must be 0 or more")
        try check(detector.detectionWidth >= 64, "detector.detection_width", "must be at least 64")
        try check(detector.scaleFactor > 1, "detector.scale_factor", "must be above 1")
        try check(detector.minNeighbors >= 0, "detector.min_neighbors", "must be 0 or more")
        try check(detector.minScore > 0 && detector.minScore < 1, "detector.min_score", "must be between 0 and 1")
        try check(detector.minSize >= 1, "detector.min_size", "must be at least 1")
        try check(
            detector.fullSearchEvery >= 1, "detector.full_search_every",
            "must be at least 1 (1: every frame searched whole)")
        try check(faceModel.inputSize >= 8, "face_model.input_size", "must be at least 8")
        try check(faceModel.cropMargin >= 0, "face_model.crop_margin", "must be 0 or more")
        try check(
            faceModel.eyeDistance > 0 && faceModel.eyeDistance < 1, "face_model.eye_distance", "must be between 0 and 1"
        )
        try check(
            faceModel.eyeHeight > 0 && faceModel.eyeHeight < 1, "face_model.eye_height", "must be between 0 and 1")
        try check(
            faceModel.labels.count >= 2 && Set(faceModel.labels).count == faceModel.labels.count,
            "face_model.labels", "must name at least two distinct classes")
        try check(
            faceModel.sha256.count == 64 && faceModel.sha256.allSatisfy(\.isHexDigit),
            "face_model.sha256", "must be 64 hex digits")
        // Labels key dictionaries in result documents, whose keys the snake_case coding would rewrite.
        let simpleLabel = { (label: String) in !label.isEmpty && label.allSatisfy { $0.isLowercase && $0.isASCII } }
        try check(faceModel.labels.allSatisfy(simpleLabel), "face_model.labels", "must be lowercase words (a-z)")
        try check(voiceModel.labels.allSatisfy(simpleLabel), "voice_model.labels", "must be lowercase words (a-z)")
        try check(modalities.face || modalities.voice, "modalities", "must turn on face, voice or both")
        try check(voice.rangeDB > 0, "voice.range_db", "must be above 0")
        try check(voice.aboveFloorDB >= 0, "voice.above_floor_db", "must be 0 or more")
        try check(voice.mergeGapSeconds >= 0, "voice.merge_gap_seconds", "must be 0 or more")
        try check(voice.minSpeechSeconds >= 0, "voice.min_speech_seconds", "must be 0 or more")
        try check(voice.paddingSeconds >= 0, "voice.padding_seconds", "must be 0 or more")
        try check((0...1).contains(voice.minDipFraction), "voice.min_dip_fraction", "must be within 0...1")
        try check(voice.maxSegmentSeconds >= 0.5, "voice.max_segment_seconds", "must be at least 0.5")
        try check(
            (8000...192_000).contains(voiceModel.sampleRate), "voice_model.sample_rate", "must be within 8000...192000")
        try check(
            voiceModel.labels.count >= 2 && Set(voiceModel.labels).count == voiceModel.labels.count,
            "voice_model.labels", "must name at least two distinct classes")
        try check(
            voiceModel.sha256.count == 64 && voiceModel.sha256.allSatisfy(\.isHexDigit),
            "voice_model.sha256", "must be 64 hex digits")
        try check(
            !voiceModel.features.usesWhisper || whisper != nil, "whisper",
            "is missing: voice_model.features \(voiceModel.features.rawValue) needs the Whisper model")
        if let whisper {
            try check(
                whisper.sha256.count == 64 && whisper.sha256.allSatisfy(\.isHexDigit), "whisper.sha256",
                "must be 64 hex digits")
            try check(
                !whisper.identifyLanguage || voiceModel.sampleRate == 16000, "whisper.identify_language",
                "needs voice_model.sample_rate 16000: the language is told from the voice branch's 16 kHz speech")
            try check((0...1).contains(whisper.noSpeechAbove), "whisper.no_speech_above", "must be within 0...1")
        }
        try check(
            fusion.faceWeight >= 0 && fusion.voiceWeight >= 0 && fusion.faceWeight + fusion.voiceWeight > 0,
            "fusion", "face_weight and voice_weight must be 0 or more, and not both 0")
        try check((0...1).contains(fusion.minConfidence), "fusion.min_confidence", "must be within 0...1")
        for (voiceLabel, faceLabel) in fusion.voiceToFace {
            try check(
                faceModel.labels.contains(faceLabel), "fusion.voice_to_face.\(voiceLabel)",
                "maps to '\(faceLabel)', which is not one of face_model.labels")
        }
    }
}
