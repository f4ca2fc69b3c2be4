#!/usr/bin/env python3
"""Benchmark corpus for dossier: the shared synthetic pages plus acronyms.

Usage:
    python3 tests/bench/corpus.py N OUTDIR

Makes OUTDIR hold a complete corpus of N pages, reusing it when it already
does (a marker file, written last, says so):

1. ../shared/bench/make_corpus.py (relative to the repository root; never
   modified here) writes the pages to OUTDIR/content/ and the same pages as
   ready-made Hugo (OUTDIR/hugo/) and mdBook (OUTDIR/mdbook/) projects.
2. The generated prose has no acronyms (its pseudo-words are lowercase), so
   this script picks ACRONYMS of the generator's vocabulary words and writes
   every lowercase occurrence of them in the page bodies in capitals
   ("pax" -> "PAX"), in all three copies alike: every tool still renders
   byte-identical page sources. Link destinations and front matter are left
   as they are, so every link and #anchor still resolves. A few words are
   frequent (as one organisation's name is in a real report), most are
   rare; together about 2 % of the words.
3. It adds one `kind: acronym` page per acronym (with its `expansion:`) to
   dossier's copy only, OUTDIR/content/acronyms/: dossier then wraps every
   occurrence in <abbr>, links the first one on each page to the acronym
   page and lists the pages using it there. Hugo and mdBook have no such
   feature, so their projects get no extra pages.

Both `cargo bench --bench build` and tests/bench/compare.sh call this, so the
corpus they measure is made in this one place.
"""

import json
import os
import re
import subprocess
import sys

# Bump when the corpus this script makes changes, so old copies are remade.
VERSION = 1
FORMATS = "plain,hugo,mdbook"
MARKER = "dossier-bench.json"

# Ranks in the generator's vocabulary (sorted by length, Zipf-weighted: rank r
# is drawn with weight 1/(r+1)^1.05, ~580 draws per page). Three frequent
# words (~10, 4 and 1.5 uses per page), then 47 rare ones spread over ranks
# 300-930 (0.2-0.06 uses per page each, all 3-5 letters long): about 20
# uses and 8 distinct acronyms per page.
FREQUENT_RANKS = [6, 15, 40]
RARE_RANKS = [300 + round(k * 630 / 46) for k in range(47)]
RANKS = FREQUENT_RANKS + RARE_RANKS

# A markdown link destination, "](...)": paths and #anchors stay lowercase.
DESTINATION = re.compile(r"\]\([^)\s]*\)")


def shared_generator():
    """Path of the shared make_corpus.py, or exit with where it was sought."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    path = os.path.normpath(os.path.join(root, "..", "shared", "bench", "make_corpus.py"))
    if not os.path.isfile(path):
        sys.exit("error: %s not found (the shared corpus generator, "
                 "expected at ../shared/bench/ beside the repository)" % path)
    return path


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def generated_complete(outdir, n):
    """True when make_corpus.py finished writing N pages in our formats."""
    # corpus-stats.json is the generator's last write.
    stats = read_json(os.path.join(outdir, "corpus-stats.json"))
    return (stats is not None and stats.get("pages") == n
            and os.path.isfile(os.path.join(outdir, "hugo", "config.toml"))
            and os.path.isfile(os.path.join(outdir, "mdbook", "book.toml"))
            and os.path.isfile(os.path.join(outdir, "mdbook", "src", "SUMMARY.md")))


def acronym_words(generator):
    """The vocabulary words that become acronyms, from the generator itself."""
    sys.path.insert(0, os.path.dirname(generator))
    import make_corpus  # noqa: E402 (found only once the path is known)
    vocab = make_corpus.Lexicon("1").vocab
    return vocab, [vocab[r] for r in RANKS]


FALLBACK = {"a": "Agency", "e": "Executive", "i": "International", "o": "Office",
            "u": "United", "x": "Xenial", "y": "Youth"}


def expansion(word, vocab):
    """A long form whose initials spell the acronym: "jur" -> "Jieth United Rouxbren"."""
    parts = []
    for i, letter in enumerate(word):
        starting = [w for w in vocab if w.startswith(letter) and w != word]
        if starting:
            w = starting[(len(word) * 7 + i * 13 + vocab.index(word)) % len(starting)]
            parts.append(w[:1].upper() + w[1:])
        else:
            # No generated word starts with a vowel, x or y.
            parts.append(FALLBACK[letter])
    return " ".join(parts)


def capitalise_acronyms(text, pattern):
    """The page with the acronym words in capitals outside front matter and
    link destinations. Idempotent: capitals are not matched again."""
    body_start = 0
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            body_start = end + 5
    out = [text[:body_start]]
    pos = body_start
    for m in DESTINATION.finditer(text, body_start):
        out.append(pattern.sub(lambda w: w.group(0).upper(), text[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(pattern.sub(lambda w: w.group(0).upper(), text[pos:]))
    return "".join(out)


def add_acronyms(outdir, words, vocab):
    """Capitalises the acronyms in all three copies; writes the acronym pages.
    Returns (pages, uses, pages using at least one)."""
    pattern = re.compile(r"\b(?:%s)\b" % "|".join(map(re.escape, words)))
    capitals = re.compile(r"\b(?:%s)\b" % "|".join(re.escape(w.upper()) for w in words))
    plain = os.path.join(outdir, "content")
    copies = [os.path.join(outdir, "hugo", "content"), os.path.join(outdir, "mdbook", "src")]
    pages = uses = using = 0
    for section in sorted(os.listdir(plain)):
        sdir = os.path.join(plain, section)
        if section == "acronyms" or not os.path.isdir(sdir):
            continue
        for name in sorted(os.listdir(sdir)):
            if not (name.startswith("page-") and name.endswith(".md")):
                continue
            with open(os.path.join(sdir, name), encoding="utf-8") as f:
                text = f.read()
            new = capitalise_acronyms(text, pattern)
            pages += 1
            found = len(capitals.findall(new))
            uses += found
            using += found > 0
            for root in [plain] + copies:
                path = os.path.join(root, section, name)
                with open(path, encoding="utf-8") as f:
                    current = f.read()
                if current != new:
                    with open(path, "w", encoding="utf-8", newline="\n") as f:
                        f.write(new)
    adir = os.path.join(plain, "acronyms")
    os.makedirs(adir, exist_ok=True)
    for word in words:
        long_form = expansion(word, vocab)
        acro = word.upper()
        page = ("---\ntitle: %s\nkind: acronym\nsummary: %s stands for %s.\n"
                "expansion: %s\n---\n\n**%s**: %s.\n" % (acro, acro, long_form, long_form,
                                                        acro, long_form))
        with open(os.path.join(adir, word + ".md"), "w", encoding="utf-8", newline="\n") as f:
            f.write(page)
    return pages, uses, using


def main(argv):
    if len(argv) != 3 or not argv[1].isdigit() or int(argv[1]) < 1:
        sys.exit("usage: corpus.py N OUTDIR  (N >= 1 pages; OUTDIR is made or reused)")
    n, outdir = int(argv[1]), argv[2]
    marker = os.path.join(outdir, MARKER)
    done = read_json(marker)
    if done is not None and done.get("version") == VERSION and done.get("pages") == n \
            and generated_complete(outdir, n):
        print("corpus: reusing %s (%d pages + %d acronym pages)"
              % (outdir, n, len(done["acronyms"])))
        return 0
    if os.path.exists(marker):
        os.remove(marker)
    generator = shared_generator()
    if not generated_complete(outdir, n):
        subprocess.run([sys.executable, generator, str(n), outdir, "--format", FORMATS,
                        "--force"], check=True, stdout=subprocess.DEVNULL)
    vocab, words = acronym_words(generator)
    pages, uses, using = add_acronyms(outdir, words, vocab)
    if pages != n:
        sys.exit("error: %s/content holds %d generated pages, not %d" % (outdir, pages, n))
    with open(marker, "w", encoding="utf-8") as f:
        json.dump({"version": VERSION, "pages": n, "acronyms": [w.upper() for w in words],
                   "acronym_uses": uses, "pages_using_acronyms": using}, f, indent=2)
        f.write("\n")
    print("corpus: %s: %d pages (+ %d acronym pages for dossier), %d acronym uses, "
          "%.1f per page, on %d pages" % (outdir, n, len(words), uses, uses / n, using))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
