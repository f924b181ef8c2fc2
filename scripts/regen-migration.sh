#!/usr/bin/env bash
# Development helper: regenerates the one pending (not yet committed) migration of a service from its entities.
# Restores the committed snapshot and migration list, deletes uncommitted Migration*.ts files, builds the service
# and runs `migration:create` against a scratch database. Serialised per service with flock.
# Usage: scripts/regen-migration.sh <service>
set -euo pipefail
service="$1"
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/services/$service"
exec 9>"/tmp/kartoteka-migration-$service.lock"
flock 9
cd "$dir"
# Build first: if the code does not compile, leave the current migration alone.
(cd "$root/services/kit" && pnpm --silent build)
pnpm --silent build
git -C "$root" checkout HEAD -- "services/$service/src/migrations/.snapshot-$service.json" "services/$service/src/migrations/index.ts"
for file in src/migrations/Migration*.ts; do
  if ! git -C "$root" ls-files --error-unmatch "services/$service/$file" >/dev/null 2>&1; then rm -f "$file"; fi
done
db="mig_${service}_$$"
psql -h 127.0.0.1 -U postgres -qc "create database $db" postgres
trap 'psql -h 127.0.0.1 -U postgres -qc "drop database if exists $db" postgres' EXIT
DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db" pnpm --silent migration:create
