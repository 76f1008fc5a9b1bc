#!/usr/bin/env bash
# Dump the database and copy the uploads into $BACKUP_DIR/<date>/; keep 14 days.
# Needs DATABASE_URL (postgres://…) and FIELDLINE_UPLOAD_DIR from the environment.
set -euo pipefail
: "${BACKUP_DIR:?set BACKUP_DIR}" "${DATABASE_URL:?set DATABASE_URL}" "${FIELDLINE_UPLOAD_DIR:?set FIELDLINE_UPLOAD_DIR}"
day="$(date -u +%Y-%m-%d)"
target="$BACKUP_DIR/$day"
mkdir -p "$target"
# pg_dump takes libpq URLs; asyncpg-style postgres:// works as is.
pg_dump --format=custom --file="$target/fieldline.dump" "$DATABASE_URL"
# Hard links to yesterday's copy: unchanged photos cost no space.
previous="$(ls -1d "$BACKUP_DIR"/*/ 2>/dev/null | grep -v "/$day/$" | tail -1 || true)"
rsync -a --delete ${previous:+--link-dest="$previous/uploads"} "$FIELDLINE_UPLOAD_DIR/" "$target/uploads/"
find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -mtime +14 -exec rm -rf {} +
echo "backup written to $target"
