"""Reference vectors for per-position outputs (class axis last): [N, T, C] and [N, H, W, C].

One family, `positions`, whose cases each have a `kind`:
- bce: torch.nn.functional.binary_cross_entropy_with_logits on the class-last
  tensors, with `weight` and `pos_weight` of several broadcast shapes
  (per class [C], [1, C], per sample [N, 1, 1], per element).
- sigmoid_focal: torchvision.ops.sigmoid_focal_loss, transcribed in torch.
- softmax_ce: torch.nn.functional.cross_entropy on the class-first layout
  PyTorch takes ([N, C, d1, ...]), with `weight` and `ignore_index`; values
  are given back class-last, per position.
- softmax_focal: Keras' categorical_focal_crossentropy (keras/src/losses/losses.py),
  transcribed in torch float64 on logits: softmax, clip to [1e-7, 1 - 1e-7],
  sum_c alpha_c (1 - p_c)^gamma (-y_c log p_c), label smoothing y(1-e) + e/C.

Usage: python3 generate_positions.py OUT_DIR SEED TAG
All arithmetic in float64; inputs are float32-representable.
"""
import json
import sys

import numpy as np
import torch
import torch.nn.functional as F


def sigmoid_focal_loss(inputs, targets, alpha, gamma, reduction="none"):
    # torchvision.ops.sigmoid_focal_loss, transcribed (torchvision 0.28's wheel here does not load with this torch).
    p = torch.sigmoid(inputs)
    ce_loss = F.binary_cross_entropy_with_logits(inputs, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce_loss * ((1 - p_t) ** gamma)
    if alpha >= 0:
        alpha_t = alpha * targets + (1 - alpha) * (1 - targets)
        loss = alpha_t * loss
    return loss

torch.set_default_dtype(torch.float64)
OUT, SEED, TAG = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(SEED)
PROVENANCE = {"generator": "conformance/generate_positions.py", "seed": SEED, "torch": torch.__version__,
              "numpy": np.__version__}


def f32(a):
    """Float32-representable values, in float64."""
    return np.float64(np.float32(a))


def tolist(a):
    return (a.detach().numpy() if isinstance(a, torch.Tensor) else np.asarray(a)).tolist()


def logits(shape, scale=3.0):
    return f32(rng.normal(0, scale, shape))


def multi_hot(shape, rare):
    # class 0 common, the others rarer (a long tail over positions)
    C = shape[-1]
    freq = np.array([0.6] + [rare / (c + 1) for c in range(1, C)])
    return (rng.random(shape) < freq).astype(np.float64)


def bce_case(name, x, y, weight, pos_weight):
    xt = torch.tensor(x, requires_grad=True)
    yt = torch.tensor(y)
    w = None if weight is None else torch.tensor(weight)
    pw = None if pos_weight is None else torch.tensor(pos_weight)
    none = F.binary_cross_entropy_with_logits(xt, yt, weight=w, pos_weight=pw, reduction="none")
    mean = F.binary_cross_entropy_with_logits(xt, yt, weight=w, pos_weight=pw, reduction="mean")
    (g,) = torch.autograd.grad(mean, xt)
    return {"kind": "bce", "name": name, "logits": tolist(x), "targets": tolist(y), "weight": None if weight is None else tolist(weight),
            "pos_weight": None if pos_weight is None else tolist(pos_weight), "none": tolist(none), "mean": float(mean),
            "grad_mean": tolist(g), "per_position": tolist(none.mean(-1))}


def focal_case(name, x, y, alpha, gamma):
    xt = torch.tensor(x, requires_grad=True)
    yt = torch.tensor(y)
    none = sigmoid_focal_loss(xt, yt, alpha=alpha, gamma=gamma, reduction="none")
    (g,) = torch.autograd.grad(none.mean(), xt)
    return {"kind": "sigmoid_focal", "name": name, "logits": tolist(x), "targets": tolist(y), "alpha": alpha, "gamma": gamma,
            "none": tolist(none), "grad_mean": tolist(g)}


def class_first(t):
    return t.movedim(-1, 1)


def ce_case(name, x, labels, class_weights, ignore_index):
    xt = torch.tensor(x, requires_grad=True)
    lt = torch.tensor(labels, dtype=torch.long)
    w = None if class_weights is None else torch.tensor(class_weights)
    ii = -100 if ignore_index is None else ignore_index
    none = F.cross_entropy(class_first(xt), lt, weight=w, ignore_index=ii, reduction="none")  # [N, d1, ...]
    torch_mean = F.cross_entropy(class_first(xt), lt, weight=w, ignore_index=ii, reduction="mean")
    valid = (lt != ii).sum()
    keras_mean = none.sum() / torch.clamp(valid, min=1)
    (g,) = torch.autograd.grad(keras_mean, xt)
    return {"kind": "softmax_ce", "name": name, "logits": tolist(x), "labels": tolist(labels),
            "class_weights": None if class_weights is None else tolist(class_weights), "ignore_index": ignore_index,
            "none": tolist(none), "torch_mean": float(torch_mean), "keras_mean": float(keras_mean), "grad_keras_mean": tolist(g)}


def keras_categorical_focal(y, x, alpha, gamma, label_smoothing):
    C = y.shape[-1]
    if label_smoothing:
        y = y * (1.0 - label_smoothing) + label_smoothing / C
    p = torch.softmax(x, dim=-1)
    p = p / p.sum(dim=-1, keepdim=True)
    p = torch.clamp(p, 1e-7, 1.0 - 1e-7)
    cce = -y * torch.log(p)
    return (torch.pow(1.0 - p, gamma) * torch.as_tensor(alpha) * cce).sum(dim=-1)


def softmax_focal_case(name, x, labels, alpha, gamma, label_smoothing):
    xt = torch.tensor(x, requires_grad=True)
    C = x.shape[-1]
    y = F.one_hot(torch.tensor(labels, dtype=torch.long), C).double()
    none = keras_categorical_focal(y, xt, alpha, gamma, label_smoothing)
    (g,) = torch.autograd.grad(none.mean(), xt)
    return {"kind": "softmax_focal", "name": name, "logits": tolist(x), "labels": tolist(labels), "alpha": alpha, "gamma": gamma,
            "label_smoothing": label_smoothing, "none": tolist(none), "mean": float(none.mean()), "grad_mean": tolist(g)}


cases = []
for shape in [(2, 5, 4), (2, 3, 3, 4)]:
    tag = "x".join(map(str, shape))
    N, C = shape[0], shape[-1]
    x = logits(shape)
    y = multi_hot(shape, 0.3)
    cases.append(bce_case(f"bce_plain_{tag}", x, y, None, None))
    cases.append(bce_case(f"bce_class_weight_{tag}", x, y, f32(rng.uniform(0.2, 3, C)), None))
    cases.append(bce_case(f"bce_sample_weight_{tag}", x, y, f32(rng.uniform(0, 2, (N,) + (1,) * (len(shape) - 1))), None))
    cases.append(bce_case(f"bce_element_weight_{tag}", x, y, f32(rng.uniform(0, 2, shape)), None))
    cases.append(bce_case(f"bce_pos_weight_class_{tag}", x, y, None, f32(rng.uniform(0.5, 8, C))))
    cases.append(bce_case(f"bce_pos_weight_1xC_{tag}", x, y, None, f32(rng.uniform(0.5, 8, (1, C)))))
    cases.append(bce_case(f"bce_pos_weight_element_{tag}", x, y, f32(rng.uniform(0.2, 3, C)), f32(rng.uniform(0.5, 8, shape))))
    cases.append(focal_case(f"sigmoid_focal_{tag}", x, y, 0.25, 2.0))
    labels = rng.choice(C, size=shape[:-1], p=[0.7] + [0.3 / (C - 1)] * (C - 1))
    cases.append(ce_case(f"softmax_ce_plain_{tag}", x, labels, None, None))
    cw = f32(rng.uniform(0.2, 4, C))
    cases.append(ce_case(f"softmax_ce_weighted_{tag}", x, labels, cw, None))
    ignored = labels.copy()
    ignored[rng.random(labels.shape) < 0.3] = 255
    cases.append(ce_case(f"softmax_ce_ignore_{tag}", x, ignored, None, 255))
    cases.append(ce_case(f"softmax_ce_weighted_ignore_{tag}", x, ignored, cw, 255))
    cases.append(softmax_focal_case(f"softmax_focal_keras_defaults_{tag}", x, labels, 0.25, 2.0, 0.0))
    cases.append(softmax_focal_case(f"softmax_focal_alpha_per_class_smoothing_{tag}", x, labels, tolist(f32(rng.uniform(0.1, 1, C))), 1.5, 0.1))
# Pos weight per example [N, C] on a rank-2 batch (PyTorch broadcasts pos_weight to the input).
x2, y2 = logits((6, 3)), multi_hot((6, 3), 0.3)
cases.append(bce_case("bce_pos_weight_NxC_6x3", x2, y2, None, f32(rng.uniform(0.5, 8, (6, 3)))))
cases.append(bce_case("bce_pos_weight_1xC_6x3", x2, y2, None, f32(rng.uniform(0.5, 8, (1, 3)))))

note = ("Per-position losses, class axis last. kind bce: F.binary_cross_entropy_with_logits(logits, targets, weight, pos_weight); "
        "'none' is element-wise, 'mean' its mean, grad_mean d(mean)/d(logits), per_position the mean over the class axis (what a Keras loss returns per position). "
        "kind sigmoid_focal: torchvision sigmoid_focal_loss(alpha, gamma), transcribed, 'none' element-wise, grad_mean of its mean. "
        "kind softmax_ce: F.cross_entropy on the class-first layout with weight=class_weights and ignore_index (labels equal to it are unlabelled); "
        "'none' per position (0 where ignored), torch_mean PyTorch's mean (over the class weights of labelled positions), "
        "keras_mean the sum over labelled positions divided by their number (Keras' masked mean), grad_keras_mean its gradient. "
        "kind softmax_focal: Keras' categorical_focal_crossentropy on logits (from_logits=True) with alpha (scalar or per class), gamma, label_smoothing; "
        "'none' per position, 'mean' its mean, grad_mean d(mean)/d(logits).")
with open(f"{OUT}/{TAG}-positions.json", "w") as fh:
    json.dump({"family": "positions", "note": note, "provenance": PROVENANCE, "cases": cases}, fh)
print(len(cases), "cases")
