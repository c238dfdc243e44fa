#!/usr/bin/env python3
"""scikit-learn's answer on the demo's own split: the bar a user would compare the library with.

usage: sklearn_reference.py IN.json OUT.json

IN.json (written by the demo): {"texts": [str], "labels": [[class index, ...]], "split": {"train": [row], "val": [row],
"test": [row]}, "classes": K, "bottomThird": [class], "variants": ["plain", "balanced", "ins", "isns", "ens-0.999",
"ens-0.9999"], "beta": 0.5, "C": 4}

For each variant, a one-vs-rest LogisticRegression(C) (liblinear) per class on TF-IDF word uni- and bigrams (min_df 2,
sublinear tf), fitted on the training rows; scored on the test rows with F-beta at threshold 0.5 and at per-class
thresholds tuned on the validation rows the common way: each class's cut with the best validation F-beta, kept at 0.5
when the class has fewer than 5 validation positives or its best F-beta is below 0.2. Variants: plain,
class_weight='balanced', and the GumGum write-up's class weights (INS, ISNS, ENS at beta) normalised to sum to K and
summed over each row's positive labels (the sum rule) as sample weights. Writes micro / macro / bottom-third F-beta at
0.5 and tuned, macro average precision, and the seconds each variant took.
"""
import json
import sys
import time

try:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score
except ImportError as e:  # the demo prints this line and goes on without the reference
    print(f"scikit-learn is not installed here ({e}); pip install scikit-learn", file=sys.stderr)
    sys.exit(3)


def fbeta(tp, fp, fn, beta):
    b2 = beta * beta
    den = (1 + b2) * tp + b2 * fn + fp
    return np.where(den > 0, (1 + b2) * tp / np.maximum(den, 1e-300), 0.0)


def tuned_thresholds(y, p, beta, fbr=0.2, min_positives=5):
    """Each class's best validation F-beta cut (midway between adjacent probabilities), or 0.5 where guarded."""
    th = np.full(y.shape[1], 0.5)
    for c in range(y.shape[1]):
        order = np.argsort(-p[:, c], kind="stable")
        s, t = p[order, c], y[order, c]
        positives = t.sum()
        if positives < min_positives:
            continue
        # One cut per distinct score: after the last row of each run of ties.
        last = np.r_[np.nonzero(np.diff(s))[0], len(s) - 1]
        tp = np.cumsum(t)[last]
        fp = np.cumsum(1 - t)[last]
        f = fbeta(tp, fp, positives - tp, beta)
        k = int(np.argmax(f))
        if f[k] < fbr:
            continue
        nxt = last[k] + 1
        th[c] = (s[last[k]] + s[nxt]) / 2 if nxt < len(s) else s[last[k]] / 2
    return th


def scores(y, p, th, beta, bottom):
    pred = p > th
    tp = (pred & (y == 1)).sum(0)
    fp = (pred & (y == 0)).sum(0)
    fn = ((~pred) & (y == 1)).sum(0)
    per = fbeta(tp, fp, fn, beta)
    micro = float(fbeta(tp.sum(), fp.sum(), fn.sum(), beta))
    return {"micro": round(micro, 4), "macro": round(float(per.mean()), 4), "bottomThird": round(float(per[bottom].mean()), 4)}


def class_weights(n, name):
    if name == "ins":
        w = 1 / n
    elif name == "isns":
        w = 1 / np.sqrt(n)
    else:
        beta = float(name.split("-")[1])
        w = (1 - beta) / (1 - beta ** n)
    return w / w.sum() * len(w)


def main():
    spec = json.load(open(sys.argv[1]))
    beta, C, K = spec["beta"], spec["C"], spec["classes"]
    texts = spec["texts"]
    Y = np.zeros((len(texts), K), dtype=np.int8)
    for i, labels in enumerate(spec["labels"]):
        Y[i, labels] = 1
    rows = {k: np.array(v, dtype=np.int64) for k, v in spec["split"].items()}
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=r"[a-z0-9]+")
    X = {"train": vec.fit_transform([texts[i] for i in rows["train"]])}
    for k in ("val", "test"):
        X[k] = vec.transform([texts[i] for i in rows[k]])
    y = {k: Y[v] for k, v in rows.items()}
    n = y["train"].sum(0).astype(float)
    bottom = np.array(spec["bottomThird"], dtype=np.int64)
    out = {"what": f"scikit-learn one-vs-rest LogisticRegression(C={C}, liblinear) on TF-IDF word uni+bigrams (min_df 2, sublinear tf)",
           "tuning": "per class, the best validation F-beta cut; 0.5 where the class has fewer than 5 validation positives or its best F-beta is below 0.2",
           "variants": {}}
    for name in spec["variants"]:
        t0 = time.time()
        sw = None
        cw = "balanced" if name == "balanced" else None
        if name not in ("plain", "balanced"):
            sw = (y["train"] * class_weights(np.maximum(n, 1), name)).sum(1)
            sw[sw == 0] = 1.0
        p = {k: np.zeros(y[k].shape) for k in ("val", "test")}
        for c in range(K):
            m = LogisticRegression(C=C, class_weight=cw, max_iter=2000, solver="liblinear").fit(X["train"], y["train"][:, c], sample_weight=sw)
            for k in ("val", "test"):
                p[k][:, c] = m.predict_proba(X[k])[:, 1]
        th = tuned_thresholds(y["val"], p["val"], beta)
        ap = [average_precision_score(y["test"][:, c], p["test"][:, c]) for c in range(K) if y["test"][:, c].sum() > 0]
        out["variants"][name] = {
            "at05": scores(y["test"], p["test"], np.full(K, 0.5), beta, bottom),
            "tuned": scores(y["test"], p["test"], th, beta, bottom),
            "macroAP": round(float(np.mean(ap)), 4),
            "seconds": round(time.time() - t0, 1),
        }
        print(f"{name:12s} tuned {out['variants'][name]['tuned']} ({out['variants'][name]['seconds']} s)", file=sys.stderr, flush=True)
    json.dump(out, open(sys.argv[2], "w"), indent=1)


if __name__ == "__main__":
    main()
