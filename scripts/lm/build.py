#!/usr/bin/env python3
"""Generate data/lm.bin, zhfix's character n-gram language model.

The model is an interpolated modified Kneser-Ney model of characters, stored
in backoff form (ARPA-like: a log10 probability and a log10 backoff weight per
kept n-gram), pruned by count thresholds per order, quantised to one byte per
value, and laid out as an open-addressing hash table that the Rust reader
(src/lm.rs) uses in place.  The format, the normalisation and the hash are
defined in lm.py beside this file (the Python reader).

It is trained on text of ../shared/corpus/clean, one paragraph per line: the
PRC government work reports and the laws and regulations (public domain,
Article 5 of the PRC Copyright Law), and the even-numbered blocks of 100 lines
of the Debian and LibreOffice text (GPL-2+ / MPL-2.0: the model keeps only
n-gram statistics, hashed, never the text).  The odd blocks of the technical
text and the CPC congress reports stay unseen: the lexicon's calibration
(tests/calibration.rs) measures the model on them.  See SOURCES.md there.

usage (from the repository root):
  python3 scripts/lm/build.py                  # write data/lm.bin
  python3 scripts/lm/build.py --check          # regenerate, compare, exit 1 on difference
  python3 scripts/lm/build.py --split even --out target/lm-half.bin
                                               # the held-out model: even blocks of
                                               # --block lines only (odd blocks are test text)
  python3 scripts/lm/build.py --train FILE[:SPLIT] ...
                                               # other training text; SPLIT (all, even,
                                               # odd) overrides --split for that file
  python3 scripts/lm/build.py --exclude '../shared/eval/*/*.gold.txt' --out F
                                               # without the lines of the evaluation
                                               # documents (scripts/honest.sh)

Deterministic: the same options and training files give the same bytes.
Pure Python 3 (standard library only); about a minute and 1 GB of memory.
"""
import argparse
import bisect
import glob
import hashlib
import math
import os
import struct
import sys
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lm  # noqa: E402  (the reader: normalisation, hash, format)

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
CORPUS = os.path.join(REPO, "..", "shared", "corpus", "clean")
TRAIN = ["gov_national_work_reports_1978_2025.txt", "laws_regulations.txt",
         "tech_debian_docs.txt:even", "tech_libreoffice_help.txt:even"]
SPLITS = ("all", "even", "odd")

# Defaults: the committed model.  Measured in scripts/lm/eval.py; see data/README.md.
ORDER = 4
MIN_COUNT = 3
PRUNE = "1,2,4"
LOAD = 0.95
BLOCK = 100
DEFAULT_OUT = os.path.join(REPO, "data", "lm.bin")
FIXTURE_OUT = os.path.join(REPO, "tests", "data", "lm_scores.tsv")

# Internal one-character stand-ins for the special tokens while counting
# (code points that never reach the vocabulary).
MARK = {lm.UNK: "\U0010fff0", lm.BOUNDARY: "\U0010fff1", lm.DIGIT: "\U0010fff2", lm.LATIN: "\U0010fff3"}
UNK_C, BND_C = MARK[lm.UNK], MARK[lm.BOUNDARY]


def rel(path):
    return os.path.relpath(os.path.abspath(path), REPO)


def parse_train(spec, split):
    """`FILE[:SPLIT]` as (path, split); without a suffix the file takes
    `split`, with one the suffix wins except that --split even/odd (a
    held-out model) narrows an `all` file to that split."""
    path, _, own = spec.rpartition(":")
    if not path or own not in SPLITS:
        path, own = spec, split
    elif split != "all" and own == "all":
        own = split
    return path, own


def read_lines(paths, block, exclude=()):
    """The training paragraphs of (path, split) pairs: every non-empty line,
    or only those in even (odd) blocks of `block` lines, counted per file
    from line 0; without the lines that (stripped) are a line of one of the
    `exclude` files."""
    skip = set()
    for pattern in exclude:
        for name in sorted(glob.glob(pattern)):
            with open(name, encoding="utf-8") as f:
                skip.update(l.strip() for l in f if l.strip())
    out = []
    for p, split in paths:
        with open(p, encoding="utf-8") as f:
            lines = f.read().split("\n")
        for i, line in enumerate(lines):
            if not line:
                continue
            b = (i // block) % 2
            if split == "all" or (split == "even" and b == 0) or (split == "odd" and b == 1):
                if line.strip() not in skip:
                    out.append(line)
    return out


def normalise(lines):
    """Lines as strings of normalised characters (classes as MARK stand-ins)."""
    table = {}
    out = []
    for line in lines:
        for c in set(line) - table.keys():
            k = lm.char_class(c)
            table[c] = "" if k is None else MARK[k] if isinstance(k, int) else k
        out.append("".join(table[c] for c in line))
    return out


def choose_vocab(texts, min_count):
    """Characters seen at least min_count times (control characters and the
    stand-ins excluded), in code-point order; and how many types fell short."""
    freq = Counter()
    for t in texts:
        freq.update(t)
    marks = set(MARK.values())
    ok = sorted(c for c, n in freq.items() if n >= min_count and c not in marks and ord(c) >= 0x20 and c != "\x7f")
    short = sum(1 for c, n in freq.items() if n < min_count and c not in marks)
    return ok, short


def count_ngrams(seqs, order):
    counts = [None]
    for n in range(1, order + 1):
        c = Counter()
        for s in seqs:
            c.update(s[i:i + n] for i in range(len(s) - n + 1))
        counts.append(c)
    return counts


def discounts(adj):
    """Modified Kneser-Ney discounts D1, D2, D3+ from the count-of-counts."""
    cc = Counter(v for v in adj.values() if v <= 4)
    n1, n2, n3, n4 = (cc.get(i, 0) for i in (1, 2, 3, 4))
    if min(n1, n2, n3, n4) == 0:
        return (0.5, 1.0, 1.5)
    y = n1 / (n1 + 2 * n2)
    d = (1 - 2 * y * n2 / n1, 2 - 3 * y * n3 / n2, 3 - 4 * y * n4 / n3)
    return tuple(min(max(x, 0.05), i + 1.0) for i, x in enumerate(d))


def train(seqs, order, vocab_size, thresholds):
    """Probabilities and backoff weights (natural values, not logs) of the kept
    n-grams: (probs, bows, discounts), probs[n] / bows[n] dicts keyed by
    n-gram strings; probs[1] covers every unigram string seen."""
    counts = count_ngrams(seqs, order)
    # Adjusted counts: continuation counts (distinct left neighbours) below
    # the top order, except for n-grams that open a paragraph, which have no
    # left neighbour and keep their raw count.
    adj = [None] * (order + 1)
    adj[order] = counts[order]
    for n in range(order - 1, 0, -1):
        a = Counter()
        for g in counts[n + 1]:
            a[g[1:]] += 1
        if n > 1:
            for g, v in counts[n].items():
                if g[0] == BND_C:
                    a[g] = v
        adj[n] = a
    ds = [None] + [discounts(adj[n]) for n in range(1, order + 1)]

    def disc(n, c):
        return ds[n][min(c, 3) - 1]

    probs = [None] * (order + 1)
    # Unigrams, interpolated with the uniform distribution over the vocabulary.
    total = sum(adj[1].values())
    d = ds[1]
    nn = Counter(min(v, 3) for v in adj[1].values())
    gamma = (d[0] * nn[1] + d[1] * nn[2] + d[2] * nn[3]) / total
    probs[1] = {g: (v - disc(1, v)) / total + gamma / vocab_size for g, v in adj[1].items()}
    probs[1]["uniform"] = gamma / vocab_size
    for n in range(2, order + 1):
        thr = thresholds[n]
        tot, ncls = {}, {}
        for g, v in adj[n].items():
            h = g[:-1]
            tot[h] = tot.get(h, 0) + v
            k = ncls.get(h)
            if k is None:
                k = ncls[h] = [0, 0, 0]
            k[min(v, 3) - 1] += 1
        d = ds[n]
        gam = {h: (d[0] * k[0] + d[1] * k[1] + d[2] * k[2]) / tot[h] for h, k in ncls.items()}
        lower = probs[n - 1]
        raw = counts[n]
        p = {}
        for g, v in adj[n].items():
            if raw[g] >= thr:
                h = g[:-1]
                p[g] = (v - disc(n, v)) / tot[h] + gam[h] * lower[g[1:]]
        probs[n] = p
    # Backoff weights that make every pruned distribution sum to one.
    bows = [None] * (order + 1)
    for n in range(1, order):
        num, den = {}, {}
        lower = probs[n]
        for g, v in probs[n + 1].items():
            h = g[:-1]
            num[h] = num.get(h, 0.0) + v
            den[h] = den.get(h, 0.0) + lower[g[1:]]
        b = {}
        for h in probs[n]:
            if h == "uniform":
                continue
            if h in num:
                b[h] = max(1.0 - num[h], 1e-12) / max(1.0 - den[h], 1e-12)
            else:
                b[h] = 1.0
        bows[n] = b
    return probs, bows, ds


def codebook(values):
    """256 representative values (the means of equal-count bins of the
    sorted values) and the bisect boundaries between them.  (Lloyd's
    refinement was tried: it lowers the squared error per entry but moves
    resolution away from the frequent, high-probability n-grams, and raised
    the held-out perplexity.)"""
    v = sorted(values)
    if not v:
        centers = [0.0]
    elif len(set(v)) <= 256:
        centers = sorted(set(v))
    else:
        centers = []
        for i in range(256):
            a, b = len(v) * i // 256, len(v) * (i + 1) // 256
            if b > a:
                centers.append(math.fsum(v[a:b]) / (b - a))
    centers = [struct.unpack("<f", struct.pack("<f", c))[0] for c in centers]
    centers += [centers[-1]] * (256 - len(centers))
    bounds = [(centers[i] + centers[i + 1]) / 2 for i in range(255)]
    return centers, bounds


def quantise(bounds, x):
    return bisect.bisect_left(bounds, x)


def cuckoo(entries, load):
    """A bucketized cuckoo table of (key, prob code, bow code) entries:
    (buckets, fingerprints, values, moves).  Each entry goes to a free slot of
    one of its two buckets; when both are full it takes a slot chosen by a
    fixed pseudo-random sequence and the entry it displaces moves to its other
    bucket, and so on."""
    nb = max(1, math.ceil(len(entries) / (lm.BUCKET * load)))
    cap = nb * lm.BUCKET
    fps = [0] * cap
    hashes = [0] * cap
    vals = bytearray(2 * cap)
    rng = 0x853C49E6748FEA9B
    moves = 0

    def place(h, pq, bq, b):
        for slot in range(b * lm.BUCKET, (b + 1) * lm.BUCKET):
            if not fps[slot]:
                fps[slot] = lm.buckets_and_fp(h, nb)[2]
                hashes[slot] = h
                vals[2 * slot], vals[2 * slot + 1] = pq, bq
                return True
        return False

    for key, pq, bq in entries:
        h = lm.seq_hash(key)
        b1, b2, _ = lm.buckets_and_fp(h, nb)
        if place(h, pq, bq, b1) or place(h, pq, bq, b2):
            continue
        b = b1
        for _ in range(10000):
            rng = (rng * 6364136223846793005 + 1442695040888963407) & lm.M64
            slot = b * lm.BUCKET + (rng >> 62)
            old = (hashes[slot], vals[2 * slot], vals[2 * slot + 1])
            fps[slot] = lm.buckets_and_fp(h, nb)[2]
            hashes[slot] = h
            vals[2 * slot], vals[2 * slot + 1] = pq, bq
            moves += 1
            h, pq, bq = old
            c1, c2, _ = lm.buckets_and_fp(h, nb)
            b = c2 if b == c1 else c1
            if place(h, pq, bq, b):
                break
        else:
            sys.exit(f"the hash table is too full at load {load}: use a lower --load")
    return nb, fps, hashes, vals, moves


def fingerprint_collisions(fps, hashes, nb):
    """Entries whose fingerprint another entry in one of their two buckets
    shares (a lookup could return the wrong one).  Expected: none."""
    n = 0
    for slot, f in enumerate(fps):
        if f:
            b1, b2, _ = lm.buckets_and_fp(hashes[slot], nb)
            others = set(range(b1 * lm.BUCKET, (b1 + 1) * lm.BUCKET))
            others |= set(range(b2 * lm.BUCKET, (b2 + 1) * lm.BUCKET))
            others.discard(slot)
            n += any(fps[o] == f for o in others)
    return n


def build(args):
    specs = args.train or [os.path.join(CORPUS, f) for f in TRAIN]
    paths = [parse_train(s, args.split) for s in specs]
    thresholds = [1, 1] + [int(x) for x in args.prune.split(",")]
    if len(thresholds) != args.order + 1:
        sys.exit(f"--prune needs {args.order - 1} thresholds (orders 2..{args.order})")
    if any(a > b for a, b in zip(thresholds, thresholds[1:])):
        sys.exit("--prune thresholds must not decrease with the order")
    lines = read_lines(paths, args.block, args.exclude or ())
    texts = normalise(lines)
    chars, unk_types = choose_vocab(texts, args.min_count)
    keep = set(chars)
    trans = {}
    seqs = []
    for t in texts:
        for c in set(t) - trans.keys():
            trans[c] = c if c in keep or c in MARK.values() else UNK_C
        seqs.append(BND_C + "".join(trans[c] for c in t) + BND_C)
    tokens = sum(len(s) - 1 for s in seqs)
    ids = {MARK[k]: k for k in MARK}
    ids.update((c, lm.FIRST_CHAR_ID + i) for i, c in enumerate(chars))
    vocab = lm.FIRST_CHAR_ID + len(chars)
    probs, bows, ds = train(seqs, args.order, vocab, thresholds)

    # Dense unigrams.
    uni = []
    for i in range(vocab):
        c = MARK[i] if i < lm.FIRST_CHAR_ID else chars[i - lm.FIRST_CHAR_ID]
        p = probs[1].get(c, probs[1]["uniform"])
        b = bows[1].get(c, 1.0) if args.order > 1 else 1.0
        uni.append((math.log10(p), math.log10(b)))
    # Codebooks and entries of orders >= 2.
    books = []
    entries = []
    for n in range(2, args.order + 1):
        lp = {g: math.log10(v) for g, v in probs[n].items()}
        lb = {g: math.log10(bows[n][g]) for g in probs[n]} if n < args.order else {}
        pc, pb = codebook(lp.values())
        bc, bb = codebook(lb.values()) if lb else ([0.0] * 256, [0.0] * 255)
        books.append((pc, bc))
        for g in sorted(lp, key=lambda g: [ids[c] for c in g]):
            key = [ids[c] for c in g]
            entries.append((key, quantise(pb, lp[g]), quantise(bb, lb[g]) if lb else 0))
    buckets, fps, hashes, vals, kicks = cuckoo(entries, args.load)
    capacity = buckets * lm.BUCKET
    collisions = fingerprint_collisions(fps, hashes, buckets)
    counts = [vocab] + [len(probs[n]) for n in range(2, args.order + 1)]

    body = bytearray()
    body += lm.MAGIC + struct.pack("<I", lm.VERSION)
    body += struct.pack("<4I", args.order, vocab, buckets, max(unk_types, 1))
    body += struct.pack(f"<{args.order}I", *counts)
    for pc, bc in books:
        body += struct.pack("<256f", *pc) + struct.pack("<256f", *bc)
    for p, b in uni:
        body += struct.pack("<ff", p, b)
    body += struct.pack(f"<{len(chars)}I", *(ord(c) for c in chars))
    for b in range(buckets):
        body += struct.pack(f"<{lm.BUCKET}I", *fps[b * lm.BUCKET:(b + 1) * lm.BUCKET])
        body += bytes(vals[2 * b * lm.BUCKET:2 * (b + 1) * lm.BUCKET:2])
        body += bytes(vals[2 * b * lm.BUCKET + 1:2 * (b + 1) * lm.BUCKET:2])

    cmd = ["python3", "scripts/lm/build.py"]
    for p, split in paths:
        cmd += ["--train", rel(p) + ("" if split == "all" else ":" + split)]
    if any(split != "all" for _, split in paths):
        cmd += ["--block", str(args.block)]
    for pattern in args.exclude or ():
        cmd += ["--exclude", "'" + pattern + "'"]
    cmd += ["--order", str(args.order), "--min-count", str(args.min_count),
            "--prune", args.prune, "--load", str(args.load), "--out", rel(args.out)]
    sums = []
    for p, split in paths:
        with open(p, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        sums.append(f"#   {os.path.basename(p)}  sha256 {digest}  lines {split}")
    head_len_guess = 4096
    header = "\n".join([
        "# zhfix character language model. Generated, do not edit. Regenerate with:",
        "#   " + " ".join(cmd),
        "# and check with the same command plus --check.",
        "# Training text (../shared/corpus/clean, licences in its SOURCES.md; the model",
        f"# keeps hashed n-gram statistics only); lines all, or the even (odd) blocks of {args.block}:",
        *sums,
        f"#   {len(lines)} paragraphs, {tokens} tokens (boundaries included)",
        f"# Model: interpolated modified Kneser-Ney, order {args.order}, stored in backoff",
        "#   form (log10 P and log10 backoff per kept n-gram, 8-bit codebooks per order).",
        f"#   Vocabulary: {len(chars)} characters seen at least {args.min_count} times, plus UNK",
        f"#   (standing for {unk_types} rarer types), BOUNDARY, DIGIT, LATIN: {vocab} tokens.",
        "#   Discounts D1 D2 D3+ per order: "
        + "; ".join(f"{n}: " + " ".join(f"{x:.3f}" for x in ds[n]) for n in range(1, args.order + 1)),
        f"#   Pruning: n-grams of orders 2..{args.order} kept when seen at least {args.prune} times.",
        "#   Kept n-grams per order 1..N: " + " ".join(str(c) for c in counts),
        f"# Table: {buckets} buckets of {lm.BUCKET} slots (load {len(entries) / capacity:.3f}),"
        f" {kicks} cuckoo moves, {collisions} fingerprint collisions.",
        "# Format: see scripts/lm/lm.py (the Python reader) and src/lm.rs; size SIZE bytes.",
        "",
    ])
    # The size line names the final size; header length is padded to 8 bytes.
    for _ in range(3):
        raw = header.replace("SIZE", str(head_len_guess + len(body))).encode("utf-8") + b"\0"
        raw += b"\0" * (-len(raw) % 8)
        if len(raw) == head_len_guess:
            break
        head_len_guess = len(raw)
    return raw + bytes(body)


# Texts whose scores the Python reader writes to tests/data/lm_scores.tsv
# beside the committed model; src/lm.rs checks that the Rust reader agrees.
FIXTURE = [
    "推动经济社会健康持续发展。",
    "推动经济社会健康持续开展。",
    "在此基础上，我们要进一步加强领导。",
    "在此根底上，我们要进一步咖强领导。",
    "增强全民国防意识",
    "增强金民国防意识",
    "认真开展工作，鼓励创新。",
    "健全激励机制",
    "健全鼓励机制",
    "人口达到100万",
    "人口到达１００万",
    "同志们:经研究决定,我们(含外来人口)要参加!",
    "第一条 为了规范行政行为，根据宪法，制定本法。",
    "2023年GDP增长5.2%，CPI上涨0.2%。",
    "二〇二三年三月五日",
    "使用 apt-get install 安装软件包。",
    "中华人民共和国\u3000国务院",
    "开展\t工作",
    "鱀豚鮡😀㐀",
    "",
    "，",
    "的",
    "我们要坚持以经济建设为中心，坚持四项基本原则，坚持改革开放。",
    "效劳器前往302",
    "服务器返回302",
    "已经、自己、未来、末日、土地、士兵、人口、入口",
]


def fixture(data):
    """The fixture file: text, log10 P as a paragraph (boundaries included),
    log10 P of its tokens alone (no boundaries, no history)."""
    m = lm.CharLm(data)
    rows = ["# Generated by scripts/lm/build.py with data/lm.bin, do not edit.",
            "# text<TAB>log10 P(paragraph, boundaries included)<TAB>log10 P(tokens alone);"
            " \\t and \\n escaped"]
    for text in FIXTURE:
        t = m.encode_text(text)
        inner = m.encode_text(text, boundaries=False)
        rows.append("\t".join([text.replace("\t", "\\t").replace("\n", "\\n"),
                               f"{m.log10_span(t, 1, len(t)):.6f}",
                               f"{m.log10_span(inner, 0, len(inner)):.6f}"]))
    return ("\n".join(rows) + "\n").encode("utf-8")


def main():
    ap = argparse.ArgumentParser(description="Build zhfix's character language model.")
    ap.add_argument("--train", action="append", help="training file (repeatable); default: "
                    + ", ".join(TRAIN) + " in ../shared/corpus/clean")
    ap.add_argument("--split", choices=["all", "even", "odd"], default="all",
                    help="train on all lines, or only on even (odd) blocks of --block lines")
    ap.add_argument("--block", type=int, default=BLOCK)
    ap.add_argument("--exclude", action="append", metavar="GLOB",
                    help="leave out every training line that is a line of these files "
                         "(repeatable; scripts/honest.sh: the evaluation documents)")
    ap.add_argument("--order", type=int, default=ORDER)
    ap.add_argument("--min-count", type=int, default=MIN_COUNT,
                    help="vocabulary: characters seen at least this many times")
    ap.add_argument("--prune", default=PRUNE,
                    help="minimum counts of kept n-grams of orders 2..N, comma-separated")
    ap.add_argument("--load", type=float, default=LOAD, help="hash table load factor")
    ap.add_argument("--out", default=DEFAULT_OUT,
                    help="the model file; the default also writes " + rel(FIXTURE_OUT))
    ap.add_argument("--check", action="store_true",
                    help="regenerate and compare with --out; exit 1 on difference")
    args = ap.parse_args()
    data = build(args)
    outputs = [(args.out, data)]
    if os.path.abspath(args.out) == os.path.abspath(DEFAULT_OUT):
        outputs.append((FIXTURE_OUT, fixture(data)))
    if args.check:
        status = 0
        for path, new in outputs:
            try:
                with open(path, "rb") as f:
                    old = f.read()
            except FileNotFoundError:
                old = None
            if old != new:
                print(f"{rel(path)} differs from what scripts/lm/build.py generates", file=sys.stderr)
                status = 1
            else:
                print(f"{rel(path)} is up to date")
        return status
    for path, new in outputs:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "wb") as f:
            f.write(new)
        print(f"wrote {rel(path)}: {len(new)} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
