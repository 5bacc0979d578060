#!/usr/bin/env bash
# Correct text from outside the clean corpus's genres: Debian's Chinese
# documentation (HTML manuals: Debian FAQ, reference, maintainers' guide,
# Debian Edu, GIMP, KiCad, LilyPond, LinuxCNC) and program strings
# (Firefox, Thunderbird and LibreOffice zh-CN translations, and the zh_CN
# .mo files installed on this machine), as lines with at least 5 ideographs
# (scripts/outside/docs_text.py), scored as the evaluation scores the clean
# corpus: once in pieces of about 2,500 characters, once line by line
# (--chunk 1; UI strings are short and stand alone). Every word edit there
# is a false one. Not part of CI: it needs Debian's package archive.
#
# Usage, from the repository root after `cargo build --release --example zhfix`:
#   scripts/outside/docs.sh ['COMMAND']    # default target/release/examples/zhfix
#
# The packages are kept in target/outside-docs/deb, unpacked in x/PKG (their
# licences are in their copyright files there), the text in txt/PKG.txt;
# nothing of it is committed. A package that fails to download is skipped.
set -euo pipefail
cmd=${1:-target/release/examples/zhfix}
dir=target/outside-docs
packages="gimp-help-zh-cn linuxcnc-doc-zh-cn kicad-doc-zh lilypond-doc-html-zh
  debian-edu-doc-zh-cn debian-faq-zh-cn maint-guide-zh-cn debian-reference-zh-cn
  firefox-esr-l10n-zh-cn thunderbird-l10n-zh-cn libreoffice-l10n-zh-cn"
mkdir -p "$dir/deb" "$dir/x"
sources=()
for p in $packages; do
    if ! ls "$dir/deb/${p}_"*.deb >/dev/null 2>&1; then
        (cd "$dir/deb" && apt-get download "$p" >/dev/null 2>&1) \
            || { echo "apt-get download $p failed: skipped" >&2; continue; }
    fi
    if [ ! -d "$dir/x/$p" ]; then
        dpkg-deb -x "$dir/deb/${p}_"*.deb "$dir/x/$p.tmp"
        mv "$dir/x/$p.tmp" "$dir/x/$p"
    fi
    sources+=("$p=$dir/x/$p")
done
locale=/usr/share/locale/zh_CN/LC_MESSAGES
[ -d "$locale" ] && sources+=("locale-zh-cn=$locale")
rm -rf "$dir/txt"
python3 scripts/outside/docs_text.py "$dir/txt" "${sources[@]}"
python3 ../shared/eval/score.py --cmd "$cmd" --clean "$dir"/txt/*.txt | tail -1
python3 ../shared/eval/score.py --cmd "$cmd" --clean "$dir"/txt/*.txt --chunk 1 | tail -1
