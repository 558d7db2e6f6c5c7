"""Stories, not copies (issue #9): near-duplicate clustering of articles into stories, with
novelty and syndication-aware weights. ``minhash`` holds the transformations, ``stage`` the
runner that reads and writes the tables, ``settings`` and ``schemas`` what the lead wires into
the main configuration and schema registry."""
