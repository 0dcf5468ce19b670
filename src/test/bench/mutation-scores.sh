#!/usr/bin/env bash
# Mutation score per package from pitest's report (after: mvn -B -Ppitest test-compile org.pitest:pitest-maven:mutationCoverage).
set -euo pipefail
cd "$(dirname "$0")/../../.."
report=target/pit-reports/mutations.xml
python3 - "$report" <<'PY'
import sys, xml.etree.ElementTree as ET, collections
killed, total = collections.Counter(), collections.Counter()
for m in ET.parse(sys.argv[1]).getroot():
    cls = m.findtext('mutatedClass')
    pkg = cls.rsplit('.', 1)[0]
    total[pkg] += 1
    if m.get('detected') == 'true':
        killed[pkg] += 1
for pkg in sorted(total):
    print(f"{pkg:28} {killed[pkg]:5} / {total[pkg]:5} killed  {100.0 * killed[pkg] / total[pkg]:5.1f} %")
k, t = sum(killed.values()), sum(total.values())
print(f"{'all':28} {k:5} / {t:5} killed  {100.0 * k / t:5.1f} %")
PY
