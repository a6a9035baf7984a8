#!/usr/bin/env python3
"""Trains emoscan's face-expression network on FER+ (Scripts/models/train-face runs this in its venv).

Data: ../shared/data/ferplus/train (28,057 48x48 gray crops) for the weights and
ferplus/valid (3,518) for every choice (epoch, temperature). Each image's target is the
distribution of its ten annotators' votes over FER+'s 8 emotions, unknown and not-a-face
votes dropped (Barsoum et al. 2016, "cross-entropy" mode); images whose majority is unknown
or not a face are left out of training. Scores are by majority vote, ties left out, as
`emoscan evaluate` scores FER+.

Input is what emoscan's FaceClassifier feeds a model: the crop resized to SIZE, pixels
scaled to [-1, 1] ((p / 255 - 0.5) * 2). The exported ONNX ends in softmax(logits / T),
T fitted on ferplus/valid, so the probabilities emoscan reads are calibrated.

Outputs: the ONNX file, a JSON report of every figure (<out>.training.json, which the model
card quotes), and the parity fixture Tests/VisionTests/Fixtures/face8_parity.json: PyTorch's
probabilities on four synthetic images, which onnxruntime is held to here and OpenCV's dnn in
the Swift tests.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
# Output order, in emoscan's face vocabulary (fer's words; FER+'s "happiness" is "happy").
LABELS = ["neutral", "happy", "surprise", "sad", "angry", "disgust", "fear", "contempt"]
SIZE = 48


# --------------------------------------------------------------------------
# Data


def load_split(folder: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Images (N x 48 x 48 uint8), vote distributions over the 8 emotions (N x 8) and
    majority labels (-1 for a tie), for the rows whose majority is an emotion."""
    images, targets, majority = [], [], []
    with open(folder / "label.csv", newline="") as f:
        for row in csv.reader(f):
            votes = np.array([int(v) for v in row[2:12]], dtype=np.float32)
            top = votes.max()
            leaders = np.flatnonzero(votes == top)
            if top == 0 or (len(leaders) == 1 and leaders[0] >= 8):
                continue  # unknown or not a face
            emotions = votes[:8]
            if emotions.sum() == 0:
                continue
            image = Image.open(folder / row[0]).convert("L")
            if image.size != (SIZE, SIZE):
                image = image.resize((SIZE, SIZE), Image.BILINEAR)
            images.append(np.asarray(image, dtype=np.uint8))
            targets.append(emotions / emotions.sum())
            majority.append(int(leaders[0]) if len(leaders) == 1 else -1)
    return np.stack(images), np.stack(targets), np.array(majority)


def to_input(pixels: torch.Tensor) -> torch.Tensor:
    """uint8 N x 48 x 48 -> float N x 1 x 48 x 48 in [-1, 1], as FaceClassifier scales."""
    return ((pixels.float() / 255.0 - 0.5) * 2.0).unsqueeze(1)


def augment(x: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Flips, rotations of up to 10 degrees, scale 0.9-1.1, shifts of up to 4 px, brightness
    and contrast: the ways a detected face differs from a FER2013 crop."""
    n = x.shape[0]
    r = lambda *shape: torch.rand(*shape, generator=generator)
    angle = (r(n) * 2 - 1) * math.radians(10)
    scale = 1 + (r(n) * 2 - 1) * 0.1
    shift = (r(n, 2) * 2 - 1) * (4 / (SIZE / 2))
    flip = torch.where(r(n) < 0.5, -1.0, 1.0)
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack(
        [torch.stack([cos * flip, -sin, shift[:, 0]], 1), torch.stack([sin * flip, cos, shift[:, 1]], 1)], 1
    )
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    # Outside the crop is mid-gray's neighbourhood of the edge: border padding, as a wider crop would show.
    x = F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)
    contrast = 1 + (r(n, 1, 1, 1) * 2 - 1) * 0.3
    brightness = (r(n, 1, 1, 1) * 2 - 1) * 0.2
    return (x * contrast + brightness).clamp(-1, 1)


# --------------------------------------------------------------------------
# Networks: candidates chosen by validation accuracy against cost per face


def conv_block(cin: int, cout: int) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
        nn.MaxPool2d(2),
    )


class VGG(nn.Module):
    """Four stages of two 3x3 convolutions (48 -> 24 -> 12 -> 6 -> 3 px), global average
    pooling, dropout and one linear layer: the VGG-13-like shape of the FER+ paper, narrower."""

    def __init__(self, widths: list[int], classes: int = len(LABELS)):
        super().__init__()
        stages, cin = [], 1
        for w in widths:
            stages.append(conv_block(cin, w))
            cin = w
        self.features = nn.Sequential(*stages)
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.4), nn.Linear(cin * 9, classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


ARCHITECTURES = {
    "vgg16": [16, 32, 64, 128],
    "vgg24": [24, 48, 96, 192],
    "vgg32": [32, 64, 128, 256],
}


class Calibrated(nn.Module):
    """What is exported: probabilities of logits divided by the fitted temperature."""

    def __init__(self, net: nn.Module, temperature: float):
        super().__init__()
        self.net = net
        self.register_buffer("inverse_temperature", torch.tensor(1.0 / temperature))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.net(x) * self.inverse_temperature, dim=1)


# --------------------------------------------------------------------------
# Scores


def logits_of(net: nn.Module, images: np.ndarray, batch: int = 512) -> torch.Tensor:
    net.eval()
    with torch.no_grad():
        return torch.cat([net(to_input(torch.from_numpy(images[i : i + batch]))) for i in range(0, len(images), batch)])


def majority_accuracy(logits: torch.Tensor, majority: np.ndarray) -> tuple[int, int]:
    keep = majority >= 0
    predicted = logits.argmax(1).numpy()
    return int((predicted[keep] == majority[keep]).sum()), int(keep.sum())


def balanced_accuracy(logits: torch.Tensor, majority: np.ndarray) -> float:
    """Mean recall over the emotions: what a corpus with as many faces of each emotion
    (CK+, the FER2013 samples, RAVDESS) rewards, where FER+'s majority is 37% neutral."""
    predicted = logits.argmax(1).numpy()
    recalls = [(predicted[majority == c] == c).mean() for c in range(len(LABELS)) if (majority == c).any()]
    return float(np.mean(recalls))


def expected_calibration_error(probs: np.ndarray, majority: np.ndarray, bins: int = 10) -> float:
    """As emoscan's CalibrationError: 10 equal-width bins of the top probability."""
    keep = majority >= 0
    confidence = probs[keep].max(1)
    correct = probs[keep].argmax(1) == majority[keep]
    error = 0.0
    for b in range(bins):
        upper = (b + 1) / bins
        inside = (confidence > b / bins) & (confidence <= upper) if b > 0 else confidence <= upper
        if inside.any():
            error += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return float(error)


def fit_temperature(logits: torch.Tensor, majority: np.ndarray) -> float:
    """The temperature minimising the majority labels' negative log-likelihood, by a grid
    fine enough for two decimals (one parameter: no optimiser needed)."""
    keep = torch.from_numpy(majority >= 0)
    target = torch.from_numpy(majority[majority >= 0])
    best = min(
        (F.cross_entropy(logits[keep] / t, target).item(), t) for t in np.arange(0.5, 3.0001, 0.01)
    )
    return round(float(best[1]), 2)


def cost_per_face_ms(net: nn.Module, repeats: int = 200) -> float:
    """Median of one face's forward pass on one thread (PyTorch; emoscan's OpenCV figure is
    measured in the Swift tests' benchmark)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    net.eval()
    x = torch.zeros(1, 1, SIZE, SIZE)
    times = []
    with torch.no_grad():
        for _ in range(20):
            net(x)
        for _ in range(repeats):
            start = time.perf_counter()
            net(x)
            times.append((time.perf_counter() - start) * 1000)
    torch.set_num_threads(threads)
    return float(np.median(times))


# --------------------------------------------------------------------------
# Training


def train(args: argparse.Namespace, log) -> dict:
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(args.threads)
    data = Path(args.data)
    log(f"reading {data}/train and {data}/valid")
    train_images, train_targets, _ = load_split(data / "train")
    valid_images, _, valid_majority = load_split(data / "valid")
    log(f"train: {len(train_images)} images; valid: {len(valid_images)} ({(valid_majority >= 0).sum()} with a majority)")

    net = VGG(ARCHITECTURES[args.arch])
    parameters = sum(p.numel() for p in net.parameters())
    optimiser = torch.optim.SGD(net.parameters(), lr=args.lr, momentum=0.9, nesterov=True, weight_decay=5e-4)
    steps_per_epoch = math.ceil(len(train_images) / args.batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimiser, max_lr=args.lr, total_steps=args.epochs * steps_per_epoch, pct_start=0.15
    )
    generator = torch.Generator().manual_seed(args.seed)
    pixels = torch.from_numpy(train_images)
    targets = torch.from_numpy(train_targets)
    # Logit adjustment (Menon et al. 2021): training on logits + balance * log(prior) leaves
    # the network's own logits free of the votes' class prior, so a rare emotion is not
    # out-voted by neutral on corpora that show every emotion equally often.
    log_prior = torch.log(targets.mean(0)) * args.balance

    best: dict = {}
    history = []
    for epoch in range(1, args.epochs + 1):
        net.train()
        start = time.time()
        order = torch.randperm(len(pixels), generator=generator)
        total = 0.0
        for i in range(0, len(order), args.batch):
            index = order[i : i + args.batch]
            x = augment(to_input(pixels[index]), generator)
            loss = -(targets[index] * F.log_softmax(net(x) + log_prior, 1)).sum(1).mean()
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            total += loss.item() * len(index)
        logits = logits_of(net, valid_images)
        correct, scored = majority_accuracy(logits, valid_majority)
        balanced = balanced_accuracy(logits, valid_majority)
        history.append({"epoch": epoch, "loss": total / len(pixels), "valid": correct / scored, "valid_balanced": balanced})
        log(
            f"epoch {epoch}/{args.epochs}: train loss {total / len(pixels):.4f}, "
            f"valid {correct}/{scored} = {correct / scored:.4f}, balanced {balanced:.4f} ({time.time() - start:.0f} s)"
        )
        # A balanced network is chosen by the measure it was trained for.
        score = balanced if args.balance > 0 else correct
        if score > best.get("score", -1):
            best = {"score": score, "epoch": epoch, "state": {k: v.clone() for k, v in net.state_dict().items()}}

    net.load_state_dict(best["state"])
    logits = logits_of(net, valid_images)
    correct, scored = majority_accuracy(logits, valid_majority)
    balanced = balanced_accuracy(logits, valid_majority)
    temperature = fit_temperature(logits, valid_majority)
    ece_before = expected_calibration_error(torch.softmax(logits, 1).numpy(), valid_majority)
    ece_after = expected_calibration_error(torch.softmax(logits / temperature, 1).numpy(), valid_majority)
    log(
        f"best epoch {best['epoch']}: valid {correct}/{scored} = {correct / scored:.4f}; "
        f"temperature {temperature}: ECE {ece_before:.3f} -> {ece_after:.3f}"
    )
    return {
        "net": net,
        "temperature": temperature,
        "report": {
            "architecture": args.arch,
            "widths": ARCHITECTURES[args.arch],
            "parameters": parameters,
            "epochs": args.epochs,
            "best_epoch": best["epoch"],
            "valid_correct": correct,
            "valid_scored": scored,
            "valid_accuracy": correct / scored,
            "valid_balanced_accuracy": balanced,
            "temperature": temperature,
            "ece_before": ece_before,
            "ece_after": ece_after,
            "torch_ms_per_face_one_thread": cost_per_face_ms(net),
            "history": history,
            "settings": {k: v for k, v in vars(args).items() if k not in ("out", "report", "fixture")},
            "torch": torch.__version__,
        },
    }


# --------------------------------------------------------------------------
# Export and parity


def parity_inputs() -> list[tuple[str, np.ndarray]]:
    """Four synthetic 48x48 images as 8-bit pixels (no third-party data), as the fer fixture's."""
    rng = np.random.default_rng(1234)
    y, x = np.mgrid[0:SIZE, 0:SIZE]
    face = 128 + 60 * np.cos(np.hypot(x - 24, y - 24) / 6)
    return [
        ("random", rng.integers(0, 256, size=(SIZE, SIZE))),
        ("gradient", np.round((x + y) * 255 / (2 * (SIZE - 1)))),
        ("rings", np.round(face)),
        ("black", np.zeros((SIZE, SIZE))),
    ]


def inline_identities(model) -> None:
    """Replaces the exporter's Identity nodes over initializers (it shares equal tensors, such
    as two all-zero biases, that way) with copies: OpenCV 4.6's importer refuses them."""
    from onnx import numpy_helper

    graph = model.graph
    initializers = {t.name: t for t in graph.initializer}
    for node in [n for n in graph.node if n.op_type == "Identity" and n.input[0] in initializers]:
        copy = numpy_helper.from_array(numpy_helper.to_array(initializers[node.input[0]]), node.output[0])
        graph.initializer.append(copy)
        graph.node.remove(node)


def export(model: nn.Module, onnx_path: Path, fixture_path: Path, log) -> str:
    import onnx
    import onnxruntime as ort

    model.eval()
    onnx_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = onnx_path.with_suffix(".tmp.onnx")
    torch.onnx.export(
        model,
        (torch.zeros(1, 1, SIZE, SIZE),),
        str(temporary),
        input_names=["input"],
        output_names=["probs"],
        opset_version=13,  # what OpenCV 4.6's ONNX importer reads
        dynamo=False,
    )
    graph = onnx.load(str(temporary))
    inline_identities(graph)
    onnx.checker.check_model(graph)
    onnx.save(graph, str(temporary))
    session = ort.InferenceSession(str(temporary), providers=["CPUExecutionProvider"])
    cases, worst = [], 0.0
    for name, image in parity_inputs():
        x = to_input(torch.from_numpy(image.astype(np.uint8)[None]))
        with torch.no_grad():
            reference = model(x).numpy()
        runtime = session.run(None, {"input": x.numpy()})[0]
        worst = max(worst, float(np.abs(reference - runtime).max()))
        cases.append({"name": name, "input": x.numpy().ravel().tolist(), "probs": reference.ravel().tolist()})
    if worst > 1e-5:
        sys.exit(f"train-face: onnxruntime differs from PyTorch by {worst:.2e} (more than 1e-5)")
    log(f"onnxruntime matches PyTorch within {worst:.1e} on {len(cases)} inputs")
    os.replace(temporary, onnx_path)
    digest = hashlib.sha256(onnx_path.read_bytes()).hexdigest()
    fixture = {
        "model": str(onnx_path.relative_to(REPO)) if onnx_path.is_relative_to(REPO) else str(onnx_path),
        "model_sha256": digest,
        "labels": LABELS,
        "input_name": "input",
        "input_shape": [1, 1, SIZE, SIZE],
        "output_name": "probs",
        "generated_by": f"Scripts/models/train-face (PyTorch {torch.__version__}, CPU)",
        "cases": cases,
    }
    text = json.dumps(fixture, indent=2, default=lambda v: float(f"{v:.9g}"))
    # Nine significant digits round-trip float32.
    text = json.dumps(json.loads(text, parse_float=lambda s: float(f"{float(s):.9g}")), indent=2)
    fixture_path.write_text(text + "\n")
    return digest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(REPO.parent / "shared" / "data" / "ferplus"))
    parser.add_argument("--arch", choices=sorted(ARCHITECTURES), default="vgg24")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--lr", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--balance", type=float, default=0.0,
        help="logit adjustment by this power of the class prior (0: none, the FER+ paper's loss; 1: balanced)",
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", default=str(REPO / "Models" / "emoscan_face8.onnx"))
    parser.add_argument("--report", help="the JSON report of every figure (default: beside --out, .training.json)")
    parser.add_argument("--fixture", default=str(REPO / "Tests" / "VisionTests" / "Fixtures" / "face8_parity.json"))
    args = parser.parse_args()
    log = lambda message: print(f"train-face: {message}", file=sys.stderr, flush=True)

    result = train(args, log)
    out = Path(args.out).resolve()
    digest = export(Calibrated(result["net"], result["temperature"]), out, Path(args.fixture), log)
    report = dict(result["report"], onnx=str(out), onnx_bytes=out.stat().st_size, onnx_sha256=digest)
    report_path = Path(args.report) if args.report else out.with_suffix(".training.json")
    report_path.write_text(json.dumps(report, indent=2) + "\n")
    log(f"wrote {out} ({out.stat().st_size} bytes, sha256 {digest}) and {report_path}")


if __name__ == "__main__":
    main()
