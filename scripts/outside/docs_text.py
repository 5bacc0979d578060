#!/usr/bin/env python3
"""Visible Chinese text of extracted Debian packages, one file per package.

Usage: docs_text.py DST NAME=DIR [NAME=DIR ...]

Writes DST/NAME.txt for each NAME, from the files under DIR:
  *.html, *.htm, *.xhtml  tags stripped; <head>, <script>, <style>, <pre>
                          and block <code> (one holding a line break) dropped;
                          entities decoded; one paragraph per line (inline
                          <code> stays: dropping it would join the words
                          around it)
  *.mo                    each msgstr (each plural form), one line per line
  *.ftl                   Fluent message and attribute values (select
                          expressions: the default variant; { -term }
                          references: the term's value)
  *.properties, *.dtd     the values (DTD: <!ENTITY name "value">)
  (in .ftl, .properties and .dtd values, markup tags such as
  <a data-l10n-name="x"> are dropped: they are not shown)
  *.xpi, *.ja, *.jar      the .ftl, .properties and .dtd files inside
Placeholders (%s, { $name }, &brandShortName;, (_O)) stay as they are, since
they are part of the strings. A line break inside a paragraph or a value is
dropped between two full-width characters and is a space elsewhere, as a
browser renders it. Only lines with at least 5 CJK ideographs are kept, and a
line already written (in any file) is not written again. PDF and EPUB files
are skipped (the EPUBs repeat the HTML). Standard library only."""
import html
import html.parser
import io
import os
import re
import struct
import sys
import zipfile

IDEO = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
WIDE = r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
BREAK = re.compile(rf"(?<={WIDE})[ \t\r\f]*\n\s*(?={WIDE})")
SPACE = re.compile(r"\s+")
MIN_IDEOGRAPHS = 5


def squeeze(text):
    """Whitespace as rendered: breaks between wide characters dropped, runs -> one space."""
    text = text.replace("\u00a0", " ")
    return SPACE.sub(" ", BREAK.sub("", text)).strip()


# ---------------------------------------------------------------- HTML

BLOCK = {"address", "article", "aside", "blockquote", "body", "br", "caption", "dd",
         "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure",
         "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html",
         "legend", "li", "main", "nav", "ol", "option", "p", "section", "summary",
         "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul"}
SKIP = {"head", "script", "style", "pre", "noscript", "template", "svg", "math",
        "textarea", "object", "iframe"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "param", "source", "track", "wbr"}


class Visible(html.parser.HTMLParser):
    """Collects visible text as paragraphs; <code> is buffered to tell blocks from inline."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paras, self.buf = [], []
        self.skip = []        # stack of open skipped tags
        self.code = []        # stack of buffers of open <code> elements

    def flush(self):
        text = squeeze("".join(self.buf))
        if text:
            self.paras.append(text)
        self.buf = []

    def out(self, text):
        (self.code[-1] if self.code else self.buf).append(text)

    def handle_starttag(self, tag, attrs):
        if self.skip:
            if tag in SKIP and tag not in VOID:
                self.skip.append(tag)
            return
        if tag in SKIP:
            self.skip.append(tag)
        elif tag == "code":
            self.code.append([])
        elif tag in BLOCK:
            if self.code:
                self.code[-1].append("\n")
            else:
                self.flush()

    def handle_startendtag(self, tag, attrs):
        if not self.skip and tag in BLOCK:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if self.skip:
            if tag == self.skip[-1]:
                self.skip.pop()
            elif tag in self.skip:          # unbalanced markup: close up to it
                while self.skip and self.skip.pop() != tag:
                    pass
            return
        if tag == "code" and self.code:
            text = "".join(self.code.pop())
            if "\n" in text.strip():        # a code block: drop it, end the paragraph
                if not self.code:
                    self.flush()
            else:
                self.out(text)
        elif tag in BLOCK and not self.code:
            self.flush()

    def handle_data(self, data):
        if not self.skip:
            self.out(data)

    def close(self):
        super().close()
        while self.code:
            self.handle_endtag("code")
        self.flush()


def html_lines(data):
    p = Visible()
    p.feed(data.decode("utf-8", errors="replace"))
    p.close()
    return p.paras


# ---------------------------------------------------------------- gettext .mo

def mo_lines(data):
    if len(data) < 20:
        return []
    magic = struct.unpack("<I", data[:4])[0]
    end = "<" if magic == 0x950412DE else ">" if magic == 0xDE120495 else None
    if end is None:
        return []
    _, n, orig, trans = struct.unpack(end + "4I", data[4:20])
    charset = "utf-8"
    out = []
    for i in range(n):
        olen, ooff = struct.unpack(end + "2I", data[orig + 8 * i: orig + 8 * i + 8])
        tlen, toff = struct.unpack(end + "2I", data[trans + 8 * i: trans + 8 * i + 8])
        msgid, msgstr = data[ooff: ooff + olen], data[toff: toff + tlen]
        if not msgid:                       # the header
            m = re.search(rb"charset=([-\w]+)", msgstr)
            if m:
                charset = m.group(1).decode()
            continue
        try:
            text = msgstr.decode(charset)
        except (LookupError, UnicodeDecodeError):
            text = msgstr.decode("utf-8", errors="replace")
        for form in text.split("\0"):
            out += form.split("\n")
    return [squeeze(x) for x in out]


# ---------------------------------------------------------------- Mozilla

TAG = re.compile(r"""</?[a-zA-Z][\w-]*(?:\s+[\w:.-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'))?)*\s*/?>""")


def untag(text):
    """Mozilla strings may hold markup (<a data-l10n-name="...">): the tags are not shown."""
    return TAG.sub("", text)


def ftl_entries(text):
    """(id, value text) for each Fluent message, term and attribute; raw value text."""
    entries, cur = [], None
    for line in text.splitlines():
        if not line.strip():
            if cur:
                cur[1].append("")
            continue
        if line.startswith("#"):
            cur = None
            continue
        m = re.match(r"(-?[A-Za-z][\w-]*)\s*=\s?(.*)$", line)
        if m:
            cur = [m.group(1), [m.group(2)]]
            entries.append(cur)
            continue
        m = re.match(r"\s+\.([A-Za-z][\w-]*)\s*=\s?(.*)$", line)
        if m and cur:
            cur = [cur[0].split(".")[0] + "." + m.group(1), [m.group(2)]]
            entries.append(cur)
            continue
        if line[0].isspace() and cur:
            cur[1].append(line.strip())
    return [(k, "\n".join(v).strip()) for k, v in entries]


def ftl_render(value, terms):
    """Select expressions -> default variant; { -term } -> its value; other placeables kept."""
    def select(m):
        body = m.group(1)
        d = re.search(r"\*\[[^\]]*\]\s*(.*?)\s*(?=\n\s*\*?\[|\Z)", body, re.S)
        return d.group(1) if d else ""
    prev = None
    while prev != value:                    # innermost select expressions first
        prev = value
        value = re.sub(r"\{[^{}]*->((?:[^{}]|\{[^{}]*\})*)\}", select, value, flags=re.S)
    value = re.sub(r"\{\s*(-[\w-]+)\s*\}", lambda m: terms.get(m.group(1), m.group(0)), value)
    return untag(value.replace('{ "{" }', "{").replace('{ "}" }', "}"))


def ftl_lines(files):
    """All .ftl files of one archive at once, so terms resolve across them."""
    entries = [e for text in files for e in ftl_entries(text)]
    terms = {k: v for k, v in entries if k.startswith("-") and "{" not in v and "\n" not in v}
    return [squeeze(ftl_render(v, terms)) for k, v in entries if not k.startswith("-")] + \
        [squeeze(untag(v)) for k, v in entries if k.startswith("-")]


def properties_lines(text):
    out, logical = [], ""
    for line in text.splitlines():
        s = line.lstrip()
        if not logical and (not s or s[0] in "#!"):
            continue
        if s.endswith("\\") and not s.endswith("\\\\"):
            logical += s[:-1]
            continue
        logical += s
        m = re.match(r"(?:\\.|[^=:\s\\])+\s*[=:]?\s*(.*)$", logical)
        logical = ""
        if m:
            val = re.sub(r"\\u([0-9a-fA-F]{4})", lambda u: chr(int(u.group(1), 16)), m.group(1))
            val = re.sub(r"\\(.)", lambda e: {"n": "\n", "t": "\t"}.get(e.group(1), e.group(1)), val)
            out += untag(val).split("\n")
    return [squeeze(x) for x in out]


def dtd_lines(text):
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    vals = re.findall(r"<!ENTITY\s+%?\s*[\w.-]+\s+(?:\"([^\"]*)\"|'([^']*)')", text)
    return [squeeze(untag(a or b)) for a, b in vals]


def archive_lines(data):
    out, ftl = [], []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in sorted(z.namelist()):
            if name.endswith("/"):
                continue
            member = z.read(name)
            if name.endswith((".xpi", ".ja", ".jar")):
                out += archive_lines(member)
                continue
            text = member.decode("utf-8", errors="replace")
            if name.endswith(".ftl"):
                ftl.append(text)
            elif name.endswith(".properties"):
                out += properties_lines(text)
            elif name.endswith(".dtd"):
                out += dtd_lines(text)
    return ftl_lines(ftl) + out


# ---------------------------------------------------------------- driver

def package_lines(root):
    out, ftl = [], []
    for dirpath, dirnames, filenames in sorted(os.walk(root)):
        dirnames.sort()
        for fn in sorted(filenames):
            path = os.path.join(dirpath, fn)
            low = fn.lower()
            if os.path.islink(path):
                continue
            if low.endswith((".html", ".htm", ".xhtml")):
                out += html_lines(open(path, "rb").read())
            elif low.endswith(".mo"):
                out += mo_lines(open(path, "rb").read())
            elif low.endswith((".xpi", ".ja", ".jar")):
                out += archive_lines(open(path, "rb").read())
            elif low.endswith(".ftl"):
                ftl.append(open(path, encoding="utf-8", errors="replace").read())
            elif low.endswith(".properties"):
                out += properties_lines(open(path, encoding="utf-8", errors="replace").read())
            elif low.endswith(".dtd"):
                out += dtd_lines(open(path, encoding="utf-8", errors="replace").read())
    return out + (ftl_lines(ftl) if ftl else [])


def main():
    if len(sys.argv) < 3 or any("=" not in a for a in sys.argv[2:]):
        sys.exit(__doc__)
    dst = sys.argv[1]
    os.makedirs(dst, exist_ok=True)
    seen = set()
    for arg in sys.argv[2:]:
        name, root = arg.split("=", 1)
        kept = []
        for line in package_lines(root):
            if len(IDEO.findall(line)) >= MIN_IDEOGRAPHS and line not in seen:
                seen.add(line)
                kept.append(line)
        with open(os.path.join(dst, name + ".txt"), "w", encoding="utf-8") as f:
            f.write("".join(x + "\n" for x in kept))
        print(f"{name}: {len(kept)} lines, {sum(map(len, kept))} characters", file=sys.stderr)


if __name__ == "__main__":
    main()
