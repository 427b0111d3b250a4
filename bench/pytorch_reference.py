"""PyTorch reference for bench/train_speed.ts: the same two models, same batch sizes.

Run by train_speed.ts with Debian's interpreter (/usr/bin/python3, python3-torch):
    /usr/bin/python3 bench/pytorch_reference.py --steps 20 --threads 2
Prints one JSON line per model:
    {"model": "small_cnn", "train_ips": ..., "infer1_ips": ..., "infer64_ips": ...}
Warm-up steps are excluded from every timing.

The models mirror src/models/build_small_cnn.ts and build_vgg_like.ts with
their defaults on 48x48x1 inputs and 4 classes: 3x3 'same' convs, 2x2 max-pools,
Keras's batch-norm settings (momentum 0.99 -> PyTorch 0.01, epsilon 1e-3).
"""
import argparse
import json
import time

import torch
from torch import nn


def small_cnn(num_classes=4):
    layers, channels = [], 1
    for filters in (32, 64, 128):
        layers += [nn.Conv2d(channels, filters, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
        channels = filters
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(6 * 6 * 128, 128), nn.ReLU(),
                         nn.Linear(128, num_classes))


def vgg_like(num_classes=4):
    layers, channels = [], 1
    for filters in (64, 128, 256, 512):
        for _ in range(2):
            layers += [nn.Conv2d(channels, filters, 3, padding=1),
                       nn.BatchNorm2d(filters, eps=1e-3, momentum=0.01), nn.ReLU()]
            channels = filters
        layers.append(nn.MaxPool2d(2))
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(3 * 3 * 512, 256),
                         nn.BatchNorm1d(256, eps=1e-3, momentum=0.01), nn.ReLU(), nn.Dropout(0.5),
                         nn.Linear(256, num_classes))


def images_per_second(run, batch, steps, warmup):
    for _ in range(warmup):
        run()
    started = time.perf_counter()
    for _ in range(steps):
        run()
    return batch * steps / (time.perf_counter() - started)


def measure(name, model, steps, warmup, train_batch=32):
    generator = torch.Generator().manual_seed(0)
    x = torch.rand(train_batch, 1, 48, 48, generator=generator)
    y = torch.randint(0, 4, (train_batch,), generator=generator)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()

    def train_step():
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()

    model.train()
    train_ips = images_per_second(train_step, train_batch, steps, warmup)
    model.eval()
    result = {"model": name, "train_ips": train_ips}
    with torch.no_grad():
        for batch in (1, 64):
            xb = torch.rand(batch, 1, 48, 48, generator=generator)
            # Inference steps are cheap: time more of them for a steadier figure.
            result[f"infer{batch}_ips"] = images_per_second(lambda: model(xb), batch, steps * 4, warmup)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20, help="timed training steps per model")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps before timing")
    parser.add_argument("--threads", type=int, default=2, help="torch intra-op threads")
    parser.add_argument("--models", default="small_cnn,vgg_like", help="comma-separated models")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    builders = {"small_cnn": small_cnn, "vgg_like": vgg_like}
    for name in args.models.split(","):
        result = measure(name, builders[name](), args.steps, args.warmup)
        result.update(torch=torch.__version__, threads=torch.get_num_threads())
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
