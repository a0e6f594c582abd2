#!/usr/bin/env bash
# Times `servicenorm import` of a synthetic call log into a fresh embedded
# SQLite database, with its peak memory. Target (issue 6): 1,000,000 rows in
# under 10 seconds, with bounded memory.
#   ROWS  rows in the call log (default 1,000,000)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${ROWS:-1000000}
target=${CARGO_TARGET_DIR:-target}
cargo build --release -p servicenorm --quiet
bin=$target/release/servicenorm
log=${TMPDIR:-/tmp}/servicenorm-gesprekken-$rows.csv
[ -f "$log" ] || python3 scripts/gen_call_log.py --rows "$rows" > "$log"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/env time -o "$work/time" -f "%e %M" \
  "$bin" import --mapping mappings/telefonie.toml --database "sqlite:$work/servicenorm.db" "$log"
read -r seconds kb < "$work/time"
python3 -c "print(f'$rows rows in $seconds s: {$rows / $seconds:,.0f} rows/s, $((kb / 1024)) MB peak')"
