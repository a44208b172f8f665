<?php
// The WordPress peer of `make bench` (bench/peers/wordpress_peer.py): Debian's WordPress with
// this configuration instead of /etc/wordpress, on its own MariaDB database.
define('DB_NAME', getenv('WP_BENCH_DB') ?: 'wp_cold_bench');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
define('AUTH_KEY', 'bench-only');
define('SECURE_AUTH_KEY', 'bench-only');
define('LOGGED_IN_KEY', 'bench-only');
define('NONCE_KEY', 'bench-only');
define('AUTH_SALT', 'bench-only');
define('SECURE_AUTH_SALT', 'bench-only');
define('LOGGED_IN_SALT', 'bench-only');
define('NONCE_SALT', 'bench-only');
$table_prefix = 'wp_';
define('WP_DEBUG', false);
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('WPMU_PLUGIN_DIR', getenv('WP_BENCH_MU') ?: __DIR__ . '/mu-plugins');
define('WP_HOME', 'http://' . ($_SERVER['HTTP_HOST'] ?? '127.0.0.1'));
define('WP_SITEURL', WP_HOME);
if (!defined('ABSPATH')) {
    define('ABSPATH', __DIR__ . '/');
}
require_once ABSPATH . 'wp-settings.php';
