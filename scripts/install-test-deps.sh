#!/usr/bin/env bash
# Installs what the test suite needs and this machine lacks (Debian packages only; idempotent, quiet when all is there).
set -euo pipefail
need=()
# PostgreSQL server binaries for the throwaway test clusters (initdb + pg_ctl).
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || need+=(postgresql)
# The real SMTP server of the email tests (Debian's module: only /usr/bin/python3 sees it).
/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || need+=(python3-aiosmtpd)
# Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser of its own),
# and a CJK font so the zh-CN pages in the screenshots show Chinese, not boxes.
[ -x /usr/bin/chromium ] || need+=(chromium)
ls /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc >/dev/null 2>&1 || need+=(fonts-wqy-zenhei)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "missing Debian packages: ${need[*]} — install them as root" >&2; exit 1; fi
  echo "installing ${need[*]} …"
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
