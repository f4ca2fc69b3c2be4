#!/usr/bin/env bash
# Side-by-side build benchmark: dossier, Hugo and mdBook on the same pages.
#
#   bash tests/bench/compare.sh [N ...]        (default: 1000 10000)
#
# For each N it makes (or reuses) the synthetic corpus of N pages with
# tests/bench/corpus.py under $BENCH_DIR/dossier-bench-N, then builds it with
# the release binary of dossier, with Hugo and with mdBook, in alternation,
# timing each build's wall time, user CPU time (GNU time's %U: less shaken
# than the wall time on a busy machine) and peak memory (%M). It prints a
# table of medians and ratios, and dossier's cost per page across the sizes
# (a quadratic step would show as a rising cost per page). Installs nothing:
# a missing Hugo or mdBook is skipped with how to install it. The corpora
# stay for the next run; the built sites are deleted after each size.
#
# Environment:
#   RUNS=5               builds per tool and size for dossier and Hugo
#   MDBOOK_RUNS          builds per size for mdBook; default 3 up to 2,000
#                        pages and 1 above (one build of 10,000 pages takes
#                        minutes: mdBook's time grows much faster than N)
#   MDBOOK_MAX_PAGES=10000   skip mdBook above this size (0: never run it)
#   MDBOOK_PROJECT=mdbook    mdbook (search and print page off),
#                        mdbook-search (search on) or mdbook-default
#   BENCH_DIR=/dev/shm   where the corpora and outputs go (RAM: the disk
#                        here is noisy)
set -euo pipefail
export LC_ALL=C # a '.' in EPOCHREALTIME and in printf's numbers
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-5}
MDBOOK_RUNS=${MDBOOK_RUNS:-}
MDBOOK_MAX_PAGES=${MDBOOK_MAX_PAGES:-10000}
MDBOOK_PROJECT=${MDBOOK_PROJECT:-mdbook}
if [ -z "${BENCH_DIR:-}" ]; then
    if [ -d /dev/shm ]; then BENCH_DIR=/dev/shm; else BENCH_DIR=${TMPDIR:-/tmp}; fi
fi

if [ "${1:-}" = -h ] || [ "${1:-}" = --help ]; then
    sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
    exit 0
fi
sizes=("$@")
if ((${#sizes[@]} == 0)); then sizes=(1000 10000); fi
for n in "${sizes[@]}"; do
    if ! [[ $n =~ ^[1-9][0-9]*$ ]]; then
        echo "error: '$n' is not a number of pages" >&2
        echo "usage: bash tests/bench/compare.sh [N ...]   (default: 1000 10000)" >&2
        exit 2
    fi
done
for v in RUNS MDBOOK_RUNS; do
    if [ -n "${!v}" ] && ! [[ ${!v} =~ ^[1-9][0-9]*$ ]]; then
        echo "error: $v=${!v} is not a positive number" >&2
        exit 2
    fi
done
if ! [[ $MDBOOK_MAX_PAGES =~ ^[0-9]+$ ]]; then
    echo "error: MDBOOK_MAX_PAGES=$MDBOOK_MAX_PAGES is not a number of pages" >&2
    exit 2
fi
case $MDBOOK_PROJECT in
    mdbook | mdbook-search | mdbook-default) ;;
    *)
        echo "error: MDBOOK_PROJECT=$MDBOOK_PROJECT is none of mdbook, mdbook-search," \
            "mdbook-default" >&2
        exit 2
        ;;
esac

if ! /usr/bin/time -f '%M' -o /dev/null true 2>/dev/null; then
    echo "error: GNU time is needed at /usr/bin/time for peak memory" \
        "(install: sudo apt-get install time)" >&2
    exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "error: python3 is needed to make the corpus (install: sudo apt-get install python3)" >&2
    exit 1
fi

tools=(dossier)
if command -v hugo >/dev/null 2>&1; then
    HUGO=$(command -v hugo)
    tools+=(hugo)
else
    echo "hugo: not installed, skipped (install: sudo apt-get install hugo)"
fi
# `cargo install` puts mdbook in ~/.cargo/bin, which need not be on PATH.
MDBOOK=$(command -v mdbook || true)
if [ -z "$MDBOOK" ] && [ -x "${CARGO_HOME:-$HOME/.cargo}/bin/mdbook" ]; then
    MDBOOK=${CARGO_HOME:-$HOME/.cargo}/bin/mdbook
fi
if [ -n "$MDBOOK" ]; then
    tools+=(mdbook)
else
    echo "mdbook: not installed, skipped (install: cargo install mdbook --locked)"
fi

echo "building dossier (cargo build --release --locked)"
cargo build --release --locked --quiet
DOSSIER=$PWD/${CARGO_TARGET_DIR:-target}/release/dossier

echo "dossier: $("$DOSSIER" --version)"
if [ -n "${HUGO:-}" ]; then echo "hugo:    $("$HUGO" version | cut -d' ' -f1-2)"; fi
if [ -n "$MDBOOK" ]; then echo "mdbook:  $("$MDBOOK" --version) ($MDBOOK_PROJECT project)"; fi
echo "machine: $(nproc) cores, corpora and outputs in $BENCH_DIR"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# Runs one build of TOOL on the corpus in DIR, from a clean output folder, and
# prints "WALL_SECONDS PEAK_KB USER_SECONDS". On failure prints the tool's output to stderr
# and returns 1.
build_once() {
    local tool=$1 dir=$2 project out
    local -a cmd
    case $tool in
        dossier)
            project=$dir out=$dir/site
            # No templates folder: the built-in templates, as in `cargo bench`.
            cmd=("$DOSSIER" build --content "$dir/content" --templates "$dir/no-templates"
                --out "$out" -q)
            ;;
        hugo)
            project=$dir/hugo out=$dir/hugo/public
            cmd=("$HUGO" --quiet -d public)
            ;;
        mdbook)
            project=$dir/$MDBOOK_PROJECT out=$dir/$MDBOOK_PROJECT/book
            cmd=("$MDBOOK" build)
            ;;
    esac
    rm -rf "$out"
    local start=$EPOCHREALTIME status=0
    (cd "$project" && /usr/bin/time -f '%M %U' -o "$scratch/rss" "${cmd[@]}") \
        >"$scratch/log" 2>&1 || status=$?
    local end=$EPOCHREALTIME
    if ((status != 0)); then
        echo "$tool failed (exit $status) on $dir:" >&2
        tail -n 20 "$scratch/log" >&2
        return 1
    fi
    echo "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')" \
        "$(tail -n 1 "$scratch/rss")"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
maximum() { sort -n | tail -n 1; }

# One row per tool and size: "N tool runs median_s peak_kb median_user_s".
results=$scratch/results
: >"$results"

for n in "${sizes[@]}"; do
    dir=$BENCH_DIR/dossier-bench-$n
    echo
    echo "== $n pages =="
    python3 tests/bench/corpus.py "$n" "$dir"
    mdbook_runs=0
    if [ -n "$MDBOOK" ]; then
        if ((n <= MDBOOK_MAX_PAGES)); then
            mdbook_runs=${MDBOOK_RUNS:-$((n <= 2000 ? 3 : 1))}
        else
            echo "mdbook: skipped at $n pages (above MDBOOK_MAX_PAGES=$MDBOOK_MAX_PAGES: one" \
                "build of 10,000 pages takes minutes; MDBOOK_MAX_PAGES=$n includes it)"
        fi
    fi
    # No output of an earlier (perhaps interrupted) run may be counted below.
    rm -rf "$dir/site" "$dir/hugo/public" "$dir/$MDBOOK_PROJECT/book"
    declare -A failed=()
    for ((run = 1; run <= RUNS; run++)); do
        for tool in "${tools[@]}"; do
            if [ "$tool" = mdbook ] && ((run > mdbook_runs)); then
                continue
            fi
            if [ -n "${failed[$tool]:-}" ]; then continue; fi
            if m=$(build_once "$tool" "$dir"); then
                echo "$m" >>"$scratch/$tool-$n"
                read -r wall_s peak_kb user_s <<<"$m"
                echo "  run $run: $tool $wall_s s, $user_s s user, $peak_kb KB"
            elif [ "$tool" = dossier ]; then
                exit 1
            else
                failed[$tool]=1
                echo "  $tool: left out at $n pages (it failed)"
            fi
        done
        if ((run == 1)); then
            # The work Hugo and mdBook do not do: check that it happened.
            total=$(find "$dir/site" -name 'page-*.html' | wc -l)
            wrapped=$({ grep -rl --include='page-*.html' '<abbr' "$dir/site" || true; } | wc -l)
            referenced=$({ grep -rl --include='page-*.html' 'Referenced by' "$dir/site" ||
                true; } | wc -l)
            echo "  dossier output: $total corpus pages, $wrapped with acronyms wrapped in" \
                "<abbr>, $referenced with a 'Referenced by' list of backlinks"
            for out in hugo/public "$MDBOOK_PROJECT/book"; do
                if [ -d "$dir/$out" ]; then
                    echo "  ${out%%/*} output: $(find "$dir/$out" -name '*.html' | wc -l)" \
                        "HTML files"
                fi
            done
        fi
    done
    unset failed
    # The sites take RAM under /dev/shm; the corpus stays for the next run.
    rm -rf "$dir/site" "$dir/hugo/public" "$dir/$MDBOOK_PROJECT/book"
    for tool in "${tools[@]}"; do
        [ -s "$scratch/$tool-$n" ] || continue
        runs=$(wc -l <"$scratch/$tool-$n")
        wall=$(cut -d' ' -f1 "$scratch/$tool-$n" | median)
        peak=$(cut -d' ' -f2 "$scratch/$tool-$n" | maximum)
        user=$(cut -d' ' -f3 "$scratch/$tool-$n" | median)
        echo "$n $tool $runs $wall $peak $user" >>"$results"
    done
done

echo
echo "Median wall and user CPU time over the runs, highest peak memory (RSS) of"
echo "any run; 'vs dossier' is the tool's wall time over dossier's (3.00 = dossier"
echo "takes a third). pages/s counts the N generated pages (dossier also builds 50"
echo "acronym pages)."
printf '%-8s %7s %5s %10s %8s %9s %8s %11s\n' tool N runs "median s" "user s" pages/s \
    "peak MB" "vs dossier"
awk '
    $2 == "dossier" { base[$1] = $4 }
    { rows[NR] = $0 }
    END {
        for (i = 1; i <= NR; i++) {
            split(rows[i], f, " ")
            ratio = (f[1] in base && base[f[1]] > 0) ? sprintf("%.2f", f[4] / base[f[1]]) : "-"
            printf "%-8s %7d %5d %10.3f %8.2f %9.0f %8.1f %11s\n", f[2], f[1], f[3], f[4],
                f[6], f[1] / f[4], f[5] / 1024, ratio
        }
    }' "$results"

echo
echo "dossier's cost per page (flat = linear; a quadratic step would grow with N):"
printf '%7s %9s %9s\n' N "us/page" "vs first"
awk '
    $2 == "dossier" {
        per = $4 / $1 * 1e6
        if (first == "") first = per
        printf "%7d %9.0f %8.2fx\n", $1, per, per / first
    }' "$results"

echo
echo "What each tool does here (see the projects under $BENCH_DIR/dossier-bench-N):"
echo "- dossier: checks every link and #anchor, wraps acronyms in <abbr> and links"
echo "  them, lists backlinks with their sentence on every page, writes the kind"
echo "  indexes, search index, print page and map; the built-in templates."
echo "- hugo: make_corpus.py's minimal theme-less project: title, body and a"
echo "  home/section/prev/next nav per page; no backlinks, no acronyms, no search,"
echo "  links not checked (relative .md links left as written)."
echo "- mdbook ($MDBOOK_PROJECT): a book with a sidebar of every chapter; no"
echo "  backlinks, no acronyms, links not checked; front matter shown as text."
