"""The fer side of Scripts/bench: analyses videos with fer (the Python package
emoscan is compared with), about --frames frames per file, as fer's README
does it: fer.Video(path).analyze(FER(mtcnn=False), ...).

Runs inside the venv that Scripts/bench makes (.cache/bench/fer-venv), one
process for all the files given, so TensorFlow is imported once. For each file
it prints one JSON line on stdout:

  {"file": PATH, "seconds": S, "frames": N, "frames_with_face": F,
   "frame_count": C, "frequency": K}

seconds is the in-process time of Video() plus analyze(); frames is how many
frames fer analysed: every K-th of the C frames, K = ceil(C / --frames). A file
that fer fails on gets {"file": PATH, "error": MESSAGE} and exit status 1.
Nothing is written to disk: saving frames, video and zip are off, results come
back as a DataFrame (output="csv" would write data.csv into the working
folder), and the output folder Video() insists on making is a temporary one.
"""

import argparse
import json
import math
import os
import sys
import tempfile
import time

# Results go to the real stdout; whatever the libraries print there (their C++
# code included, hence fd 1 itself) goes to stderr, so stdout stays JSON lines.
results = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)

import cv2  # noqa: E402  (imports after the redirect, on purpose)
# fer 25.10.3's __init__ exports nothing, so not `from fer import FER, Video` as its README says.
from fer.classes import Video  # noqa: E402
from fer.fer import FER  # noqa: E402


def frame_count(path: str) -> int:
    capture = cv2.VideoCapture(path)
    try:
        return int(capture.get(cv2.CAP_PROP_FRAME_COUNT))
    finally:
        capture.release()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="+", help="video files")
    parser.add_argument("--frames", type=int, default=21, help="frames to analyse per file, about (default 21)")
    args = parser.parse_args()

    detector = FER(mtcnn=False)
    # Video.analyze does not say how many frames it analysed (its result lists
    # only frames with a face), so count the detector's calls.
    calls = 0
    detect_emotions = detector.detect_emotions

    def counted(*a, **kw):
        nonlocal calls
        calls += 1
        return detect_emotions(*a, **kw)

    detector.detect_emotions = counted

    failed = False
    with tempfile.TemporaryDirectory(prefix="fer-bench-") as outdir:
        for path in args.files:
            try:
                count = frame_count(path)
                frequency = max(1, math.ceil(count / args.frames))
                calls = 0
                start = time.perf_counter()
                faces = Video(path, outdir=outdir).analyze(
                    detector,
                    display=False,
                    output="pandas",
                    frequency=frequency,
                    save_frames=False,
                    save_video=False,
                    annotate_frames=False,
                    zip_images=False,
                )
                seconds = time.perf_counter() - start
                line = {"file": path, "seconds": seconds, "frames": calls, "frames_with_face": len(faces),
                        "frame_count": count, "frequency": frequency}
            except Exception as error:  # one bad file must not hide the others' figures
                failed = True
                line = {"file": path, "error": f"{type(error).__name__}: {error}"}
            print(json.dumps(line), file=results, flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
