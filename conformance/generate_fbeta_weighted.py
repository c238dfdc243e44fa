"""Reference vectors for F-beta with sample weights, the samples-averaged
precision and recall, a labels subset, and average precision with sample
weights (scikit-learn).

One family, `fbeta_weighted` (OUT_DIR/<TAG>-fbeta_weighted.json). Each case has
multi-label (or multi-class index) labels, scores, a threshold, sample weights
(some 0) and, per beta and zero_division, scikit-learn's
precision_recall_fscore_support(sample_weight=...) for average None, micro,
macro, weighted and samples (multi-label), plus macro F over a labels subset.

Usage: python3 generate_fbeta_weighted.py OUT_DIR SEED TAG
"""
import json
import sys

import numpy as np
import sklearn
import sklearn.metrics as skm

OUT, SEED, TAG = sys.argv[1], int(sys.argv[2]), sys.argv[3]
rng = np.random.default_rng(SEED)
PROVENANCE = {"generator": "conformance/generate_fbeta_weighted.py", "seed": SEED, "sklearn": sklearn.__version__, "numpy": np.__version__}


def as_list(a):
    return np.asarray(a).tolist()


def block(y, pred, w, labels, subset):
    out = []
    for beta in [0.5, 1.0]:
        for zd in [0.0, 1.0]:
            e = {"beta": beta, "zero_division": zd}
            for avg in [None, "micro", "macro", "weighted"] + (["samples"] if y.ndim == 2 else []):
                p, r, f, s = skm.precision_recall_fscore_support(y, pred, beta=beta, average=avg, sample_weight=w, zero_division=zd, labels=labels)
                e["per_class" if avg is None else avg] = {"precision": as_list(p), "recall": as_list(r), "f": as_list(f)}
                if avg is None:
                    e["support"] = as_list(s)
            e["subset_macro_f"] = float(skm.fbeta_score(y, pred, beta=beta, average="macro", sample_weight=w, zero_division=zd, labels=subset))
            out.append(e)
    return out


cases = []
for (N, C, thr) in [(40, 5, 0.5), (120, 9, 0.35)]:
    freq = np.array([0.5 / (c + 1) for c in range(C)])
    y = (rng.random((N, C)) < freq).astype(np.int64)
    y[:, -1] = 0  # a class with no true label
    y[N // 3] = 0  # rows with no label at all
    probs = np.float64(np.float32(np.clip(0.55 * y + 0.45 * rng.random((N, C)), 0, 1)))
    probs[N // 2] = 0.0  # a row with no predicted label
    pred = (probs > thr).astype(np.int64)
    w = np.float64(np.float32(rng.uniform(0, 3, N)))
    w[rng.random(N) < 0.15] = 0.0
    subset = [1, 2] if C > 2 else [0]
    ap = {("per_class" if avg is None else avg): as_list(skm.average_precision_score(y, probs, average=avg, sample_weight=w)) for avg in [None, "micro", "macro", "weighted", "samples"]}
    cases.append({"name": f"multilabel_{N}x{C}_t{thr}", "kind": "multilabel", "y_true": as_list(y), "scores": as_list(probs), "threshold": thr,
                  "sample_weight": as_list(w), "subset": subset, "sklearn": block(y, pred, w, None, subset), "average_precision": ap})
for (N, C) in [(80, 6)]:
    y = rng.choice(C, size=N, p=np.array([0.4, 0.25, 0.15, 0.1, 0.07, 0.03]))
    scores = np.float64(np.float32(rng.normal(0, 1, (N, C)) + 2.0 * np.eye(C)[y] * (rng.random(N) < 0.6)[:, None]))
    pred = scores.argmax(1)
    w = np.float64(np.float32(rng.uniform(0, 2, N)))
    w[:5] = 0.0
    cases.append({"name": f"multiclass_{N}x{C}", "kind": "multiclass", "y_true": as_list(y), "scores": as_list(scores), "threshold": None,
                  "sample_weight": as_list(w), "subset": [3, 4, 5], "sklearn": block(y, pred, w, list(range(C)), [3, 4, 5]), "average_precision": None})

note = ("scikit-learn precision_recall_fscore_support(y_true, y_pred, beta, average, sample_weight, zero_division, labels) with y_pred = scores > threshold "
        "(multi-label) or argmax(scores) (multi-class, labels=range(C)); per_class, micro, macro, weighted and samples (multi-label) precision, recall and F; "
        "support is the weighted support; subset_macro_f is fbeta_score(average='macro', labels=subset); average_precision (multi-label cases) is "
        "average_precision_score(y_true, scores, average, sample_weight) per class, micro, macro, weighted and samples.")
with open(f"{OUT}/{TAG}-fbeta_weighted.json", "w") as fh:
    json.dump({"family": "fbeta_weighted", "note": note, "provenance": PROVENANCE, "cases": cases}, fh)
print(len(cases), "cases")
