#!/usr/bin/env python3
"""Plain text of the gzipped man pages under SRC, one file each in DST:
roff requests and comments dropped, font escapes removed. Pages with fewer
than 200 ideographs are skipped. Usage: roff_text.py SRC DST"""
import glob
import gzip
import os
import re
import sys

REQUEST = re.compile(r"^\.(SH|SS|TP|PP|LP|IP|B|I|BR|IR|RB|BI|IB|RI|TH|HP|RS|RE|nf|fi|sp|br|in|ti|ad|na|ne|ft|ds|de|if|ie|el)\b ?")
src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst, exist_ok=True)
kept = chars = 0
for path in sorted(glob.glob(os.path.join(src, "**", "*.gz"), recursive=True)):
    try:
        roff = gzip.open(path).read().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        continue
    lines = []
    for line in roff.splitlines():
        if line.startswith(('.\\"', "'\\\"")):
            continue
        line = REQUEST.sub("", line)
        line = re.sub(r"\\f[BIRP]", "", line)
        line = line.replace("\\-", "-").replace("\\(em", "——").replace("\\ ", " ")
        line = re.sub(r"\\[a-z&|^]", "", line)
        if not line.startswith("."):
            lines.append(line)
    text = "\n".join(lines)
    if len(re.findall(r"[\u4e00-\u9fff]", text)) < 200:
        continue
    name = os.path.basename(path)[: -len(".gz")] + ".txt"
    with open(os.path.join(dst, name), "w", encoding="utf-8") as f:
        f.write(text)
    kept += 1
    chars += len(text)
print(f"{kept} pages, {chars} characters", file=sys.stderr)
