#!/usr/bin/env bash
# Production check: build the README's production configuration and request it as a user.
#
# A production-like environment (DANGBO_PRODUCTION=true, a random secret, allowed host
# 127.0.0.1, a fresh SQLite file in a temporary directory), then migrate, collectstatic,
# one user, gunicorn (whitenoise serves the collected files) on a free local port, and curl:
# the login page, a login, a logged-in page and one of that page's static files. Anything
# but 200 fails (an unknown address must give the site's 404 page). The task worker is
# started too, to prove that it starts.
#
# Requests carry "X-Forwarded-Proto: https", as the README's TLS proxy sends: production
# redirects plain http to https and marks its cookies Secure.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
WORK=$(mktemp -d)
GUNICORN_PID=""
WORKER_PID=""

# On any exit: stop what this script started and keep the script's own exit status
# (a killed process's status must not become the script's).
cleanup() {
  local status=$?
  for pid in $GUNICORN_PID $WORKER_PID; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in $GUNICORN_PID $WORKER_PID; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT

fail() {
  echo "production check: $*" >&2
  if [ -f "$WORK/gunicorn.log" ]; then
    echo "--- gunicorn log ---" >&2
    tail -n 40 "$WORK/gunicorn.log" >&2
  fi
  exit 1
}

# Only our variables: nothing from the calling shell (DATABASE_URL, DANGBO_DEBUG…) leaks in.
for name in $(env | sed -n 's/^\(DANGBO_[A-Z0-9_]*\)=.*/\1/p'); do unset "$name"; done
unset DATABASE_URL
export DANGBO_PRODUCTION=true
DANGBO_SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(64))')
export DANGBO_SECRET_KEY
export DANGBO_ALLOWED_HOSTS=127.0.0.1
export DANGBO_SQLITE_PATH="$WORK/dangbo.sqlite3"
export DANGBO_STATIC_ROOT="$WORK/static"
export DANGBO_MEDIA_ROOT="$WORK/media"
export DANGBO_LOG_LEVEL=ERROR

PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"
ORIGIN="https://127.0.0.1:$PORT"
USERNAME=kiemtra.ci
PASSWORD=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(16))')

echo "production check: migrate, collectstatic"
"$PY" manage.py check --deploy --fail-level WARNING >/dev/null
"$PY" manage.py migrate --no-input -v 0
"$PY" manage.py collectstatic --no-input -v 0

# A user with no staff role: production forces administrators and upper-level staff to
# enrol an authenticator (DANGBO_REQUIRE_2FA_FOR_STAFF), which curl cannot do. The policy
# stays on, as deployed; this user is simply not one it applies to.
CHECK_USERNAME=$USERNAME CHECK_PASSWORD=$PASSWORD "$PY" manage.py shell -v 0 -c '
import os
from accounts.models import User
User.objects.create_user(os.environ["CHECK_USERNAME"], password=os.environ["CHECK_PASSWORD"], full_name="Kiểm tra CI")
'

echo "production check: gunicorn on port $PORT"
.venv/bin/gunicorn dangbo.wsgi --workers 2 --bind "127.0.0.1:$PORT" >"$WORK/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
"$PY" manage.py db_worker >"$WORK/worker.log" 2>&1 &
WORKER_PID=$!

ready=""
for _ in $(seq 1 60); do
  if curl -s -o /dev/null "$BASE/tai-khoan/dang-nhap/"; then
    ready=yes
    break
  fi
  kill -0 "$GUNICORN_PID" 2>/dev/null || fail "gunicorn stopped"
  sleep 0.5
done
[ -n "$ready" ] || fail "gunicorn did not answer within 30 s"

# get URL OUTPUT: GET with the session's cookies; prints the status.
JAR="$WORK/cookies.txt"
touch "$JAR"
request() {
  curl -s -o "$2" -w '%{http_code}' -H "X-Forwarded-Proto: https" -b "$JAR" -c "$JAR" "${@:3}" "$BASE$1"
}
expect_200() {
  local status
  status=$(request "$@")
  [ "$status" = "200" ] || fail "$1 answered $status"
  echo "production check: $1 → 200"
}

expect_200 /tai-khoan/dang-nhap/ "$WORK/login.html"
# curl keeps Secure cookies for an https origin only: read the CSRF token from the form.
CSRF=$(sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' "$WORK/login.html" | head -n 1)
[ -n "$CSRF" ] || fail "no CSRF token on the login page"
CSRF_COOKIE=$(awk '$6 == "csrftoken" {print $7}' "$JAR")
[ -n "$CSRF_COOKIE" ] || fail "no CSRF cookie from the login page"

status=$(request /tai-khoan/dang-nhap/ "$WORK/login-post.html" \
  -H "Origin: $ORIGIN" -H "Referer: $ORIGIN/tai-khoan/dang-nhap/" \
  --data-urlencode "csrfmiddlewaretoken=$CSRF" --data-urlencode "username=$USERNAME" \
  --data-urlencode "password=$PASSWORD" --data-urlencode "next=/")
[ "$status" = "302" ] || fail "login answered $status instead of a redirect"
grep -q sessionid "$JAR" || fail "login set no session cookie"

expect_200 /dang-vien/ "$WORK/members.html"
grep -q "$USERNAME\|Kiểm tra CI" "$WORK/members.html" || fail "the member list does not show the logged-in user"
STATIC=$(grep -o '/static/[^"]*\.css' "$WORK/members.html" | head -n 1)
[ -n "$STATIC" ] || fail "no stylesheet under /static/ on the member list"
expect_200 "$STATIC" "$WORK/static.css"
[ -s "$WORK/static.css" ] || fail "$STATIC is empty"

# The error pages render in production too (templates, hashed static names, navigation).
status=$(request /khong-co-trang-nay/ "$WORK/404.html")
[ "$status" = "404" ] || fail "an unknown address answered $status instead of 404"
grep -q "Không tìm thấy trang này" "$WORK/404.html" || fail "the 404 page is not the site's own"
echo "production check: /khong-co-trang-nay/ → 404, the site's page"

kill -0 "$WORKER_PID" 2>/dev/null || fail "the task worker stopped: $(tail -n 20 "$WORK/worker.log")"
echo "production check: passed"
