# Varnish in front of Newsroom (Debian: varnish + varnish-modules for xkey).
#
# The site decides what the edge keeps: a response is stored only when its Cache-Control
# says "public" or "s-maxage" and it sets no cookie (core/edge.py, docs/decisions.md).
# Shared pages carry their tags in "xkey" (EDGE_TAG_HEADER=xkey); the task worker purges
# them by tag (core/edgepurge.py) with "PURGE" and an "xkey-purge: tag1 tag2" header.
# `make serve-edge` (tools/serve_edge.py) starts varnishd with this file, the backend's
# port rewritten to gunicorn's; in production, edit the two backends and the ACL.
vcl 4.1;

import std;
import xkey;

# What readers' requests are fetched from: the app (gunicorn).
backend app {
    .host = "127.0.0.1";
    .port = "8001";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
}

# The same app, probed: /healthz fails when the app, its database or its cache is down.
# Only grace reads it; requests still go to "app", which may serve without Redis.
backend app_health {
    .host = "127.0.0.1";
    .port = "8001";
    .probe = {
        .url = "/healthz";
        .interval = 1s;
        .timeout = 2s;
        .window = 3;
        .threshold = 2;
        .initial = 2;
    }
}

# Who may purge: the task worker's addresses.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    set req.backend_hint = app;

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is not allowed from this address"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "No xkey-purge header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone + " objects"));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }

    # Shared links carry tracking parameters the site never reads: one object serves all.
    if (req.url ~ "[?&](utm_[A-Za-z0-9_]*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid)=") {
        set req.url = regsuball(req.url, "([?&])(utm_[A-Za-z0-9_]*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid)=[^&]*", "\1");
        set req.url = regsuball(req.url, "&{2,}", "&");
        set req.url = regsub(req.url, "\?&", "?");
        set req.url = regsub(req.url, "[?&]+$", "");
    }

    # One variant per encoding the site makes: gzip or none.
    if (req.http.Accept-Encoding ~ "\bgzip\b") {
        set req.http.Accept-Encoding = "gzip";
    } else {
        unset req.http.Accept-Encoding;
    }

    # A session, a CSRF token, flash messages, a guest's saved details or own comments, the
    # "read the primary" pin: a reader with any of these gets the site itself, cookies and all.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|csrftoken|messages|comment_author|comment_reader|comments_mine|guest_email|newsroom_primary)=") {
        return (pass);
    }
    if (req.http.Authorization || req.url ~ "^/(admin|accounts)/") {
        return (pass);
    }
    # Any other cookie (analytics and the like) is not the site's: dropped, so it cannot
    # split the cache or reach the app.
    unset req.http.Cookie;

    # Grace: while the app answers, an expired object is served for a few seconds at most
    # while it is fetched again (stale-while-revalidate); while /healthz fails, for as long
    # as the page's stale-if-error allows.
    if (std.healthy(app_health)) {
        set req.grace = 10s;
    }
    return (hash);
}

sub vcl_hash {
    # Pages name their own scheme (canonical links, feeds): http and https are two objects,
    # as in the site's page cache. The builtin vcl_hash adds the URL and the host.
    hash_data(req.http.X-Forwarded-Proto);
}

sub vcl_backend_response {
    # A failing refresh keeps the stale copy instead of replacing it with the error.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    if (beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(private|no-store|no-cache)"
        || beresp.http.Cache-Control !~ "(public|s-maxage)"
        || beresp.ttl <= 0s) {
        # Not for sharing: remembered as such for two minutes, so requests for it are not
        # queued behind each other (hit-for-miss; a cacheable answer is still stored).
        set beresp.ttl = 120s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, "^.*stale-if-error=([0-9]+).*$", "\1s"), 10s);
    }
    return (deliver);
}

sub vcl_deliver {
    # Readers need neither the tags nor the backend's page-cache state.
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
