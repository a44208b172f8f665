<?php
// Content for the test export, made through WordPress's own functions, then export_wp().
// Run by make_export.sh: php make_content.php WP_DIR OUT.xml
[$script, $wp_dir, $out] = $argv;
define('WP_INSTALLING', true);
$_SERVER['HTTP_HOST'] = 'wp.example.test';
$_SERVER['REQUEST_URI'] = '/';
require $wp_dir . '/wp-config.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/export.php';
require_once ABSPATH . 'wp-admin/includes/image.php';

wp_install('The Valley Courier', 'admin', 'admin@wp.example.test', true, '', 'not-used-admin-pw');
update_option('timezone_string', 'Europe/Brussels');
update_option('permalink_structure', '/%year%/%monthnum%/%day%/%postname%/');
update_option('thread_comments_depth', 10);
global $wp_rewrite;
$wp_rewrite->init();

function must($value) {
    if (is_wp_error($value) || !$value) {
        fwrite(STDERR, 'WordPress said: ' . (is_wp_error($value) ? $value->get_error_message() : 'nothing') . "\n");
        exit(1);
    }
    return $value;
}

// A small real PNG (a solid block), written without GD.
function png_bytes($w, $h, $rgb) {
    $chunk = function ($type, $data) {
        return pack('N', strlen($data)) . $type . $data . pack('N', crc32($type . $data));
    };
    $row = "\0" . str_repeat($rgb, $w);
    return "\x89PNG\r\n\x1a\n" . $chunk('IHDR', pack('NNCCCCC', $w, $h, 8, 2, 0, 0, 0))
        . $chunk('IDAT', gzcompress(str_repeat($row, $h))) . $chunk('IEND', '');
}

$alice = must(wp_insert_user([
    'user_login' => 'alice', 'user_email' => 'alice@wp.example.test', 'user_pass' => 'pw-alice-1',
    'display_name' => 'Alice Martin', 'first_name' => 'Alice', 'last_name' => 'Martin',
    'description' => 'Covers the valley and its rivers.', 'role' => 'editor',
]));
$bob = must(wp_insert_user([
    'user_login' => 'bob', 'user_email' => 'bob@wp.example.test', 'user_pass' => 'pw-bob-1',
    'display_name' => 'Bob Stone', 'description' => 'Politics.', 'role' => 'author',
]));
$world = must(wp_insert_term('World News', 'category', ['slug' => 'world-news']));
$europe = must(wp_insert_term('Europe', 'category', ['slug' => 'europe', 'parent' => $world['term_id']]));

$uploads = wp_upload_dir('2024/03');
wp_mkdir_p($uploads['path']);
file_put_contents($uploads['path'] . '/flood.png', png_bytes(96, 64, "\x20\x60\xa0"));
file_put_contents($uploads['path'] . '/bridge.png', png_bytes(80, 60, "\x80\x40\x20"));
$base = $uploads['url'];

$flood_id = must(wp_insert_post([
    'post_author' => $alice, 'post_status' => 'publish', 'post_type' => 'post',
    'post_title' => 'Floods in the valley', 'post_name' => 'floods-in-the-valley',
    'post_date' => '2024-03-05 10:30:00', 'post_excerpt' => 'The river rose overnight.',
    'post_category' => [$world['term_id']], 'tags_input' => ['climate', 'rivers'],
    'post_content' => '',
]));
$thumb = must(wp_insert_attachment([
    'post_mime_type' => 'image/png', 'post_title' => 'Flooded street',
    'post_excerpt' => 'Water in Main Street on Tuesday.', 'post_content' => '',
    'post_status' => 'inherit', 'post_name' => 'flooded-street',
], $uploads['path'] . '/flood.png', $flood_id));
update_post_meta($thumb, '_wp_attachment_image_alt', 'A flooded street with parked cars');
wp_update_attachment_metadata($thumb, [
    'width' => 96, 'height' => 64, 'file' => '2024/03/flood.png',
    'image_meta' => ['credit' => 'Jo Lens', 'caption' => '', 'title' => ''],
]);
set_post_thumbnail($flood_id, $thumb);
$bridge = must(wp_insert_attachment([
    'post_mime_type' => 'image/png', 'post_title' => 'The old bridge', 'post_excerpt' => '',
    'post_status' => 'inherit', 'post_name' => 'old-bridge',
], $uploads['path'] . '/bridge.png', $flood_id));
update_post_meta($bridge, '_wp_attachment_image_alt', 'The old stone bridge under water');

$content = <<<HTML
<!-- wp:paragraph -->
<p>The river <strong>rose</strong> overnight and reached the market square.</p>
<!-- /wp:paragraph -->

<!-- wp:more -->
<!--more-->
<!-- /wp:more -->

<!-- wp:paragraph -->
<p>Residents moved furniture upstairs.<script>alert(1)</script></p>
<!-- /wp:paragraph -->

[caption id="attachment_{$bridge}" align="alignnone" width="80"]<img class="size-full wp-image-{$bridge}" src="{$base}/bridge.png" alt="The old stone bridge under water" width="80" height="60" /> The old bridge at noon[/caption]

<!-- wp:image {"id":999} -->
<figure class="wp-block-image"><img src="{$base}/missing-photo.jpg" alt="Gone" class="wp-image-999"/></figure>
<!-- /wp:image -->

<!-- wp:embed {"url":"https://www.youtube.com/watch?v=dQw4w9WgXcQ","type":"video","providerNameSlug":"youtube"} -->
<figure class="wp-block-embed is-type-video is-provider-youtube wp-block-embed-youtube"><div class="wp-block-embed__wrapper">
https://www.youtube.com/watch?v=dQw4w9WgXcQ
</div><figcaption>The mayor's statement</figcaption></figure>
<!-- /wp:embed -->

[embed]https://vimeo.com/76979871[/embed]

https://example.org/not-a-provider

<p>Read <a href="http://wp.example.test/?p=1" onclick="x()">our earlier report</a>.</p>
HTML;
wp_update_post(['ID' => $flood_id, 'post_content' => $content]);

$election = must(wp_insert_post([
    'post_author' => $bob, 'post_status' => 'publish', 'post_title' => 'Election night',
    'post_name' => 'election-night', 'post_date' => '2024-06-09 23:15:00',
    'post_content' => "<!-- wp:paragraph -->\n<p>Polls closed at ten.</p>\n<!-- /wp:paragraph -->",
    'post_category' => [$europe['term_id']], 'tags_input' => ['elections'],
    'comment_status' => 'closed',
]));
$draft = must(wp_insert_post(['post_author' => $bob, 'post_status' => 'draft',
    'post_title' => 'Budget draft', 'post_content' => '<p>Numbers to come.</p>']));
$pending = must(wp_insert_post(['post_author' => $bob, 'post_status' => 'pending',
    'post_title' => 'Council review', 'post_name' => 'council-review',
    'post_content' => '<p>Awaiting an editor.</p>']));
$future = must(wp_insert_post(['post_author' => $alice, 'post_status' => 'future',
    'post_title' => 'Festival preview', 'post_name' => 'festival-preview',
    'post_date' => '2031-07-01 09:00:00', 'post_content' => '<p>Next summer.</p>']));
$private = must(wp_insert_post(['post_author' => $alice, 'post_status' => 'private',
    'post_title' => 'Staff memo', 'post_name' => 'staff-memo', 'post_content' => '<p>Internal.</p>']));
$trashed = must(wp_insert_post(['post_author' => $alice, 'post_status' => 'publish',
    'post_title' => 'Retracted story', 'post_name' => 'retracted-story',
    'post_date' => '2024-01-02 08:00:00', 'post_content' => '<p>Wrong.</p>']));
wp_trash_post($trashed);
must(wp_insert_post(['post_author' => $alice, 'post_status' => 'publish', 'post_type' => 'page',
    'post_title' => 'About us', 'post_content' => '<p>A page, not a post.</p>']));

// Threaded comments in every status on the flood story, one level deeper than Newsroom's
// default depth (5); a logged-in author's reply; a pingback and a trackback.
function comment($post, $fields) {
    return must(wp_insert_comment(array_merge(['comment_post_ID' => $post,
        'comment_author_IP' => '192.0.2.10', 'comment_agent' => 'Mozilla/5.0'], $fields)));
}
$parent = 0;
for ($level = 1; $level <= 6; $level++) {
    $parent = comment($flood_id, ['comment_parent' => $parent, 'comment_approved' => 1,
        'comment_author' => "Reader $level", 'comment_author_email' => "reader$level@example.org",
        'comment_author_url' => $level == 1 ? 'https://reader1.example.org/' : '',
        'comment_date' => "2024-03-05 1{$level}:00:00",
        'comment_content' => "Level $level says <em>hello</em>."]);
    if ($level == 1) { $first = $parent; }
}
comment($flood_id, ['comment_parent' => $first, 'comment_approved' => 1, 'user_id' => $alice,
    'comment_author' => 'Alice Martin', 'comment_author_email' => 'alice@wp.example.test',
    'comment_date' => '2024-03-05 18:00:00', 'comment_content' => 'Thanks, we are on it.']);
comment($flood_id, ['comment_approved' => 0, 'comment_author' => 'Held Henry',
    'comment_author_email' => 'henry@example.org', 'comment_date' => '2024-03-06 09:00:00',
    'comment_content' => 'Waiting for a moderator.']);
comment($flood_id, ['comment_approved' => 'spam', 'comment_author' => 'Cheap Pills',
    'comment_author_email' => 'spam@example.org', 'comment_date' => '2024-03-06 10:00:00',
    'comment_content' => 'Buy now http://spam.example/']);
comment($flood_id, ['comment_approved' => 'trash', 'comment_author' => 'Rude Rita',
    'comment_author_email' => 'rita@example.org', 'comment_date' => '2024-03-06 11:00:00',
    'comment_content' => 'Something removed.']);
comment($flood_id, ['comment_approved' => 1, 'comment_type' => 'pingback',
    'comment_author' => 'Another blog', 'comment_author_url' => 'https://blog.example.net/post',
    'comment_date' => '2024-03-07 10:00:00', 'comment_content' => '[…] a link to you […]']);
comment($flood_id, ['comment_approved' => 1, 'comment_type' => 'trackback',
    'comment_author' => 'Old blog', 'comment_author_url' => 'https://old.example.net/',
    'comment_date' => '2024-03-07 11:00:00', 'comment_content' => 'Trackback text']);
comment($election, ['comment_approved' => 1, 'comment_author' => 'Voter',
    'comment_author_email' => 'voter@example.org', 'comment_date' => '2024-06-10 08:00:00',
    'comment_content' => 'Turnout was high.']);

ob_start();
export_wp(['content' => 'all']);
file_put_contents($out, ob_get_clean());
