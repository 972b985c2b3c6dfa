"""The bench's PyTorch peer: the same workloads as rheo's rows in
src/kernels/torch-rows.ts, on the same shapes and inputs (the same linear
congruential generator as src/kernels/timing.ts), timed the same way (median
of repeats after warm-up). Reads a JSON request from stdin; prints one JSON
object: {"torch": version, "threads": n, "rows": {name: median wall µs},
"cpu_rows": {name: mean CPU µs}}.
The request names the part ("ops" or "steps"); training steps run on its
batch (row-major, `rows` × `d`; the residual flow takes its first two columns).
Run with one thread (its fastest setting for flow-sized work on 2 cores).
"""
import json
import math
import statistics
import sys
import time

import torch

from torch_made import MAF, SAEFSampler, energy_loss

torch.set_num_threads(1)
torch.manual_seed(0)


def values(n, seed, scale=1.0):
    out = [0.0] * n
    s = seed & 0xFFFFFFFF
    for i in range(n):
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        out[i] = (s / 2**31 - 1) * scale
    return torch.tensor(out, dtype=torch.float32)


def median_us(fn, warmup, repeats, batch=1):
    """Median wall µs and mean CPU µs (time.process_time: the process's user +
    system time, which waiting for a core on a shared machine does not add to)
    of one call, from `repeats` samples after `warmup` untimed calls; each
    sample times `batch` calls in a row and divides by `batch`, as rheo's
    side (kernels/timing.ts, callTime) does."""
    for _ in range(warmup):
        fn()
    times = []
    c0 = time.process_time()
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(batch):
            fn()
        times.append((time.perf_counter() - t0) * 1e6 / batch)
    cpu = (time.process_time() - c0) * 1e6 / (repeats * batch)
    return statistics.median(times), cpu


# ---------------------------------------------------------------- RealNVP

def pass_mask(d, layer):
    alternating = d > 2 and layer % 4 >= 2
    m = [(i % 2 == 0) if alternating else (i < d // 2) for i in range(d)]
    return [not v for v in m] if layer % 2 == 1 else m


class RealNVP(torch.nn.Module):
    """Affine couplings (Dinh et al. 2017, arXiv:1605.08803) as rheo's realNVP
    preset builds them: ReLU conditioner, zero last layer, s = 3·tanh(raw/3)."""

    def __init__(self, d, layers, hidden):
        super().__init__()
        self.d = d
        self.blocks = []
        self.nets = torch.nn.ModuleList()
        for l in range(layers):
            m = pass_mask(d, l)
            a = [i for i in range(d) if m[i]]
            b = [i for i in range(d) if not m[i]]
            widths = [len(a), *hidden, 2 * len(b)]
            mods = []
            for i in range(len(widths) - 1):
                lin = torch.nn.Linear(widths[i], widths[i + 1])
                if i == len(widths) - 2:
                    torch.nn.init.zeros_(lin.weight)
                    torch.nn.init.zeros_(lin.bias)
                mods.append(lin)
                if i < len(widths) - 2:
                    mods.append(torch.nn.ReLU())
            self.nets.append(torch.nn.Sequential(*mods))
            back = [0] * d
            for i, src in enumerate(a + b):
                back[src] = i
            self.blocks.append((torch.tensor(a), torch.tensor(b), torch.tensor(back), len(b)))

    def log_prob(self, x):
        h = x
        log_det = torch.zeros(x.shape[0])
        for (a, b, back, nb), net in zip(self.blocks, self.nets):
            xa, xb = h[:, a], h[:, b]
            u = net(xa)
            s = 3 * torch.tanh(u[:, :nb] / 3)
            zb = xb * torch.exp(s) + u[:, nb:]
            h = torch.cat([xa, zb], 1)[:, back]
            log_det = log_det + s.sum(1)
        return -0.5 * (h * h).sum(1) - self.d * 0.5 * math.log(2 * math.pi) + log_det


# ---------------------------------------------------------------- residual flow

class LipSwishMLP(torch.nn.Module):
    """g of an invertible residual block: spectrally normalised linear layers
    (coefficient c, one power iteration per step) and LipSwish
    x·σ(βx)/1.1 (Chen et al. 2019, arXiv:1906.02735)."""

    def __init__(self, d, hidden, coeff=0.97):
        super().__init__()
        widths = [d, *hidden, d]
        self.lins = torch.nn.ModuleList(torch.nn.Linear(widths[i], widths[i + 1]) for i in range(len(widths) - 1))
        self.beta = torch.nn.ParameterList(torch.nn.Parameter(torch.full((h,), 0.5413)) for h in hidden)
        self.coeff = coeff
        self.u = [torch.nn.functional.normalize(torch.randn(l.out_features), dim=0) for l in self.lins]
        self.v = [torch.nn.functional.normalize(torch.randn(l.in_features), dim=0) for l in self.lins]

    @torch.no_grad()
    def power_iterate(self):
        for i, l in enumerate(self.lins):
            self.v[i] = torch.nn.functional.normalize(l.weight.t() @ self.u[i], dim=0)
            self.u[i] = torch.nn.functional.normalize(l.weight @ self.v[i], dim=0)

    def forward(self, x):
        h = x
        for i, l in enumerate(self.lins):
            sigma = torch.dot(self.u[i], l.weight @ self.v[i])
            w = l.weight / torch.clamp(sigma / self.coeff, min=1.0)
            h = torch.nn.functional.linear(h, w, l.bias)
            if i < len(self.lins) - 1:
                beta = torch.nn.functional.softplus(self.beta[i])
                h = h * torch.sigmoid(beta * h) / 1.1
        return h


class ResidualFlow(torch.nn.Module):
    """ActNorm, then blocks y = x + g(x) each followed by ActNorm; training
    log-det by the Russian-roulette power series (two exact terms, then N
    more with N ~ geometric(0.5) on {1, 2, ...} as in rheo and the Residual
    Flows code, so on average 4 terms; one Gaussian probe, gradients through
    the series)."""

    def __init__(self, d, blocks, hidden):
        super().__init__()
        self.d = d
        self.gs = torch.nn.ModuleList(LipSwishMLP(d, hidden) for _ in range(blocks))
        self.loc = torch.nn.ParameterList(torch.nn.Parameter(torch.zeros(d)) for _ in range(blocks + 1))
        self.log_scale = torch.nn.ParameterList(torch.nn.Parameter(torch.zeros(d)) for _ in range(blocks + 1))

    def act_norm(self, i, h):
        return (h + self.loc[i]) * torch.exp(self.log_scale[i]), self.log_scale[i].sum()

    def log_prob(self, x):
        h, ld = self.act_norm(0, x)
        log_det = ld.expand(x.shape[0])
        for i, g in enumerate(self.gs):
            if not h.requires_grad:
                h = h.requires_grad_(True)
            gx = g(h)
            # torch's Geometric counts failures (support {0, 1, ...}): N = 1 + that.
            extra = 1 + int(torch.distributions.Geometric(probs=0.5).sample().item())
            v = torch.randn_like(h)
            p = v
            series = torch.zeros(x.shape[0])
            for k in range(1, 3 + extra):
                p = torch.autograd.grad(gx, h, p, create_graph=True)[0]
                # 1 / P(N >= k - 2) with P(N >= j) = 0.5^(j - 1)
                weight = 1.0 if k <= 3 else 2.0 ** (k - 3)
                series = series + ((-1) ** (k + 1) / k) * weight * (p * v).sum(1)
            h, ld = self.act_norm(i + 1, h + gx)
            log_det = log_det + series + ld
        return -0.5 * (h * h).sum(1) - self.d * 0.5 * math.log(2 * math.pi) + log_det

    def update_buffers(self):
        for g in self.gs:
            g.power_iterate()


def train_step_us(model, x, warmup, repeats, loss_fn=None):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_of = loss_fn or (lambda: -model.log_prob(x).mean())

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_of()
        loss.backward()
        opt.step()
        if hasattr(model, "update_buffers"):
            model.update_buffers()
        return loss.item()

    return median_us(step, warmup, repeats)


def step_rows(request):
    w, r = request["warmup"], request["repeats"]
    d = request["d"]
    batch = torch.tensor(request["batch"], dtype=torch.float32).reshape(-1, d)
    n = batch.shape[0]
    two = batch[:, :2].contiguous()
    saef = SAEFSampler(43, 10, [64, 64])
    saef_data = values(n * 43, 6).reshape(n, 43)
    return {
        f"RealNVP step (d={d}, 4×64-64, b={n}, Adam)": train_step_us(RealNVP(d, 4, [64, 64]), batch, w, r),
        f"MAF step (d={d}, 5×64-64, b={n}, Adam)": train_step_us(MAF(d, 5, [64, 64]), batch, w, r),
        f"residual-flow step (d=2, 8×32-32, roulette, b={n}, Adam)": train_step_us(ResidualFlow(2, 8, [32, 32]), two, w, r),
        f"RealNVP step (d=2, 8×32-32, b={n}, Adam)": train_step_us(RealNVP(2, 8, [32, 32]), two, w, r),
        f"SAEF step (d=43, k=10, m=2, energy score, b={n}, Adam)": train_step_us(
            saef, saef_data, w, r, lambda: energy_loss(saef, saef_data)),
    }


def op_rows(request):
    w, r = request["warmup"], request["repeats"]
    out = {}
    x = values(256 * 64, 1).reshape(256, 64)
    y = values(256 * 64, 2).reshape(256, 64)
    W = values(64 * 64, 3, 0.125).reshape(64, 64)
    A = values(1024 * 256, 4).reshape(1024, 256)
    B = values(256 * 256, 5, 0.0625).reshape(256, 256)
    out["add [256,64]"] = median_us(lambda: x + y, 20 * w, r, 20)
    out["tanh [256,64]"] = median_us(lambda: torch.tanh(x), 20 * w, r, 20)
    out["exp [256,64]"] = median_us(lambda: torch.exp(x), 20 * w, r, 20)
    out["sigmoid [256,64]"] = median_us(lambda: torch.sigmoid(x), 20 * w, r, 20)
    xp = x + 1.5
    out["log [256,64]"] = median_us(lambda: torch.log(xp), 20 * w, r, 20)
    out["log1p [256,64]"] = median_us(lambda: torch.log1p(x), 20 * w, r, 20)
    out["matmul 256x64·64x64"] = median_us(lambda: x @ W, 10 * w, r, 10)
    out["matmul 1024x256·256x256"] = median_us(lambda: A @ B, w, r)
    Wg = W.clone().requires_grad_(True)

    def chain():
        h = torch.tanh(x @ Wg)
        return torch.autograd.grad((h * h).sum(), Wg)[0]

    out["grad Σ tanh(xW)², x [256,64], W [64,64]"] = median_us(chain, 5 * w, r, 5)
    return out


if __name__ == "__main__":
    req = json.loads(sys.stdin.read())
    timed = op_rows(req) if req["part"] == "ops" else step_rows(req)
    print(json.dumps({
        "torch": torch.__version__, "threads": torch.get_num_threads(),
        "rows": {k: v[0] for k, v in timed.items()}, "cpu_rows": {k: v[1] for k, v in timed.items()},
    }))
