"""The bureau's public site (SPEC.md "Public site"): what the law makes public.

Server-rendered pages for citizens, journalists and historians: search across every
name, a place's page with its names history, the heritage catalogue, red place names,
proposals and naming rounds under public notice (open to comment, with an Atom feed),
the announcements (公告) with an Atom feed, and the name check explained in plain words. Nothing here shows staff-only data
(notes, check internals, who recorded what, an objector's contact); the only write is
a public comment, which becomes an objection through ``services.proposals`` (or, on a
round's item, ``services.rounds``).
"""
