#!/usr/bin/env bash
# benches/compare.sh DATASET_DIR [ROUNDS]
#
# One table of speed and quality on one dataset, in one go:
#   - this crate, scraper's parse alone (the floor) and the Rust peers
#     dom_smoothie, rs-trafilatura and trafilatura, timed single-threaded in
#     one process by benches/compare (a crate of its own: the peers never
#     enter report-scraper's dependency tree), median of ROUNDS (default 5)
#     rounds that interleave the engines, on the same decoded pages;
#   - the Python peers (trafilatura, readability, GNE) through
#     ../shared/eval/peers.py, when a Python environment is available
#     (PEERS_VENV, default /tmp/peers; created with pip when missing);
#   - F1, date and title accuracy from ../shared/eval/score.py.
#
# Example: benches/compare.sh ../shared/datasets/scrapinghub
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data=$(cd "${1:?usage: benches/compare.sh DATASET_DIR [ROUNDS]}" && pwd)
rounds=${2:-5}
eval_dir=${EVAL_DIR:-$here/../../shared/eval}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

cargo build -q --release --manifest-path "$here/compare/Cargo.toml"
"$here/compare/target/release/report-scraper-compare" "$data" "$out" --repeat "$rounds" > "$out/speed.txt"

venv=${PEERS_VENV:-/tmp/peers}
py_peers=(trafilatura readability gne)
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import trafilatura, readability, gne' 2>/dev/null; then
  # A current pip first: the one venv ships fails to resolve lxml's extras.
  { python3 -m venv "$venv" && "$venv/bin/pip" install -q --upgrade pip \
      && "$venv/bin/pip" install -q trafilatura readability-lxml gne lxml_html_clean; } >/dev/null 2>&1 \
    || echo "note: no Python peers (could not set up $venv)" >&2
fi
if "$venv/bin/python" -c 'import trafilatura' 2>/dev/null; then
  for p in "${py_peers[@]}"; do
    if "$venv/bin/python" "$eval_dir/peers.py" "$p" "$data" "$out/py-$p.jsonl" 2> "$out/py-$p.err"; then
      rate=$(grep -o '[0-9.]* pages/s' "$out/py-$p.err" | head -1 | cut -d' ' -f1)
      echo "py-$p ${rate:-0}" >> "$out/speed.txt"
    fi
  done
fi

pages=$(grep -c . "$data/truth.jsonl")
bytes=$(cat "$data"/html/*.html | wc -c)
floor=$(awk '$1 == "parse" { print $2 }' "$out/speed.txt")
printf '| engine | pages/s | MB/s | × parse floor | F1 | date | title |\n|---|---:|---:|---:|---:|---:|---:|\n'
while read -r name rate _; do
  mb=$(awk -v r="$rate" -v b="$bytes" -v n="$pages" 'BEGIN { printf "%.1f", r * b / n / 1e6 }')
  x=$(awk -v r="$rate" -v f="$floor" 'BEGIN { printf "%.2f", r / f }')
  if [ "$name" = parse ]; then
    quality="| – | – | –"
  else
    line=$(python3 "$eval_dir/score.py" "$data" "$out/$name.jsonl" | head -1)
    f1=$(sed -n 's/.* F1 \([0-9.]*\) (median.*/\1/p' <<< "$line")
    date=$(sed -n 's/.*  date \([0-9.–-]*\) of.*/\1/p' <<< "$line")
    title=$(sed -n 's/.*  title \([0-9.–-]*\) of.*/\1/p' <<< "$line")
    quality="| ${f1:-?} | ${date:--} | ${title:--}"
  fi
  printf '| %s | %.1f | %s | %s %s |\n' "$name" "$rate" "$mb" "$x" "$quality"
done < "$out/speed.txt"
echo
echo "$(basename "$data"): $pages pages, $((bytes / 1024)) KB; $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
