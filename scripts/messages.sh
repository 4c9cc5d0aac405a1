#!/usr/bin/env bash
# The translation catalogues.
#   scripts/messages.sh update   regenerate every catalogue from the code (`make messages`)
#   scripts/messages.sh check    fail when code has strings without a Chinese translation
#                                (`make check-messages`)
#
# `check` regenerates the catalogues in a copy of the checkout, then lists untranslated or
# fuzzy entries, and msgids that two catalogues translate differently (Django lets the
# first app's win everywhere). The checkout itself is never written.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
APPS=${APPS:-people notifications portal training attendance ledger declarations courses lectures assessments certificates reports}

regenerate() {  # in the current directory
  local app
  for app in $APPS; do
    mkdir -p "$app/locale"
    (cd "$app" && "$PY" ../manage.py makemessages -l zh_Hans -l en --no-location --no-obsolete -v0)
  done
  local ignore=(-i '.venv/*' -i 'tests/*')
  for app in $APPS; do ignore+=(-i "$app/*"); done
  "$PY" manage.py makemessages -l zh_Hans -l en --no-location --no-obsolete -v0 "${ignore[@]}"
}

case "${1:-}" in
  update)
    regenerate
    ;;
  check)
    copy=$(mktemp -d /tmp/lms-messages-XXXXXX)
    trap 'rm -rf "$copy"' EXIT
    # The working tree as it is (uncommitted and new files too), without what is not code.
    tar -c --exclude=./.venv --exclude=./.git --exclude=./var --exclude=./media \
      --exclude=./static_collected --exclude=./test-artifacts --exclude='./db.sqlite3*' \
      --exclude='__pycache__' --exclude='*.mo' . | tar -x -C "$copy"
    cd "$copy"
    regenerate
    todo=$("$PY" scripts/po_fill.py --todo $(find . -path '*/locale/zh_Hans/LC_MESSAGES/django.po' | sort))
    if [ -n "$todo" ]; then
      echo "untranslated strings (run 'make messages' and translate):"
      echo "$todo"
      exit 1
    fi
    "$PY" scripts/po_conflicts.py || { echo "give these msgids a context (pgettext)"; exit 1; }
    echo "catalogues complete"
    ;;
  *)
    echo "usage: $0 update|check" >&2
    exit 2
    ;;
esac
