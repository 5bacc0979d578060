#!/usr/bin/env python3
"""Compute data/confusables.tsv: visually similar characters (形近字) for the OCR layer.

Every character of the set is rendered in eight CJK font faces that Debian
packages; each rendering gives four blurred, down-sampled views (as rendered and
size-normalised, each fine and coarse); the similarity of two characters is the
mean, over the views and over the faces that have both glyphs, of the Pearson
correlation of their views after the face's mean image is subtracted.  For each
character the table keeps its K best neighbours whose score reaches THRESHOLD,
and is then made symmetric.  Nothing is asserted by hand and nothing is taken
from the evaluation data: the table comes from the fonts and the character list
alone (--eval only measures it).

usage:
  python3 scripts/confusables/gen.py            # write data/confusables.tsv
  python3 scripts/confusables/gen.py --check    # regenerate, diff, exit 1 on difference
  python3 scripts/confusables/gen.py --eval     # recall on eval/ocr for several K/THRESHOLD

Needs: Debian fonts-noto-cjk fonts-arphic-uming fonts-arphic-ukai
fonts-wqy-zenhei fonts-wqy-microhei; Python packages pillow, numpy.
See scripts/confusables/README.md.
"""
import argparse
import difflib
import glob
import os
import sys
from collections import Counter

import numpy as np
from PIL import Image, ImageDraw, ImageFont, features

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_SHARED = os.path.join(os.path.dirname(REPO), "shared")
DEFAULT_OUT = os.path.join(REPO, "data", "confusables.tsv")

# (file, face index in the collection, name, Debian package)
FONTS = [
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2, "Noto Serif CJK SC Regular", "fonts-noto-cjk"),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2, "Noto Serif CJK SC Bold", "fonts-noto-cjk"),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2, "Noto Sans CJK SC Regular", "fonts-noto-cjk"),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2, "Noto Sans CJK SC Bold", "fonts-noto-cjk"),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0, "AR PL UMing CN", "fonts-arphic-uming"),
    ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0, "AR PL UKai CN", "fonts-arphic-ukai"),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0, "WenQuanYi Zen Hei", "fonts-wqy-zenhei"),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0, "WenQuanYi Micro Hei", "fonts-wqy-microhei"),
]
LICENCES = {
    "fonts-noto-cjk": "SIL Open Font License 1.1",
    "fonts-arphic-uming": "Arphic Public License",
    "fonts-arphic-ukai": "Arphic Public License",
    "fonts-wqy-zenhei": "GPL-2 with font embedding exception",
    "fonts-wqy-microhei": "Apache-2.0 or GPL-3 with font embedding exception",
}

CORPUS_FILES = ["gov_national_work_reports_1978_2025.txt", "laws_regulations.txt"]
MIN_COUNT = 3

# Non-ideograph marks (and a few stroke-like ideographs outside the frequent set)
# that OCR reads in place of ideographs or the other way round.  Only the list of
# candidates is chosen here; which of them pair with what is computed like any
# other character.
SYMBOLS = (
    "、，。：；·・•．.,:;"        # small marks
    "—－-–―ー一"                   # dashes and bars (一 is an ideograph, kept for clarity)
    "〇○◯OoΟ0０Ｏ"                  # rings and zeros
    "□■口囗"                        # boxes
    "=＝二三"                        # bars
    "丨|｜lI1１丿乀丶乙亅"           # strokes
    "+＋×xX十"                       # crosses
    "（）()《》〈〉<>「」〔〕【】"    # brackets
    "人入八"
)

SIZE = 32      # rendering size in px (em)
CANVAS = 48    # the glyph's ink box is centred in a CANVAS x CANVAS box
SIGMA_FINE = 1.5   # Gaussian blur (px at 48x48) before 2x2 pooling -> 24x24
POOL_COARSE = 3    # 3x3 pooling -> 16x16 (a glyph of about 11 px) ...
SIGMA_COARSE = 0.8  # ... then this blur at that scale
FILL = 40      # size-free views: the ink box stretched to FILL x FILL

DEFAULT_K = 8
DEFAULT_THRESHOLD = 400  # in 0..1000; about the 99th percentile of all pairs

FORMAT_VERSION = 1


def is_ideograph(ch):
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF


def gb2312_level1():
    """The 3,755 level-1 hanzi of GB 2312 (rows 16-55), the standard's frequent characters."""
    out = []
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                out.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return out


def corpus_counts(shared):
    c = Counter()
    for name in CORPUS_FILES:
        with open(os.path.join(shared, "corpus", "clean", name), encoding="utf-8") as f:
            c.update(ch for ch in f.read() if is_ideograph(ch))
    return c


def charset(shared):
    """Ideographs seen >= MIN_COUNT times in the two corpus files, plus GB 2312
    level 1, plus SYMBOLS; sorted by code point."""
    counts = corpus_counts(shared)
    chars = {ch for ch, n in counts.items() if n >= MIN_COUNT}
    chars.update(gb2312_level1())
    chars.update(SYMBOLS)
    return sorted(chars)


def gauss_kernel(sigma):
    r = int(np.ceil(3 * sigma))
    x = np.arange(-r, r + 1, dtype=np.float64)
    k = np.exp(-0.5 * (x / sigma) ** 2)
    return k / k.sum()


def blur(img, sigma):
    """Separable Gaussian blur of a stack of images (n, h, w), zero padding."""
    k = gauss_kernel(sigma)
    r = len(k) // 2
    pad = np.pad(img, ((0, 0), (r, r), (r, r)))
    h, w = img.shape[1:]
    tmp = sum(k[i] * pad[:, :, i:i + w] for i in range(len(k)))
    return sum(k[i] * tmp[:, i:i + h, :] for i in range(len(k)))


def pool(img, p):
    n, h, w = img.shape
    return img.reshape(n, h // p, p, w // p, p).mean(axis=(2, 4))


def normalise(v):
    v = v.reshape(v.shape[0], -1)
    v = v - v.mean(axis=1, keepdims=True)
    norm = np.linalg.norm(v, axis=1, keepdims=True)
    norm[norm == 0] = 1.0
    return v / norm


def centre(views, has):
    """Subtract the face's mean image over the character set (the blob that all
    ideographs share), then normalise each vector (zero mean, unit length)."""
    v = views.reshape(views.shape[0], -1)
    v = v - v[has].mean(axis=0, keepdims=True)
    return normalise(v)


def fill_box(imgs, has):
    """Each glyph's ink box (pixels > 0.2) stretched to FILL x FILL, centred in the canvas:
    a view that ignores glyph size, aspect and position."""
    out = np.zeros_like(imgs)
    off = (CANVAS - FILL) // 2
    for i in np.nonzero(has)[0]:
        ys, xs = np.nonzero(imgs[i] > 0.2)
        if len(ys) == 0:
            continue
        crop = imgs[i, ys.min():ys.max() + 1, xs.min():xs.max() + 1]
        im = Image.fromarray(np.rint(crop * 255).astype(np.uint8)).resize((FILL, FILL), Image.BILINEAR)
        out[i, off:off + FILL, off:off + FILL] = np.asarray(im, dtype=np.float64) / 255.0
    return out


def views(imgs, has):
    """Fine (blur, 2x2 pool -> 24x24) and coarse (3x3 pool -> 16x16, blur) views."""
    return [centre(pool(blur(imgs, SIGMA_FINE), 2), has),
            centre(blur(pool(imgs, POOL_COARSE), SIGMA_COARSE), has)]


def render_font(path, index, chars):
    """Return (features (n, d) float64, has_glyph (n,) bool) for one face."""
    font = ImageFont.truetype(path, SIZE, index=index, layout_engine=ImageFont.Layout.BASIC)

    def raster(ch):
        img = Image.new("L", (CANVAS, CANVAS), 0)
        bbox = font.getbbox(ch)
        if bbox[2] <= bbox[0] or bbox[3] <= bbox[1]:
            return None
        x = CANVAS / 2 - (bbox[0] + bbox[2]) / 2
        y = CANVAS / 2 - (bbox[1] + bbox[3]) / 2
        ImageDraw.Draw(img).text((round(x), round(y)), ch, font=font, fill=255)
        return np.asarray(img, dtype=np.float64) / 255.0

    # a code point no font maps: its rendering is the face's .notdef glyph
    notdef = [raster(ch) for ch in ("\U0010FFFD", "\uE000")]
    imgs = np.zeros((len(chars), CANVAS, CANVAS))
    has = np.zeros(len(chars), dtype=bool)
    for i, ch in enumerate(chars):
        r = raster(ch)
        if r is None or r.sum() == 0 or any(nd is not None and np.array_equal(r, nd) for nd in notdef):
            continue
        imgs[i] = r
        has[i] = True
    vs = views(imgs, has) + views(fill_box(imgs, has), has)
    feat = np.concatenate(vs, axis=1) / np.sqrt(len(vs))  # dot product = mean correlation
    feat[~has] = 0.0
    return feat, has


def similarity(chars, log=sys.stderr):
    """Mean over faces (with both glyphs) of the feature dot product; (n, n) float64."""
    n = len(chars)
    total = np.zeros((n, n))
    count = np.zeros((n, n))
    for path, index, name, _ in FONTS:
        feat, has = render_font(path, index, chars)
        print(f"  {name}: {has.sum()} of {n} glyphs", file=log)
        for a in range(0, n, 1024):  # row chunks keep the temporaries small
            total[a:a + 1024] += feat[a:a + 1024] @ feat.T
        h = has.astype(np.float64)
        count += np.outer(h, h)
    with np.errstate(invalid="ignore", divide="ignore"):
        sim = np.where(count > 0, total / np.maximum(count, 1), 0.0)
    return sim


def int_scores(sim):
    return np.clip(np.rint(sim * 1000), 0, 1000).astype(np.int32)


def ranked(chars, scores):
    """For each row, the other characters by score descending, ties by code point."""
    cps = np.array([ord(c) for c in chars])
    out = []
    for i in range(len(chars)):
        order = np.lexsort((cps, -scores[i]))
        out.append(order[order != i])
    return out


def neighbours(chars, scores, k, threshold, symmetric, order=None):
    """Each character's top k neighbours with score >= threshold; with `symmetric`,
    a row also lists every character that has it among its own top k.  Rows sorted
    by score descending, ties by code point."""
    if order is None:
        order = ranked(chars, scores)
    rows = [set() for _ in chars]
    for i, o in enumerate(order):
        top = o[:k]
        top = top[scores[i, top] >= threshold]
        rows[i].update(top.tolist())
        if symmetric:
            for j in top.tolist():
                rows[j].add(i)
    out = []
    for i, r in enumerate(rows):
        js = sorted(r, key=lambda j: (-scores[i, j], ord(chars[j])))
        out.append([(chars[j], int(scores[i, j])) for j in js])
    return out


def versions():
    import subprocess
    pk = []
    for p in sorted({f[3] for f in FONTS}):
        try:
            v = subprocess.run(["dpkg-query", "-W", "-f=${Version}", p],
                               capture_output=True, text=True).stdout.strip()
        except OSError:
            v = ""
        pk.append(f"{p} {v or '?'}")
    import PIL
    return pk, f"pillow {PIL.__version__} (FreeType {features.version('freetype2')}), numpy {np.__version__}"


def table_text(chars, nbrs, k, threshold, symmetric):
    pk, py = versions()
    lic = "; ".join(f"{p}: {LICENCES[p]}" for p in sorted(LICENCES))
    ref = "python3 scripts/confusables/gen.py"
    if (k, threshold) != (DEFAULT_K, DEFAULT_THRESHOLD):
        ref += f" --k {k} --threshold {threshold}"
    if not symmetric:
        ref += " --no-symmetric"
    head = [
        f"# zhfix confusables table, format {FORMAT_VERSION}: visually similar characters (形近字) for the OCR layer.",
        "# Format: one line per character, sorted by code point:",
        "#   CHAR<TAB>NEIGHBOUR:SCORE NEIGHBOUR:SCORE ...",
        "# SCORE is an integer 0-1000 (1000 = identical images), neighbours sorted by score",
        "# descending, ties by code point; a character with no neighbour has an empty field.",
        "# Entries are separated by one space; split an entry at its LAST ':' (':' and '：' are",
        "# characters of the table too).",
        "# SCORE(a, b) = SCORE(b, a).",
        f"# Produced by: {ref}",
        f"# Fonts (Debian): {', '.join(pk)}",
        f"#   faces: {'; '.join(f[2] for f in FONTS)}",
        f"# Software: {py}",
        f"# Measure: each glyph rendered at {SIZE} px, its ink box centred in a {CANVAS}x{CANVAS} box; four views:",
        f"#   as rendered and with the ink box stretched to {FILL}x{FILL} (size-free), each seen fine",
        f"#   (Gaussian blur sigma {SIGMA_FINE}, 2x2 pooling -> 24x24) and coarse ({POOL_COARSE}x{POOL_COARSE} pooling ->"
        f" 16x16, a degraded ~11 px glyph, blur sigma {SIGMA_COARSE});",
        "#   per face and view the face's mean image over the character set is subtracted and the",
        "#   Pearson correlation taken; SCORE = 1000 x the mean over the four views and over the",
        "#   faces that have both glyphs (negative -> 0).",
        f"# Kept: each character's k={k} best neighbours with SCORE >= {threshold}"
        + ("; the table is made symmetric (b is listed in a's row whenever a is in b's top k),"
           if symmetric else "; not symmetrised (look a pair up in both rows)."),
        *(["#   so a row can hold more than k neighbours."] if symmetric else []),
        f"# Characters ({len(chars)}): ideographs seen >= {MIN_COUNT} times in corpus/clean/"
        f"{' + '.join(CORPUS_FILES)},",
        "#   plus the 3,755 GB 2312 level-1 hanzi, plus a fixed list of marks and strokes",
        "#   (SYMBOLS in gen.py) that OCR confuses with ideographs.",
        "# Licence: the table holds computed similarity facts, no glyph data. Fonts: " + lic + ".",
        "#   The character list was derived from public-domain PRC government texts (counts only).",
    ]
    lines = head[:]
    for ch, nb in zip(chars, nbrs):
        lines.append(ch + "\t" + " ".join(f"{c}:{s}" for c, s in nb))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- evaluation

def ocr_substitutions(shared):
    """(gold char, OCR char) for each one-ideograph substitution in eval/ocr, found the way
    score.py finds edits (difflib on whitespace-stripped, width-folded text)."""
    sys.path.insert(0, os.path.join(shared, "eval"))
    import score  # noqa: E402
    pairs = []
    for gp in sorted(glob.glob(os.path.join(shared, "eval", "ocr", "*.garbled.txt"))):
        with open(gp, encoding="utf-8") as f:
            G, _ = score.strip_ws(f.read())
        with open(gp.replace(".garbled.txt", ".gold.txt"), encoding="utf-8") as f:
            T, _ = score.strip_ws(f.read())
        for i1, i2, rep in sorted(score.edits(G, T)):
            if i2 - i1 == 1 and len(rep) == 1 and score.cjk(G[i1]) and score.cjk(rep):
                pairs.append((rep, G[i1]))
    return pairs


NAMED = [("入", "人"), ("全", "金"), ("加", "咖"), ("工", "主"), ("域", "城"), ("目", "自"),
         ("园", "国"), ("键", "健"), ("未", "末"), ("农", "衣"), ("继", "维"), ("改", "政"),
         ("而", "面"), ("缓", "级"), ("料", "朴"), ("也", "电"), ("播", "插")]


def run_eval(shared, chars, scores):
    pairs = ocr_substitutions(shared)
    pos = {c: i for i, c in enumerate(chars)}
    order = ranked(chars, scores)
    inset = [(g, o) for g, o in pairs if g in pos and o in pos]
    print(f"eval/ocr one-ideograph substitutions (gold -> OCR): {len(pairs)} events; "
          f"{len(inset)} with both characters in the set of {len(chars)}")
    print("cell: recall (share of all events whose gold char is in the OCR char's row: what the OCR"
          " layer looks up) and table size in KiB")
    ks = [1, 2, 3, 5, 8, 10, 15, 20, 30]
    ths = [0, 300, 400, 500, 600, 700]
    for symmetric in (True, False):
        print(f"\n{'symmetric' if symmetric else 'top-k rows only (--no-symmetric)'}")
        print("   k " + "".join(f"{'thr ' + str(t):>15}" for t in ths))
        for k in ks:
            row = f"{k:>4} "
            for t in ths:
                nb = neighbours(chars, scores, k, t, symmetric, order)
                rows = [{c for c, _ in r} for r in nb]
                hit = sum(g in rows[pos[o]] for g, o in inset)
                size = len(table_text(chars, nb, k, t, symmetric).encode())
                row += f"  {hit / len(pairs):6.1%} {size / 1024:5.0f}K"
            print(row, flush=True)
    rank = {}
    for g, o in NAMED:
        if g in pos and o in pos:
            gi, oi = pos[g], pos[o]
            rank[g, o] = (int(np.nonzero(order[oi] == gi)[0][0]) + 1, int(np.nonzero(order[gi] == oi)[0][0]) + 1)
    print("\nnamed confusions gold/OCR: score; rank of gold in the OCR char's row / of OCR char in gold's row")
    for g, o in NAMED:
        if (g, o) in rank:
            print(f"  {g}/{o}: {scores[pos[g], pos[o]]:4d}; {rank[g, o][0]} / {rank[g, o][1]}")
        else:
            print(f"  {g}/{o}: not in the character set")
    sims = np.array([scores[pos[g], pos[o]] for g, o in inset])
    offd = scores[~np.eye(len(chars), dtype=bool)]
    print("\nscore quartiles: eval pairs", np.percentile(sims, [25, 50, 75]).astype(int).tolist(),
          "; all pairs", np.percentile(offd, [25, 50, 75, 99, 99.9]).astype(int).tolist(), "(25/50/75/99/99.9%)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=DEFAULT_SHARED, help="the shared/ folder (corpus, eval)")
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--k", type=int, default=DEFAULT_K)
    ap.add_argument("--threshold", type=int, default=DEFAULT_THRESHOLD)
    ap.add_argument("--no-symmetric", dest="symmetric", action="store_false",
                    help="keep only each row's own top k")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="regenerate and diff against --out")
    mode.add_argument("--eval", action="store_true", help="print recall on eval/ocr")
    a = ap.parse_args()

    missing = [f[0] for f in FONTS if not os.path.exists(f[0])]
    if missing:
        sys.exit("missing fonts (apt-get install fonts-noto-cjk fonts-arphic-uming fonts-arphic-ukai "
                 "fonts-wqy-zenhei fonts-wqy-microhei): " + ", ".join(missing))
    chars = charset(a.shared)
    print(f"{len(chars)} characters; rendering {len(FONTS)} faces", file=sys.stderr)
    scores = int_scores(similarity(chars))
    if a.eval:
        run_eval(a.shared, chars, scores)
        return
    nb = neighbours(chars, scores, a.k, a.threshold, a.symmetric)
    text = table_text(chars, nb, a.k, a.threshold, a.symmetric)
    if a.check:
        try:
            with open(a.out, encoding="utf-8") as f:
                old = f.read()
        except FileNotFoundError:
            old = ""
        if old == text:
            print(f"{a.out}: up to date")
            return
        diff = list(difflib.unified_diff(old.splitlines(), text.splitlines(), "committed", "regenerated", lineterm="", n=0))
        print("\n".join(diff[:60]))
        print(f"{a.out}: differs from the regenerated table ({len(diff)} diff lines)")
        sys.exit(1)
    os.makedirs(os.path.dirname(a.out), exist_ok=True)
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {a.out}: {len(chars)} lines, {len(text.encode())} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
