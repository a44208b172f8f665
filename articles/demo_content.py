"""The demo newsroom's articles, written for Newsroom from public facts."""

SECTIONS = [
    ("Europe", "europe"),
    ("World", "world"),
    ("Culture", "culture"),
]

NATO_BODY = """
<p>Ambassadors of the 30 NATO Allies and a Russian delegation sat down together in Brussels on
Wednesday, 12 January 2022, for a session of the NATO-Russia Council. The agenda was the situation
in and around Ukraine and what it means
for security in Europe.</p>
<p>NATO Secretary General Jens Stoltenberg chaired the talks. Speaking afterwards, he called the
exchange difficult and said that was precisely why it mattered. He told reporters that the Allies
were willing to meet Russia again to go through several subjects in more depth and to put concrete
proposals forward.</p>
<blockquote><p>“There are opportunities for constructive engagement which should not be missed, in
the interest of security in Europe.”</p></blockquote>
<p>According to Mr Stoltenberg, the Allies voiced deep concern over the continuing Russian military
build-up on Ukraine's borders, and he said they were clear-eyed about the difficulties of finding a
political path forward. He repeated that every nation has the right to choose its own path, and that
only Ukraine and the 30 Allies can decide when Ukraine is ready to join the Alliance: Russia has no
veto over that decision.</p>
<h2>Three rounds in one week</h2>
<p>The Brussels meeting was the second of three rounds of talks between Russia and the West on
Moscow's proposals for European security. The first, between Russia and the United States, took
place in Geneva on 10 January. The third was set for Vienna on 13 January, at the Permanent Council
of the OSCE.</p>
<p>Russia was represented by Deputy Foreign Minister Alexander Grushko and Deputy Defence Minister
Alexander Fomin. US Deputy Secretary of State Wendy Sherman attended alongside the
representatives of
the 30 member states.</p>
<p>The talks followed the publication by the Russian Foreign Ministry, on 17 December 2021, of draft
agreements with the United States and with NATO member states on what Moscow calls security
guarantees.</p>
"""

ARTICLES = [
    {
        "slug": "nato-russia-council-step-forward",
        "title": "NATO-Russia Council step forward",
        "standfirst": (
            "Allies and Russia meet around one table in Brussels, the second of three rounds "
            "of talks on European security in a single week."
        ),
        "dateline": "Brussels",
        "section": "europe",
        "author": "reporter",
        "published_at": (2022, 1, 12, 18, 30),
        "body": NATO_BODY,
        "is_featured": True,
    },
    {
        "slug": "osce-vienna-talks-close-week-of-diplomacy",
        "title": "OSCE talks in Vienna close a week of diplomacy",
        "standfirst": "The third round brings all 57 participating States into the conversation.",
        "dateline": "Vienna",
        "section": "europe",
        "author": "reporter",
        "published_at": (2022, 1, 13, 17, 0),
        "body": (
            "<p>After Geneva and Brussels, the OSCE Permanent Council in Vienna hosted the third "
            "round of talks on European security on 13 January 2022.</p>"
            "<p>Diplomats described the atmosphere as sober, with every delegation given time "
            "to set out its view.</p>"
        ),
    },
    {
        "slug": "geneva-opens-security-talks",
        "title": "Geneva opens a week of security talks",
        "standfirst": "US and Russian delegations meet for the first of three rounds.",
        "dateline": "Geneva",
        "section": "world",
        "author": "editor",
        "published_at": (2022, 1, 10, 20, 15),
        "body": (
            "<p>Delegations from the United States and Russia met in Geneva on 10 January 2022 "
            "for strategic stability talks, opening a week of meetings on European security.</p>"
        ),
    },
    {
        "slug": "parliament-debates-digital-rules",
        "title": "Parliament debates new digital rules",
        "standfirst": "Members argue over how platforms should handle illegal content.",
        "dateline": "Strasbourg",
        "section": "europe",
        "author": "editor",
        "published_at": (2022, 1, 19, 11, 0),
        "body": (
            "<p>Members of the European Parliament debated the Digital Services Act in "
            "plenary, weighing platform duties against freedom of expression.</p>"
        ),
    },
    {
        "slug": "brussels-museums-late-openings",
        "title": "Brussels museums try late openings",
        "standfirst": "Evening hours draw a younger crowd to the city's galleries.",
        "dateline": "Brussels",
        "section": "culture",
        "author": "reporter",
        "published_at": (2022, 1, 21, 9, 0),
        "body": (
            "<p>Several Brussels museums stayed open until ten on Thursday evenings this month. "
            "Curators say visitors were younger than the daytime crowd.</p>"
        ),
    },
]

USERS = [
    # username, first name, last name, group, is_staff, is_superuser
    ("reader", "Riley", "Reader", None, False, False),
    ("reporter", "Anna", "van Densky", "Reporter", True, False),
    ("editor", "Eddie", "Editor", "Editor", True, False),
    ("moderator", "Morgan", "Moderator", "Moderator", True, False),
    ("admin", "Ada", "Admin", None, True, True),
]

# Tags, lead images (drawn by Pillow at load time), co-authors and corrections per article.
EXTRAS = {
    "nato-russia-council-step-forward": {
        "tags": ["NATO", "Russia", "European security"],
        "image": ("A long conference table under flags", "The council chamber", (31, 73, 125)),
        "coauthors": [],
        "correction": (
            "An earlier version said the meeting took place on Tuesday; it was Wednesday."
        ),
    },
    "osce-vienna-talks-close-week-of-diplomacy": {
        "tags": ["OSCE", "Russia", "European security"],
        "image": ("Delegates seated in a round hall", "The Hofburg in Vienna", (120, 40, 40)),
    },
    "geneva-opens-security-talks": {
        "tags": ["Russia", "United States", "European security"],
        "image": ("A lakeside conference building", "Talks by the lake", (20, 110, 90)),
        "coauthors": ["reporter"],
    },
    "parliament-debates-digital-rules": {
        "tags": ["European Parliament", "Digital"],
        "image": ("The plenary hemicycle seen from above", "Plenary in Strasbourg", (90, 60, 140)),
    },
    "brussels-museums-late-openings": {
        "tags": ["Museums"],
        "image": ("Visitors in a gallery at night", "Late opening in Brussels", (170, 120, 20)),
    },
}

# A submitted draft, so the editor's review queue is not empty in the demo.
DRAFT_IN_REVIEW = {
    "slug": "council-budget-talks",
    "title": "Council budget talks run into the night",
    "standfirst": "Ministers seek a deal on next year's budget before the weekend.",
    "dateline": "Brussels",
    "section": "europe",
    "author": "reporter",
    "body": "<p>Finance ministers were still talking after midnight.</p>",
}

BIOS = {
    "reporter": "Brussels correspondent covering NATO, the EU institutions and diplomacy.",
    "editor": "Edits the Europe and World desks.",
}
