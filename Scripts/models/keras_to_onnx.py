#!/usr/bin/env python3
"""Convert a Keras HDF5 model to an ONNX file that OpenCV 4.6's cv::dnn can run.

Usage: keras_to_onnx.py MODEL.h5 OUT.onnx [--architecture MODEL.json]
                        [--input-name input] [--output-name probs]

A model saved whole (`model.save`) carries its architecture in the file's
`model_config` attribute and its weights under `model_weights/<layer>/`. A
weights-only file (`model.save_weights`, layer groups at the root) needs the
architecture JSON (`model.to_json()`) given with --architecture. Functional and
Sequential models are read. Weight names come from each layer's
`weight_names` attribute (older Keras files store weights under paths such as
`conv2d_1_1/kernel:0` that do not match the layer name).

The converter needs neither TensorFlow nor Keras. Each Keras class is handled
by a function registered twice:
  * in CONVERTERS, which emits ONNX nodes (NCHW layout), and
  * in REFERENCE, a plain numpy forward pass with Keras semantics (NHWC,
    TensorFlow "same" padding, BatchNormalization not folded, Flatten in
    Keras' channels-last order).
After conversion the ONNX model is run with onnxruntime on several inputs and
compared against the numpy reference; the file is only written when they agree
to TOLERANCE, otherwise the script exits non-zero. Handled: InputLayer, Conv1D,
Conv2D, SeparableConv2D, BatchNormalization (after a Conv), Activation,
MaxPooling1D, MaxPooling2D, Add, GlobalAveragePooling2D, Flatten, Dense,
Dropout; activations linear, relu, softmax.

Choices made for OpenCV 4.6:
  * NCHW graph; the batch dimension is symbolic ("N").
  * A model with one spatial dimension (Conv1D, input (W, C) in Keras) becomes
    a 2-D graph with H = 1: its ONNX input is [N, C, 1, W] (audioanalytics'
    model: [N, 1, 1, 181]), Conv1D a Conv with kernel [1, k], MaxPooling1D a
    MaxPool with kernel [1, k]. OpenCV 4.6's ONNX importer is unreliable with
    1-D convolutions.
  * Depthwise convolutions are grouped `Conv` nodes (group = channels).
  * TensorFlow "same" padding is written as explicit, possibly asymmetric
    `pads` (OpenCV's auto_pad handling differs from TensorFlow's).
  * BatchNormalization is folded into the preceding Conv.
  * Flatten is an ONNX Flatten, which orders elements channels first, where
    Keras flattens channels last (time-major for Conv1D): the first Dense
    after it gets its weight rows permuted to match (Tensor.flat_order).
  * Dense is `Gemm` with the weight stored [out, in] and transB=1 (OpenCV 4.6
    rejects transB=0 together with a bias); Dropout is the identity.
  * opset 11 with matching IR version 6.
The output is byte-for-byte deterministic: node and tensor names derive from
Keras layer names, there are no timestamps, and the producer is fixed.

Adding layers: register a converter and a reference function for each new
class. Tensor shapes are tracked in Keras order (spatial..., channels) as the
ONNX graph holds them (so with the leading H = 1 of a 1-D model); the handlers
are written for any number of spatial dimensions (see `_lift`).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass, field
from typing import Callable

import h5py
import numpy as np
import onnx
import onnxruntime as ort
from numpy.lib.stride_tricks import sliding_window_view
from onnx import TensorProto, helper, numpy_helper

OPSET = 11
IR_VERSION = 6  # the IR version that goes with opset 11
PRODUCER = "emoscan keras_to_onnx"
PRODUCER_VERSION = "1"
TOLERANCE = 1e-5
BATCH_DIM = "N"


# --------------------------------------------------------------------------
# Reading the Keras file


class ConversionError(Exception):
    pass


@dataclass
class KerasLayer:
    class_name: str
    name: str
    config: dict
    inputs: list[str]  # names of the layers whose outputs feed this layer
    weights: list[np.ndarray]


@dataclass
class KerasModel:
    layers: list[KerasLayer]  # in topological order, as Keras stores them
    input_layer: str
    output_layer: str
    input_shape: tuple[int, ...]  # without batch, channels last


def _decode(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _sequential_layers(config: dict) -> list[dict]:
    """The layer specs of a Sequential model as functional ones: each layer reads
    the one before it, and the input layer that Keras before 2.4 leaves implicit
    (the first layer's `batch_input_shape`) is made explicit."""
    specs = config["config"]
    specs = specs["layers"] if isinstance(specs, dict) else specs  # Keras < 2.2.3: a bare list
    if not specs:
        raise ConversionError("empty Sequential model")
    if specs[0]["class_name"] != "InputLayer":
        first = specs[0]["config"]
        if "batch_input_shape" not in first:
            raise ConversionError("Sequential model without an input shape")
        input_config = {"name": f"{first['name']}_input", "batch_input_shape": first["batch_input_shape"]}
        specs = [{"class_name": "InputLayer", "config": input_config}] + specs
    layers, previous = [], None
    for spec in specs:
        name = spec["config"]["name"]
        inbound = [] if previous is None else [[[previous, 0, 0, {}]]]
        layers.append({"class_name": spec["class_name"], "name": name, "config": spec["config"],
                       "inbound_nodes": inbound})
        previous = name
    return layers


def load_keras_model(path: str, architecture: str | None = None) -> KerasModel:
    """Read a model saved whole (`model.save`: architecture in the
    `model_config` attribute, weights under `model_weights/`) or, with
    `architecture`, a weights-only file (`model.save_weights`: layer groups at
    the root) plus the architecture JSON (`model.to_json()`)."""
    with h5py.File(path, "r") as f:
        if architecture is not None:
            with open(architecture, encoding="utf-8") as a:
                config = json.load(a)
        elif "model_config" in f.attrs:
            config = json.loads(_decode(f.attrs["model_config"]))
        else:
            raise ConversionError(f"{path} holds weights only: give the architecture JSON (--architecture)")
        weights_group = f["model_weights"] if "model_weights" in f else f
        if config["class_name"] == "Sequential":
            layer_specs = _sequential_layers(config)
            input_layer, output_layer = layer_specs[0]["name"], layer_specs[-1]["name"]
        elif config["class_name"] in ("Model", "Functional"):
            layer_specs = config["config"]["layers"]
            (input_layer,) = [entry[0] for entry in config["config"]["input_layers"]]
            (output_layer,) = [entry[0] for entry in config["config"]["output_layers"]]
        else:
            raise ConversionError(f"only functional and Sequential models are supported, "
                                  f"got {config['class_name']}")
        layers = []
        for spec in layer_specs:
            name = spec["name"]
            nodes = spec["inbound_nodes"]
            if len(nodes) > 1:
                raise ConversionError(f"layer {name} is shared (called {len(nodes)} times)")
            inputs = []
            for inbound in nodes[0] if nodes else []:
                src, node_index, tensor_index = inbound[0], inbound[1], inbound[2]
                if node_index != 0 or tensor_index != 0:
                    raise ConversionError(f"layer {name}: multi-output inputs are not supported")
                inputs.append(src)
            weights = []
            if name in weights_group:
                group = weights_group[name]
                for weight_name in group.attrs["weight_names"]:
                    weights.append(np.asarray(group[_decode(weight_name)], dtype=np.float32))
            layers.append(KerasLayer(spec["class_name"], name, spec["config"], inputs, weights))
        stored = {_decode(n) for n in weights_group.attrs.get("layer_names", [])
                  if len(weights_group[_decode(n)].attrs["weight_names"])}
        unused = stored - {layer.name for layer in layers}
        if unused:
            raise ConversionError(f"weights for layers not in the architecture: {sorted(unused)}")
    (input_spec,) = [layer for layer in layers if layer.name == input_layer]
    input_shape = tuple(input_spec.config["batch_input_shape"][1:])
    if None in input_shape:
        raise ConversionError(f"input {input_layer} needs a fixed shape, got {input_shape}")
    return KerasModel(layers, input_layer, output_layer, input_shape)


# --------------------------------------------------------------------------
# Shared helpers


def same_pads(in_sizes, kernel, strides) -> tuple[list[int], list[int]]:
    """TensorFlow "same" padding: output = ceil(in / stride), and any odd
    padding goes after (bottom/right) rather than before."""
    begins, ends = [], []
    for size, k, s in zip(in_sizes, kernel, strides):
        out = math.ceil(size / s)
        total = max((out - 1) * s + k - size, 0)
        begins.append(total // 2)
        ends.append(total - total // 2)
    return begins, ends


def _pads_for(config: dict, in_sizes, kernel, strides) -> tuple[list[int], list[int]]:
    padding = config["padding"]
    if padding == "same":
        return same_pads(in_sizes, kernel, strides)
    if padding == "valid":
        return [0] * len(kernel), [0] * len(kernel)
    raise ConversionError(f"unsupported padding {padding!r}")


def _output_sizes(in_sizes, kernel, strides, begins, ends) -> list[int]:
    return [(n + b + e - k) // s + 1 for n, k, s, b, e in zip(in_sizes, kernel, strides, begins, ends)]


def _check_conv_config(layer: KerasLayer) -> None:
    config = layer.config
    if config.get("data_format", "channels_last") != "channels_last":
        raise ConversionError(f"{layer.name}: only channels_last is supported")
    if any(d != 1 for d in config.get("dilation_rate", [1])):
        raise ConversionError(f"{layer.name}: dilation is not supported")


# --------------------------------------------------------------------------
# ONNX graph under construction


@dataclass
class Node:
    op: str
    name: str
    inputs: list[str]
    attrs: dict = field(default_factory=dict)

    @property
    def output(self) -> str:
        return self.name  # every node has one output, named after the node


@dataclass
class Tensor:
    name: str  # ONNX tensor name
    # Shape without batch in Keras order, (spatial..., channels), as the ONNX
    # graph holds it: a 1-D model's tensors carry an extra leading spatial 1
    # (H = 1, see convert()).
    shape: tuple[int, ...]
    # Set on a flattened tensor whose ONNX element order (channels first)
    # differs from Keras' (channels last): ONNX element i is Keras element
    # flat_order[i]. The next Dense permutes its weight rows with it.
    flat_order: np.ndarray | None = None


class Graph:
    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self.params: dict[str, np.ndarray] = {}  # initializers, in creation order
        self.producers: dict[str, Node] = {}

    def param(self, name: str, array: np.ndarray) -> str:
        self.params[name] = np.ascontiguousarray(array, dtype=np.float32)
        return name

    def add(self, op: str, name: str, inputs: list[str], **attrs) -> str:
        node = Node(op, name, inputs, attrs)
        self.nodes.append(node)
        self.producers[node.output] = node
        return node.output


@dataclass
class Context:
    graph: Graph
    consumers: dict[str, int]  # Keras layer name -> number of layers reading its output


Converter = Callable[[Context, KerasLayer, list[Tensor]], Tensor]
CONVERTERS: dict[str, Converter] = {}


def converter(*class_names: str):
    def register(fn: Converter) -> Converter:
        for class_name in class_names:
            CONVERTERS[class_name] = fn
        return fn

    return register


def _activation(graph: Graph, name: str, x: Tensor, activation: str) -> Tensor:
    if activation == "linear":
        return x
    if activation == "relu":
        return Tensor(graph.add("Relu", name, [x.name]), x.shape, x.flat_order)
    if activation == "softmax":
        if len(x.shape) != 1 or x.flat_order is not None:
            # Softmax-11 flattens from `axis` on; only the 2D case maps cleanly.
            raise ConversionError(f"{name}: softmax is only supported on [N, C] tensors")
        return Tensor(graph.add("Softmax", name, [x.name], axis=1), x.shape)
    raise ConversionError(f"{name}: unsupported activation {activation!r}")


def _conv_output(graph, layer, x, name, weight, bias, kernel, strides, group=1) -> Tensor:
    """Emit a Conv with Keras padding semantics. `weight` is ONNX-shaped
    (out_channels, in_channels / group, *kernel)."""
    begins, ends = _pads_for(layer.config, x.shape[:-1], kernel, strides)
    inputs = [x.name, graph.param(f"{name}/weight", weight)]
    if bias is not None:
        inputs.append(graph.param(f"{name}/bias", bias))
    graph.add("Conv", name, inputs, kernel_shape=list(kernel), strides=list(strides),
              pads=begins + ends, group=group)
    out_sizes = _output_sizes(x.shape[:-1], kernel, strides, begins, ends)
    return Tensor(name, tuple(out_sizes) + (weight.shape[0],))


def _keras_kernel_to_onnx(kernel: np.ndarray) -> np.ndarray:
    """(*k, in, out) -> (out, in, *k)."""
    n = kernel.ndim - 2
    return kernel.transpose((n + 1, n) + tuple(range(n)))


def onnx_input_shape(model: KerasModel) -> tuple[int, ...]:
    """The model input's shape in Keras order as the graph holds it: with a
    leading H = 1 for a model with one spatial dimension."""
    return (1,) + model.input_shape if len(model.input_shape) == 2 else model.input_shape


def onnx_channels_first(shape) -> list[int]:
    """(spatial..., C) -> [C, spatial...]."""
    return [shape[-1], *shape[:-1]]


def _lift(sizes, x: Tensor) -> list[int]:
    """Kernel sizes or strides of a 1-D layer as the 2-D ones of the H = 1
    graph (leading 1s); unchanged when the ranks already match."""
    sizes = list(sizes)
    return [1] * (len(x.shape) - 1 - len(sizes)) + sizes


@converter("Conv1D", "Conv2D")
def convert_conv(ctx: Context, layer: KerasLayer, inputs: list[Tensor]) -> Tensor:
    _check_conv_config(layer)
    config = layer.config
    (x,) = inputs
    kernel_size = _lift(config["kernel_size"], x)
    kernel = layer.weights[0].reshape(tuple(kernel_size) + layer.weights[0].shape[-2:])
    bias = layer.weights[1] if config["use_bias"] else None
    out = _conv_output(ctx.graph, layer, x, layer.name, _keras_kernel_to_onnx(kernel), bias,
                       kernel_size, _lift(config["strides"], x))
    return _activation(ctx.graph, f"{layer.name}/{config['activation']}", out, config["activation"])


@converter("SeparableConv2D")
def convert_separable_conv(ctx: Context, layer: KerasLayer, inputs: list[Tensor]) -> Tensor:
    """Depthwise conv (grouped Conv carrying strides and padding) followed by a
    1x1 pointwise Conv carrying the bias. The pointwise node gets the layer's
    name so that a following BatchNormalization can be folded into it."""
    _check_conv_config(layer)
    config = layer.config
    (x,) = inputs
    depthwise, pointwise = layer.weights[0], layer.weights[1]
    bias = layer.weights[2] if config["use_bias"] else None
    channels, multiplier = depthwise.shape[-2:]
    kernel = config["kernel_size"]
    n = len(kernel)
    # Keras orders depthwise outputs as channel * multiplier + m, which is
    # exactly the output order of a grouped Conv with group = channels.
    dw_weight = depthwise.transpose((n, n + 1) + tuple(range(n))).reshape(
        (channels * multiplier, 1) + tuple(kernel))
    mid = _conv_output(ctx.graph, layer, x, f"{layer.name}/depthwise", dw_weight, None,
                       kernel, config["strides"], group=channels)
    ones = [1] * n
    out = _conv_output(ctx.graph, layer, mid, layer.name, _keras_kernel_to_onnx(pointwise), bias,
                       ones, ones)
    return _activation(ctx.graph, f"{layer.name}/{config['activation']}", out, config["activation"])


@converter("BatchNormalization")
def convert_batch_norm(ctx: Context, layer: KerasLayer, inputs: list[Tensor]) -> Tensor:
    """Folded into the producing Conv: W' = W * s, b' = (b - mean) * s + beta
    with s = gamma / sqrt(var + eps). Only valid when this BN is the conv's
    sole reader and the conv has no activation (then its producer is a Conv)."""
    (x,) = inputs
    graph = ctx.graph
    if layer.config.get("axis", -1) not in (-1, len(x.shape)):
        raise ConversionError(f"{layer.name}: only channel-axis normalisation is supported")
    conv = graph.producers.get(x.name)
    (source,) = layer.inputs
    if conv is None or conv.op != "Conv" or ctx.consumers[source] != 1:
        raise ConversionError(f"{layer.name}: BatchNormalization only supported directly after a Conv")
    gamma, beta, mean, var = _batch_norm_params(layer)
    # float64 so the folded values do not depend on evaluation order.
    scale = gamma / np.sqrt(var + layer.config["epsilon"])
    weight_name = conv.inputs[1]
    weight = graph.params[weight_name].astype(np.float64)
    graph.param(weight_name, weight * scale.reshape((-1,) + (1,) * (weight.ndim - 1)))
    if len(conv.inputs) == 3:
        bias = graph.params[conv.inputs[2]].astype(np.float64)
    else:
        bias = np.zeros_like(mean)
        conv.inputs.append(f"{conv.name}/bias")
    graph.param(conv.inputs[2], (bias - mean) * scale + beta)
    return x


def _batch_norm_params(layer: KerasLayer) -> tuple[np.ndarray, ...]:
    """(gamma, beta, mean, variance) in float64; Keras omits gamma when
    scale=False and beta when center=False."""
    weights = [w.astype(np.float64) for w in layer.weights]
    gamma = weights.pop(0) if layer.config.get("scale", True) else None
    beta = weights.pop(0) if layer.config.get("center", True) else None
    mean, var = weights
    gamma = np.ones_like(mean) if gamma is None else gamma
    beta = np.zeros_like(mean) if beta is None else beta
    return gamma, beta, mean, var


@converter("Activation")
def convert_activation(ctx: Context, layer: KerasLayer, inputs: list[Tensor]) -> Tensor:
    (x,) = inputs
    return _activation(ctx.graph, layer.name, x, layer.config["activation"])


@converter("MaxPooling1D", "MaxPooling2D")
def convert_max_pool(ctx: Context, layer: KerasLayer, inputs: list[Tensor]) -> Tensor:
    # ONNX MaxPool ignores padded cells, as TensorFlow does.
    config = layer.config
    if config.get("data_format", "channels_last") != "channels_last":
        raise ConversionError(f"{layer.name}: only channels_last is supported")
    (x,) = inputs
    kernel, strides = _lift(config["pool_size"], x), _lift(config["strides"], x)
    begins, ends = _pads_for(config, x.shape[:-1], kernel, strides)
    ctx.graph.add("MaxPool", layer.name, [x.name], kernel_shape=list(kernel), strides=list(strides),
                  pads=begins + ends)
    out_sizes = _output_sizes(x.shape[:-1], kernel, strides, begins, ends)
    return Tensor(layer.name, tuple(out_sizes) + (x.shape[-1],))


@converter("Add")
def convert_add(ctx: Context, layer: KerasLayer, inputs: list[Tensor]) -> Tensor:
    # ONNX Add is binary: chain it for more inputs.
    if any(t.shape != inputs[0].shape for t in inputs):
        raise ConversionError(f"{layer.name}: broadcasting Add is not supported")
    total = inputs[0].name
    for i, t in enumerate(inputs[1:], start=1):
        name = layer.name if i == len(inputs) - 1 else f"{layer.name}/{i}"
        total = ctx.graph.add("Add", name, [total, t.name])
    return Tensor(total, inputs[0].shape)


@converter("GlobalAveragePooling2D")
def convert_global_average_pool(ctx: Context, layer: KerasLayer, inputs: list[Tensor]) -> Tensor:
    # GlobalAveragePool keeps [N, C, 1, 1]; Flatten gives Keras' [N, C].
    (x,) = inputs
    pooled = ctx.graph.add("GlobalAveragePool", f"{layer.name}/pool", [x.name])
    return Tensor(ctx.graph.add("Flatten", layer.name, [pooled], axis=1), (x.shape[-1],))


@converter("Flatten")
def convert_flatten(ctx: Context, layer: KerasLayer, inputs: list[Tensor]) -> Tensor:
    """ONNX Flatten of [N, C, *spatial] gives channel-major order; Keras
    flattens (*spatial, C), channel-minor. The graph keeps ONNX's order and
    records the permutation for the next Dense (flat_order)."""
    if layer.config.get("data_format", "channels_last") != "channels_last":
        raise ConversionError(f"{layer.name}: only channels_last is supported")
    (x,) = inputs
    if len(x.shape) == 1:
        return x
    size = math.prod(x.shape)
    order = np.arange(size).reshape(x.shape).transpose((len(x.shape) - 1,) + tuple(range(len(x.shape) - 1)))
    order = order.ravel()
    flat_order = None if np.array_equal(order, np.arange(size)) else order
    return Tensor(ctx.graph.add("Flatten", layer.name, [x.name], axis=1), (size,), flat_order)


@converter("Dense")
def convert_dense(ctx: Context, layer: KerasLayer, inputs: list[Tensor]) -> Tensor:
    """Gemm with the weight stored (out, in) and transB=1: OpenCV 4.6 rejects
    transB=0 together with a bias. A missing bias is written as zeros."""
    (x,) = inputs
    if len(x.shape) != 1:
        raise ConversionError(f"{layer.name}: Dense is only supported on [N, C] tensors")
    config = layer.config
    kernel = layer.weights[0]  # (in, out)
    if x.flat_order is not None:
        kernel = kernel[x.flat_order]
    bias = layer.weights[1] if config["use_bias"] else np.zeros(kernel.shape[1], np.float32)
    graph = ctx.graph
    graph.add("Gemm", layer.name, [x.name, graph.param(f"{layer.name}/weight", kernel.T),
                                   graph.param(f"{layer.name}/bias", bias)], transB=1)
    out = Tensor(layer.name, (kernel.shape[1],))
    return _activation(graph, f"{layer.name}/{config['activation']}", out, config["activation"])


@converter("Dropout")
def convert_dropout(ctx: Context, layer: KerasLayer, inputs: list[Tensor]) -> Tensor:
    (x,) = inputs  # identity at inference
    return x


def convert(model: KerasModel, input_name: str, output_name: str) -> onnx.ModelProto:
    """A model with one spatial dimension (Conv1D etc.) becomes a 2-D graph with
    H = 1: input (W, C) in Keras is [N, C, 1, W] in ONNX, since OpenCV 4.6's
    ONNX importer handles 1-D convolutions poorly."""
    consumers = {layer.name: 0 for layer in model.layers}
    for layer in model.layers:
        for src in layer.inputs:
            consumers[src] += 1
    ctx = Context(Graph(), consumers)
    tensors: dict[str, Tensor] = {}
    for layer in model.layers:
        if layer.class_name == "InputLayer":
            tensors[layer.name] = Tensor(input_name, onnx_input_shape(model))
            continue
        handler = CONVERTERS.get(layer.class_name)
        if handler is None:
            raise ConversionError(f"unsupported layer {layer.name} ({layer.class_name})")
        tensors[layer.name] = handler(ctx, layer, [tensors[src] for src in layer.inputs])

    graph = ctx.graph
    out = tensors[model.output_layer]
    if out.flat_order is not None:
        raise ConversionError(f"model output {model.output_layer} is in ONNX, not Keras, element order")
    if any(out.name in n.inputs for n in graph.nodes):
        raise ConversionError(f"model output {model.output_layer} is also read inside the graph")
    graph.producers[out.name].name = output_name  # Node.output follows the name

    def channels_first(shape):
        return [BATCH_DIM, *onnx_channels_first(shape)]

    nodes = [helper.make_node(n.op, n.inputs, [n.output], name=n.name, **n.attrs) for n in graph.nodes]
    initializers = [numpy_helper.from_array(a, name) for name, a in graph.params.items()]
    onnx_graph = helper.make_graph(
        nodes,
        "graph",
        [helper.make_tensor_value_info(input_name, TensorProto.FLOAT, channels_first(onnx_input_shape(model)))],
        [helper.make_tensor_value_info(output_name, TensorProto.FLOAT, channels_first(out.shape))],
        initializers,
    )
    onnx_model = helper.make_model(
        onnx_graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name=PRODUCER,
        producer_version=PRODUCER_VERSION,
        ir_version=IR_VERSION,
    )
    onnx.checker.check_model(onnx_model, full_check=True)
    return onnx_model


# --------------------------------------------------------------------------
# Numpy reference forward pass (Keras semantics: NHWC, float64, unfolded BN)

Reference = Callable[[KerasLayer, list[np.ndarray]], np.ndarray]
REFERENCE: dict[str, Reference] = {}


def reference(*class_names: str):
    def register(fn: Reference) -> Reference:
        for class_name in class_names:
            REFERENCE[class_name] = fn
        return fn

    return register


def _ref_windows(x: np.ndarray, config: dict, kernel, strides, pad_value: float) -> np.ndarray:
    """Sliding windows over the spatial axes of x (N, *spatial, C), after
    Keras padding: returns (N, *out_spatial, C, prod(kernel))."""
    n = len(kernel)
    begins, ends = _pads_for(config, x.shape[1:-1], kernel, strides)
    x = np.pad(x, [(0, 0), *zip(begins, ends), (0, 0)], constant_values=pad_value)
    windows = sliding_window_view(x, kernel, axis=tuple(range(1, n + 1)))
    windows = windows[(slice(None),) + tuple(slice(None, None, s) for s in strides)]
    return windows.reshape(windows.shape[: n + 2] + (-1,))


def _ref_activation(x: np.ndarray, activation: str) -> np.ndarray:
    if activation == "linear":
        return x
    if activation == "relu":
        return np.maximum(x, 0)
    if activation == "softmax":
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    raise ConversionError(f"unsupported activation {activation!r}")


@reference("Conv1D", "Conv2D")
def ref_conv(layer: KerasLayer, inputs: list[np.ndarray]) -> np.ndarray:
    config = layer.config
    kernel = layer.weights[0].astype(np.float64)
    windows = _ref_windows(inputs[0], config, config["kernel_size"], config["strides"], 0.0)
    weights = kernel.reshape(-1, *kernel.shape[-2:])  # (prod(k), in, out)
    y = np.einsum("...ck,kco->...o", windows, weights)
    if config["use_bias"]:
        y = y + layer.weights[1]
    return _ref_activation(y, config["activation"])


@reference("SeparableConv2D")
def ref_separable_conv(layer: KerasLayer, inputs: list[np.ndarray]) -> np.ndarray:
    config = layer.config
    depthwise, pointwise = (w.astype(np.float64) for w in layer.weights[:2])
    windows = _ref_windows(inputs[0], config, config["kernel_size"], config["strides"], 0.0)
    dw = depthwise.reshape(-1, *depthwise.shape[-2:])  # (prod(k), channels, multiplier)
    mid = np.einsum("...ck,kcm->...cm", windows, dw)
    mid = mid.reshape(mid.shape[:-2] + (-1,))
    y = mid @ pointwise.reshape(pointwise.shape[-2:])
    if config["use_bias"]:
        y = y + layer.weights[2]
    return _ref_activation(y, config["activation"])


@reference("BatchNormalization")
def ref_batch_norm(layer: KerasLayer, inputs: list[np.ndarray]) -> np.ndarray:
    gamma, beta, mean, var = _batch_norm_params(layer)
    return (inputs[0] - mean) / np.sqrt(var + layer.config["epsilon"]) * gamma + beta


@reference("Activation")
def ref_activation(layer: KerasLayer, inputs: list[np.ndarray]) -> np.ndarray:
    return _ref_activation(inputs[0], layer.config["activation"])


@reference("MaxPooling1D", "MaxPooling2D")
def ref_max_pool(layer: KerasLayer, inputs: list[np.ndarray]) -> np.ndarray:
    config = layer.config
    return _ref_windows(inputs[0], config, config["pool_size"], config["strides"], -np.inf).max(axis=-1)


@reference("Add")
def ref_add(layer: KerasLayer, inputs: list[np.ndarray]) -> np.ndarray:
    return sum(inputs[1:], inputs[0])


@reference("GlobalAveragePooling2D")
def ref_global_average_pool(layer: KerasLayer, inputs: list[np.ndarray]) -> np.ndarray:
    return inputs[0].mean(axis=(1, 2))


@reference("Flatten")
def ref_flatten(layer: KerasLayer, inputs: list[np.ndarray]) -> np.ndarray:
    return inputs[0].reshape(len(inputs[0]), -1)  # row-major over (*spatial, C)


@reference("Dense")
def ref_dense(layer: KerasLayer, inputs: list[np.ndarray]) -> np.ndarray:
    y = inputs[0] @ layer.weights[0].astype(np.float64)
    if layer.config["use_bias"]:
        y = y + layer.weights[1]
    return _ref_activation(y, layer.config["activation"])


@reference("Dropout")
def ref_dropout(layer: KerasLayer, inputs: list[np.ndarray]) -> np.ndarray:
    return inputs[0]


def reference_forward(model: KerasModel, x: np.ndarray) -> np.ndarray:
    """x is channels-last (N, *spatial, C), as Keras takes it."""
    values = {model.input_layer: x.astype(np.float64)}
    for layer in model.layers:
        if layer.class_name != "InputLayer":
            values[layer.name] = REFERENCE[layer.class_name](layer, [values[s] for s in layer.inputs])
    return values[model.output_layer]


# --------------------------------------------------------------------------
# Self-check


def check_inputs(shape: tuple[int, ...]) -> np.ndarray:
    """A batch of channels-last test inputs in [-1, 1]: seeded noise, a ramp,
    and the two constant extremes."""
    rng = np.random.default_rng(20240611)
    noise = rng.uniform(-1.0, 1.0, size=(3,) + shape)
    ramp = np.linspace(-1.0, 1.0, math.prod(shape)).reshape((1,) + shape)
    constants = np.stack([np.full(shape, -1.0), np.full(shape, 1.0)])
    return np.concatenate([noise, ramp, constants]).astype(np.float32)


def keras_to_onnx_input(model: KerasModel, x: np.ndarray) -> np.ndarray:
    """A channels-last Keras input batch (N, *spatial, C) in the ONNX graph's
    layout: [N, C, *spatial], or [N, C, 1, W] for a 1-D model."""
    to_channels_first = (0, x.ndim - 1) + tuple(range(1, x.ndim - 1))
    shape = (len(x),) + tuple(onnx_channels_first(onnx_input_shape(model)))
    return np.ascontiguousarray(x.transpose(to_channels_first)).reshape(shape)


def verify(model: KerasModel, onnx_bytes: bytes, input_name: str, output_name: str) -> float:
    """Largest absolute difference between onnxruntime and the numpy reference."""
    x = check_inputs(model.input_shape)
    expected = reference_forward(model, x)
    session = ort.InferenceSession(onnx_bytes, providers=["CPUExecutionProvider"])
    (actual,) = session.run([output_name], {input_name: keras_to_onnx_input(model, x)})
    if actual.shape != expected.shape:
        raise ConversionError(f"output shape {actual.shape} != reference {expected.shape}")
    return float(np.abs(actual - expected).max())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("keras_model")
    parser.add_argument("onnx_model")
    parser.add_argument("--input-name", default="input")
    parser.add_argument("--output-name", default="probs")
    parser.add_argument("--architecture", metavar="MODEL.json",
                        help="architecture JSON (model.to_json()) for a weights-only HDF5 file")
    args = parser.parse_args()
    try:
        model = load_keras_model(args.keras_model, args.architecture)
        onnx_model = convert(model, args.input_name, args.output_name)
        onnx_bytes = onnx_model.SerializeToString()
        diff = verify(model, onnx_bytes, args.input_name, args.output_name)
    except ConversionError as e:
        print(f"keras_to_onnx: error: {e}", file=sys.stderr)
        return 1
    print(f"keras_to_onnx: {len(model.layers)} Keras layers -> {len(onnx_model.graph.node)} ONNX nodes; "
          f"max |onnxruntime - numpy reference| = {diff:.3g}")
    if not diff <= TOLERANCE:  # written so that NaN fails too
        print(f"keras_to_onnx: error: difference exceeds {TOLERANCE:g}; not writing {args.onnx_model}",
              file=sys.stderr)
        return 1
    with open(args.onnx_model, "wb") as f:
        f.write(onnx_bytes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
