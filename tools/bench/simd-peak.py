"""Native side of tools/bench/simd-peak.mjs: one-thread PyTorch multiply-add throughput.

Protocol: one JSON request per line on stdin, {"op": "mm", "n": 2048, "warmup": w, "reps": r} or
{"op": "conv2d", "batch": 32, "channels": 64, "size": 32, "warmup": w, "reps": r}; one JSON reply
per line on stdout: {"ms": [...], "macs": m} (wall milliseconds per timed call, multiply-adds per
call). The Node script sets OMP_NUM_THREADS=1 (and the BLAS pools) before starting this process.
"""
import json
import sys
import time

import torch
import torch.nn.functional as F


def timed(request, call):
    ms = []
    for i in range(request["warmup"] + request["reps"]):
        t0 = time.perf_counter()
        call()
        if i >= request["warmup"]:
            ms.append((time.perf_counter() - t0) * 1000)
    return ms


def mm(request):
    n = int(request["n"])
    torch.manual_seed(0)
    a, b = torch.randn(n, n), torch.randn(n, n)
    out = torch.empty(n, n)
    return {"ms": timed(request, lambda: torch.mm(a, b, out=out)), "macs": n * n * n}


def conv2d(request):
    """A 3x3, stride 1, padding 1 convolution of `channels` to `channels` channels (NCHW, as PyTorch runs it)."""
    batch, channels, size = int(request["batch"]), int(request["channels"]), int(request["size"])
    torch.manual_seed(0)
    x = torch.randn(batch, channels, size, size)
    w = torch.randn(channels, channels, 3, 3)
    macs = batch * size * size * channels * channels * 9
    with torch.no_grad():
        return {"ms": timed(request, lambda: F.conv2d(x, w, padding=1)), "macs": macs}


OPS = {"mm": mm, "conv2d": conv2d}


def blas_kernels():
    """The BLAS libraries this process loaded and the kernel architecture each picked (threadpoolctl, when installed)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed"
    torch.mm(torch.ones(8, 8), torch.ones(8, 8))  # loads the BLAS
    infos = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    return ", ".join(f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')}" for i in infos) or "none found"


def main():
    torch.set_num_threads(1)
    hello = {"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads(), "config": torch.__config__.show()}
    hello["blas"] = blas_kernels()
    print(json.dumps(hello), flush=True)
    for line in sys.stdin:
        if line.strip():
            request = json.loads(line)
            print(json.dumps(OPS[request["op"]](request)), flush=True)


if __name__ == "__main__":
    main()
