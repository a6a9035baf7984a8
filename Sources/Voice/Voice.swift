// The voice branch: speech segments, librosa-compatible features, voice classification.
