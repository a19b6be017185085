#!/usr/bin/env bash
# `pgscrub run` end to end (issue #5), against a throwaway cluster holding a
# "production" database (the Wagtail-like site, its people made to look real)
# and a "staging" one, a real redis-server on loopback, and the production
# dump served over HTTP from loopback with a signed-URL-like query string:
#   - a full run leaves staging with scrubbed data (no production e-mail in
#     it, scan --db finds nothing), the Site hostname updated, the Redis keys
#     gone, a restorable backup of the old staging, and a report naming the
#     account only staging had;
#   - --dry-run, a wrong confirm name, a target equal to the source and a
#     prod-named target exit 2 with staging byte-for-byte untouched;
#   - a truncated source, and a restore whose database connection is
#     terminated mid-way, leave staging as it was under swap, and the report
#     says which step failed and how to resume with --from;
#   - no password from any URL appears in output or reports.
source "$(dirname "$0")/lib.sh"
use_cluster 15
command -v redis-server > /dev/null || { echo "SKIPPED: redis-server is not installed (scripts/install-deps.sh installs it)" >&2; exit 77; }
work="$PGSCRUB_TEST_ROOT/runbook"
rm -rf "$work" && mkdir -p "$work/backups" "$work/reports" && cd "$work"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done; }
trap cleanup EXIT

# ---- production: the Wagtail-like site with realistic personal data.
prod=runbook_production staging=runbook_staging
fresh_db "$prod"
q -d "$prod" -f "$HERE/wagtail_schema.sql" > /dev/null 2>&1
q -d "$prod" -f "$HERE/wagtail_data.sql" > /dev/null
q -d "$prod" -f "$HERE/leak/realistic.sql" > /dev/null
q -d "$prod" -c "DROP TABLE pgscrub_planted"
q -d "$prod" -c "SELECT email FROM auth_user WHERE email <> '' ORDER BY 1" > production-emails.txt
[ "$(wc -l < production-emails.txt)" -ge 3 ] || fail "too few production e-mails"
"$BIN/pg_dump" -Fc -f production.dump "$prod"
head -c "$(( $(stat -c %s production.dump) * 2 / 3 ))" production.dump > truncated.dump

# ---- staging: last month's reset plus an account created there since.
fresh_db "$staging"
q -d "$staging" -f "$HERE/wagtail_schema.sql" > /dev/null 2>&1
q -d "$staging" -c "INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
                    VALUES (900, '!', false, 'qa-tester', 'Quinn', 'Tester', 'qa.tester@staging-team.invalid', true, true, '2026-11-01')"
q -d "$staging" -c "INSERT INTO wagtailcore_locale (id, language_code) VALUES (1, 'en')" > /dev/null 2>&1 || true
fingerprint "$staging" > staging-before.txt

# A role with a password: the URLs below carry it (trust auth ignores it, and it must never be printed).
q -c "DO \$\$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'runbook_app') THEN CREATE ROLE runbook_app LOGIN SUPERUSER PASSWORD 'Hunter2-db-pass'; END IF; END \$\$"
socket="$PGHOST"
target_url="postgresql://runbook_app:Hunter2-db-pass@/$staging?host=$socket"
source_url="postgresql://runbook_app:Hunter2-db-pass@/$prod?host=$socket"

# ---- Redis with the application's cache keys (password-protected).
redis_port="$(free_port)"
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --requirepass Hunter2-redis-pass \
    --daemonize no > redis.log 2>&1 &
pids+=($!)
for _ in $(seq 50); do redis-cli -p "$redis_port" -a Hunter2-redis-pass --no-auth-warning ping > /dev/null 2>&1 && break; sleep 0.1; done
redis-cli -p "$redis_port" -a Hunter2-redis-pass --no-auth-warning -n 0 set ":1:views.decorators.cache.cache_page.home" "old page" > /dev/null
redis-cli -p "$redis_port" -a Hunter2-redis-pass --no-auth-warning -n 0 set ":1:wagtail-menu" "old menu" > /dev/null
redis_url="redis://:Hunter2-redis-pass@127.0.0.1:$redis_port/0"

# ---- the production dump over HTTP, and a site page to check.
mkdir -p www && cp production.dump truncated.dump www/ && echo ok > www/index.html
http_port="$(free_port)"
(cd www && exec python3 -m http.server "$http_port" --bind 127.0.0.1) > http.log 2>&1 &
pids+=($!)
for _ in $(seq 50); do python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$http_port/index.html')" 2> /dev/null && break; sleep 0.1; done
dump_url="http://127.0.0.1:$http_port/production.dump?X-Amz-Signature=Hunter2-url-signature&X-Amz-Expires=600"

write_run() { # write_run FILE DUMP_URL TARGET_URL CONFIRM [extra top-level YAML]
    cat > "$1" <<YAML
version: 1
source:
  dump: "$2"
rules: $HERE/wagtail_site_rules.yaml
target:
  database: "$3"
  confirm: $4
${5:-}
steps:
  - backup_target: {to: "backups/staging-{timestamp}.dump"}
  - restore: {jobs: 1, strategy: swap}
  - sql: ["UPDATE wagtailcore_site SET hostname = 'staging.example.org' WHERE is_default_site"]
  - verify: {scan: true}
  - flush_cache: {redis: "$redis_url"}
  - check_url: {url: "http://127.0.0.1:$http_port/index.html", status: 200}
report: reports/reset-{timestamp}.md
YAML
}
secrets='Hunter2-db-pass|Hunter2-redis-pass|Hunter2-url-signature'
no_secrets() { if grep -rEq "$secrets" "$@"; then grep -rEn "$secrets" "$@" | head -3; fail "a password or signature was printed"; fi; }
untouched() { fingerprint "$staging" > staging-now.txt; diff -q staging-before.txt staging-now.txt > /dev/null || fail "$1 changed staging"; }
expect_refusal() { # expect_refusal WHAT RUNFILE ARGS...
    local what="$1" file="$2"; shift 2
    set +e; "$PGSCRUB" run "$file" --yes "$@" > refusal.out 2> refusal.err; local rc=$?; set -e
    [ "$rc" = 2 ] || { cat refusal.err; fail "$what: exit $rc, expected 2"; }
    no_secrets refusal.out refusal.err
    untouched "$what"
}

# ---- guardrails: each refuses with exit 2 and touches nothing.
write_run run.yaml "$dump_url" "$target_url" "$staging"
set +e; "$PGSCRUB" run run.yaml --dry-run > dry.out 2> dry.err; rc=$?; set -e
[ "$rc" = 0 ] || { cat dry.err; fail "--dry-run exited $rc"; }
grep -q 'dry run: nothing is touched' dry.err || fail "--dry-run did not say so"
grep -q 'pg_dump -Fc -f .*backups/staging-' dry.err || { cat dry.err; fail "--dry-run plan lacks the backup command"; }
grep -Eq 'FLUSHDB on redis://:?\*\*\*@127.0.0.1' dry.err || { cat dry.err; fail "--dry-run plan lacks the masked Redis URL"; }
grep -q 'production.dump?\*\*\*' dry.err || { cat dry.err; fail "--dry-run plan shows the signed URL's query"; }
no_secrets dry.out dry.err
untouched "--dry-run"
[ -z "$(find backups reports -type f)" ] || fail "--dry-run wrote files"

write_run wrong.yaml "$dump_url" "$target_url" staging_typo
expect_refusal "a wrong confirm name" wrong.yaml
grep -q 'confirm' refusal.err || fail "the refusal does not mention confirm"

cat > same.yaml <<YAML
version: 1
source: {database: "$target_url"}
rules: $HERE/wagtail_site_rules.yaml
target: {database: "$target_url", confirm: $staging}
steps: [{restore: {}}]
YAML
expect_refusal "a target equal to the source" same.yaml
grep -q 'could be the source' refusal.err || { cat refusal.err; fail "same-database refusal message"; }

q -c "DROP DATABASE IF EXISTS runbook_prod_copy" && q -c "CREATE DATABASE runbook_prod_copy"
write_run prodlike.yaml "$dump_url" "postgresql://runbook_app:Hunter2-db-pass@/runbook_prod_copy?host=$socket" runbook_prod_copy
expect_refusal "a prod-named target" prodlike.yaml
grep -q 'looks like production' refusal.err || { cat refusal.err; fail "prod-like refusal message"; }
[ -z "$(find backups reports -type f)" ] || fail "a refused run wrote files"

# ---- a source that fails mid-stream: staging stays as it was (swap).
write_run broken.yaml "http://127.0.0.1:$http_port/truncated.dump?X-Amz-Signature=Hunter2-url-signature" "$target_url" "$staging"
set +e; "$PGSCRUB" run broken.yaml --yes > broken.out 2> broken.err; rc=$?; set -e
[ "$rc" = 3 ] || { cat broken.err; fail "a truncated source exited $rc, expected 3"; }
untouched "a failed restore"
report="$(ls reports/*.md)"
grep -q 'FAILED at step `restore`' "$report" || { cat "$report"; fail "the report does not name the failed step"; }
grep -q -- '--from restore' "$report" || fail "the report does not say how to resume"
no_secrets broken.out broken.err reports
q -c "SELECT datname FROM pg_database WHERE datname LIKE '${staging}_pgscrub%'" > leftovers.txt
[ ! -s leftovers.txt ] || { cat leftovers.txt; fail "a failed swap left a database behind"; }
rm -f reports/*.md backups/*

# ---- the database drops the restore's connection mid-way (a failover, an
# admin's pg_terminate_backend): the step fails with exit 3, staging stays as
# it was (swap) and nothing is left beside it. The dump is served slowly so
# the restore is still connected when its backend is terminated.
slow_port_file="$work/slow-port"
python3 "$HERE/net/serve.py" "$work/www" "$slow_port_file" > slow-http.log 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -s "$slow_port_file" ] && break; sleep 0.1; done
write_run dropped.yaml "http://127.0.0.1:$(cat "$slow_port_file")/slow/50000/production.dump" "$target_url" "$staging"
"$PGSCRUB" run dropped.yaml --yes > dropped.out 2> dropped.err &
run_pid=$!
terminated=""
for _ in $(seq 300); do
    terminated="$(q -Atc "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                          WHERE datname LIKE '${staging}_pgscrub%' AND application_name = 'pg_restore'")"
    [ -n "$terminated" ] && break
    sleep 0.05
done
set +e; wait "$run_pid"; rc=$?; set -e
[ -n "$terminated" ] || fail "the restore's connection was never seen"
[ "$rc" = 3 ] || { cat dropped.err; fail "a dropped connection exited $rc, expected 3"; }
# What is seen first is a race: pg_restore's failure (the server's FATAL,
# as its error or as the notice libpq printed when the connection went, or
# "server closed the connection unexpectedly" when the socket closed before
# libpq read it), or, on a loaded machine, the scrub's write into the pipe
# pg_restore closed. Each names the cause; none is the SQL it was running.
grep -qE '^pgscrub run: step restore failed: (pg_restore exited with status 1: .*(terminating connection due to administrator command|server closed the connection unexpectedly)|.*write failed: Broken pipe)' dropped.err ||
    { cat dropped.err; fail "the message does not say the connection was terminated"; }
untouched "a restore whose connection dropped"
grep -q 'FAILED at step `restore`' reports/*.md || fail "the report does not name the failed step"
no_secrets dropped.out dropped.err reports
q -c "SELECT datname FROM pg_database WHERE datname LIKE '${staging}_pgscrub%'" > leftovers.txt
[ ! -s leftovers.txt ] || { cat leftovers.txt; fail "a dropped restore left a database behind"; }
rm -f reports/*.md backups/*

# ---- the full run.
set +e; "$PGSCRUB" run run.yaml --yes > full.out 2> full.err; rc=$?; set -e
[ "$rc" = 0 ] || { cat full.err; fail "the full run exited $rc"; }
no_secrets full.out full.err reports backups
while read -r email; do
    [ -z "$(q -d "$staging" -c "SELECT 1 FROM auth_user WHERE email = '$email'")" ] || fail "a production e-mail reached staging"
done < production-emails.txt
[ "$(q -d "$staging" -c "SELECT count(*) FROM auth_user")" = "$(q -d "$prod" -c "SELECT count(*) FROM auth_user")" ] || fail "auth_user rows"
[ "$(q -d "$staging" -c "SELECT hostname FROM wagtailcore_site WHERE is_default_site")" = staging.example.org ] || fail "Site hostname not updated"
[ "$(redis-cli -p "$redis_port" -a Hunter2-redis-pass --no-auth-warning -n 0 dbsize)" = 0 ] || fail "Redis keys survived"
"$PGSCRUB" scan --db "$target_url" > scan.txt 2>&1 || { cat scan.txt; fail "scan --db of staging found personal data"; }
backup="$(ls backups/*.dump)"
"$BIN/pg_restore" -l "$backup" > /dev/null || fail "the backup of staging is not restorable"
fresh_db runbook_backup_check
"$BIN/pg_restore" --no-owner -d runbook_backup_check "$backup"
[ "$(q -d runbook_backup_check -c "SELECT email FROM auth_user WHERE id = 900")" = qa.tester@staging-team.invalid ] || fail "the backup lacks old staging"
report="$(ls reports/*.md)"
grep -q 'Result: completed' "$report" || fail "report result"
grep -q 'qa.tester@staging-team.invalid' "$report" || { cat "$report"; fail "the report does not list the account only staging had"; }
grep -q 'django_session' "$report" || fail "the report does not list truncated tables"
grep -q 'Note for stakeholders' "$report" || fail "no stakeholder note"
grep -qF "$backup" "$report" || grep -qF "$(basename "$backup")" "$report" || fail "the report does not name the backup"

# ---- --from: resume at a later step (here: the fix-ups and checks again).
rm -f reports/*.md
q -d "$staging" -c "UPDATE wagtailcore_site SET hostname = 'changed.example' WHERE is_default_site"
"$PGSCRUB" run run.yaml --yes --from sql > from.out 2> from.err || { cat from.err; fail "--from sql"; }
[ "$(q -d "$staging" -c "SELECT hostname FROM wagtailcore_site WHERE is_default_site")" = staging.example.org ] || fail "--from sql did not run sql"
grep -q 'restore (skipped: before --from)' reports/*.md || fail "the report does not show the skipped steps"
[ "$(ls backups/*.dump | wc -l)" = 1 ] || fail "--from sql ran backup_target again"

# ---- the examples: valid run files whose plans print; pull-local run for real.
# Heroku's Redis is rediss:// with a self-signed certificate: the plan says verification is off.
export PRODUCTION_BACKUP_URL="$dump_url" STAGING_DATABASE_URL="postgresql:///staging_db_name" MEDIA_ROOT=/nonexistent/media
export STAGING_REDIS_URL="rediss://:Hunter2-redis-pass@127.0.0.1:6380/0"
"$PGSCRUB" run "$HERE/../../examples/reset-staging.yaml" --dry-run 2> example.err || { cat example.err; fail "examples/reset-staging.yaml"; }
grep -q 'pg_restore --clean --if-exists' example.err || fail "reset-staging example plan"
grep -qF 'FLUSHDB on rediss://***@127.0.0.1:6380/0 (TLS, certificate NOT verified: tls_verify: false)' example.err \
    || { cat example.err; fail "the plan does not say the Redis certificate is not verified"; }
no_secrets example.err
export STAGING_REDIS_URL="$redis_url"
fresh_db wagtail
export BACKUP_URL="$dump_url" MEDIA_ROOT="$work/local-media"
# The preset alone does not cover the test site's own tables: use the site's
# rules; production's bucket is a local folder holding the files the rows name
# (run_media.sh and the media tests cover images and S3).
mkdir -p prod-media/original_images prod-media/images
for f in ann-baker-headshot.jpg IMG_2031.jpg logo.png; do echo "file $f" > "prod-media/original_images/$f"; done
echo rendition > prod-media/images/IMG_2031.max-800x600.jpg
sed -e "s|^rules: .*|rules: $HERE/wagtail_site_rules.yaml|" -e "s|s3://media.wagtail.org|$work/prod-media|g" \
    "$HERE/../../examples/pull-local.yaml" > pull-local.yaml
"$PGSCRUB" run pull-local.yaml --yes > pull.out 2> pull.err || { cat pull.err; fail "examples/pull-local.yaml"; }
[ "$(q -d wagtail -c "SELECT hostname || ':' || port FROM wagtailcore_site WHERE is_default_site")" = localhost:8000 ] || fail "pull-local Site"
[ "$(q -d wagtail -c "SELECT count(*) FROM wagtailimages_rendition")" = 0 ] || fail "pull-local kept the rendition rows"
[ "$(find "$MEDIA_ROOT" -type f ! -name .pgscrub-media.json | wc -l)" = 3 ] && [ ! -e "$MEDIA_ROOT/images" ] ||
    { find "$MEDIA_ROOT"; fail "pull-local did not pull original_images/ alone"; }
no_secrets pull.out pull.err

# ---- strategy: in_place (hosts where databases cannot be created), after a backup.
sed -e 's/strategy: swap/strategy: in_place/' -e "s|reports/reset-|reports/inplace-|" run.yaml > inplace.yaml
q -d "$staging" -c "UPDATE wagtailcore_site SET hostname = 'changed.example' WHERE is_default_site"
"$PGSCRUB" run inplace.yaml --yes > inplace.out 2> inplace.err || { cat inplace.err; fail "strategy: in_place"; }
[ "$(q -d "$staging" -c "SELECT hostname FROM wagtailcore_site WHERE is_default_site")" = staging.example.org ] || fail "in_place: Site"
[ "$(q -d "$staging" -c "SELECT count(*) FROM analytics.page_views")" = "$(q -d "$prod" -c "SELECT count(*) FROM analytics.page_views")" ] \
    || fail "in_place: partitioned table rows"
no_secrets inplace.out inplace.err reports

# ---- source: a live database, dumped by pg_dump and streamed through the scrub.
cat > fromdb.yaml <<YAML
version: 1
source: {database: "$source_url"}
rules: $HERE/wagtail_site_rules.yaml
target: {database: "$target_url", confirm: $staging}
steps:
  - restore: {strategy: swap}
  - verify: {scan: true}
report: reports/fromdb-{timestamp}.md
YAML
"$PGSCRUB" run fromdb.yaml --yes > fromdb.out 2> fromdb.err || { cat fromdb.err; fail "source: database"; }
grep -q 'pg_dump -Fc postgresql://runbook_app:\*\*\*@' fromdb.err || { cat fromdb.err; fail "plan of a database source"; }
while read -r email; do
    [ -z "$(q -d "$staging" -c "SELECT 1 FROM auth_user WHERE email = '$email'")" ] || fail "source database: a production e-mail reached staging"
done < production-emails.txt
[ "$(q -d "$staging" -c "SELECT count(*) FROM wagtailcore_page")" = "$(q -d "$prod" -c "SELECT count(*) FROM wagtailcore_page")" ] \
    || fail "source database: page rows"
no_secrets fromdb.out fromdb.err reports
echo "PASS: runbook"
