"""Trains a model exported by `chainrule export --to pytorch` with PyTorch's DistributedDataParallel.

Each of WORLD processes (gloo, on 127.0.0.1) holds one equal share of the model's data rows; DDP
averages their gradients, which for a loss that is a mean over rows is the full-batch gradient, so
the run is the same training as `chainrule train` on one machine. Rank 0 writes the trained params
as a chainrule params file (`load params from` reads it back).

    python3 ddp_train.py MODULE_DIR MODULE --data X,y --steps N --lr R --world 2 --port P --out params.json
"""
import argparse
import importlib
import sys

import torch
import torch.distributed as dist
import torch.multiprocessing as mp


def train(rank, args):
    sys.path.insert(0, args.module_dir)
    exported = importlib.import_module(args.module)
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{args.port}", rank=rank, world_size=args.world)
    model = exported.Model()
    ddp = torch.nn.parallel.DistributedDataParallel(model, broadcast_buffers=False)
    names = args.data.split(",")
    rows = getattr(model, names[0]).shape[0]
    share = rows // args.world
    mine = {n: getattr(model, n)[rank * share:(rank + 1) * share] for n in names}
    optimizer = torch.optim.SGD(ddp.parameters(), lr=args.lr)
    for _ in range(args.steps):
        optimizer.zero_grad()
        loss = ddp(**mine)
        loss.backward()
        optimizer.step()
    if rank == 0:
        exported.save_params(model, args.out)
    dist.destroy_process_group()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("module_dir")
    parser.add_argument("module")
    parser.add_argument("--data", required=True)
    parser.add_argument("--steps", type=int, required=True)
    parser.add_argument("--lr", type=float, required=True)
    parser.add_argument("--world", type=int, default=2)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    mp.spawn(train, args=(args,), nprocs=args.world, join=True)


if __name__ == "__main__":
    main()
