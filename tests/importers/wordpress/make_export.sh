#!/usr/bin/env bash
# Make a real WordPress export (WXR) with Debian's wordpress package: start a private MariaDB
# on a free loopback port with a temporary datadir, install WordPress into a temporary
# directory, create content through WordPress's own PHP functions (make_content.php) and
# export it with export_wp(). Usage: make_export.sh OUT.xml [UPLOADS_COPY_DIR]
# Needs: wordpress php-cli php-mysql mariadb-server (apt). Everything it starts is stopped.
set -euo pipefail
out=$(realpath -m "$1")
uploads_copy=${2:+$(realpath -m "$2")}
here=$(cd "$(dirname "$0")" && pwd)
for tool in php mariadb-install-db mariadbd; do
  command -v "$tool" >/dev/null || [ -x "/usr/sbin/$tool" ] || { echo "missing: $tool" >&2; exit 2; }
done
[ -d /usr/share/wordpress ] || { echo "missing: /usr/share/wordpress (apt-get install wordpress)" >&2; exit 2; }

work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mariadb-install-db --no-defaults --datadir="$work/data" --user="$(id -un)" \
  --auth-root-authentication-method=normal --skip-test-db >"$work/install.log" 2>&1
PATH="$PATH:/usr/sbin" mariadbd --no-defaults --datadir="$work/data" --user="$(id -un)" \
  --bind-address=127.0.0.1 --port="$port" --socket="$work/mysql.sock" \
  --skip-grant-tables --skip-log-bin --innodb-buffer-pool-size=16M >"$work/mariadb.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$port" -u root -e 'SELECT 1' >/dev/null 2>&1 && break
  sleep 0.2
done
mariadb --no-defaults --protocol=TCP -h 127.0.0.1 -P "$port" -u root -e 'CREATE DATABASE wordpress'

cp -r /usr/share/wordpress "$work/wp"
rm -f "$work/wp/wp-config.php" "$work/wp/.htaccess"
mkdir -p "$work/wp/wp-content/uploads"
cat >"$work/wp/wp-config.php" <<PHP
<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', '127.0.0.1:$port');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('WP_SITEURL', 'http://wp.example.test');
define('WP_HOME', 'http://wp.example.test');
define('WP_CONTENT_DIR', '$work/wp/wp-content');
define('WP_CONTENT_URL', 'http://wp.example.test/wp-content');
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('DISABLE_WP_CRON', true);
\$table_prefix = 'wp_';
if (!defined('ABSPATH')) { define('ABSPATH', '$work/wp/'); }
require_once ABSPATH . 'wp-settings.php';
PHP
php -d display_errors=stderr "$here/make_content.php" "$work/wp" "$out"
if [ -n "$uploads_copy" ]; then
  mkdir -p "$uploads_copy"
  cp -r "$work/wp/wp-content/uploads/." "$uploads_copy/"
fi
echo "wrote $out"
