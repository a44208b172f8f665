<?php
// Install WordPress (once) and load the benchmark's story: php seed.php DOCROOT FILE.json
// FILE is what bench/peers/xtd_peer.py exports from Newsroom's database. Prints the post id.
$_SERVER['HTTP_HOST'] = '127.0.0.1';
define('WP_INSTALLING', true);
require $argv[1] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
if (!is_blog_installed()) {
    wp_install('Bench', 'bench-admin', 'bench-admin@example.com', true, '', wp_generate_password());
}
// Threads three replies deep, all on one page; every moderation rule on: held for approval,
// held with a link, held and refused words, name and email required.
foreach ([
    'thread_comments' => 1, 'thread_comments_depth' => 4, 'page_comments' => 0,
    'comment_moderation' => 1, 'comment_previously_approved' => 0, 'comment_max_links' => 1,
    'moderation_keys' => "casino\nviagra", 'disallowed_keys' => 'kill yourself',
    'require_name_email' => 1, 'close_comments_for_old_posts' => 0, 'comments_notify' => 0,
    'moderation_notify' => 0, 'default_comment_status' => 'open',
] as $name => $value) {
    update_option($name, $value);
}
$data = json_decode(file_get_contents($argv[2]), true);
$story = $data['story'];
foreach (get_posts(['name' => $story['slug'], 'post_type' => 'post', 'post_status' => 'any', 'numberposts' => -1]) as $old) {
    wp_delete_post($old->ID, true);
}
$post = wp_insert_post([
    'post_title' => $story['title'], 'post_name' => $story['slug'],
    'post_excerpt' => $story['standfirst'], 'post_content' => $story['body'],
    'post_status' => 'publish', 'post_date_gmt' => gmdate('Y-m-d H:i:s', strtotime($story['published_at'])),
    'comment_status' => 'open',
]);
$ids = [];
foreach ($data['comments'] as $row) {
    $ids[$row['id']] = wp_insert_comment([
        'comment_post_ID' => $post, 'comment_author' => $row['name'],
        'comment_author_email' => $row['email'], 'comment_content' => $row['body'],
        'comment_parent' => $row['parent'] ? ($ids[$row['parent']] ?? 0) : 0,
        'comment_approved' => $row['public'] ? 1 : 0, 'comment_author_IP' => '192.0.2.1',
        'comment_date_gmt' => gmdate('Y-m-d H:i:s', strtotime($row['submitted'])),
    ]);
}
echo $post, "\n";
