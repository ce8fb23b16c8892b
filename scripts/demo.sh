#!/usr/bin/env bash
# The demo: identify the fictional Ministerie van Voorbeeldzaken's estate, audit it over two snapshots six
# months apart (replacements, an exemption, a discrepancy), and write the answer to parliament.
# Runs on the embedded default store (SQLite) in out/demo.db; writes reports to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
SCHOON=${SCHOON:-.venv/bin/schoon}
DEMO=examples/voorbeeldzaken
OUT=${OUT:-out}
mkdir -p "$OUT"
rm -f "$OUT/demo.db" "$OUT/demo.db-wal" "$OUT/demo.db-shm"
export SCHOON_DB_URL="sqlite:///$OUT/demo.db"

echo "== 1. Which of the ministry's equipment comes from these companies? (flagged records)"
$SCHOON identify "$DEMO/register.csv" "$DEMO/camera-vlan.xml" "$DEMO/inkoop.csv" --only-flagged

echo; echo "== 1b. A municipality's procurement export from Dutch Excel (cp1252, ';', decimal commas): brands and"
echo "       model numbers in the Omschrijving column, and lines bought from the maker's group, are evidence"
$SCHOON identify examples/gemeente/inkoop-2024.csv

echo; echo "== 2. The audit: organisations, sites, two snapshots, replacements"
$SCHOON audit org add mvz --name "Ministerie van Voorbeeldzaken" --deadline 2026-06-30
$SCHOON audit org add dvt --name "Dienst Voorbeeldtoezicht" --parent mvz
$SCHOON audit site add mvz "Den Haag Hoofdkantoor" --sensitivity high
$SCHOON audit site add mvz "Utrecht Archief" --sensitivity normal
$SCHOON audit site add mvz "Zwolle Datacentrum" --sensitivity high
$SCHOON audit site add dvt "Rotterdam Kantoor" --sensitivity normal --owner-kind landlord --owner "Vastgoed Zuid B.V."
$SCHOON audit import --org mvz --site "Den Haag Hoofdkantoor" --date 2026-03-02 \
  "$DEMO/register.csv" "$DEMO/camera-vlan.xml" "$DEMO/inkoop.csv"
$SCHOON audit import --org dvt --date 2026-03-09 "$DEMO/dvt-register.csv"
$SCHOON audit mark --file "$DEMO/moves-2026-06.csv" --actor "CISO MVZ"
$SCHOON audit import --org mvz --site "Den Haag Hoofdkantoor" --date 2026-09-14 \
  "$DEMO/register-2026-09.csv" "$DEMO/camera-vlan-2026-09.xml"
$SCHOON audit mark mvz/MVZ-0016 --state scheduled --date 2026-12-15 --actor "CISO MVZ"
$SCHOON audit snapshots

echo; echo "== 2b. The capability audit: can the devices recognise faces or classify people by ethnicity?"
echo "       (capability documents the ministry exported; the registry's sourced model claims, e.g. a face"
echo "       recognition terminal in the agency's access register; one document matches no device and is reported)"
$SCHOON capabilities "$DEMO/capabilities/mvz-0006-rules.txt"
$SCHOON audit import --org dvt --date 2026-09-21 "$DEMO/dvt-register.csv" "$DEMO/dvt-toegang.csv"
$SCHOON audit capabilities "$DEMO/capabilities" --org mvz

echo; echo "== 3. The answer to parliament and the ministry's own report"
for fmt in html pdf xlsx csv json; do
  if [ "$fmt" = pdf ] && ! .venv/bin/python -c "import weasyprint" 2>/dev/null; then
    echo "(skipping PDF: WeasyPrint cannot load its system libraries; see docs/report.md)"; continue
  fi
  $SCHOON report national --format "$fmt" --lang nl --as-of 2026-11-28 -o "$OUT/antwoord-kamer.$fmt"
done
$SCHOON report institution mvz --format html --lang nl --as-of 2026-11-28 -o "$OUT/mvz-rapport.html"
$SCHOON report national --format html --lang en --as-of 2026-11-28 -o "$OUT/answer-parliament.html"
echo; echo "Open $OUT/antwoord-kamer.html (Dutch) or $OUT/answer-parliament.html (English) in a browser."
