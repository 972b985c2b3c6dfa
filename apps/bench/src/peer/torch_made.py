"""PyTorch twins of rheo's masked models for the peer's training-step rows:
MAF (the `maf` preset without ActNorm) and the semi-autoregressive energy
flow's sampler (the `saef` preset) with its energy-score loss. Masks follow
@rheo/nn's madeMasks: 'cycle' hidden degrees, (block) orders, output c·d + j
is parameter c of dimension j.
"""
import math

import torch


def made_masks(d, hidden, outputs_per_input, order="natural", block_size=1):
    """[out, in] 0/1 masks of a (block) MADE (Germain et al. 2015, arXiv:1502.03509)."""
    pos = list(range(d)) if order == "natural" else [d - 1 - j for j in range(d)]
    in_deg = [p // block_size + 1 for p in pos]
    blocks = math.ceil(d / block_size)
    max_hidden = max(1, blocks - 1)
    masks = []
    prev = in_deg
    for size in hidden:
        degs = [(u % max_hidden) + 1 for u in range(size)]
        masks.append(torch.tensor([[1.0 if mo >= mi else 0.0 for mi in prev] for mo in degs]))
        prev = degs
    out_deg = [in_deg[o % d] for o in range(outputs_per_input * d)]
    masks.append(torch.tensor([[1.0 if mo > mi else 0.0 for mi in prev] for mo in out_deg]))
    return masks


class MaskedMLP(torch.nn.Module):
    """Linear layers whose weights are multiplied by fixed masks on every call."""

    def __init__(self, widths, masks, act, zero_last=False):
        super().__init__()
        self.lins = torch.nn.ModuleList(torch.nn.Linear(widths[i], widths[i + 1]) for i in range(len(widths) - 1))
        self.masks = masks
        self.act = act
        if zero_last:
            torch.nn.init.zeros_(self.lins[-1].weight)
            torch.nn.init.zeros_(self.lins[-1].bias)

    def forward(self, h):
        for i, (lin, m) in enumerate(zip(self.lins, self.masks)):
            h = torch.nn.functional.linear(h, lin.weight * m, lin.bias)
            if i < len(self.lins) - 1:
                h = self.act(h)
        return h


class MAF(torch.nn.Module):
    """Masked autoregressive flow (Papamakarios et al. 2017, arXiv:1705.07057):
    MADE layers with natural and reversed orders in turn, ReLU units, zero
    output layer, z = (x − μ)·exp(−α), α = 3·tanh(raw/3)."""

    def __init__(self, d, layers, hidden):
        super().__init__()
        self.d = d
        self.nets = torch.nn.ModuleList(
            MaskedMLP([d, *hidden, 2 * d], made_masks(d, hidden, 2, "natural" if l % 2 == 0 else "reversed"), torch.relu, True)
            for l in range(layers))

    def log_prob(self, x):
        h = x
        log_det = torch.zeros(x.shape[0])
        for net in self.nets:
            u = net(h)
            alpha = 3 * torch.tanh(u[:, self.d:] / 3)
            h = (h - u[:, :self.d]) * torch.exp(-alpha)
            log_det = log_det - alpha.sum(1)
        return -0.5 * (h * h).sum(1) - self.d * 0.5 * math.log(2 * math.pi) + log_det


def block_plan(masks, d, block, features, t):
    """The units of each layer block t's features depend on (found backwards
    through the masks; of the inputs, only dimensions before block t), as
    (layer, units, inputs or None, mask on them), from the last layer that
    reads nothing (its biases alone) on — as rheo's block-MADE conditioner
    plans it."""
    start, end = t * block, min(d, (t + 1) * block)
    need = [c * d + j for c in range(features) for j in range(start, end)]
    layers = []
    for l in range(len(masks) - 1, -1, -1):
        m = masks[l]
        width = start if l == 0 else m.shape[1]
        inputs = [i for i in range(width) if any(m[o, i] == 1 for o in need)]
        layers.insert(0, (l, need, inputs))
        need = inputs
    first = max([0] + [k for k, (_, _, ins) in enumerate(layers) if not ins])
    plan = []
    for l, units, inputs in layers[first:]:
        u = torch.tensor(units)
        if inputs:
            i = torch.tensor(inputs)
            plan.append((l, u, i, masks[l][u][:, i]))
        else:
            plan.append((l, u, None, None))
    return plan


class SAEFSampler(torch.nn.Module):
    """The semi-autoregressive energy flow's sampler (Si et al. 2023,
    arXiv:2206.06672): x_b = G_b(ε_b, h_b(x_<b)), h a block-MADE conditioner
    (tanh) with `features` outputs per dimension, G one block-diagonal masked
    MLP (tanh). Sampling takes ⌈d/k⌉ passes; pass t computes block t alone,
    as rheo's generator does: the conditioner's units that block t's features
    depend on (from the finished blocks only), and G_t on the rows and
    columns of block t's units (the terms of the masked full products that
    are not zeros)."""

    def __init__(self, d, block, hidden, features=4, per_block=16, layers=2):
        super().__init__()
        self.d = d
        self.passes = math.ceil(d / block)
        blk = [j // block for j in range(d)]
        self.cond = MaskedMLP([d, *hidden, features * d], made_masks(d, hidden, features, "natural", block), torch.tanh)
        in_blocks = blk + [blk[i % d] for i in range(features * d)]
        hid_blocks = [u // per_block for u in range(per_block * self.passes)]
        widths = [in_blocks, *([hid_blocks] * layers), blk]
        masks = [torch.tensor([[1.0 if bo == bi else 0.0 for bi in widths[l]] for bo in widths[l + 1]]) for l in range(len(widths) - 1)]
        self.gen = MaskedMLP([len(w) for w in widths], masks, torch.tanh)
        self.parts = []
        for t in range(self.passes):
            s, e = t * block, min(d, (t + 1) * block)
            dims = list(range(s, e))
            feats = [c * d + j for c in range(features) for j in dims]
            units = [list(range(per_block * t, per_block * (t + 1)))] * layers
            ins = [dims + [d + c for c in feats], *units]
            outs = [*units, dims]
            gen = [(torch.tensor(o), torch.tensor(i)) for o, i in zip(outs, ins)]
            self.parts.append((s, e, block_plan(self.cond.masks, d, block, features, t), gen))

    def sample(self, n):
        noise = torch.randn(n, self.d)
        done = []
        last = len(self.cond.lins) - 1
        for s, e, plan, gen in self.parts:
            h = torch.cat(done, 1) if done else None
            for l, units, inputs, mask in plan:
                lin = self.cond.lins[l]
                if inputs is None:
                    a = lin.bias[units].expand(n, len(units))
                else:
                    a = torch.nn.functional.linear(h, lin.weight[units][:, inputs] * mask, lin.bias[units])
                h = torch.tanh(a) if l < last else a
            h = torch.cat([noise[:, s:e], h], 1)
            for i, (lin, (rows, cols)) in enumerate(zip(self.gen.lins, gen)):
                h = torch.nn.functional.linear(h, lin.weight[rows][:, cols], lin.bias[rows])
                if i < len(gen) - 1:
                    h = torch.tanh(h)
            done.append(h)
        return torch.cat(done, 1)

    def sample_full_passes(self, n, noise=None):
        """⌈d/k⌉ full passes of the masked networks from x = 0 (every block in every pass)."""
        noise = torch.randn(n, self.d) if noise is None else noise
        x = torch.zeros(n, self.d)
        for _ in range(self.passes):
            x = self.gen(torch.cat([noise, self.cond(x)], 1))
        return x


def smoothed_distance(a, b, beta=1.0, eps=1e-10):
    return torch.sqrt(((a - b) ** 2).sum(-1) + eps) ** beta


def energy_loss(sampler, data, m=2):
    """Energy score (Gneiting & Raftery 2007) of m model samples per data row:
    mean_i [(1/m) Σ_j ‖x_ij − y_i‖ − 1/(2m(m−1)) Σ_{j≠k} ‖x_ij − x_ik‖]."""
    n, d = data.shape
    x = sampler.sample(n * m).reshape(n, m, d)
    fit = smoothed_distance(x, data.reshape(n, 1, d)).mean(1)
    pairs = smoothed_distance(x.reshape(n, m, 1, d), x.reshape(n, 1, m, d))
    spread = (pairs * (1 - torch.eye(m))).sum((1, 2)) / (m * (m - 1))
    return (fit - 0.5 * spread).mean()
