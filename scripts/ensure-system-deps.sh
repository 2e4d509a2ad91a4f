#!/usr/bin/env bash
# Installs the Debian packages the test suite drives (browser tests, e-invoice validation, Alertmanager) when
# they are missing and we are root; otherwise says what is missing. Idempotent and quiet when done.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
# qpdf checks the structure of the PDF/A invoices (cross-reference table, streams, object graph).
command -v qpdf >/dev/null 2>&1 || need+=(qpdf)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
[ -f /usr/share/java/Saxon-HE.jar ] || need+=(libsaxonhe-java)
# The real Prometheus Alertmanager that the monitoring webhook's test drives.
[ -x /usr/bin/prometheus-alertmanager ] || need+=(prometheus-alertmanager)
# python3-icalendar reads the calendar invites and feeds as an independent parser.
/usr/bin/python3 -c 'import icalendar' >/dev/null 2>&1 || need+=(python3-icalendar)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing system packages for the tests: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "Missing system packages (install them as root): ${need[*]}" >&2
  exit 1
fi
