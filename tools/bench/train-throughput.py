"""PyTorch (CPU) side of tools/bench/train-throughput.mjs.

Builds the same two nets as the tfjs side and times training steps on request, so the Node
script can interleave PyTorch and tfjs rounds on a busy machine. Protocol: one JSON request per
line on stdin, {"net": "cnn" | "resnet18", "threads": n, "warmup": w, "steps": s}, plus
"kind": "predict" and "batch": b for inference (model.eval() under torch.no_grad() on b images,
the logits read back) instead of training steps; one JSON reply per line on stdout:
{"wall_ms": [...], "cpu_ms": [...]} (per timed step).
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class ReferenceCnn(nn.Module):
    """conv 32 3x3 same + relu, maxpool 2, conv 64 3x3 stride 2 same + relu, dense 128 relu, dense 10."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, padding=1)
        # 'same' with stride 2 on 14x14 pads (0, 1) in TF; padding=1 gives the same 7x7 output size.
        self.conv2 = nn.Conv2d(32, 64, 3, stride=2, padding=1)
        self.fc1 = nn.Linear(64 * 7 * 7, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.relu(self.conv2(x))
        x = F.relu(self.fc1(torch.flatten(x, 1)))
        return self.fc2(x)


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return F.relu(y + self.shortcut(x))


class CifarResNet18(nn.Module):
    """3x3 stem, no max pool, [2, 2, 2, 2] basic blocks of 64-128-256-512 channels, 10 classes."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 64, 3, 1, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU())
        blocks, cin = [], 64
        for cout, stride in [(64, 1), (128, 2), (256, 2), (512, 2)]:
            blocks += [BasicBlock(cin, cout, stride), BasicBlock(cout, cout, 1)]
            cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(512, 10)

    def forward(self, x):
        x = self.blocks(self.stem(x))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


NETS = {
    "cnn": (ReferenceCnn, 128, (1, 28, 28)),
    "resnet18": (CifarResNet18, 32, (3, 32, 32)),
}


def timed(request, step):
    """Per-step wall and process-CPU milliseconds of `steps` calls of step() after `warmup` calls."""
    wall, cpu = [], []
    for i in range(request["warmup"] + request["steps"]):
        w0, c0 = time.perf_counter(), time.process_time()
        step()
        if i >= request["warmup"]:
            wall.append((time.perf_counter() - w0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
    return wall, cpu


def predict(request):
    """Inference at the fastest PyTorch path: eval mode (batch-norm on its running statistics), no autograd."""
    build, _, shape = NETS[request["net"]]
    batch = int(request["batch"])
    torch.manual_seed(0)
    model = build().eval()
    x = torch.randn(batch, *shape)

    def step():
        with torch.no_grad():
            model(x).numpy().sum()

    wall, cpu = timed(request, step)
    return {"wall_ms": wall, "cpu_ms": cpu, "batch": batch, "torch": torch.__version__}


def run(request):
    torch.set_num_threads(int(request.get("threads", 1)))
    if request.get("kind") == "predict":
        return predict(request)
    build, batch, shape = NETS[request["net"]]
    torch.manual_seed(0)
    model = build()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    x = torch.randn(batch, *shape)
    y = torch.randint(0, 10, (batch,))

    def step():
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        loss.item()

    wall, cpu = timed(request, step)
    return {"wall_ms": wall, "cpu_ms": cpu, "batch": batch, "torch": torch.__version__}


def main():
    print(json.dumps({"ready": True, "torch": torch.__version__, "max_threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        if line.strip():
            print(json.dumps(run(json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
